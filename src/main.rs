use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = smsctl::cli::Cli::parse();
    match smsctl::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            smsctl::report_error(&err);
            ExitCode::from(err.exit_code())
        }
    }
}
