//! Routing and the request handlers: authentication against the store, the send endpoint
//! (validate, resolve against the key, count segments, record, answer 201) and the read-back
//! endpoints. Handlers return data; the server loop writes it and logs it.

use std::net::IpAddr;

use base64::Engine;
use serde::Serialize;
use zeroize::Zeroizing;

use super::dlr::{DlrJob, DlrQueue};
use super::guard::{self, AuthSeen};
use super::http::{Request, Response};
use super::recorder::RecorderHandle;
use super::wire::{self, ApiError, Created, DeliveryReport, MessageResult};
use crate::auth::{self, Reason};
use crate::output::iso_opt;
use crate::policy::Attempt;
use crate::resolve::{self, Requested};
use crate::store::Store;
use crate::store::keys::{Key, SecretRow, printable};
use crate::store::messages::{self, MessageRow, NewMessage};
use crate::text::{AutoConvert, ReplaceTable};
use crate::time::{self, Millis};

/// A handled request: the response, and what the log line and the report dispatcher need.
pub struct Handled {
    pub response: Response,
    /// The key the request authenticated as (or claimed, when refused).
    pub key_id: Option<String>,
    /// Why a request was refused or failed, for the log (never the secret).
    pub note: Option<String>,
    /// A delivery report to send once the response is out.
    pub dlr: Option<DlrJob>,
}

impl Handled {
    fn json(status: u16, body: &impl Serialize) -> Handled {
        Handled {
            response: Response {
                status,
                headers: Vec::new(),
                body: serde_json::to_vec(body).unwrap_or_default(),
            },
            key_id: None,
            note: None,
            dlr: None,
        }
    }

    pub fn error(error: &ApiError) -> Handled {
        let mut headers = Vec::new();
        if error.status == 401 {
            headers.push(("WWW-Authenticate", "Basic realm=\"smsctl gateway\"".to_owned()));
        }
        if let Some(secs) = error.retry_after {
            headers.push(("Retry-After", secs.to_string()));
        }
        Handled {
            response: Response {
                status: error.status,
                headers,
                body: error.body(),
            },
            key_id: None,
            note: None,
            dlr: None,
        }
    }

    fn key(mut self, key_id: &str) -> Handled {
        self.key_id = Some(key_id.to_owned());
        self
    }
}

/// A refused or failed request on its way to becoming a [`Handled`].
struct Failure {
    error: Box<ApiError>,
    key_id: Option<String>,
    note: Option<String>,
}

impl From<ApiError> for Failure {
    fn from(error: ApiError) -> Failure {
        Failure {
            error: Box::new(error),
            key_id: None,
            note: None,
        }
    }
}

impl From<crate::Error> for Failure {
    fn from(err: crate::Error) -> Failure {
        Failure {
            error: Box::new(ApiError::internal(
                500,
                "the gateway could not read or write its store; see its log",
            )),
            key_id: None,
            note: Some(format!("store: {}", err.message)),
        }
    }
}

impl From<Failure> for Handled {
    fn from(f: Failure) -> Handled {
        Handled {
            key_id: f.key_id,
            note: f.note,
            ..Handled::error(&f.error)
        }
    }
}

enum Route<'a> {
    Health,
    Send,
    Message(&'a str),
    Status(&'a str),
    WrongMethod(&'static str),
    NotFound,
}

fn route<'a>(method: &str, path: &'a str) -> Route<'a> {
    // HEAD is GET without the body (the connection layer leaves it out).
    let method = if method == "HEAD" { "GET" } else { method };
    let expect = |allowed: &'static str, r: Route<'a>| if method == allowed { r } else { Route::WrongMethod(allowed) };
    if path == "/healthz" {
        return expect("GET", Route::Health);
    }
    let Some(rest) = path.strip_prefix("/v1/omnimessage") else {
        return Route::NotFound;
    };
    let parts: Vec<&str> = rest.split('/').collect();
    match parts.as_slice() {
        [""] => expect("POST", Route::Send),
        ["", id] if !id.is_empty() => expect("GET", Route::Message(id)),
        ["", id, "status"] if !id.is_empty() => expect("GET", Route::Status(id)),
        _ => Route::NotFound,
    }
}

pub struct Api {
    recorder: RecorderHandle,
    pub dlr: DlrQueue,
}

impl Api {
    pub fn new(recorder: RecorderHandle, dlr: DlrQueue) -> Api {
        Api { recorder, dlr }
    }

