//! Rotation's rules: the state of a secret at a time, what a rotation ends and when, when a
//! secret in grace retires by itself (`--retire-when-quiet`), and what counts as a rotation in
//! progress. Plain functions over the key's secret rows; the store loads the rows and applies
//! what these functions decide, `key rotate` parses its flags and reports, and authentication
//! and `doctor` ask the same functions.

use serde::Serialize;

use crate::error::{Error, Result};
use crate::store::keys::{Key, SecretRow, Status};
use crate::time::{self, Millis, UnixMillis};

/// How long the previous secret stays valid when `--grace` is not given.
pub(crate) const DEFAULT_GRACE: Millis = Millis::hours(24);

/// How long a rotated-out secret's row is kept after its grace ends ([`Plan::prune_ended_before`]).
pub(crate) const PRUNE_AFTER: Millis = Millis::days(30);

/// A use this recent makes `key rotate --finish` warn that a client may not have moved yet.
pub(crate) const RECENTLY_USED: Millis = Millis::hours(1);

/// Where a secret stands at a given time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SecretState {
    /// The key's current secret: no end set.
    Current,
    /// Rotated out, still valid until its grace ends.
    Grace,
    /// Rotated out and its grace over (or ended at once): authenticates nothing.
    Ended,
}

impl SecretState {
    pub fn as_str(self) -> &'static str {
        match self {
            SecretState::Current => "current",
            SecretState::Grace => "grace",
            SecretState::Ended => "ended",
        }
    }
}

/// The state at `now` of a secret whose validity ends at `valid_until` (`None`: current).
pub(crate) fn state(valid_until: Option<UnixMillis>, now: UnixMillis) -> SecretState {
    match valid_until {
        None => SecretState::Current,
        Some(t) if t > now => SecretState::Grace,
        Some(_) => SecretState::Ended,
    }
}

/// The secrets of `secrets` in grace at `now`.
pub(crate) fn in_grace(secrets: &[SecretRow], now: UnixMillis) -> impl Iterator<Item = &SecretRow> {
    secrets.iter().filter(move |s| state(s.valid_until, now) == SecretState::Grace)
}

/// A rotation in progress, as `doctor` reports it (information, never a finding): the secrets
/// of an active key still in grace. A revoked or expired key authenticates nothing, so its
/// secrets rotate nowhere.
pub(crate) fn in_progress<'a>(key: &Key, secrets: &'a [SecretRow], now: UnixMillis) -> Vec<&'a SecretRow> {
    if key.status(now) != Status::Active {
        return Vec::new();
    }
    in_grace(secrets, now).collect()
}

/// The end a rotation gives one existing secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ending {
    pub secret_id: i64,
    pub valid_until: UnixMillis,
    /// When the secret enters a grace (ends later than now): its `--retire-when-quiet`, which
    /// replaces any it had. `None` for a secret that ends now.
    pub retire_when_quiet: Option<Option<Millis>>,
}

/// What rotation does to the existing secrets (the new one is inserted beside them).
#[derive(Debug, PartialEq, Eq)]
pub struct Plan {
    pub end: Vec<Ending>,
    /// Secrets whose validity ended before this are removed: they authenticate nothing and no
    /// longer help explain a refusal ("grace ended"); the audit trail keeps their history.
    pub prune_ended_before: UnixMillis,
}

