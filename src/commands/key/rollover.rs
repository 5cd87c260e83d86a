//! `smsctl key rollover`: during a rotation, who still uses the previous secret (client
//! addresses, last seen, message counts), so the operator can finish it when clients moved.

use serde::Serialize;

use super::secrets_table;
use crate::cli::KeyRef;
use crate::commands::usage::{AddressUsageView, views};
use crate::context::Ctx;
use crate::error::Result;
use crate::keys::rotation::{self, SecretState};
use crate::output::{Human, Report, iso_opt};
use crate::store::keys::{self, KeyName};
use crate::store::usage;
use crate::time::{self, Millis, UnixMillis};

#[derive(Serialize)]
struct Rollover {
    key: KeyName,
    /// The current secret's last four characters (`null` when the key has no valid secret).
    current: Option<CurrentSecret>,
    /// Secrets in grace: who still uses them.
    previous: Vec<PreviousSecret>,
    #[serde(skip)]
    table: Vec<super::SecretView>,
}

#[derive(Serialize)]
struct CurrentSecret {
    last4: String,
    messages: i64,
    #[serde(serialize_with = "iso_opt")]
    last_used_at: Option<UnixMillis>,
}

#[derive(Serialize)]
struct PreviousSecret {
    last4: String,
    #[serde(serialize_with = "iso_opt")]
    valid_until: Option<UnixMillis>,
    /// `--retire-when-quiet`, in milliseconds.
    retire_when_quiet_ms: Option<Millis>,
    /// Last successful authentication, API traffic or a recorded `key verify`.
    #[serde(serialize_with = "iso_opt")]
    last_used_at: Option<UnixMillis>,
    /// Accepted messages by client address (gateway traffic only), most recent first.
    addresses: Vec<AddressUsageView>,
    messages: i64,
}

impl Report for Rollover {
    fn human(&self, out: &mut Human) {
        if self.previous.is_empty() {
            out.line(format!(
                "Key {} ({}) has no previous secret in grace: no rotation in progress.",
                self.key.name, self.key.id
            ));
            return;
        }
        if let Some(c) = &self.current {
            out.line(format!(
                "Key {} ({}): current secret …{}: {} message(s), last used {}.",
                self.key.name,
                self.key.id,
                c.last4,
                c.messages,
                c.last_used_at.map_or_else(|| "never".to_owned(), time::format)
            ));
        }
        for p in &self.previous {
            out.blank();
            let quiet = p
                .retire_when_quiet_ms
                .map(|q| format!("; retires by itself once unused for {}", time::humanize(q)))
                .unwrap_or_default();
            out.line(format!(
                "Previous secret …{} (in grace until {}{quiet}): last used {}.",
                p.last4,
                time::format_opt(p.valid_until),
                p.last_used_at.map_or_else(|| "never".to_owned(), time::format)
            ));
            if p.addresses.is_empty() {
                out.line("  No API traffic with it was recorded.");
            } else {
                out.table(
                    &["address", "messages", "parts", "last seen"],
                    p.addresses
                        .iter()
                        .map(|a| vec![a.ip.clone(), a.messages.to_string(), a.parts.to_string(), time::format(a.last_at)]),
                );
            }
        }
        out.blank();
        secrets_table(out, &self.table);
        out.blank();
        out.line(format!(
            "When no client uses the previous secret any more: smsctl key rotate {} --finish",
            self.key.name
        ));
    }
    fn quiet(&self) -> Option<String> {
        // One address per line: the clients still on a previous secret.
        let mut ips: Vec<&str> = self
            .previous
            .iter()
            .flat_map(|p| p.addresses.iter().map(|a| a.ip.as_str()))
            .collect();
        ips.sort_unstable();
        ips.dedup();
        (!ips.is_empty()).then(|| ips.join("\n"))
    }
}

pub(super) fn exec(ctx: &Ctx, args: KeyRef) -> Result<()> {
    let now = ctx.clock.now();
    let store = ctx.store_for_reading()?;
    let conn = store.conn();
    let key = keys::find(conn, &args.key)?;
    let live = keys::live_secrets(conn, &key.id, now)?;
    let per_secret = usage::by_secret(conn, &key.id, None)?;
    let messages_of = |id: i64| per_secret.iter().find(|u| u.secret_id == id).map_or(0, |u| u.messages);
    let mut previous = Vec::new();
    let mut current = None;
    for s in &live {
        match rotation::state(s.valid_until, now) {
            SecretState::Current => {
                current = Some(CurrentSecret {
                    last4: s.last4.clone(),
                    messages: messages_of(s.id),
                    last_used_at: s.last_used_at,
                })
            }
            SecretState::Grace => previous.push(PreviousSecret {
                last4: s.last4.clone(),
                valid_until: s.valid_until,
                retire_when_quiet_ms: s.retire_when_quiet,
                last_used_at: s.last_used_at,
                addresses: views(usage::addresses_of_secret(conn, s.id)?),
                messages: messages_of(s.id),
            }),
            SecretState::Ended => {}
        }
    }
    let view = super::KeyView::new(&key, Some(&live), now);
    ctx.out.emit(&Rollover {
        key: KeyName::from(&key),
        current,
        previous,
        table: view.secrets.unwrap_or_default(),
    })
}