    pub fn handle(&self, req: &Request, peer: IpAddr, store: &Store) -> Handled {
        // A dual-stack listener sees IPv4 clients as ::ffff:a.b.c.d; record and report them
        // as the IPv4 address they are (the whitelist matches either form).
        let peer = peer.to_canonical();
        let outcome = match route(&req.method, &req.path) {
            Route::Health => return Handled::json(200, &serde_json::json!({"status": "ok"})),
            Route::Send => self.send(req, peer, store),
            Route::Message(id) => self.read_back(req, peer, store, id, ReadBack::Message),
            Route::Status(id) => self.read_back(req, peer, store, id, ReadBack::Status),
            Route::WrongMethod(allowed) => {
                let mut h = Handled::error(&ApiError::method_not_allowed(format!(
                    "{} is not allowed here; use {allowed}",
                    printable(&req.method)
                )));
                let allow = if allowed == "GET" { "GET, HEAD" } else { allowed };
                h.response.headers.push(("Allow", allow.to_owned()));
                return h;
            }
            Route::NotFound => return Handled::error(&ApiError::not_found(format!("no such endpoint: {}", printable(&req.path)))),
        };
        outcome.unwrap_or_else(Handled::from)
    }

    fn send(&self, req: &Request, peer: IpAddr, store: &Store) -> Result<Handled, Failure> {
        let (key, secret) = self.authenticate(req, peer, store)?;
        let refuse = |error: ApiError| Failure {
            error: Box::new(error),
            key_id: Some(key.id.clone()),
            note: None,
        };
        let request = wire::parse_send(&req.body).map_err(refuse)?;
        let resolved = resolve::resolve(
            &Requested {
                sender: request.sender,
                autoconvert: request.autoconvert,
                dlr: request.dlr,
            },
            &key.settings,
        );
        let Some(sender) = resolved.sender.value else {
            return Err(refuse(ApiError::missing(
                wire::SENDER,
                format!(
                    "no sender: the message has none and key '{}' has no default sender; send 'sender', \
                     or set a default with `smsctl key set {} --sender NAME`",
                    key.name, key.name
                ),
            )));
        };
        let autoconvert = resolved.autoconvert.value;
        let (encoding, parts) = segments(&request.text, autoconvert, &key.settings.replace);
        let now = time::now();
        // Key policy (issue 15): stateless rules here, rate and quota when recording.
        let attempt = Attempt {
            operation: guard::send_operation(&req.body),
            sender: Some(&sender),
            to: Some(&request.to),
            parts: Some(u32::try_from(parts).unwrap_or(u32::MAX)),
            now,
        };
        guard::check(&key, &attempt).map_err(refuse)?;
        let omnimessage_id = wire::new_id();
        let message_id = wire::new_id();
        let dlr_url = resolved.dlr_url.value;
        let record = NewMessage {
            at: now,
            origin: "gateway".into(),
            key_id: key.id.clone(),
            recipient: request.to.clone(),
            sender: Some(sender.clone()),
            autoconvert: autoconvert.as_str().into(),
            dlr_url: dlr_url.clone(),
            encoding,
            parts,
            http_status: Some(201),
            message_id: Some(message_id.clone()),
            omnimessage_id: Some(omnimessage_id.clone()),
            error: None,
        };
        let admitted = self
            .recorder
            .admit(record, &secret, peer.to_string(), Some(&key.settings.policy))
            .map_err(|e| Failure {
                note: Some(format!("store: {e}")),
                ..refuse(ApiError::internal(500, "the gateway could not record the message; see its log"))
            })?;
        if let Some(violation) = admitted {
            return Err(Failure {
                note: Some(format!("policy: {}", violation.rule.as_str())),
                ..refuse(guard::refusal(&violation))
            });
        }
        let dlr = dlr_url.map(|url| DlrJob {
            url,
            report: DeliveryReport::delivered(&omnimessage_id, &message_id, &request.to, now),
        });
        let created = Created {
            messages: vec![MessageResult {
                channel: "sms",
                message_id,
                sender,
            }],
            to: request.to,
            omnimessage_id,
        };
        Ok(Handled {
            dlr,
            ..Handled::json(201, &created).key(&key.id)
        })
    }

    fn read_back(&self, req: &Request, peer: IpAddr, store: &Store, id: &str, what: ReadBack) -> Result<Handled, Failure> {
        let (key, secret) = self.authenticate(req, peer, store)?;
        guard::check(&key, &Attempt::status_read(time::now())).map_err(|error| Failure {
            error: Box::new(error),
            key_id: Some(key.id.clone()),
            note: Some("policy: scope".into()),
        })?;
        self.recorder.touch(&secret, time::now(), peer.to_string());
        // Another key's message is as absent as one that never existed.
        let row = messages::find_by_omnimessage(store.conn(), id)?.filter(|row| row.key_id == key.id);
        let Some(row) = row else {
            return Err(Failure {
                error: Box::new(ApiError::not_found(format!("no omnimessage '{}' for this key", printable(id)))),
                key_id: Some(key.id),
                note: None,
            });
        };
        let message_id = row.message_id.clone().unwrap_or_default();
        let handled = match what {
            ReadBack::Status => Handled::json(200, &DeliveryReport::delivered(id, &message_id, &row.recipient, row.at)),
            ReadBack::Message => Handled::json(200, &Recorded::from(&row)),
        };
        Ok(handled.key(&key.id))
    }
}