/// The rotation of a key whose secrets valid at `now` are `live`: the current secret gets
/// `grace` (and `quiet`, its `--retire-when-quiet`); a previous secret still in grace is a
/// conflict (at most two valid secrets), unless `force`, which ends it now.
pub(crate) fn plan(key_name: &str, live: &[SecretRow], now: UnixMillis, grace: Millis, quiet: Option<Millis>, force: bool) -> Result<Plan> {
    let mut end = Vec::new();
    for s in live {
        let ending = |valid_until: UnixMillis| Ending {
            secret_id: s.id,
            valid_until,
            retire_when_quiet: (valid_until > now).then_some(quiet),
        };
        match state(s.valid_until, now) {
            SecretState::Grace if !force => {
                return Err(Error::conflict(format!(
                    "key '{key_name}' already has a previous secret (…{}) in grace until {}",
                    s.last4,
                    time::format_opt(s.valid_until)
                ))
                .hint("wait for that grace to end, or pass --force to end it now and rotate"));
            }
            SecretState::Grace => end.push(ending(now)),
            SecretState::Current => end.push(ending(now + grace)),
            SecretState::Ended => {}
        }
    }
    Ok(Plan {
        end,
        prune_ended_before: now - PRUNE_AFTER,
    })
}

/// `--retire-when-quiet` needs a positive span and a grace to shorten.
pub(crate) fn check_retire_when_quiet(grace: Millis, quiet: Option<Millis>) -> Result<()> {
    match quiet {
        Some(q) if q <= Millis::ZERO => Err(Error::usage("--retire-when-quiet must be longer than 0")
            .hint("give how long the old secret must go unused, e.g. --retire-when-quiet 1h; for now use --grace 0")),
        Some(_) if grace == Millis::ZERO => Err(Error::usage("--retire-when-quiet needs a grace period, but --grace is 0")
            .hint("drop --grace 0 (the default grace is 24h), or drop --retire-when-quiet")),
        _ => Ok(()),
    }
}

/// What a rotation did to the previous secret, from the secrets before and after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Previous {
    /// The previous secret is in grace until then.
    pub previous_valid_until: Option<UnixMillis>,
    /// A previous secret was current and its validity ended at once (`--grace 0`).
    pub previous_ended: bool,
}

pub(crate) fn previous(before: &[SecretRow], after: &[SecretRow], now: UnixMillis) -> Previous {
    let previous_valid_until = in_grace(after, now).next().and_then(|s| s.valid_until);
    Previous {
        previous_valid_until,
        previous_ended: previous_valid_until.is_none() && before.iter().any(|s| state(s.valid_until, now) == SecretState::Current),
    }
}

/// `key rotate --finish`: the secrets in grace, which end now; none is a conflict.
pub(crate) fn finish<'a>(key_name: &str, live: &'a [SecretRow], now: UnixMillis) -> Result<Vec<&'a SecretRow>> {
    let grace: Vec<_> = in_grace(live, now).collect();
    if grace.is_empty() {
        return Err(Error::conflict(format!(
            "key '{key_name}' has no previous secret in grace; there is no rotation to finish"
        ))
        .hint(format!("start one with `smsctl key rotate {key_name}`")));
    }
    Ok(grace)
}

/// Whether a secret was used so recently that ending it now likely cuts off a client.
pub(crate) fn recently_used(secret: &SecretRow, now: UnixMillis) -> bool {
    secret.last_used_at.is_some_and(|t| now - t < RECENTLY_USED)
}

/// A secret marked `--retire-when-quiet`, as the store reads it to decide on its retirement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct QuietCandidate {
    pub secret_id: i64,
    pub key_id: String,
    pub last4: String,
    pub valid_until: Option<UnixMillis>,
    pub retire_when_quiet: Millis,
    pub last_used_at: Option<UnixMillis>,
    /// When the rotation that put it in grace happened: the creation of the key's next secret
    /// (its own creation when there is none).
    pub rotated_at: UnixMillis,
}

