//! `smsctl completions SHELL`: the same scripts that are committed under `completions/`.

use clap::CommandFactory;
use clap_complete::Shell;

use crate::cli::{Cli, CompletionsArgs};
use crate::error::Result;

/// The completion script for `shell`, as committed in `completions/`.
pub fn render(shell: Shell) -> Vec<u8> {
    let mut cmd = Cli::command();
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut cmd, "smsctl", &mut buf);
    buf
}

/// The file name under `completions/` for `shell`.
pub fn file_name(shell: Shell) -> &'static str {
    match shell {
        Shell::Bash => "smsctl.bash",
        Shell::Zsh => "_smsctl",
        Shell::Fish => "smsctl.fish",
        Shell::PowerShell => "_smsctl.ps1",
        Shell::Elvish => "smsctl.elv",
        _ => "smsctl.completion",
    }
}

pub fn exec(args: CompletionsArgs) -> Result<()> {
    crate::output::print_raw(&render(args.shell))
}
