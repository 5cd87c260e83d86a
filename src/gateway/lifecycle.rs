//! The sandbox's delivery lifecycle: which status changes an accepted message goes through
//! (the fault-injection table, keyed by recipient; `gateway serve --help` prints it), when, what each report looks like on the
//! wire (the provider's flat webhook body, `omni::DeliveryReport`) and how it is signed (`X-Messente-Signature`).
//!
//! Everything here is a pure function of the accepted message, so the whole lifecycle is
//! planned, signed and stored when the message is accepted, while the request still holds
//! the secret; the store never needs key material to sign later.

use sha2::{Digest, Sha256};

use crate::time::{Millis, UnixMillis};

/// Validity used by the `EXPIRED` recipient when the message sets none.
pub(crate) const DEFAULT_EXPIRY: Millis = Millis::from_secs(10);

/// One planned status change of the SMS entry, `after` milliseconds past the send time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Step {
    pub status: &'static str,
    pub err: i64,
    pub after: Millis,
}

const fn step(status: &'static str, err: i64, after: Millis) -> Step {
    Step { status, err, after }
}

/// The SMS entry's status changes for recipient `to`. `validity`: how long the message may take
/// (from `validity`/`ttl`); `slow`: the `--slow-delivery` delay.
pub(crate) fn plan(to: &str, validity: Option<Millis>, slow: Millis) -> Vec<Step> {
    let ack = step("ACK", 0, Millis::ZERO);
    let mut steps = match to {
        "+447700900001" => vec![ack, step("UNDELIV", 1, Millis::ZERO)],
        "+447700900002" => vec![ack, step("FAILED", 9, Millis::ZERO)],
        "+447700900003" => return vec![step("REJECTD", 7, Millis::ZERO)],
        "+447700900004" => return vec![ack, step("EXPIRED", 2, validity.unwrap_or(DEFAULT_EXPIRY))],
        "+447700900005" => vec![ack, step("DELIVRD", 0, slow)],
        "+447700900006" => vec![ack, step("DELIVRD", 0, Millis::ZERO), step("DELIVRD", 0, Millis::ZERO)],
        _ => vec![ack, step("DELIVRD", 0, Millis::ZERO)],
    };
    // A final status later than the validity allows never comes: the message expires instead.
    if let Some(validity) = validity {
        if let Some(i) = steps.iter().position(|s| s.status != "ACK" && s.after > validity) {
            steps.truncate(i);
            steps.push(step("EXPIRED", 2, validity));
        }
    }
    steps
}

/// What a non-SMS entry (Viber, WhatsApp, RCS) gets: the sandbox has no route for it, so it is
/// reported not delivered and the next entry is tried.
pub(crate) const NO_ROUTE: Step = step("UNDELIV", 1, Millis::ZERO);

/// `error`'s text for an `err` code, as the spec lists them; `None` for 0 (no error).
pub(crate) fn error_text(err: i64) -> Option<&'static str> {
    Some(match err {
        0 => return None,
        1 => "Delivery failure",
        2 => "Sending message expired",
        3 => "Invalid number",
        4 => "Error crediting account",
        5 => "Invalid number format",
        6 => "Too many identical messages",
        7 => "Sender name not allowed",
        8 => "Operator blacklisted",
        9 => "Unroutable",
        10 => "Seen",
        _ => "General temporary error",
    })
}

