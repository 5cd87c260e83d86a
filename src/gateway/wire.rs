//! The Omnimessage wire format: parsing and validating a send request, and the JSON shapes of
//! successes, delivery reports and errors, spelled as Messente's Omnimessage API spells them
//! (error titles and string codes "101"-"107", `source` as `payload[sms][sender]`).

use serde::Serialize;
use serde_json::Value;

use crate::resolve::DlrChoice;
use crate::settings;
use crate::store::keys::printable;
use crate::text::AutoConvert;

/// One entry of `{"errors": [...]}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiError {
    #[serde(skip)]
    pub status: u16,
    pub title: &'static str,
    pub detail: String,
    pub code: &'static str,
    /// Which part of the payload is at fault; null outside 400s.
    pub source: Option<String>,
    /// Seconds for a `Retry-After` header (429).
    #[serde(skip)]
    pub retry_after: Option<u64>,
}

impl ApiError {
    fn new(status: u16, title: &'static str, code: &'static str, detail: impl Into<String>, source: Option<&str>) -> ApiError {
        ApiError {
            status,
            title,
            detail: detail.into(),
            code,
            source: source.map(str::to_owned),
            retry_after: None,
        }
    }
    pub fn not_found(detail: impl Into<String>) -> ApiError {
        Self::new(404, "Not found", "101", detail, None)
    }
    pub fn forbidden(detail: impl Into<String>) -> ApiError {
        Self::new(403, "Forbidden", "102", detail, None)
    }
    pub fn unauthorized(detail: impl Into<String>) -> ApiError {
        Self::new(401, "Unauthorized", "103", detail, None)
    }
    /// 500, and also 503 (too many connections): the Omnimessage titles have nothing closer.
    pub fn internal(status: u16, detail: impl Into<String>) -> ApiError {
        Self::new(status, "Internal Server Error", "104", detail, None)
    }
    pub fn invalid(source: &str, detail: impl Into<String>) -> ApiError {
        Self::new(400, "Invalid data", "105", detail, Some(source))
    }
    pub fn missing(source: &str, detail: impl Into<String>) -> ApiError {
        Self::new(400, "Missing data", "106", detail, Some(source))
    }
    pub fn method_not_allowed(detail: impl Into<String>) -> ApiError {
        Self::new(405, "Method not allowed", "107", detail, None)
    }
    /// A key-policy refusal: 403, or 429 with Retry-After. Title and code stay within the
    /// Omnimessage enums ("Forbidden", "102") so typed clients can still parse the body.
    pub fn policy(status: u16, detail: impl Into<String>, source: Option<&str>, retry_after: Option<u64>) -> ApiError {
        ApiError {
            retry_after,
            ..Self::new(status, "Forbidden", "102", detail, source)
        }
    }
    /// Protocol-level refusals (bad framing, 408, 413, 431): "Invalid data" of the whole payload.
    pub fn protocol(status: u16, detail: impl Into<String>) -> ApiError {
        Self::new(status, "Invalid data", "105", detail, Some("payload"))
    }

    /// `{"errors": [{"title", "detail", "code", "source"}]}`, fields in that order.
    pub fn body(&self) -> Vec<u8> {
        #[derive(Serialize)]
        struct Errors<'a> {
            errors: [&'a ApiError; 1],
        }
        serde_json::to_vec(&Errors { errors: [self] }).unwrap_or_default()
    }
}

pub const TO: &str = "payload[to]";
pub const MESSAGES: &str = "payload[messages]";
pub const CHANNEL: &str = "payload[messages][0][channel]";
pub const SENDER: &str = "payload[sms][sender]";
pub const TEXT: &str = "payload[sms][text]";
pub const AUTOCONVERT: &str = "payload[sms][autoconvert]";
pub const DLR_URL: &str = "payload[dlr_url]";

/// A validated `POST /omnimessage` body. `None` / `DlrChoice::Unset` = not given, filled from the key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendRequest {
    pub to: String,
    pub sender: Option<String>,
    pub text: String,
    pub autoconvert: Option<AutoConvert>,
    pub dlr: DlrChoice,
}

