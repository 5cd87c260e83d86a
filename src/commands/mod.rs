//! One module per command family; `dispatch` routes a parsed command to it.

pub mod audit;
pub mod backup;
pub mod completions;
pub mod doctor;
pub mod gateway;
pub mod key;
pub mod keys_as_code;
pub mod messages;
pub mod paths;
pub mod replace;
pub mod secret_input;
pub mod send;
pub mod text;
pub mod upstream;
pub mod usage;
pub mod webhook;

use crate::cli::Command;
use crate::context::Ctx;
use crate::error::Result;

pub fn dispatch(ctx: &Ctx, command: Command) -> Result<()> {
    match command {
        Command::Key(cmd) => key::dispatch(ctx, cmd),
        Command::Send(args) => send::exec(ctx, args),
        Command::Text(args) => text::exec(ctx, args),
        Command::Messages(args) => messages::exec(ctx, args),
        Command::Audit(args) => audit::exec(ctx, args),
        Command::Gateway(cmd) => gateway::dispatch(ctx, cmd),
        Command::Upstream(cmd) => upstream::dispatch(ctx, cmd),
        Command::Replace(args) => replace::exec(ctx, args),
        Command::Webhook(cmd) => webhook::dispatch(ctx, cmd),
        Command::Backup(args) => backup::backup(ctx, args),
        Command::Restore(args) => backup::restore(ctx, args),
        Command::Store(crate::cli::StoreCommand::Copy(args)) => backup::store_copy(ctx, args),
        Command::Export(args) => keys_as_code::export(ctx, args),
        Command::Plan(args) => keys_as_code::plan(ctx, args),
        Command::Apply(args) => keys_as_code::apply(ctx, args),
        Command::Completions(args) => completions::exec(args),
        Command::Paths => paths::exec(ctx),
        Command::Doctor(args) => doctor::exec(ctx, args),
        Command::Usage(args) => usage::exec(ctx, args),
    }
}
