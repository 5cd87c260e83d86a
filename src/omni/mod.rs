//! The Omnimessage API: the provider's model (requests, 201 bodies, errors, delivery
//! reports), spelled as its OpenAPI spec 2.1.0 spells it (`api/openapi.yaml` in
//! `messente/messente-api-java`; each type is named after the spec's schema), shared by the
//! `send` client and the gateway, and the outbound HTTP client that speaks it ([`client`]).
//!
//! What crosses the wire, and which type it is:
//! - `send` posts an [`Omnimessage`] and reads an [`OmniMessageCreateSuccessResponse`] or an
//!   [`ErrorOmnichannel`]; relay mode reads the upstream's answers with the same types.
//! - The gateway validates a received omnimessage ([`request`]) and answers with an
//!   [`OmniMessageCreateSuccessResponse`], an [`ApiError`] or a [`DeliveryReportResponse`]; it
//!   posts a [`DeliveryReport`] to the webhook per status change.
//!
//! Reading is tolerant, as a client of another's server must be: unknown fields are ignored,
//! and a field of an unexpected type reads as absent ([`lenient`]) instead of failing the whole
//! body, so a message that was sent is never reported as failed over a detail.

pub(crate) mod client;
pub(crate) mod request;

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

use crate::text::AutoConvert;

/// spec `Channel`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Channel {
    /// Only SMS is delivered by the sandbox; it ends every omnimessage `send` builds.
    #[default]
    Sms,
    Viber,
    Whatsapp,
    Rcs,
}

impl Channel {
    pub(crate) const ALL: [Channel; 4] = [Channel::Sms, Channel::Viber, Channel::Whatsapp, Channel::Rcs];

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Channel::Sms => "sms",
            Channel::Viber => "viber",
            Channel::Whatsapp => "whatsapp",
            Channel::Rcs => "rcs",
        }
    }

    /// The channel of exactly this name, if the spec has one.
    pub(crate) fn named(name: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.as_str() == name)
    }
}

/// Read leniently: a name the spec does not know, or none, is SMS (an API's answer names the
/// channels of what was sent, and the sandbox sends only SMS).
impl<'de> Deserialize<'de> for Channel {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Channel, D::Error> {
        Ok(lenient::text(d)?.as_deref().and_then(Channel::named).unwrap_or_default())
    }
}

/// spec `Omnimessage`, as `send` posts it: one SMS entry. The fields are in alphabetical order,
/// the order `send` has always written them in: the dry run shows these bytes, and the default
/// `Idempotency-Key` is a digest of them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Omnimessage {
    /// Absent: the key's webhook; `""`: no report even when the key has one (`send --no-dlr-url`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dlr_url: Option<String>,
    pub messages: Vec<Sms>,
    pub to: String,
}

/// spec `SMS`: an SMS entry of an omnimessage's `messages` (alphabetical, as [`Omnimessage`]).
/// `autoconvert` is written `off`/`on`/`full`, which the provider accepts beside the spec's
/// `"false"`/`"true"`/`full`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Sms {
    pub autoconvert: AutoConvert,
    pub channel: Channel,
    pub sender: String,
    pub text: String,
}

/// spec `MessageResult`: one entry of a 201's `messages`. Read leniently: an id or sender that
/// is missing or not text reads as `""`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct MessageResult {
    #[serde(default)]
    pub channel: Channel,
    #[serde(default, deserialize_with = "lenient::string")]
    pub message_id: String,
    #[serde(default, deserialize_with = "lenient::string")]
    pub sender: String,
}

/// spec `OmniMessageCreateSuccessResponse`: the 201 body of `POST /omnimessage`. Read leniently:
/// only `messages` is required, the rest reads as `""` when missing or not text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct OmniMessageCreateSuccessResponse {
    #[serde(deserialize_with = "lenient::items")]
    pub messages: Vec<MessageResult>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub to: String,
    #[serde(default, deserialize_with = "lenient::string")]
    pub omnimessage_id: String,
}

