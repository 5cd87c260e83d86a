//! Reading a received omnimessage: the gateway's field-by-field validation of a
//! `POST /omnimessage` body (or one item of `POST /omnimessages`) into a [`SendRequest`]. It
//! reads the JSON tree rather than deserializing into [`super::Omnimessage`], so that every bad
//! field gets its own error, named as the provider names it (`source` as
//! `payload[sms][sender]`, titles and string codes "101"-"107"), and so that relay mode can
//! forward what the client sent, fields this sandbox does not know included.

use serde_json::Value;

use super::{ApiError, Channel};
use crate::resolve::DlrChoice;
use crate::settings;
use crate::store::keys::printable;
use crate::text::AutoConvert;
use crate::time::{Millis, UnixMillis};

pub(crate) const TO: &str = "payload[to]";
pub(crate) const MESSAGES: &str = "payload[messages]";
pub(crate) const SENDER: &str = "payload[sms][sender]";
pub(crate) const TEXT: &str = "payload[sms][text]";
pub(crate) const AUTOCONVERT: &str = "payload[sms][autoconvert]";
pub(crate) const VALIDITY: &str = "payload[sms][validity]";
pub(crate) const TTL: &str = "payload[sms][ttl]";
pub(crate) const UDH: &str = "payload[sms][udh]";
pub(crate) const DLR_URL: &str = "payload[dlr_url]";
pub(crate) const TIME_TO_SEND: &str = "payload[time_to_send]";
pub(crate) const PRIORITY: &str = "payload[priority]";
pub(crate) const TEXT_STORE: &str = "payload[text_store]";

pub(crate) const PRIORITIES: [&str; 3] = ["low", "regular", "high"];
pub(crate) const TEXT_STORES: [&str; 3] = ["nostore", "plaintext", "sha256"];
/// Longest `validity` (minutes) and `ttl` (seconds) accepted: 30 days.
const MAX_VALIDITY_MINUTES: i64 = 30 * 24 * 60;

/// One entry of `messages`, in the order given (the fallback order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Entry {
    pub channel: Channel,
    pub sender: Option<String>,
}

/// A validated `POST /omnimessage` body. `None` / `DlrChoice::Unset` = not given, filled from the key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SendRequest {
    pub to: String,
    /// Every entry of `messages`; `entries[sms]` is the SMS one.
    pub entries: Vec<Entry>,
    pub sms: usize,
    pub sender: Option<String>,
    pub text: String,
    pub autoconvert: Option<AutoConvert>,
    pub dlr: DlrChoice,
    /// From `validity` (minutes) or `ttl` (seconds), in milliseconds.
    pub validity: Option<Millis>,
    /// Hex, as given (lowercased).
    pub udh: Option<String>,
    pub priority: &'static str,
    pub text_store: &'static str,
    pub time_to_send: Option<UnixMillis>,
}

/// Parses and validates a send request. `dlr_url: ""` asks for no report (what `send --no-dlr-url` sends).
#[cfg(test)]
pub(crate) fn parse_send(body: &[u8]) -> Result<SendRequest, ApiError> {
    parse_omnimessage(&parse_json(body)?)
}

/// Parses a `POST /omnimessages` body into its items, each to be checked as a single send.
pub(crate) fn parse_bulk(body: &[u8]) -> Result<Vec<Value>, ApiError> {
    let Value::Object(mut payload) = parse_json(body)? else {
        return Err(ApiError::invalid("payload", "the request body must be a JSON object"));
    };
    match payload.remove("messages") {
        None | Some(Value::Null) => Err(ApiError::missing(MESSAGES, "'messages' is required: a list of omnimessages")),
        Some(Value::Array(list)) if list.is_empty() => {
            Err(ApiError::missing(MESSAGES, "'messages' is empty: give at least one omnimessage"))
        }
        Some(Value::Array(list)) => Ok(list),
        Some(_) => Err(ApiError::invalid(MESSAGES, "'messages' must be a list of omnimessages")),
    }
}

