//! The gateway's key-policy hook (issue 15): after authentication it counts refusals and trips
//! canaries; before recording it applies the key's policy. Rate and quota are decided by the
//! recorder, in the transaction that records the message ([`super::recorder`]).

use std::net::IpAddr;
use std::time::Duration;

use super::recorder::RecorderHandle;
use crate::omni::ApiError;
use crate::policy::{self, Attempt, Violation};
use crate::store::Store;
use crate::store::keys::{self, Key};
use crate::time::UnixMillis;

/// The 401 every canary attempt gets: the same words as an unknown key, so nothing tells.
pub(super) const CANARY_DETAIL: &str = "no active key has this key id and secret";

/// The key id under which refusals for ids that do not exist are counted.
pub(crate) const UNKNOWN_ID: &str = "(unknown)";

/// What authentication decided, as the hook sees it.
pub(super) enum AuthSeen<'a> {
    Accepted(&'a Key),
    /// `claimed`: the username when shaped like a key id; `reason`: `auth::Reason` as a string.
    Refused {
        claimed: Option<&'a str>,
        reason: Option<&'a str>,
    },
}

/// Counts refused authentications per claimed key id and address, and trips canaries. Returns
/// the error to answer instead when the request touched a canary key.
pub(super) fn after_auth(recorder: &RecorderHandle, store: &Store, peer: IpAddr, seen: AuthSeen<'_>, now: UnixMillis) -> Option<ApiError> {
    let ip = peer.to_string();
    match seen {
        AuthSeen::Accepted(key) if key.settings.policy.canary => {
            trip(recorder, key, ip, now);
            Some(ApiError::unauthorized(CANARY_DETAIL))
        }
        AuthSeen::Accepted(_) => None,
        AuthSeen::Refused { claimed, reason } => {
            let reason = known_reason(reason?)?;
            let claimed = claimed.unwrap_or("(invalid)");
            let key = crate::token::looks_like_key_id(claimed)
                .then(|| keys::find_by_id(store.conn(), claimed).ok().flatten())
                .flatten();
            if let Some(key) = key.as_ref().filter(|k| k.settings.policy.canary) {
                // The request keeps its own refusal (a malformed secret's says so), so the
                // answer cannot tell a canary id from any other.
                trip(recorder, key, ip, now);
                return None;
            }
            // `auth` says "unknown" for both; the key id existing tells them apart. Ids that
            // do not exist are counted under one name per address, so random ids cannot grow
            // the table without bound.
            let (claimed, reason) = match (reason, &key) {
                ("unknown", Some(_)) => (claimed, "wrong_secret"),
                (_, None) => (UNKNOWN_ID, if reason == "unknown" { "unknown_id" } else { reason }),
                (r, _) => (claimed, r),
            };
            recorder.auth_failure(claimed, ip, reason, now);
            None
        }
    }
}

fn known_reason(note: &str) -> Option<&'static str> {
    ["malformed", "unknown", "revoked", "expired", "grace_ended", "ip_not_allowed"]
        .into_iter()
        .find(|r| *r == note)
}

/// Whether this (key, address, UTC day) has tripped before in this process: the alarm is
/// raised once, so knowing a canary's id does not let anyone flood the trail or the alert URL.
fn first_trip(key_id: &str, ip: &str, now: UnixMillis) -> bool {
    static SEEN: std::sync::Mutex<Option<std::collections::HashSet<(String, String, String)>>> = std::sync::Mutex::new(None);
    let mut seen = SEEN.lock().unwrap_or_else(|e| e.into_inner());
    let day = crate::policy::utc_day(now);
    let set = seen.get_or_insert_with(Default::default);
    set.retain(|(_, _, d)| *d == day);
    set.insert((key_id.to_owned(), ip.to_owned(), day))
}

fn trip(recorder: &RecorderHandle, key: &Key, ip: String, now: UnixMillis) {
    if !first_trip(&key.id, &ip, now) {
        recorder.auth_failure(&key.id, ip, "canary", now);
        return;
    }
    eprintln!("smsctl gateway: CANARY key '{}' ({}) was tried from {ip}", key.name, key.id);
    recorder.canary_trip(&key.id, ip.clone(), now);
    let Some(url) = key.settings.policy.alert_url.clone() else {
        return;
    };
    let body = serde_json::json!({
        "event": "canary_tripped",
        "key_id": key.id,
        "key_name": key.name,
        "ip": ip,
        "at": crate::time::format(now),
    });
    // Off the request path: the attacker's 401 must not wait for (or reveal) the alert.
    let _ = std::thread::Builder::new().name("canary-alert".into()).spawn(move || {
        let loopback = url::Url::parse(&url).is_ok_and(|u| crate::settings::is_loopback_url(&u));
        let agent = crate::omni::client::agent(Duration::from_secs(10), loopback);
        match crate::omni::client::post_json(&agent, &url, None, &body) {
            Ok(resp) if (200..300).contains(&resp.status) => {}
            Ok(resp) => eprintln!("smsctl gateway: canary alert to {url} answered HTTP {}", resp.status),
            Err(e) => eprintln!("smsctl gateway: canary alert to {url} failed: {}", e.message),
        }
    });
}

/// The key's stateless rules for this attempt; the refusal as the provider's error shape.
pub(super) fn check(key: &Key, attempt: &Attempt<'_>) -> Result<(), ApiError> {
    match policy::evaluate(&key.settings.policy, attempt, None).violation {
        Some(v) => Err(refusal(&v)),
        None => Ok(()),
    }
}

pub(super) fn refusal(v: &Violation) -> ApiError {
    ApiError::policy(v.status, v.detail.clone(), v.source, v.retry_after)
}
