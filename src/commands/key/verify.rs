//! `smsctl key verify`: checks a secret read from stdin exactly as the API would.

use std::net::IpAddr;

use serde::Serialize;

use crate::auth::{self, Reason};
use crate::cli::KeyVerifyArgs;
use crate::commands::secret_input::{self, Stdin};
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::keys::rotation::{self, SecretState};
use crate::output::{Human, Report, iso_opt};
use crate::store::keys::{self, KeyName, printable};
use crate::time::UnixMillis;

#[derive(Serialize)]
struct Verdict {
    valid: bool,
    reason: Reason,
    detail: String,
    key: Option<KeyName>,
    secret: Option<SecretInfo>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ip: Option<IpInfo>,
}

#[derive(Serialize)]
struct SecretInfo {
    last4: String,
    state: SecretState,
    #[serde(serialize_with = "iso_opt")]
    valid_until: Option<UnixMillis>,
}

#[derive(Serialize)]
struct IpInfo {
    address: String,
    allowed: bool,
    matched: Option<String>,
}

impl Report for Verdict {
    fn human(&self, out: &mut Human) {
        let head = if self.valid { "valid" } else { "INVALID" };
        out.line(format!("{head} ({}): {}", self.reason.as_str(), self.detail));
    }
    fn quiet(&self) -> Option<String> {
        Some(self.reason.as_str().to_owned())
    }
}

pub(super) fn exec(ctx: &Ctx, args: KeyVerifyArgs) -> Result<()> {
    let peer: Option<IpAddr> = args
        .ip
        .as_deref()
        .map(|s| {
            s.trim()
                .parse()
                .map_err(|_| Error::usage(format!("invalid --ip '{}'", printable(s))).hint("give one IPv4 or IPv6 address"))
        })
        .transpose()?;
    let now = ctx.clock.now();
    let mut store = ctx.store_for_reading()?;
    // With --key the secret must belong to that key, and the key's keyring entry is a source.
    let key = args.key.as_deref().map(|k| keys::find(store.conn(), k)).transpose()?;
    let stdin = if args.secret_stdin { Stdin::Required } else { Stdin::IfPiped };
    let (secret, _) = secret_input::obtain(ctx, stdin, key.as_ref(), "smsctl key verify")?;
    let outcome = auth::check(store.conn(), key.as_ref().map(|k| k.id.as_str()), &secret, peer, now)?;
    // A recorded check counts as a use (it shows the secret is deployed somewhere); it never
    // clears the last known address. `--no-record` changes nothing at all.
    if outcome.reason == Reason::Ok && !args.no_record {
        if let Some(secret) = &outcome.secret {
            let ip = peer.map(|p| p.to_canonical().to_string());
            store.write(|tx| keys::touch_last_used(tx, secret, now, ip.as_deref()))?;
        }
    }
    let verdict = Verdict {
        valid: outcome.reason == Reason::Ok,
        reason: outcome.reason,
        detail: outcome.detail.clone(),
        key: outcome.key.as_deref().map(KeyName::from),
        secret: outcome.secret.as_ref().map(|s| SecretInfo {
            last4: s.last4.clone(),
            state: rotation::state(s.valid_until, now),
            valid_until: s.valid_until,
        }),
        ip: peer.map(|p| IpInfo {
            address: p.to_string(),
            allowed: outcome.matched.is_some(),
            matched: outcome.matched.map(|n| n.to_string()),
        }),
    };
    ctx.out.emit(&verdict)?;
    if verdict.valid {
        Ok(())
    } else {
        Err(Error::rejected(format!("secret rejected ({}): {}", outcome.reason.as_str(), outcome.detail)).reason(outcome.reason.as_str()))
    }
}