impl Api {
    /// [`authenticate`], then the policy hook: refusals are counted, canaries tripped.
    fn authenticate(&self, req: &Request, peer: IpAddr, store: &Store) -> Result<(Key, SecretRow), Failure> {
        let result = authenticate(req, peer, store);
        let seen = match &result {
            Ok((key, _)) => AuthSeen::Accepted(key),
            Err(f) => AuthSeen::Refused {
                claimed: f.key_id.as_deref(),
                reason: f.note.as_deref(),
            },
        };
        match guard::after_auth(&self.recorder, store, peer, seen, time::now()) {
            None => result,
            Some(error) => Err(Failure {
                error: Box::new(error),
                key_id: result.as_ref().map_or_else(|f| f.key_id.clone(), |(k, _)| Some(k.id.clone())),
                note: Some("canary".into()),
            }),
        }
    }
}

#[derive(Clone, Copy)]
enum ReadBack {
    Message,
    Status,
}

/// `GET /v1/omnimessage/{id}`: the 201's shape plus what the gateway recorded.
#[derive(Serialize)]
struct Recorded {
    omnimessage_id: String,
    to: String,
    messages: Vec<MessageResult>,
    created_at: String,
    autoconvert: String,
    encoding: String,
    parts: i64,
    dlr_url: Option<String>,
    delivery_report: Option<ReportOutcome>,
}

#[derive(Serialize)]
struct ReportOutcome {
    status: String,
    attempts: i64,
    #[serde(serialize_with = "iso_opt")]
    at: Option<Millis>,
}

impl From<&MessageRow> for Recorded {
    fn from(row: &MessageRow) -> Recorded {
        Recorded {
            omnimessage_id: row.omnimessage_id.clone().unwrap_or_default(),
            to: row.recipient.clone(),
            messages: vec![MessageResult {
                channel: "sms",
                message_id: row.message_id.clone().unwrap_or_default(),
                sender: row.sender.clone().unwrap_or_default(),
            }],
            created_at: time::format(row.at),
            autoconvert: row.autoconvert.clone(),
            encoding: row.encoding.clone(),
            parts: row.parts,
            dlr_url: row.dlr_url.clone(),
            delivery_report: row.dlr_status.clone().map(|status| ReportOutcome {
                status,
                attempts: row.dlr_attempts,
                at: row.dlr_at,
            }),
        }
    }
}

/// HTTP Basic (username = key id, password = secret), checked exactly as `key verify` checks.
/// 401 details never say whether a key id exists or which secret is wrong.
fn authenticate(req: &Request, peer: IpAddr, store: &Store) -> Result<(Key, SecretRow), Failure> {
    let (key_id, secret) = credentials(req)?;
    let claimed = Some(claimed_id(&key_id));
    let outcome = auth::check(store.conn(), Some(&key_id), &secret, Some(peer), time::now())?;
    let detail = match outcome.reason {
        Reason::Ok => {
            return match (outcome.key, outcome.secret) {
                (Some(key), Some(secret)) => Ok((key, secret)),
                _ => Err(ApiError::internal(500, "authentication lost its key").into()),
            };
        }
        Reason::IpNotAllowed => {
            let empty = outcome.key.as_ref().is_some_and(|k| k.settings.whitelist.is_empty());
            let why = if empty {
                " (its whitelist is empty, which refuses every address)"
            } else {
                ""
            };
            return Err(Failure {
                error: Box::new(ApiError::forbidden(format!(
                    "client address {peer} is not allowed by this key's IP whitelist{why}"
                ))),
                key_id: claimed,
                note: Some(Reason::IpNotAllowed.as_str().into()),
            });
        }
        // Checked offline (prefix, length, checksum): says nothing about the store.
        Reason::Malformed => outcome.detail,
        // A secret of another key: the caller learns no more than for an unknown one.
        Reason::Unknown | Reason::WrongKey => "no active key has this key id and secret".to_owned(),
        // The caller holds this key's real secret, so saying why it stopped working leaks nothing.
        Reason::Revoked => "this key has been revoked".to_owned(),
        Reason::Expired => "this key has expired".to_owned(),
        Reason::GraceEnded => "this secret was replaced by a rotation and its grace period has ended".to_owned(),
    };
    // The log and the failure counts treat another key's secret as unknown, as before.
    let note = match outcome.reason {
        Reason::WrongKey => Reason::Unknown,
        other => other,
    };
    Err(Failure {
        error: Box::new(ApiError::unauthorized(detail)),
        key_id: claimed,
        note: Some(note.as_str().into()),
    })
}