/// The body as JSON, or the 400 every endpoint gives for one that is not.
pub(crate) fn parse_json(body: &[u8]) -> Result<Value, ApiError> {
    serde_json::from_slice(body).map_err(|e| ApiError::invalid("payload", format!("the request body is not valid JSON: {e}")))
}

/// Validates one omnimessage (a single send's body, or one item of a bulk send).
pub(crate) fn parse_omnimessage(payload: &Value) -> Result<SendRequest, ApiError> {
    let Value::Object(payload) = payload else {
        return Err(ApiError::invalid("payload", "the omnimessage must be a JSON object"));
    };
    let to = match payload.get("to") {
        None | Some(Value::Null) => return Err(ApiError::missing(TO, "'to' is required: the recipient in E.164 format")),
        Some(Value::String(to)) => settings::normalize_e164(to).map_err(|e| ApiError::invalid(TO, e.message))?,
        Some(_) => return Err(ApiError::invalid(TO, "'to' must be a string")),
    };
    let list = match payload.get("messages") {
        None | Some(Value::Null) => return Err(ApiError::missing(MESSAGES, "'messages' is required: a list with an sms message")),
        Some(Value::Array(list)) if list.is_empty() => {
            return Err(ApiError::missing(MESSAGES, "'messages' is empty: give an sms message"));
        }
        Some(Value::Array(list)) => list,
        Some(_) => return Err(ApiError::invalid(MESSAGES, "'messages' must be a list")),
    };
    let mut entries = Vec::with_capacity(list.len());
    let mut sms = None;
    for (i, item) in list.iter().enumerate() {
        let Value::Object(m) = item else {
            return Err(ApiError::invalid(
                &format!("payload[messages][{i}]"),
                "each message must be a JSON object",
            ));
        };
        let source = format!("payload[messages][{i}][channel]");
        let channel = match m.get("channel") {
            // The official clients always send it; "sms" is the SMS model's default.
            None | Some(Value::Null) => Channel::Sms,
            Some(Value::String(c)) => Channel::named(c).ok_or_else(|| {
                ApiError::invalid(
                    &source,
                    format!("unknown channel '{}': expected sms, viber, whatsapp or rcs", printable(c)),
                )
            })?,
            Some(_) => return Err(ApiError::invalid(&source, "'channel' must be a string")),
        };
        if channel == Channel::Sms {
            if sms.is_some() {
                return Err(ApiError::invalid(
                    &source,
                    "more than one sms entry: an omnimessage has one message per channel",
                ));
            }
            sms = Some((i, m));
            entries.push(Entry { channel, sender: None });
            continue;
        }
        let sender = match m.get("sender") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
            Some(_) => {
                return Err(ApiError::invalid(
                    &format!("payload[messages][{i}][sender]"),
                    "'sender' must be a non-empty string",
                ));
            }
        };
        // The spec's rule holds for every channel, not only SMS.
        if m.get("validity").is_some_and(|v| !v.is_null()) && m.get("ttl").is_some_and(|v| !v.is_null()) {
            return Err(ApiError::invalid(
                &format!("payload[messages][{i}][ttl]"),
                "'validity' and 'ttl' are mutually exclusive: give one",
            ));
        }
        entries.push(Entry { channel, sender });
    }
    let Some((sms, message)) = sms else {
        return Err(ApiError::invalid(
            MESSAGES,
            "no sms entry: the sandbox delivers only over SMS; add {\"channel\": \"sms\", ...} as the fallback",
        ));
    };
    let text = match message.get("text") {
        None | Some(Value::Null) => return Err(ApiError::missing(TEXT, "'text' is required")),
        Some(Value::String(t)) if t.is_empty() => return Err(ApiError::missing(TEXT, "'text' is empty")),
        Some(Value::String(t)) => t.clone(),
        Some(_) => return Err(ApiError::invalid(TEXT, "'text' must be a string")),
    };
    let sender = match message.get("sender") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(settings::validate_sender(s).map_err(|e| ApiError::invalid(SENDER, e.message))?),
        Some(_) => return Err(ApiError::invalid(SENDER, "'sender' must be a string")),
    };
    entries[sms].sender.clone_from(&sender);
    let autoconvert = match message.get("autoconvert") {
        None | Some(Value::Null) => None,
        Some(Value::Bool(true)) => Some(AutoConvert::On),
        Some(Value::Bool(false)) => Some(AutoConvert::Off),
        Some(Value::String(s)) => Some(s.parse::<AutoConvert>().map_err(|_| {
            ApiError::invalid(
                AUTOCONVERT,
                format!("invalid autoconvert '{}': expected off, on, full, true or false", printable(s)),
            )
        })?),
        Some(_) => return Err(ApiError::invalid(AUTOCONVERT, "'autoconvert' must be a string or a boolean")),
    };
    let validity_minutes = positive(message.get("validity"), VALIDITY, "validity", MAX_VALIDITY_MINUTES)?;
    let ttl_seconds = positive(message.get("ttl"), TTL, "ttl", MAX_VALIDITY_MINUTES * 60)?;
    let validity = match (validity_minutes, ttl_seconds) {
        (Some(_), Some(_)) => {
            return Err(ApiError::invalid(
                TTL,
                "'validity' and 'ttl' are mutually exclusive: give one (validity in minutes or ttl in seconds)",
            ));
        }
        (Some(minutes), None) => Some(Millis::minutes(minutes)),
        (None, Some(seconds)) => Some(Millis::from_secs(seconds)),
        (None, None) => None,
    };
    let udh = match message.get("udh") {
        None | Some(Value::Null) => None,
        Some(Value::String(h)) => Some(validate_udh(h)?),
        Some(_) => return Err(ApiError::invalid(UDH, "'udh' must be a hex string")),
    };
    let dlr = match payload.get("dlr_url") {
        None | Some(Value::Null) => DlrChoice::Unset,
        Some(Value::String(u)) if u.is_empty() => DlrChoice::Disabled,
        Some(Value::String(u)) => DlrChoice::Url(settings::validate_dlr_url(u).map_err(|e| ApiError::invalid(DLR_URL, e.message))?),
        Some(_) => return Err(ApiError::invalid(DLR_URL, "'dlr_url' must be a string")),
    };
    let priority = one_of(payload.get("priority"), PRIORITY, "priority", &PRIORITIES)?.unwrap_or("regular");
    let text_store = one_of(payload.get("text_store"), TEXT_STORE, "text_store", &TEXT_STORES)?.unwrap_or("plaintext");
    let time_to_send = match payload.get("time_to_send") {
        None | Some(Value::Null) => None,
        Some(Value::String(t)) => Some(parse_time_to_send(t)?),
        Some(_) => return Err(ApiError::invalid(TIME_TO_SEND, "'time_to_send' must be an ISO-8601 string")),
    };
    Ok(SendRequest {
        to,
        entries,
        sms,
        sender,
        text,
        autoconvert,
        dlr,
        validity,
        udh,
        priority,
        text_store,
        time_to_send,
    })
}