impl OmniMessageCreateSuccessResponse {
    /// A 201 body as an API sent it; `None` unless it is an object with a list of `messages`.
    pub(crate) fn parse(body: &str) -> Option<OmniMessageCreateSuccessResponse> {
        serde_json::from_str(body).ok()
    }
}

/// spec `BulkOmniMessageCreateSuccessResponse`: the 201 of `POST /omnimessages`, one entry per
/// item, each an [`OmniMessageCreateSuccessResponse`] or an [`ErrorOmnichannel`]; the entries
/// are JSON trees (keys in alphabetical order, as they have always been written).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct BulkOmniMessageCreateSuccessResponse {
    pub messages: Vec<Value>,
}

/// spec `DeliveryResult`: one entry of `GET /omnimessage/{id}/status`'s `statuses`, the latest
/// status of one channel entry; `status`, `err`, `error` and `timestamp` are null while it is
/// being processed. (`price_info` is not written: the sandbox has no prices.)
#[derive(Debug, Clone, Serialize)]
pub(crate) struct DeliveryResult {
    pub status: Option<String>,
    pub channel: String,
    pub message_id: String,
    pub error: Option<&'static str>,
    pub err: Option<i64>,
    pub timestamp: Option<String>,
    pub sender: Option<String>,
}

/// spec `DeliveryReportResponse`: the body of `GET /omnimessage/{id}/status`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct DeliveryReportResponse {
    pub statuses: Vec<DeliveryResult>,
    pub to: String,
    pub omnimessage_id: String,
}

/// A delivery report as the provider POSTs it to a webhook: one flat object per status change,
/// fields in the provider's order, signed over these bytes (`X-Messente-Signature`). Spec 2.1.0
/// describes only the pull form ([`DeliveryReportResponse`]); this is the push form its
/// documentation shows and its client libraries read.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct DeliveryReport<'a> {
    pub status: &'a str,
    pub sender: &'a str,
    pub err: i64,
    pub message_id: &'a str,
    pub to: &'a str,
    pub channel: Channel,
    pub error: Option<&'static str>,
    pub omnimessage_id: &'a str,
    pub timestamp: String,
}

/// spec `ErrorOmnichannel`: `{"errors": [...]}`. `E` is the list: as read, a `Vec` of
/// [`ErrorItemOmnichannel`]; as the gateway writes its one error, `[&ApiError; 1]` (no allocation).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct ErrorOmnichannel<E = Vec<ErrorItemOmnichannel>> {
    pub errors: E,
}

impl<'de> Deserialize<'de> for ErrorOmnichannel {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<ErrorOmnichannel, D::Error> {
        #[derive(Deserialize)]
        struct Read {
            #[serde(deserialize_with = "lenient::items")]
            errors: Vec<ErrorItemOmnichannel>,
        }
        Read::deserialize(d).map(|r| ErrorOmnichannel { errors: r.errors })
    }
}

impl ErrorOmnichannel {
    /// An error body as an API sent it; `None` unless it is an object with a non-empty list of
    /// `errors`.
    pub(crate) fn parse(body: &str) -> Option<ErrorOmnichannel> {
        serde_json::from_str::<ErrorOmnichannel>(body).ok().filter(|e| !e.errors.is_empty())
    }
}

/// spec `ErrorItemOmnichannel`, as read from an API: every field optional, a number read as its
/// text (APIs send codes as numbers, and codes the spec does not list). The gateway writes its
/// own as [`ApiError`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub(crate) struct ErrorItemOmnichannel {
    #[serde(default, deserialize_with = "lenient::text")]
    pub title: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    pub detail: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    pub code: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    pub source: Option<String>,
}

