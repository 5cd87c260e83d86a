use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
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