/// A positive whole number no larger than `max`, or absent.
fn positive(value: Option<&Value>, source: &str, name: &str, max: i64) -> Result<Option<i64>, ApiError> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => match n.as_i64() {
            Some(v) if (1..=max).contains(&v) => Ok(Some(v)),
            _ => Err(ApiError::invalid(
                source,
                format!("'{name}' must be a whole number from 1 to {max}, not {n}"),
            )),
        },
        Some(_) => Err(ApiError::invalid(source, format!("'{name}' must be a whole number"))),
    }
}

/// One of `allowed` (the spec's enum), or absent.
fn one_of(value: Option<&Value>, source: &str, name: &str, allowed: &[&'static str]) -> Result<Option<&'static str>, ApiError> {
    let expected = allowed.join(", ");
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => allowed
            .iter()
            .copied()
            .find(|a| a == s)
            .map(Some)
            .ok_or_else(|| ApiError::invalid(source, format!("invalid {name} '{}': expected one of {expected}", printable(s)))),
        Some(_) => Err(ApiError::invalid(source, format!("'{name}' must be a string: one of {expected}"))),
    }
}

/// A User Data Header: non-empty, an even number of hex digits, at most 140 bytes, whose first
/// byte (UDHL) counts the bytes after it.
fn validate_udh(hex: &str) -> Result<String, ApiError> {
    let bad = |why: &str| ApiError::invalid(UDH, format!("invalid udh '{}': {why}", printable(hex)));
    if hex.is_empty() || hex.len() % 2 != 0 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(bad("expected an even number of hex digits"));
    }
    let bytes = hex.len() / 2;
    if bytes > 140 {
        return Err(bad("longer than the 140 bytes of one SMS"));
    }
    let udhl = u8::from_str_radix(&hex[..2], 16).map_err(|_| bad("expected hex digits"))?;
    if usize::from(udhl) != bytes - 1 {
        return Err(bad(&format!(
            "its first byte (UDHL) says {udhl} byte(s) follow, but {} do",
            bytes - 1
        )));
    }
    Ok(hex.to_ascii_lowercase())
}