/// An error the gateway answers: one `ErrorItemOmnichannel` as written (titles and codes from
/// the spec's enums, so typed clients can parse it), with the HTTP status and `Retry-After`
/// that go with it. Errors read from an API are [`ErrorItemOmnichannel`]s.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct ApiError {
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
    pub(crate) fn not_found(detail: impl Into<String>) -> ApiError {
        Self::new(404, "Not found", "101", detail, None)
    }
    pub(crate) fn forbidden(detail: impl Into<String>) -> ApiError {
        Self::new(403, "Forbidden", "102", detail, None)
    }
    pub(crate) fn unauthorized(detail: impl Into<String>) -> ApiError {
        Self::new(401, "Unauthorized", "103", detail, None)
    }
    /// 500, and also 503 (too many connections): the Omnimessage titles have nothing closer.
    pub(crate) fn internal(status: u16, detail: impl Into<String>) -> ApiError {
        Self::new(status, "Internal Server Error", "104", detail, None)
    }
    pub(crate) fn invalid(source: &str, detail: impl Into<String>) -> ApiError {
        Self::new(400, "Invalid data", "105", detail, Some(source))
    }
    pub(crate) fn missing(source: &str, detail: impl Into<String>) -> ApiError {
        Self::new(400, "Missing data", "106", detail, Some(source))
    }
    pub(crate) fn method_not_allowed(detail: impl Into<String>) -> ApiError {
        Self::new(405, "Method not allowed", "107", detail, None)
    }
    /// A key-policy refusal: 403, or 429 with Retry-After. Title and code stay within the
    /// Omnimessage enums ("Forbidden", "102") so typed clients can still parse the body.
    /// 503 with Retry-After: the store is unreachable for now (a database restart).
    pub(crate) fn unavailable(detail: impl Into<String>) -> ApiError {
        ApiError {
            retry_after: Some(1),
            ..Self::new(503, "Internal Server Error", "104", detail, None)
        }
    }
    pub(crate) fn policy(status: u16, detail: impl Into<String>, source: Option<&str>, retry_after: Option<u64>) -> ApiError {
        ApiError {
            retry_after,
            ..Self::new(status, "Forbidden", "102", detail, source)
        }
    }
    /// Protocol-level refusals (bad framing, 408, 413, 431): "Invalid data" of the whole payload.
    pub(crate) fn protocol(status: u16, detail: impl Into<String>) -> ApiError {
        Self::new(status, "Invalid data", "105", detail, Some("payload"))
    }

    /// 409: an Idempotency-Key reused with another body, or while its first request runs.
    pub(crate) fn conflict(detail: impl Into<String>) -> ApiError {
        Self::new(409, "Invalid data", "105", detail, Some("headers[Idempotency-Key]"))
    }
    /// An upstream's error (relay mode): its status, detail and source; its title and code when
    /// they are the spec's, else `fallback`'s, so typed clients can still parse the body.
    pub(crate) fn from_upstream(
        status: u16,
        title: Option<&str>,
        code: Option<&str>,
        detail: String,
        source: Option<String>,
        fallback: ApiError,
    ) -> ApiError {
        const TITLES: [&str; 7] = [
            "Not found",
            "Forbidden",
            "Unauthorized",
            "Internal Server Error",
            "Invalid data",
            "Missing data",
            "Method not allowed",
        ];
        const CODES: [&str; 7] = ["101", "102", "103", "104", "105", "106", "107"];
        ApiError {
            status,
            title: title
                .and_then(|t| TITLES.iter().copied().find(|k| *k == t))
                .unwrap_or(fallback.title),
            code: code.and_then(|c| CODES.iter().copied().find(|k| *k == c)).unwrap_or(fallback.code),
            detail,
            source: source.or(fallback.source),
            retry_after: None,
        }
    }

    /// `{"errors": [{"title", "detail", "code", "source"}]}`, fields in that order.
    pub(crate) fn body(&self) -> Vec<u8> {
        serde_json::to_vec(&ErrorOmnichannel { errors: [self] }).unwrap_or_default()
    }
}