/// What the log may say about the username a refused request gave: the key id when it has a
/// key id's shape, else a placeholder. A client that swaps username and password
/// (`curl -u "$SECRET:$ID"`) must not get its secret written to the log.
fn claimed_id(user: &str) -> String {
    if crate::token::looks_like_key_id(user) {
        user.to_owned()
    } else {
        "(invalid)".to_owned()
    }
}

fn credentials(req: &Request) -> Result<(String, Zeroizing<String>), Failure> {
    let missing = || ApiError::unauthorized("missing credentials: use HTTP Basic auth, the key id as username and the secret as password");
    let header = req.header("authorization").ok_or_else(missing)?;
    let (scheme, encoded) = header.split_once(' ').ok_or_else(missing)?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return Err(missing().into());
    }
    let malformed = || ApiError::unauthorized("malformed HTTP Basic credentials");
    let decoded = Zeroizing::new(
        base64::engine::general_purpose::STANDARD
            .decode(encoded.trim())
            .map_err(|_| malformed())?,
    );
    let text = std::str::from_utf8(&decoded).map_err(|_| malformed())?;
    let (user, password) = text.split_once(':').ok_or_else(malformed)?;
    Ok((user.to_owned(), Zeroizing::new(password.to_owned())))
}

/// Encoding and SMS part count of `text` as it will be sent, by the same engine `send` uses.
fn segments(text: &str, mode: AutoConvert, table: &ReplaceTable) -> (String, i64) {
    let analysis = crate::text::analyze(text, mode, table);
    (analysis.encoding.as_str().to_owned(), analysis.segments as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes() {
        assert!(matches!(route("GET", "/healthz"), Route::Health));
        assert!(matches!(route("HEAD", "/healthz"), Route::Health));
        assert!(matches!(route("HEAD", "/v1/omnimessage"), Route::WrongMethod("POST")));
        assert!(matches!(route("POST", "/healthz"), Route::WrongMethod("GET")));
        assert!(matches!(route("POST", "/v1/omnimessage"), Route::Send));
        assert!(matches!(route("GET", "/v1/omnimessage"), Route::WrongMethod("POST")));
        assert!(matches!(route("GET", "/v1/omnimessage/abc"), Route::Message("abc")));
        assert!(matches!(route("GET", "/v1/omnimessage/abc/status"), Route::Status("abc")));
        assert!(matches!(route("DELETE", "/v1/omnimessage/abc"), Route::WrongMethod("GET")));
        for path in [
            "/",
            "/v1",
            "/v1/omnimessages",
            "/v1/omnimessage/",
            "/v1/omnimessage/a/b",
            "/v2/omnimessage",
        ] {
            assert!(matches!(route("GET", path), Route::NotFound), "{path}");
        }
    }

    fn with_auth(value: &str) -> Request {
        Request {
            method: "POST".into(),
            path: "/v1/omnimessage".into(),
            headers: vec![("Authorization".into(), value.into())],
            body: vec![],
            http10: false,
            keep_alive: true,
        }
    }

    #[test]
    fn only_key_id_shaped_usernames_are_logged() {
        assert_eq!(claimed_id("key_abcd1234"), "key_abcd1234");
        let secret = format!("smsk_{}", "a".repeat(40));
        for other in [secret.as_str(), "", "key_ABCD1234", "key_abcd12345", "admin"] {
            assert_eq!(claimed_id(other), "(invalid)", "{other}");
        }
    }

    #[test]
    fn basic_credentials() {
        let encoded = base64::engine::general_purpose::STANDARD.encode("key_abcd1234:smsk_x:y");
        let (user, password) = credentials(&with_auth(&format!("Basic {encoded}"))).ok().unwrap();
        assert_eq!((user.as_str(), password.as_str()), ("key_abcd1234", "smsk_x:y"));
        assert!(credentials(&with_auth(&format!("basic {encoded}"))).is_ok());
        for bad in ["", "Bearer abc", "Basic", "Basic !!!", "Basic bm9jb2xvbg=="] {
            let f = credentials(&with_auth(bad)).err().unwrap();
            assert_eq!(f.error.status, 401, "{bad}");
        }
    }
}