/// ISO-8601; without an offset the time is UTC (the spec's rule).
pub(crate) fn parse_time_to_send(text: &str) -> Result<UnixMillis, ApiError> {
    let instant = text.parse::<jiff::Timestamp>().or_else(|_| {
        text.parse::<jiff::civil::DateTime>()
            .and_then(|dt| dt.to_zoned(jiff::tz::TimeZone::UTC))
            .map(|z| z.timestamp())
    });
    instant.map(UnixMillis::from_timestamp).map_err(|_| {
        ApiError::invalid(
            TIME_TO_SEND,
            format!(
                "invalid time_to_send '{}': expected ISO-8601, e.g. 2026-06-22T09:05:07Z, 2026-06-22T09:05:07+03:00 or 2026-06-22T09:05 (UTC)",
                printable(text)
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn send(v: Value) -> Result<SendRequest, ApiError> {
        parse_send(v.to_string().as_bytes())
    }

    fn fails(v: Value, source: &str, code: &str) -> ApiError {
        let e = send(v.clone()).expect_err(&v.to_string());
        assert_eq!((e.status, e.source.as_deref(), e.code), (400, Some(source), code), "{v}: {e:?}");
        e
    }

    fn sms(extra: Value) -> Value {
        let mut m = serde_json::json!({"channel": "sms", "text": "hi"});
        if let (Value::Object(m), Value::Object(extra)) = (&mut m, extra) {
            m.extend(extra);
        }
        serde_json::json!({"to": "+3725551234", "messages": [m]})
    }

    #[test]
    fn minimal_and_full_requests() {
        let r = send(sms(serde_json::json!({}))).unwrap();
        assert_eq!(
            r,
            SendRequest {
                to: "+3725551234".into(),
                entries: vec![Entry {
                    channel: Channel::Sms,
                    sender: None
                }],
                sms: 0,
                sender: None,
                text: "hi".into(),
                autoconvert: None,
                dlr: DlrChoice::Unset,
                validity: None,
                udh: None,
                priority: "regular",
                text_store: "plaintext",
                time_to_send: None,
            }
        );
        let mut v = sms(serde_json::json!({"sender": "ACME", "autoconvert": "full"}));
        v["dlr_url"] = "http://127.0.0.1:9/dlr".into();
        let r = send(v).unwrap();
        assert_eq!(r.sender.as_deref(), Some("ACME"));
        assert_eq!(r.autoconvert, Some(AutoConvert::Full));
        assert_eq!(r.dlr, DlrChoice::Url("http://127.0.0.1:9/dlr".into()));
        let mut v = sms(serde_json::json!({}));
        v["dlr_url"] = "".into();
        assert_eq!(send(v).unwrap().dlr, DlrChoice::Disabled);
        // The official clients omit the channel only when it is the default.
        let v = serde_json::json!({"to": "+3725551234", "messages": [{"text": "hi"}]});
        assert!(send(v).is_ok());
    }

    #[test]
    fn autoconvert_spellings() {
        for (given, want) in [
            (serde_json::json!("off"), AutoConvert::Off),
            (serde_json::json!("on"), AutoConvert::On),
            (serde_json::json!("full"), AutoConvert::Full),
            (serde_json::json!("true"), AutoConvert::On),
            (serde_json::json!("false"), AutoConvert::Off),
            (serde_json::json!(true), AutoConvert::On),
            (serde_json::json!(false), AutoConvert::Off),
        ] {
            let r = send(sms(serde_json::json!({ "autoconvert": given }))).unwrap();
            assert_eq!(r.autoconvert, Some(want));
        }
        fails(sms(serde_json::json!({"autoconvert": "sometimes"})), AUTOCONVERT, "105");
        fails(sms(serde_json::json!({"autoconvert": 1})), AUTOCONVERT, "105");
    }

    #[test]
    fn every_field_is_named_when_wrong() {
        use serde_json::json;
        fails(json!([1]), "payload", "105");
        fails(json!({"messages": [{"text": "x"}]}), TO, "106");
        fails(json!({"to": 3725551234u64, "messages": [{"text": "x"}]}), TO, "105");
        for bad in ["3725551234", "+0725551234", "+372", "+3725551234567890", "+37255x1234", ""] {
            fails(json!({"to": bad, "messages": [{"text": "x"}]}), TO, "105");
        }
        fails(json!({"to": "+3725551234"}), MESSAGES, "106");
        fails(json!({"to": "+3725551234", "messages": []}), MESSAGES, "106");
        fails(json!({"to": "+3725551234", "messages": {}}), MESSAGES, "105");
        fails(
            json!({"to": "+3725551234", "messages": [{"text": "a"}, {"text": "b"}]}),
            "payload[messages][1][channel]",
            "105",
        );
        fails(json!({"to": "+3725551234", "messages": ["x"]}), "payload[messages][0]", "105");
        let e = fails(sms(json!({"channel": "telegram"})), "payload[messages][0][channel]", "105");
        assert!(e.detail.contains("telegram"));
        let e = fails(
            json!({"to": "+3725551234", "messages": [{"channel": "viber", "text": "x"}]}),
            MESSAGES,
            "105",
        );
        assert!(e.detail.contains("no sms entry"), "{}", e.detail);
        fails(sms(json!({"text": ""})), TEXT, "106");
        fails(json!({"to": "+3725551234", "messages": [{"channel": "sms"}]}), TEXT, "106");
        fails(sms(json!({"text": 5})), TEXT, "105");
        let e = fails(sms(json!({"sender": "TwelveChars!"})), SENDER, "105");
        assert!(e.detail.contains("invalid sender"), "{}", e.detail);
        fails(sms(json!({"sender": 7})), SENDER, "105");
        let mut v = sms(json!({}));
        v["dlr_url"] = "http://example.com/dlr".into();
        fails(v, DLR_URL, "105");
        let e = send(Value::Null).unwrap_err();
        assert_eq!(e.source.as_deref(), Some("payload"));
        let e = parse_send(b"{not json").unwrap_err();
        assert_eq!((e.status, e.title, e.code), (400, "Invalid data", "105"));
    }

    #[test]
    fn fallback_entries_keep_their_order() {
        use serde_json::json;
        let v = json!({"to": "+3725551234", "messages": [
            {"channel": "viber", "sender": "Shop Viber", "text": "v"},
            {"channel": "whatsapp", "text": "w"},
            {"channel": "sms", "text": "s", "sender": "ACME"}]});
        let r = send(v).unwrap();
        let channels: Vec<&str> = r.entries.iter().map(|e| e.channel.as_str()).collect();
        assert_eq!((channels, r.sms), (vec!["viber", "whatsapp", "sms"], 2));
        assert_eq!(r.entries[0].sender.as_deref(), Some("Shop Viber"));
        assert_eq!(r.entries[2].sender.as_deref(), Some("ACME"));
        fails(
            json!({"to": "+3725551234", "messages": [{"channel": "viber", "sender": 5}, {"text": "s"}]}),
            "payload[messages][0][sender]",
            "105",
        );
        fails(
            json!({"to": "+3725551234", "messages": [{"channel": "viber", "validity": 1, "ttl": 60}, {"text": "s"}]}),
            "payload[messages][0][ttl]",
            "105",
        );
    }

    #[test]
    fn validity_ttl_priority_text_store_udh_time_to_send() {
        use serde_json::json;
        assert_eq!(send(sms(json!({"validity": 2}))).unwrap().validity, Some(Millis::minutes(2)));
        assert_eq!(send(sms(json!({"ttl": 30}))).unwrap().validity, Some(Millis::from_secs(30)));
        let e = fails(sms(json!({"validity": 2, "ttl": 30})), TTL, "105");
        assert!(e.detail.contains("mutually exclusive"), "{}", e.detail);
        for bad in [json!(0), json!(-1), json!(1.5), json!("5"), json!(43_201)] {
            fails(sms(json!({ "validity": bad })), VALIDITY, "105");
        }
        fails(sms(json!({"ttl": 0})), TTL, "105");
        assert_eq!(
            send(sms(json!({"udh": "050003CC0201"}))).unwrap().udh.as_deref(),
            Some("050003cc0201")
        );
        for bad in ["", "0", "zz", "050003cc02", "0500"] {
            fails(sms(json!({ "udh": bad })), UDH, "105");
        }
        fails(sms(json!({"udh": 5})), UDH, "105");
        let mut v = sms(json!({}));
        for p in PRIORITIES {
            v["priority"] = p.into();
            assert_eq!(send(v.clone()).unwrap().priority, p);
        }
        v["priority"] = "urgent".into();
        fails(v.clone(), PRIORITY, "105");
        v["priority"] = Value::Null;
        for t in TEXT_STORES {
            v["text_store"] = t.into();
            assert_eq!(send(v.clone()).unwrap().text_store, t);
        }
        v["text_store"] = "md5".into();
        fails(v.clone(), TEXT_STORE, "105");
        v["text_store"] = Value::Null;
        for (given, want) in [
            ("2026-06-22T09:05:07Z", "2026-06-22T09:05:07Z"),
            ("2026-06-22T09:05:07+00:00", "2026-06-22T09:05:07Z"),
            ("2026-06-22T12:05:07+03:00", "2026-06-22T09:05:07Z"),
            ("2026-06-22T09:05", "2026-06-22T09:05:00Z"),
            ("2026-06-22T09:05:07.250", "2026-06-22T09:05:07Z"),
        ] {
            v["time_to_send"] = given.into();
            let at = send(v.clone()).unwrap().time_to_send.unwrap();
            assert_eq!(crate::time::format(at), want, "{given}");
        }
        for bad in ["tomorrow", "2026-13-01T00:00", "", "2026-06-22 09:05:07 PST"] {
            v["time_to_send"] = bad.into();
            fails(v.clone(), TIME_TO_SEND, "105");
        }
        v["time_to_send"] = 5.into();
        fails(v, TIME_TO_SEND, "105");
    }

    #[test]
    fn bulk_bodies() {
        use serde_json::json;
        let items = parse_bulk(json!({"messages": [sms(json!({})), {"to": "x"}]}).to_string().as_bytes()).unwrap();
        assert_eq!(items.len(), 2);
        for (body, code) in [
            (json!({}), "106"),
            (json!({"messages": []}), "106"),
            (json!({"messages": {}}), "105"),
            (json!([]), "105"),
        ] {
            let e = parse_bulk(body.to_string().as_bytes()).unwrap_err();
            assert_eq!(e.code, code, "{body}");
        }
    }
}
