//! Cost of one key-policy evaluation, as the gateway and `send` make it per request.

use divan::{Bencher, black_box};
use smsctl::policy::{self, Attempt, LimitState, Policy, Scope};
use smsctl::time::UnixMillis;

fn main() {
    divan::main();
}

/// 2026-12-01T10:00:00Z.
const NOW: UnixMillis = UnixMillis::from_i64(1_796_119_200_000);

/// Every rule set: scopes, senders, destinations, parts, window, rate and quota.
fn full() -> Policy {
    Policy {
        owner: Some("growth".into()),
        scopes: Some([Scope::Send, Scope::Status].into()),
        allow_senders: vec!["ACME".into(), "ACME-OPS".into(), "Shop24".into()],
        allow_to: vec!["+372".into(), "+371".into(), "+370".into(), "+358".into()],
        deny_to: vec!["+3729".into(), "+1900".into()],
        max_parts: Some(3),
        rate: Some("50/s,burst=100".parse().unwrap()),
        quota: Some("100000/month".parse().unwrap()),
        purpose: Some(policy::Purpose::Marketing),
        send_window: Some("08:00-21:00@Europe/Tallinn".parse().unwrap()),
        ..Policy::default()
    }
}

fn attempt() -> Attempt<'static> {
    Attempt {
        operation: Scope::Send,
        sender: Some("Shop24"),
        to: Some("+37255512345"),
        parts: Some(2),
        now: NOW,
    }
}

#[divan::bench]
fn no_policy(bencher: Bencher) {
    let p = Policy::default();
    bencher.bench(|| policy::evaluate(black_box(&p), black_box(&attempt()), Some(&LimitState::default())));
}

/// What the gateway evaluates before recording (rate and quota are decided by the recorder).
#[divan::bench]
fn full_policy_stateless_rules(bencher: Bencher) {
    let p = full();
    bencher.bench(|| policy::evaluate(black_box(&p), black_box(&attempt()), None));
}

/// What `send --dry-run` evaluates: every rule including rate and quota.
#[divan::bench]
fn full_policy_with_limits(bencher: Bencher) {
    let p = full();
    let state = LimitState {
        parts_today: 40,
        parts_this_month: 900,
        ..LimitState::default()
    };
    bencher.bench(|| policy::evaluate(black_box(&p), black_box(&attempt()), Some(black_box(&state))));
}

/// The recorder's part: the token bucket and the quota.
#[divan::bench]
fn check_limits_only(bencher: Bencher) {
    let p = full();
    let state = LimitState::default();
    bencher.bench(|| policy::check_limits(black_box(&p), 2, NOW, black_box(&state)));
}
