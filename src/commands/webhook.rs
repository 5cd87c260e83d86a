//! `smsctl webhook test` / `verify`: a receiver of delivery reports can be tested without the
//! gateway. `test` POSTs a signed sample report, signed exactly as the gateway signs;
//! `verify` checks an `X-Messente-Signature` against a body read from stdin.

use std::io::Read;
use std::time::Duration;

use serde::Serialize;

use crate::auth::{self, Reason};
use crate::cli::{WebhookCommand, WebhookTestArgs, WebhookVerifyArgs};
use crate::commands::secret_input::{self, Stdin};
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::gateway::lifecycle;
use crate::omni::{Channel, DeliveryReport};
use crate::output::{Human, Report};
use crate::settings;
use crate::store::keys::{self, Key, printable};
use crate::token::Secret;

/// Bodies larger than this are not reports.
const MAX_BODY: u64 = 1024 * 1024;
const TIMEOUT: Duration = Duration::from_secs(10);

pub fn dispatch(ctx: &Ctx, cmd: WebhookCommand) -> Result<()> {
    match cmd {
        WebhookCommand::Test(args) => test(ctx, args),
        WebhookCommand::Verify(args) => verify(ctx, args),
    }
}

#[derive(Serialize)]
struct Tested {
    url: String,
    http_status: u16,
    delivered: bool,
    signature: String,
    body: serde_json::Value,
}

impl Report for Tested {
    fn human(&self, out: &mut Human) {
        out.line(format!(
            "Sent a signed {} report to {}: HTTP {} ({}).",
            self.body["status"].as_str().unwrap_or("?"),
            self.url,
            self.http_status,
            if self.delivered { "delivered" } else { "not delivered" }
        ));
        out.line(format!("  X-Messente-Signature: {}", self.signature));
    }
}

/// The `err` the gateway reports with each status.
fn err_for(status: &str) -> i64 {
    match status {
        "UNDELIV" => 1,
        "EXPIRED" => 2,
        "REJECTD" => 7,
        "FAILED" => 9,
        _ => 0,
    }
}

fn test(ctx: &Ctx, args: WebhookTestArgs) -> Result<()> {
    let url = settings::validate_dlr_url(&args.url)?;
    let store = ctx.store_for_reading()?;
    let key = keys::find(store.conn(), &args.key)?;
    let stdin = if args.secret_stdin { Stdin::Required } else { Stdin::Unused };
    let (raw, origin) = secret_input::obtain(ctx, stdin, Some(&key), "smsctl webhook test URL --key KEY --secret-stdin")?;
    // Only a secret that authenticates as the key signs: a sample signed with anything else
    // would teach the receiver the wrong secret.
    let outcome = auth::check(store.conn(), Some(&key.id), raw.trim(), None, ctx.clock.now())?;
    if outcome.reason != Reason::Ok {
        return Err(Error::rejected(format!(
            "the secret from {origin} is not a valid secret of key '{}': {}",
            key.name, outcome.detail
        ))
        .hint("use the key's current secret (see `smsctl key verify`)"));
    }
    let (omnimessage_id, message_id) = (crate::gateway::new_id(), crate::gateway::new_id());
    let err = err_for(&args.status);
    let body = serde_json::to_string(&DeliveryReport {
        status: &args.status,
        sender: key.settings.sender.as_deref().unwrap_or("smsctl"),
        err,
        message_id: &message_id,
        to: "+447700900000",
        channel: Channel::Sms,
        error: lifecycle::error_text(err),
        omnimessage_id: &omnimessage_id,
        timestamp: lifecycle::timestamp(ctx.clock.now()),
    })?;
    let signature = lifecycle::sign(raw.trim().as_bytes(), body.as_bytes());
    drop(raw);
    let parsed = url::Url::parse(&url).map_err(|e| Error::usage(format!("invalid webhook URL: {e}")))?;
    let agent = crate::omni::client::agent(TIMEOUT, settings::is_loopback_url(&parsed));
    let headers = [
        ("Content-Type", "application/json"),
        (crate::gateway::SIGNATURE_HEADER, signature.as_str()),
    ];
    let response = crate::omni::client::post_bytes(&agent, &url, &headers, body.as_bytes())?;
    // The provider's rule, and the gateway's: 200-399 is delivered.
    let delivered = (200..400).contains(&response.status);
    let report = Tested {
        url: url.clone(),
        http_status: response.status,
        delivered,
        signature,
        body: serde_json::from_str(&body)?,
    };
    ctx.out.emit(&report)?;
    if delivered {
        Ok(())
    } else {
        Err(
            Error::network(format!("the webhook {url} answered HTTP {}: not delivered", response.status))
                .hint("a receiver must answer 200-399 for the provider to count the report as delivered"),
        )
    }
}

