//! `smsctl gateway serve`: runs the local Omnimessage-compatible sandbox on this store.

use crate::cli::{GatewayCommand, GatewayServeArgs};
use crate::context::Ctx;
use crate::error::Result;

use crate::gateway::{self, Config, relay};
use crate::store::StoreAt;
use crate::time::Millis;

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
                timeout: args.upstream_timeout.max(Millis::from_i64(1)).to_std(),
                breaker_threshold: args.breaker_threshold,
                breaker_cooldown: args.breaker_cooldown.to_std(),
            })
        }
        None => None,
    };
    gateway::serve(&Config {
        listen: args.listen,
        db: StoreAt {
            path: ctx.db_path()?,
            audit_keys: ctx.audit_keys.clone(),
        },
        dlr_retries: args.dlr_retries,
        slow_delivery: args.slow_delivery,
        max_connections: usize::try_from(args.max_connections).unwrap_or(usize::MAX),
        max_connections_per_ip: usize::try_from(args.max_connections_per_ip).unwrap_or(usize::MAX),
        drain_timeout: args.drain_timeout.to_std(),
        log_requests: !ctx.out.quiet,
        allow_internal_webhooks: args.allow_internal_webhooks,
        ready_file: args.ready_file,
        relay,
    })
}
