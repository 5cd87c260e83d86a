use std::process::ExitCode;

use clap::{CommandFactory, Parser};

fn main() -> ExitCode {
    // `SMSCTL_COMPLETE=bash smsctl` prints the dynamic completion script; when the shell calls
    // back, this answers and exits. Otherwise it returns at once. (A namespaced variable: a
    // generic COMPLETE set for other tools must not change what smsctl does.)
    clap_complete::CompleteEnv::with_factory(smsctl::cli::Cli::command)
        .var(smsctl::complete::ENV_VAR)
        .complete();
    let cli = match smsctl::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => return smsctl::report_usage_error(&err),
    };
    match smsctl::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            smsctl::report_error(&err);
            ExitCode::from(err.exit_code())
        }
    }
}
