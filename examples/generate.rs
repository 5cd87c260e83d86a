//! Regenerates everything under `completions/` and `docs/man/` from the clap definition, and
//! `docs/keys.schema.json` from the key file's types.
//! Run `cargo run --example generate`; CI runs it and fails on any diff.

use std::path::Path;

use clap::CommandFactory;
use clap_complete::Shell;
use smsctl::cli::Cli;
use smsctl::commands::completions;

fn main() -> std::io::Result<()> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));

    let comp_dir = root.join("completions");
    std::fs::create_dir_all(&comp_dir)?;
    for shell in [Shell::Bash, Shell::Zsh, Shell::Fish, Shell::PowerShell, Shell::Elvish] {
        std::fs::write(comp_dir.join(completions::file_name(shell)), completions::render(shell))?;
    }

    // Start from an empty directory so pages of removed commands disappear.
    let man_dir = root.join("docs").join("man");
    if man_dir.exists() {
        std::fs::remove_dir_all(&man_dir)?;
    }
    std::fs::create_dir_all(&man_dir)?;
    clap_mangen::generate_to(Cli::command(), &man_dir)?;
    // The key file's JSON Schema, generated from its types (see docs/keys-as-code.md).
    let schema = root.join("docs").join("keys.schema.json");
    std::fs::write(&schema, smsctl::keyfile::schema_json())?;
    println!("wrote {}, {} and {}", comp_dir.display(), man_dir.display(), schema.display());
    Ok(())
}