/// Report timestamps with milliseconds, so ACK and the final status order by time too.
pub(crate) fn timestamp(at: UnixMillis) -> String {
    match at.to_timestamp() {
        Some(ts) => ts.strftime("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
        None => crate::time::format(at),
    }
}

/// `X-Messente-Signature`: HMAC-SHA256 keyed with the secret, over the raw body, lowercase hex.
pub(crate) fn sign(secret: &[u8], body: &[u8]) -> String {
    hex(&hmac_sha256(secret, body))
}

/// Whether `signature` (hex, either case, surrounding whitespace ignored) is `body`'s, in
/// constant time.
pub(crate) fn verify(secret: &[u8], body: &[u8], signature: &str) -> bool {
    use subtle::ConstantTimeEq;
    let expected = sign(secret, body);
    let given = signature.trim().to_ascii_lowercase();
    expected.as_bytes().ct_eq(given.as_bytes()).into()
}

fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    use hmac::{KeyInit, Mac};
    // HMAC takes keys of any length, so this cannot fail.
    let mut mac = <hmac::Hmac<Sha256> as KeyInit>::new_from_slice(key).unwrap_or_else(|_| unreachable!("HMAC accepts any key length"));
    mac.update(message);
    mac.finalize().into_bytes().into()
}

/// What `text_store: sha256` keeps of a text.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

use crate::token::hex;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_matches_rfc4231() {
        // RFC 4231 test cases 1, 2 and 6 (a key longer than the block).
        assert_eq!(
            sign(&[0x0b; 20], b"Hi There"),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
        );
        assert_eq!(
            sign(b"Jefe", b"what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        assert_eq!(
            sign(&[0xaa; 131], b"Test Using Larger Than Block-Size Key - Hash Key First"),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
    }

    #[test]
    fn verify_is_exact_but_case_insensitive() {
        let sig = sign(b"k", b"body");
        assert!(verify(b"k", b"body", &sig));
        assert!(verify(b"k", b"body", &sig.to_ascii_uppercase()));
        assert!(!verify(b"k", b"body ", &sig));
        assert!(!verify(b"K", b"body", &sig));
        assert!(!verify(b"k", b"body", &sig[..63]));
        assert!(!verify(b"k", b"body", ""));
    }

    #[test]
    fn fault_table_rows() {
        // Spans in milliseconds, as the table reads best.
        let statuses = |to: &str, validity: Option<i64>| -> Vec<(&str, i64, i64)> {
            plan(to, validity.map(Millis::from_i64), Millis::from_secs(30))
                .iter()
                .map(|s| (s.status, s.err, s.after.as_i64()))
                .collect()
        };
        assert_eq!(statuses("+447700900001", None), [("ACK", 0, 0), ("UNDELIV", 1, 0)]);
        assert_eq!(statuses("+447700900002", None), [("ACK", 0, 0), ("FAILED", 9, 0)]);
        assert_eq!(statuses("+447700900003", None), [("REJECTD", 7, 0)]);
        assert_eq!(statuses("+447700900004", None), [("ACK", 0, 0), ("EXPIRED", 2, 10_000)]);
        assert_eq!(statuses("+447700900004", Some(60_000)), [("ACK", 0, 0), ("EXPIRED", 2, 60_000)]);
        assert_eq!(statuses("+447700900005", None), [("ACK", 0, 0), ("DELIVRD", 0, 30_000)]);
        assert_eq!(
            statuses("+447700900006", None),
            [("ACK", 0, 0), ("DELIVRD", 0, 0), ("DELIVRD", 0, 0)]
        );
        assert_eq!(statuses("+3725551234", None), [("ACK", 0, 0), ("DELIVRD", 0, 0)]);
        // A slow delivery that outlasts its validity expires instead.
        assert_eq!(statuses("+447700900005", Some(5_000)), [("ACK", 0, 0), ("EXPIRED", 2, 5_000)]);
        assert_eq!(statuses("+447700900005", Some(60_000)), [("ACK", 0, 0), ("DELIVRD", 0, 30_000)]);
    }

    #[test]
    fn error_texts_follow_the_spec() {
        assert_eq!(error_text(0), None);
        assert_eq!(error_text(1), Some("Delivery failure"));
        assert_eq!(error_text(2), Some("Sending message expired"));
        assert_eq!(error_text(7), Some("Sender name not allowed"));
        assert_eq!(error_text(9), Some("Unroutable"));
        assert_eq!(error_text(999), Some("General temporary error"));
    }
}
