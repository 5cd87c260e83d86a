//! `smsctl gateway serve`: runs the local Omnimessage-compatible sandbox on this store.

use crate::cli::{GatewayCommand, GatewayServeArgs};
use crate::context::Ctx;
use crate::error::Result;
use crate::gateway::{self, Config};

pub fn dispatch(ctx: &Ctx, cmd: GatewayCommand) -> Result<()> {
    match cmd {
        GatewayCommand::Serve(args) => serve(ctx, args),
    }
}

fn serve(ctx: &Ctx, args: GatewayServeArgs) -> Result<()> {
    gateway::serve(&Config {
        listen: args.listen,
        db: ctx.db_path()?,
        dlr_retries: args.dlr_retries,
        slow_delivery_ms: args.slow_delivery,
        max_connections: usize::try_from(args.max_connections).unwrap_or(usize::MAX),
        max_connections_per_ip: usize::try_from(args.max_connections_per_ip).unwrap_or(usize::MAX),
        drain_timeout: std::time::Duration::from_millis(u64::try_from(args.drain_timeout).unwrap_or(0)),
        log_requests: !ctx.out.quiet,
        allow_internal_webhooks: args.allow_internal_webhooks,
    })
}