#[derive(Serialize)]
struct Verified {
    /// The key's name (kept for scripts; `key_name` is the same, by docs/precedence.md's rule).
    key: String,
    key_id: String,
    key_name: String,
    valid: bool,
    bytes: usize,
}

impl Report for Verified {
    fn human(&self, out: &mut Human) {
        out.line(format!(
            "valid: the signature matches the {}-byte body for key '{}'",
            self.bytes, self.key
        ));
    }
}

fn verify(ctx: &Ctx, args: WebhookVerifyArgs) -> Result<()> {
    let signature = args.signature.trim();
    if signature.len() != 64 || !signature.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(Error::usage(format!(
            "invalid --signature '{}': expected 64 hex digits (HMAC-SHA256)",
            printable(signature)
        ))
        .hint("pass the X-Messente-Signature header's value as it arrived"));
    }
    let store = ctx.store_for_reading()?;
    let key = keys::find(store.conn(), &args.key)?;
    let secret = key_secret(ctx, &store, &key)?;
    let mut body = Vec::new();
    std::io::stdin()
        .lock()
        .take(MAX_BODY + 1)
        .read_to_end(&mut body)
        .map_err(|e| Error::usage(format!("cannot read the body from stdin: {e}")))?;
    if body.len() as u64 > MAX_BODY {
        return Err(Error::usage("the body on stdin is larger than 1 MiB: not a delivery report"));
    }
    if lifecycle::verify(secret.expose().as_bytes(), &body, signature) {
        return ctx.out.emit(&Verified {
            key: key.name.clone(),
            key_id: key.id,
            key_name: key.name,
            valid: true,
            bytes: body.len(),
        });
    }
    let mut err = Error::rejected(format!(
        "invalid: the signature does not match the {}-byte body for key '{}'",
        body.len(),
        key.name
    ));
    // The usual slip: `echo "$BODY"` adds a newline the signed body did not have.
    if body.ends_with(b"\n") && lifecycle::verify(secret.expose().as_bytes(), &body[..body.len() - 1], signature) {
        err = err.hint("it matches without the trailing newline: pipe the body with `printf %s \"$BODY\"`, not echo");
    } else {
        err = err.hint("check the body is byte for byte what arrived, and that the report was sent with this key");
    }
    Err(err)
}

/// The key's secret from `SMSCTL_KEY_SECRET` or the keyring (stdin carries the body). Any secret
/// the key has had is accepted, rotated-out ones too: reports it signed stay verifiable.
fn key_secret(ctx: &Ctx, store: &crate::store::Store, key: &Key) -> Result<Secret> {
    let (raw, origin) = secret_input::obtain(ctx, Stdin::Body, Some(key), "SMSCTL_KEY_SECRET=... smsctl webhook verify")?;
    let secret = Secret::parse(raw.trim()).map_err(|why| {
        Error::usage(format!("the secret from {origin} is malformed: it {why}")).hint("copy the whole secret, starting with smsk_")
    })?;
    if keys::find_secret(store.conn(), &secret.hash())?.is_none_or(|row| row.key_id != key.id) {
        return Err(
            Error::rejected(format!("the secret from {origin} is not a secret of key '{}'", key.name))
                .hint("set SMSCTL_KEY_SECRET to the secret of the key that sent the message"),
        );
    }
    Ok(secret)
}