/// A time-ordered (version 7, RFC 9562) UUID, the shape of Omnimessage ids: 48 bits of Unix
/// milliseconds, then 74 random bits. The store indexes messages and their reports by this id;
/// ids that grow with time land on the index's last page, where random (version 4) ids
/// dirtied one random page per index per message, and so several pages of WAL per send.
pub(crate) fn new_id() -> String {
    let mut b = [0u8; 16];
    rand::fill(&mut b);
    let millis = u64::try_from(crate::time::now().as_i64()).unwrap_or(0);
    b[..6].copy_from_slice(&millis.to_be_bytes()[2..]);
    b[6] = (b[6] & 0x0f) | 0x70;
    b[8] = (b[8] & 0x3f) | 0x80;
    // Into one allocation: `format!` over a hex string showed in the gateway's profile (two
    // ids per send).
    let mut id = String::with_capacity(36);
    for (i, group) in [&b[..4], &b[4..6], &b[6..8], &b[8..10], &b[10..]].into_iter().enumerate() {
        if i > 0 {
            id.push('-');
        }
        crate::token::push_hex(&mut id, group);
    }
    id
}

/// Deserializers for fields of another's JSON: a value of an unexpected type reads as absent
/// instead of failing the whole body.
mod lenient {
    use std::fmt;

    use serde::de::{IgnoredAny, MapAccess, SeqAccess, Visitor};
    use serde::{Deserialize, Deserializer};