/// Retire-when-quiet's rule: a secret in grace marked `--retire-when-quiet DUR` ends once it
/// has gone DUR without a successful authentication, measured from its last use or, when it
/// was not used since, from the rotation that put it in grace. `Some(quiet_since)` when due.
pub(crate) fn quiet_retirement(c: &QuietCandidate, now: UnixMillis) -> Option<UnixMillis> {
    if state(c.valid_until, now) != SecretState::Grace {
        return None;
    }
    let since = c.last_used_at.unwrap_or(UnixMillis::EPOCH).max(c.rotated_at);
    (since.saturating_add(c.retire_when_quiet) <= now).then_some(since)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(ms: i64) -> UnixMillis {
        UnixMillis::from_i64(ms)
    }

    fn ms(ms: i64) -> Millis {
        Millis::from_i64(ms)
    }

    fn row(id: i64, valid_until: Option<UnixMillis>) -> SecretRow {
        SecretRow {
            id,
            key_id: "key_x".into(),
            last4: "abcd".into(),
            created_at: UnixMillis::EPOCH,
            valid_until,
            last_used_at: None,
            retire_when_quiet: None,
        }
    }

    fn ends(p: &Plan) -> Vec<(i64, UnixMillis)> {
        p.end.iter().map(|e| (e.secret_id, e.valid_until)).collect()
    }

    #[test]
    fn a_secret_is_current_then_in_grace_then_ended() {
        assert_eq!(state(None, at(1000)), SecretState::Current);
        assert_eq!(state(Some(at(1001)), at(1000)), SecretState::Grace);
        // The end is exclusive: at `valid_until` the secret no longer works.
        assert_eq!(state(Some(at(1000)), at(1000)), SecretState::Ended);
        assert_eq!(state(Some(at(10)), at(1000)), SecretState::Ended);
        assert_eq!(SecretState::Grace.as_str(), "grace");
    }

    #[test]
    fn current_secret_gets_the_grace_and_the_quiet_rule() {
        let p = plan("k", &[row(1, None)], at(1000), ms(500), Some(ms(60)), false).unwrap();
        assert_eq!(ends(&p), vec![(1, at(1500))]);
        assert_eq!(p.end[0].retire_when_quiet, Some(Some(ms(60))));
        // Without --retire-when-quiet a secret entering grace has none (an old one is cleared).
        let p = plan("k", &[row(1, None)], at(1000), ms(500), None, false).unwrap();
        assert_eq!(p.end[0].retire_when_quiet, Some(None));
    }

    #[test]
    fn zero_grace_ends_now() {
        let p = plan("k", &[row(1, None)], at(1000), Millis::ZERO, None, false).unwrap();
        assert_eq!(ends(&p), vec![(1, at(1000))]);
        assert_eq!(p.prune_ended_before, at(1000) - PRUNE_AFTER);
        assert_eq!(p.end[0].retire_when_quiet, None);
    }

    #[test]
    fn rotating_during_grace_is_a_conflict_unless_forced() {
        let live = [row(2, None), row(1, Some(at(2000)))];
        let err = plan("k", &live, at(1000), ms(500), None, false).unwrap_err();
        assert_eq!(err.exit_code(), 4);
        assert!(err.message.contains("previous secret (…abcd) in grace"), "{}", err.message);
        assert!(err.hint.unwrap().contains("--force"));
        let p = plan("k", &live, at(1000), ms(500), Some(ms(60)), true).unwrap();
        assert_eq!(ends(&p), vec![(2, at(1500)), (1, at(1000))]);
        // The forced end leaves the older secret's marks alone.
        assert_eq!(p.end[1].retire_when_quiet, None);
    }

    #[test]
    fn ended_secrets_do_not_block() {
        let p = plan("k", &[row(2, None), row(1, Some(at(900)))], at(1000), ms(500), None, false).unwrap();
        assert_eq!(ends(&p), vec![(2, at(1500))]);
    }

    #[test]
    fn retire_when_quiet_needs_a_span_and_a_grace() {
        assert!(check_retire_when_quiet(Millis::ZERO, None).is_ok());
        assert!(check_retire_when_quiet(ms(500), Some(ms(60))).is_ok());
        let err = check_retire_when_quiet(ms(500), Some(Millis::ZERO)).unwrap_err();
        assert_eq!(
            (err.exit_code(), err.message.as_str()),
            (2, "--retire-when-quiet must be longer than 0")
        );
        let err = check_retire_when_quiet(Millis::ZERO, Some(ms(60))).unwrap_err();
        assert!(err.message.contains("needs a grace period"));
    }

    #[test]
    fn the_outcome_says_what_happened_to_the_previous_secret() {
        let before = [row(1, None)];
        let graced = [row(2, None), row(1, Some(at(1500)))];
        assert_eq!(
            previous(&before, &graced, at(1000)),
            Previous {
                previous_valid_until: Some(at(1500)),
                previous_ended: false
            }
        );
        let ended = [row(2, None)];
        assert!(previous(&before, &ended, at(1000)).previous_ended);
        // A first secret (key without a valid one) hands nothing over.
        assert_eq!(
            previous(&[], &ended, at(1000)),
            Previous {
                previous_valid_until: None,
                previous_ended: false
            }
        );
    }

    #[test]
    fn finishing_needs_a_secret_in_grace() {
        let live = [row(2, None), row(1, Some(at(2000)))];
        let ids: Vec<i64> = finish("k", &live, at(1000)).unwrap().iter().map(|s| s.id).collect();
        assert_eq!(ids, vec![1]);
        let err = finish("k", &live[..1], at(1000)).unwrap_err();
        assert_eq!(err.exit_code(), 4);
        assert!(err.hint.unwrap().contains("smsctl key rotate k"));
    }

    #[test]
    fn recent_use_is_within_the_hour() {
        let now = at(4_000_000);
        let mut s = row(1, Some(at(5_000_000)));
        assert!(!recently_used(&s, now));
        s.last_used_at = Some(now - RECENTLY_USED + ms(1));
        assert!(recently_used(&s, now));
        s.last_used_at = Some(now - RECENTLY_USED);
        assert!(!recently_used(&s, now));
    }

    #[test]
    fn only_an_active_keys_grace_is_a_rotation_in_progress() {
        let mut key = crate::keyfile::fields::blank_key("key_test0001");
        let live = [row(2, None), row(1, Some(at(2000)))];
        assert_eq!(in_progress(&key, &live, at(1000)).len(), 1);
        assert!(in_progress(&key, &live[..1], at(1000)).is_empty());
        key.expires_at = Some(at(1000));
        assert!(in_progress(&key, &live, at(1000)).is_empty());
        key.expires_at = None;
        key.revoked_at = Some(at(900));
        assert!(in_progress(&key, &live, at(1000)).is_empty());
    }

    #[test]
    fn a_quiet_secret_retires_after_its_span_from_last_use_or_rotation() {
        let c = QuietCandidate {
            secret_id: 1,
            key_id: "key_x".into(),
            last4: "abcd".into(),
            valid_until: Some(at(10_000)),
            retire_when_quiet: ms(100),
            last_used_at: None,
            rotated_at: at(1000),
        };
        assert_eq!(quiet_retirement(&c, at(1099)), None);
        assert_eq!(quiet_retirement(&c, at(1100)), Some(at(1000)));
        // A use after the rotation restarts the span.
        let used = QuietCandidate {
            last_used_at: Some(at(1050)),
            ..c.clone()
        };
        assert_eq!(quiet_retirement(&used, at(1100)), None);
        assert_eq!(quiet_retirement(&used, at(1150)), Some(at(1050)));
        // A use before the rotation does not count.
        let old_use = QuietCandidate {
            last_used_at: Some(at(500)),
            ..c.clone()
        };
        assert_eq!(quiet_retirement(&old_use, at(1100)), Some(at(1000)));
        // Once the grace is over there is nothing to retire.
        assert_eq!(quiet_retirement(&c, at(10_000)), None);
        let huge = QuietCandidate {
            retire_when_quiet: Millis::MAX,
            ..c
        };
        assert_eq!(quiet_retirement(&huge, at(9_999)), None);
    }
}
