//! `smsctl key rotate`: a new secret now, the previous one valid until its grace ends.
//! At most two secrets are valid at once; rotating again during a grace needs `--force`.

use serde::Serialize;

use super::{KeyView, SecretSink, announce_secret_and_secrets, deliver_secret, secrets_table};
use crate::cli::KeyRotateArgs;
use crate::context::Ctx;
use crate::error::Result;
use crate::keys::IssuedSecret;
use crate::keys::rotation;
use crate::output::{Human, Report};
use crate::store::audit;
use crate::store::keys;
use crate::time::{self, Millis, UnixMillis};
use crate::token::Secret;

#[derive(Serialize)]
struct Rotated {
    #[serde(flatten)]
    key: KeyView,
    #[serde(flatten)]
    secret: IssuedSecret,
    #[serde(serialize_with = "crate::time::iso_opt")]
    previous_valid_until: Option<UnixMillis>,
    /// A previous secret existed and its validity ended at once.
    previous_ended: bool,
    /// `--retire-when-quiet`: the previous secret ends once unused for this long.
    #[serde(skip_serializing_if = "Option::is_none")]
    retire_when_quiet: Option<String>,
}

impl Report for Rotated {
    fn human(&self, out: &mut Human) {
        out.line(format!("Rotated key {} ({}).", self.key.name, self.key.id));
        match self.previous_valid_until {
            Some(t) => out.line(format!("The previous secret stays valid until {}.", time::format(t))),
            None if self.previous_ended => out.line("The previous secret stopped working now (--grace 0)."),
            None => out.line("There was no previous valid secret."),
        }
        if let (Some(q), Some(_)) = (&self.retire_when_quiet, self.previous_valid_until) {
            out.line(format!(
                "It retires earlier, by itself, once unused for {q} (checked at each smsctl write and by the gateway)."
            ));
        }
        announce_secret_and_secrets(out, &self.secret, &self.key);
    }
    fn quiet(&self) -> Option<String> {
        Some(self.secret.quiet(&self.key.id))
    }
}

/// The result of `key rotate --finish`: the grace secrets that ended now.
#[derive(Serialize)]
struct Finished {
    #[serde(flatten)]
    key: KeyView,
    /// The secrets whose grace ended (last four characters).
    ended: Vec<String>,
}

impl Report for Finished {
    fn human(&self, out: &mut Human) {
        out.line(format!(
            "Finished the rotation of key {} ({}): previous secret {} no longer works.",
            self.key.name,
            self.key.id,
            self.ended.iter().map(|l| format!("…{l}")).collect::<Vec<_>>().join(", ")
        ));
        if let Some(secrets) = &self.key.secrets {
            out.blank();
            secrets_table(out, secrets);
        }
    }
    fn quiet(&self) -> Option<String> {
        Some(self.key.id.clone())
    }
}

pub(super) fn exec(ctx: &Ctx, args: KeyRotateArgs) -> Result<()> {
    if args.finish {
        return finish(ctx, &args.key);
    }
    let grace = args.grace.as_deref().map_or(Ok(rotation::DEFAULT_GRACE), time::parse_duration)?;
    let quiet = args.retire_when_quiet.as_deref().map(time::parse_duration).transpose()?;
    rotation::check_retire_when_quiet(grace, quiet)?;
    let sink = SecretSink::new(ctx, args.save_secret, args.secret_file.as_deref())?;
    let mut store = ctx.store()?;
    if grace == Millis::ZERO {
        // Ending the only working secret at once is an outage for every client not yet moved.
        let key = keys::find(store.conn(), &args.key)?;
        if key.settings.production && key.revoked_at.is_none() {
            ctx.confirm_typed(
                &format!("rotating production key '{}' with --grace 0", key.name),
                &format!(
                    "Every client of production key '{}' using its current secret fails from now on.",
                    key.name
                ),
                &key.name,
                "pass --yes to rotate with --grace 0 without a prompt",
            )?;
        }
    }
    let secret = Secret::generate();
    // The new secret is delivered inside the transaction: a rotation whose secret reached
    // nobody would kill the key when the grace ends, so it is rolled back instead.
    let saved = store.write(|tx| {
        // The clock is read once the lock is held: a keyring prompt or a busy store must not
        // shorten the grace or make an ended grace look active.
        let now = ctx.clock.now();
        let key = keys::find(tx, &args.key)?;
        crate::keys::ensure_mutable(&key)?;
        let before_state = keys::state_snapshot(tx, &key)?;
        let before = keys::live_secrets(tx, &key.id, now)?;
        let plan = rotation::plan(&key.name, &before, now, grace, quiet, args.force)?;
        keys::apply_rotation(tx, &key.id, &plan)?;
        keys::insert_secret(tx, &key.id, &secret, now)?;
        let after = keys::live_secrets(tx, &key.id, now)?;
        let after_state = keys::state_snapshot(tx, &key)?;
        ctx.audit(
            tx,
            now,
            audit::Action::KeyRotate,
            Some(&key.id),
            Some(before_state),
            Some(after_state),
        )?;
        let rotation::Previous {
            previous_valid_until,
            previous_ended,
        } = rotation::previous(&before, &after, now);
        let (secret, saved) = deliver_secret(ctx, &sink, &key.id, secret)?;
        ctx.out.deliver(&Rotated {
            key: KeyView::new(&key, Some(&after), now),
            secret,
            previous_valid_until,
            previous_ended,
            retire_when_quiet: args.retire_when_quiet.clone().filter(|_| previous_valid_until.is_some()),
        })?;
        Ok(saved)
    })?;
    if let Some(s) = saved {
        s.keep();
    }
    Ok(())
}

/// `key rotate KEY --finish`: ends the grace of the previous secret now; issues nothing.
fn finish(ctx: &Ctx, key_ref: &str) -> Result<()> {
    let mut store = ctx.store()?;
    let done = store.write(|tx| {
        let now = ctx.clock.now();
        let key = keys::find(tx, key_ref)?;
        crate::keys::ensure_mutable(&key)?;
        let live = keys::live_secrets(tx, &key.id, now)?;
        let grace = rotation::finish(&key.name, &live, now)?;
        let before = keys::state_snapshot(tx, &key)?;
        for s in &grace {
            keys::set_secret_valid_until(tx, s.id, now)?;
        }
        let after = keys::state_snapshot(tx, &key)?;
        ctx.audit(tx, now, audit::Action::KeyRotateFinish, Some(&key.id), Some(before), Some(after))?;
        let recent: Vec<String> = grace
            .iter()
            .filter(|s| rotation::recently_used(s, now))
            .map(|s| {
                format!(
                    "…{} (last used {} ago)",
                    s.last4,
                    time::humanize(now - s.last_used_at.unwrap_or(now))
                )
            })
            .collect();
        let ended = grace.iter().map(|s| s.last4.clone()).collect();
        let after = keys::live_secrets(tx, &key.id, now)?;
        Ok((
            Finished {
                key: KeyView::new(&key, Some(&after), now),
                ended,
            },
            recent,
        ))
    })?;
    if !done.1.is_empty() {
        ctx.out.warn(&format!(
            "the ended secret was in use within the last hour: {}; clients still using it now get 401",
            done.1.join(", ")
        ));
    }
    ctx.out.emit(&done.0)
}