    /// A string, or a number as its JSON text; anything else (null, a boolean, a list, an
    /// object) is `None`.
    pub(super) fn text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
        d.deserialize_any(Text)
    }

    /// [`text`], `""` when absent.
    pub(super) fn string<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
        Ok(text(d)?.unwrap_or_default())
    }

    /// A list whose entries that are not what `T` reads (not objects) read as `T::default()`.
    pub(super) fn items<'de, D: Deserializer<'de>, T: Deserialize<'de> + Default>(d: D) -> Result<Vec<T>, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Item<T> {
            Read(T),
            Other(IgnoredAny),
        }
        let list = Vec::<Item<T>>::deserialize(d)?;
        Ok(list
            .into_iter()
            .map(|item| match item {
                Item::Read(t) => t,
                Item::Other(_) => T::default(),
            })
            .collect())
    }

    struct Text;

    impl<'de> Visitor<'de> for Text {
        type Value = Option<String>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("any JSON value")
        }
        fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
            Ok(Some(v.to_owned()))
        }
        fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
            Ok(Some(v))
        }
        fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
            Ok(serde_json::Number::from_f64(v).map(|n| n.to_string()))
        }
        fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_none<E>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(Text)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            Ok(None)
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            Ok(None)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_body_shape() {
        assert_eq!(
            ApiError::invalid(request::TO, "bad").body(),
            br#"{"errors":[{"title":"Invalid data","detail":"bad","code":"105","source":"payload[to]"}]}"#
        );
        let body: Value = serde_json::from_slice(&ApiError::invalid(request::TO, "bad").body()).unwrap();
        assert_eq!(
            body,
            serde_json::json!({"errors": [{"title": "Invalid data", "detail": "bad", "code": "105", "source": "payload[to]"}]})
        );
        let body: Value = serde_json::from_slice(&ApiError::unauthorized("no").body()).unwrap();
        assert!(body["errors"][0]["source"].is_null());
    }

    #[test]
    fn ids_are_uuid_v7_in_time_order() {
        let id = new_id();
        assert_eq!(id.len(), 36);
        assert_eq!(id.split('-').map(str::len).collect::<Vec<_>>(), [8, 4, 4, 4, 12], "{id}");
        assert!(
            id.bytes().all(|c| c == b'-' || c.is_ascii_digit() || (b'a'..=b'f').contains(&c)),
            "{id}"
        );
        assert_eq!(&id[14..15], "7");
        assert!("89ab".contains(&id[19..20]));
        assert_ne!(id, new_id());
        let millis = i64::from_str_radix(&id[..13].replace('-', ""), 16).unwrap();
        assert!((crate::time::now().as_i64() - millis).abs() < 5_000, "{id}");
        std::thread::sleep(std::time::Duration::from_millis(2));
        let later = new_id();
        assert!(later > id, "{later} after {id}");
    }

    #[test]
    fn what_send_posts_the_gateway_reads() {
        let om = Omnimessage {
            dlr_url: Some(String::new()),
            messages: vec![Sms {
                autoconvert: AutoConvert::Full,
                channel: Channel::Sms,
                sender: "ACME".into(),
                text: "hi".into(),
            }],
            to: "+3725551234".into(),
        };
        let bytes = serde_json::to_vec(&om).unwrap();
        // Alphabetical, as a JSON tree writes it: the bytes `send` has always sent and digested.
        assert_eq!(bytes, serde_json::to_value(&om).unwrap().to_string().into_bytes());
        let read = request::parse_omnimessage(&request::parse_json(&bytes).unwrap()).unwrap();
        assert_eq!(
            (read.to.as_str(), read.sender.as_deref(), read.text.as_str()),
            ("+3725551234", Some("ACME"), "hi")
        );
        assert_eq!(
            (read.autoconvert, read.dlr),
            (Some(AutoConvert::Full), crate::resolve::DlrChoice::Disabled)
        );
    }

    #[test]
    fn answers_are_read_leniently() {
        let c = OmniMessageCreateSuccessResponse::parse(
            r#"{"messages":[{"channel":"viber","message_id":"a","sender":"S","extra":1},{"channel":"telegram","message_id":7},"x"],"omnimessage_id":"o","new":{}}"#,
        )
        .unwrap();
        assert_eq!((c.omnimessage_id.as_str(), c.to.as_str()), ("o", ""));
        assert_eq!((c.messages[0].channel, c.messages[0].sender.as_str()), (Channel::Viber, "S"));
        assert_eq!(
            (
                c.messages[1].channel,
                c.messages[1].message_id.as_str(),
                c.messages[1].sender.as_str()
            ),
            (Channel::Sms, "7", "")
        );
        assert_eq!(c.messages[2], MessageResult::default());
        for bad in ["", "not json", "{}", r#"{"messages":null}"#, r#"{"messages":{}}"#] {
            assert!(OmniMessageCreateSuccessResponse::parse(bad).is_none(), "{bad}");
        }
        let e = ErrorOmnichannel::parse(r#"{"errors":[{"title":"Forbidden","code":111,"detail":null,"source":{"x":1}},{},"x"]}"#).unwrap();
        assert_eq!(
            e.errors[0],
            ErrorItemOmnichannel {
                title: Some("Forbidden".into()),
                code: Some("111".into()),
                ..ErrorItemOmnichannel::default()
            }
        );
        assert_eq!(e.errors[1], ErrorItemOmnichannel::default());
        assert_eq!(e.errors[2], ErrorItemOmnichannel::default());
        for bad in ["<html>", "{}", r#"{"errors":[]}"#, r#"{"errors":"x"}"#] {
            assert!(ErrorOmnichannel::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn delivery_report_fields_in_order() {
        let body = serde_json::to_string(&DeliveryReport {
            status: "ACK",
            sender: "ACME",
            err: 0,
            message_id: "m",
            to: "+1",
            channel: Channel::Sms,
            error: None,
            omnimessage_id: "o",
            timestamp: "1970-01-01T00:00:00.000Z".into(),
        })
        .unwrap();
        assert_eq!(
            body,
            r#"{"status":"ACK","sender":"ACME","err":0,"message_id":"m","to":"+1","channel":"sms","error":null,"omnimessage_id":"o","timestamp":"1970-01-01T00:00:00.000Z"}"#
        );
    }
}
