//! `smsctl gateway serve`: runs the local Omnimessage-compatible sandbox on this store.

use crate::cli::{GatewayCommand, GatewayServeArgs};
use crate::context::Ctx;
use crate::error::Result;
use std::time::Duration;

use crate::gateway::{self, Config, relay};

pub fn dispatch(ctx: &Ctx, cmd: GatewayCommand) -> Result<()> {
    match cmd {
        GatewayCommand::Serve(args) => serve(ctx, args),
    }
}

fn serve(ctx: &Ctx, args: GatewayServeArgs) -> Result<()> {
    // Checked before anything is served: a bad URL or a missing credential fails at once.
    let relay = match &args.upstream {
        Some(url) => {
            let upstream = relay::validate_upstream(url)?;
            let (credential, source) = crate::upstream::load(&ctx.env, &*ctx.keyring)?;
            Some(relay::Settings {
                upstream,
                public_url: args.public_url.clone(),
                credential,
                credential_source: source.as_str(),
                timeout: Duration::from_millis(args.upstream_timeout.max(1) as u64),
                breaker_threshold: args.breaker_threshold,
                breaker_cooldown: Duration::from_millis(args.breaker_cooldown.max(0) as u64),
            })
        }
        None => None,
    };
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
        ready_file: args.ready_file,
        relay,
    })
}