/// Parses and validates a send request. `dlr_url: ""` asks for no report (what `send --no-dlr` sends).
pub fn parse_send(body: &[u8]) -> Result<SendRequest, ApiError> {
    let payload: Value =
        serde_json::from_slice(body).map_err(|e| ApiError::invalid("payload", format!("the request body is not valid JSON: {e}")))?;
    let Value::Object(payload) = payload else {
        return Err(ApiError::invalid("payload", "the request body must be a JSON object"));
    };
    let to = match payload.get("to") {
        None | Some(Value::Null) => return Err(ApiError::missing(TO, "'to' is required: the recipient in E.164 format")),
        Some(Value::String(to)) => settings::normalize_e164(to).map_err(|e| ApiError::invalid(TO, e.message))?,
        Some(_) => return Err(ApiError::invalid(TO, "'to' must be a string")),
    };
    let message = match payload.get("messages") {
        None | Some(Value::Null) => return Err(ApiError::missing(MESSAGES, "'messages' is required: a list with one sms message")),
        Some(Value::Array(list)) if list.is_empty() => {
            return Err(ApiError::missing(MESSAGES, "'messages' is empty: give one sms message"));
        }
        Some(Value::Array(list)) if list.len() > 1 => {
            return Err(ApiError::invalid(
                MESSAGES,
                format!("'messages' has {} entries; the sandbox sends exactly one sms message", list.len()),
            ));
        }
        Some(Value::Array(list)) => match &list[0] {
            Value::Object(m) => m,
            _ => return Err(ApiError::invalid("payload[messages][0]", "each message must be a JSON object")),
        },
        Some(_) => return Err(ApiError::invalid(MESSAGES, "'messages' must be a list")),
    };
    match message.get("channel") {
        // The official clients always send it; "sms" is their default.
        None | Some(Value::Null) => {}
        Some(Value::String(c)) if c == "sms" => {}
        Some(Value::String(c)) => {
            return Err(ApiError::invalid(
                CHANNEL,
                format!("channel '{}' is not supported: the sandbox sends only 'sms'", printable(c)),
            ));
        }
        Some(_) => return Err(ApiError::invalid(CHANNEL, "'channel' must be a string")),
    }
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
    let dlr = match payload.get("dlr_url") {
        None | Some(Value::Null) => DlrChoice::Unset,
        Some(Value::String(u)) if u.is_empty() => DlrChoice::Disabled,
        Some(Value::String(u)) => DlrChoice::Url(settings::validate_dlr_url(u).map_err(|e| ApiError::invalid(DLR_URL, e.message))?),
        Some(_) => return Err(ApiError::invalid(DLR_URL, "'dlr_url' must be a string")),
    };
    Ok(SendRequest {
        to,
        sender,
        text,
        autoconvert,
        dlr,
    })
}

/// One entry of a 201's `messages`.
#[derive(Debug, Clone, Serialize)]
pub struct MessageResult {
    pub channel: &'static str,
    pub message_id: String,
    pub sender: String,
}

/// The 201 body of `POST /omnimessage`.
#[derive(Debug, Clone, Serialize)]
pub struct Created {
    pub messages: Vec<MessageResult>,
    pub to: String,
    pub omnimessage_id: String,
}

/// One entry of a delivery report's `statuses`.
#[derive(Debug, Clone, Serialize)]
pub struct DeliveryStatus {
    pub channel: &'static str,
    pub message_id: String,
    pub status: &'static str,
    pub err: u16,
    pub timestamp: String,
}

/// What the webhook receives and what `GET /omnimessage/{id}/status` answers.
#[derive(Debug, Clone, Serialize)]
pub struct DeliveryReport {
    pub statuses: Vec<DeliveryStatus>,
    pub to: String,
    pub omnimessage_id: String,
}

impl DeliveryReport {
    /// The sandbox delivers at once: every accepted message is `DELIVRD` with `err` 0.
    pub fn delivered(omnimessage_id: &str, message_id: &str, to: &str, at: crate::time::Millis) -> DeliveryReport {
        DeliveryReport {
            statuses: vec![DeliveryStatus {
                channel: "sms",
                message_id: message_id.to_owned(),
                status: "DELIVRD",
                err: 0,
                timestamp: crate::time::format(at),
            }],
            to: to.to_owned(),
            omnimessage_id: omnimessage_id.to_owned(),
        }
    }
}

/// A random (version 4) UUID, the shape of Omnimessage ids.
pub fn new_id() -> String {
    let mut b = [0u8; 16];
    rand::fill(&mut b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..])
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
                sender: None,
                text: "hi".into(),
                autoconvert: None,
                dlr: DlrChoice::Unset
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
            MESSAGES,
            "105",
        );
        fails(json!({"to": "+3725551234", "messages": ["x"]}), "payload[messages][0]", "105");
        let e = fails(sms(json!({"channel": "viber"})), CHANNEL, "105");
        assert!(e.detail.contains("viber"));
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
    fn error_body_shape() {
        let body: Value = serde_json::from_slice(&ApiError::invalid(TO, "bad").body()).unwrap();
        assert_eq!(
            body,
            serde_json::json!({"errors": [{"title": "Invalid data", "detail": "bad", "code": "105", "source": "payload[to]"}]})
        );
        let body: Value = serde_json::from_slice(&ApiError::unauthorized("no").body()).unwrap();
        assert!(body["errors"][0]["source"].is_null());
    }

    #[test]
    fn ids_are_uuid_v4() {
        let id = new_id();
        assert_eq!(id.len(), 36);
        assert_eq!(&id[14..15], "4");
        assert!("89ab".contains(&id[19..20]));
        assert_ne!(id, new_id());
    }
}
