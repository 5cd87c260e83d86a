//! `smsctl key rotate`: a new secret now, the previous one valid until its grace ends.
//! At most two secrets are valid at once; rotating again during a grace needs `--force`.

use serde::Serialize;

use super::{KeyView, SecretSink, announce_secret, deliver_secret, secrets_table};
use crate::cli::KeyRotateArgs;
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::keys::IssuedSecret;
use crate::output::{Human, Report};
use crate::store::audit;
use crate::store::keys::{self, SecretRow, SecretState};
use crate::time::{self, Millis};
use crate::token::Secret;

/// What rotation does to the existing secrets.
#[derive(Debug, PartialEq, Eq)]
pub struct Plan {
    /// Secrets whose validity ends at the given time.
    pub end: Vec<(i64, Millis)>,
}

/// Decides the rotation from the key's live secrets; pure so it can be tested without a store.
pub fn plan(key_name: &str, live: &[SecretRow], now: Millis, grace: Millis, force: bool) -> Result<Plan> {
    let mut end = Vec::new();
    for s in live {
        match s.state(now) {
            SecretState::Grace if !force => {
                return Err(Error::conflict(format!(
                    "key '{key_name}' already has a previous secret (…{}) in grace until {}",
                    s.last4,
                    time::format_opt(s.valid_until)
                ))
                .hint("wait for that grace to end, or pass --force to end it now and rotate"));
            }
            SecretState::Grace => end.push((s.id, now)),
            SecretState::Current => end.push((s.id, now + grace)),
            SecretState::Ended => {}
        }
    }
    Ok(Plan { end })
}

/// How long a rotated-out secret's row is kept after its grace ends.
const PRUNE_AFTER: Millis = 30 * 86_400_000;

#[derive(Serialize)]
struct Rotated {
    #[serde(flatten)]
    key: KeyView,
    #[serde(flatten)]
    secret: IssuedSecret,
    #[serde(serialize_with = "crate::time::iso_opt")]
    previous_valid_until: Option<Millis>,
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
        out.blank();
        announce_secret(out, &self.secret, &self.key.id);
        out.blank();
        if let Some(secrets) = &self.key.secrets {
            secrets_table(out, secrets);
        }
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

pub fn exec(ctx: &Ctx, args: KeyRotateArgs) -> Result<()> {
    if args.finish {
        return finish(ctx, &args.key);
    }
    let grace = time::parse_duration(args.grace.as_deref().unwrap_or("24h"))?;
    let quiet = args
        .retire_when_quiet
        .as_deref()
        .map(|q| {
            let ms = time::parse_duration(q)?;
            if ms <= 0 {
                return Err(Error::usage("--retire-when-quiet must be longer than 0")
                    .hint("give how long the old secret must go unused, e.g. --retire-when-quiet 1h; for now use --grace 0"));
            }
            Ok(ms)
        })
        .transpose()?;
    if quiet.is_some() && grace == 0 {
        return Err(Error::usage("--retire-when-quiet needs a grace period, but --grace is 0")
            .hint("drop --grace 0 (the default grace is 24h), or drop --retire-when-quiet"));
    }
    let sink = SecretSink::new(args.save_secret, args.secret_file.as_deref())?;
    let mut store = ctx.store()?;
    if grace == 0 {
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
        let plan = plan(&key.name, &before, now, grace, args.force)?;
        for (id, until) in &plan.end {
            keys::set_secret_valid_until(tx, *id, *until)?;
            if *until > now {
                keys::set_retire_when_quiet(tx, *id, quiet)?;
            }
        }
        // Secrets whose grace ended long ago authenticate nothing and no longer help explain a
        // refusal ("grace ended"); the trail keeps their history.
        keys::prune_ended_secrets(tx, &key.id, now - PRUNE_AFTER)?;
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
        let previous_valid_until = after
            .iter()
            .find(|s| s.state(now) == SecretState::Grace)
            .and_then(|s| s.valid_until);
        let previous_ended = previous_valid_until.is_none() && before.iter().any(|s| s.state(now) == SecretState::Current);
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
        let grace: Vec<_> = live.iter().filter(|s| s.state(now) == SecretState::Grace).collect();
        if grace.is_empty() {
            return Err(Error::conflict(format!(
                "key '{}' has no previous secret in grace; there is no rotation to finish",
                key.name
            ))
            .hint(format!("start one with `smsctl key rotate {}`", key.name)));
        }
        let before = keys::state_snapshot(tx, &key)?;
        for s in &grace {
            keys::set_secret_valid_until(tx, s.id, now)?;
        }
        let after = keys::state_snapshot(tx, &key)?;
        ctx.audit(tx, now, audit::Action::KeyRotateFinish, Some(&key.id), Some(before), Some(after))?;
        let recent: Vec<String> = grace
            .iter()
            .filter(|s| s.last_used_at.is_some_and(|t| now - t < RECENTLY_USED))
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

/// A use this recent makes `--finish` warn that a client may not have moved yet.
const RECENTLY_USED: Millis = 3_600_000;

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: i64, valid_until: Option<Millis>) -> SecretRow {
        SecretRow {
            id,
            key_id: "key_x".into(),
            last4: "abcd".into(),
            created_at: 0,
            valid_until,
            last_used_at: None,
            retire_when_quiet: None,
        }
    }

    #[test]
    fn current_secret_gets_the_grace() {
        let p = plan("k", &[row(1, None)], 1000, 500, false).unwrap();
        assert_eq!(p.end, vec![(1, 1500)]);
    }

    #[test]
    fn zero_grace_ends_now() {
        let p = plan("k", &[row(1, None)], 1000, 0, false).unwrap();
        assert_eq!(p.end, vec![(1, 1000)]);
    }

    #[test]
    fn rotating_during_grace_is_a_conflict_unless_forced() {
        let live = [row(2, None), row(1, Some(2000))];
        let err = plan("k", &live, 1000, 500, false).unwrap_err();
        assert_eq!(err.exit_code(), 4);
        let p = plan("k", &live, 1000, 500, true).unwrap();
        assert_eq!(p.end, vec![(2, 1500), (1, 1000)]);
    }

    #[test]
    fn ended_secrets_do_not_block() {
        let p = plan("k", &[row(2, None), row(1, Some(900))], 1000, 500, false).unwrap();
        assert_eq!(p.end, vec![(2, 1500)]);
    }
}
