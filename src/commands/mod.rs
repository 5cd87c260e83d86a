//! One module per command family; `dispatch` routes a parsed command to it.

pub mod audit;
pub mod gateway;
pub mod key;

use crate::cli::Command;
use crate::context::Ctx;
use crate::error::Result;

pub fn dispatch(ctx: &Ctx, command: Command) -> Result<()> {
    match command {
        Command::Key(cmd) => key::dispatch(ctx, cmd),
        Command::Audit(args) => audit::exec(ctx, args),
        Command::Gateway(cmd) => gateway::dispatch(ctx, cmd),
    }
}
