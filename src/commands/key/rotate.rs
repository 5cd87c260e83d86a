//! `smsctl key rotate`: a new secret now, the previous one valid until its grace ends.
//! At most two secrets are valid at once; rotating again during a grace needs `--force`.

use serde::Serialize;

use super::{KeyView, SecretDelivery, announce_secret, deliver_secret, expose_if_shown, quiet_secret, secrets_table};
use crate::cli::KeyRotateArgs;
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::output::{Human, Report};
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
    #[serde(serialize_with = "expose_if_shown")]
    secret: (Secret, SecretDelivery),
    secret_delivery: SecretDelivery,
    #[serde(serialize_with = "crate::time::iso_opt")]
    previous_valid_until: Option<Millis>,
    /// A previous secret existed and its validity ended at once.
    previous_ended: bool,
}

impl Report for Rotated {
    fn human(&self, out: &mut Human) {
        out.line(format!("Rotated key {} ({}).", self.key.name, self.key.id));
        match self.previous_valid_until {
            Some(t) => out.line(format!("The previous secret stays valid until {}.", time::format(t))),
            None if self.previous_ended => out.line("The previous secret stopped working now (--grace 0)."),
            None => out.line("There was no previous valid secret."),
        }
        out.blank();
        announce_secret(out, &self.secret, &self.key.id);
        out.blank();
        if let Some(secrets) = &self.key.secrets {
            secrets_table(out, secrets);
        }
    }
    fn quiet(&self) -> Option<String> {
        Some(quiet_secret(&self.secret, &self.key.id))
    }
}

pub fn exec(ctx: &Ctx, args: KeyRotateArgs) -> Result<()> {
    let grace = time::parse_duration(&args.grace)?;
    let keyring = super::keyring_for_saving(args.save_secret)?;
    let secret = Secret::generate();
    let mut store = ctx.store()?;
    // The new secret is delivered inside the transaction: a rotation whose secret reached
    // nobody would kill the key when the grace ends, so it is rolled back instead.
    let saved = store.write(|tx| {
        // The clock is read once the lock is held: a keyring prompt or a busy store must not
        // shorten the grace or make an ended grace look active.
        let now = time::now();
        let key = keys::find(tx, &args.key)?;
        if key.revoked_at.is_some() {
            return Err(Error::rejected(format!("key '{}' is revoked", key.name)).hint("revocation is final; create a new key instead"));
        }
        let before_state = keys::state_snapshot(tx, &key)?;
        let before = keys::live_secrets(tx, &key.id, now)?;
        let plan = plan(&key.name, &before, now, grace, args.force)?;
        for (id, until) in &plan.end {
            keys::set_secret_valid_until(tx, *id, *until)?;
        }
        // Secrets whose grace ended long ago authenticate nothing and no longer help explain a
        // refusal ("grace ended"); the trail keeps their history.
        keys::prune_ended_secrets(tx, &key.id, now - PRUNE_AFTER)?;
        keys::insert_secret(tx, &key.id, &secret, now)?;
        let after = keys::live_secrets(tx, &key.id, now)?;
        let after_state = keys::state_snapshot(tx, &key)?;
        ctx.audit(tx, now, "key.rotate", Some(&key.id), Some(before_state), Some(after_state))?;
        let previous_valid_until = after
            .iter()
            .find(|s| s.state(now) == SecretState::Grace)
            .and_then(|s| s.valid_until);
        let previous_ended = previous_valid_until.is_none() && before.iter().any(|s| s.state(now) == SecretState::Current);
        let (delivery, saved) = deliver_secret(ctx, keyring.as_ref(), &key.id, &secret);
        ctx.out.deliver(&Rotated {
            key: KeyView::new(&key, Some(&after), now),
            secret: (secret, delivery),
            secret_delivery: delivery,
            previous_valid_until,
            previous_ended,
        })?;
        Ok(saved)
    })?;
    if let Some(s) = saved {
        s.keep();
    }
    Ok(())
}

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
