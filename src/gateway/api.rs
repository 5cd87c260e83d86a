//! Routing and the request handlers: authentication against the store, the send endpoint
//! (validate, resolve against the key, count segments, record, answer 201) and the read-back
//! endpoints. Handlers return data; the server loop writes it and logs it.

use std::net::IpAddr;
use std::sync::Arc;

use base64::Engine;
use serde::Serialize;
use zeroize::Zeroizing;

use super::cache::KeyCache;
use super::dlr::Waker;
use super::guard::{self, AuthSeen};
use super::lifecycle::{self, Step};
use super::recorder::{Admission, Admitted, RecorderHandle};
use super::relay::{self, Claim, Idempotency, Outgoing, Relay};
use super::server::{Request, Response};
use crate::auth::{self, Reason};
use crate::omni::request::{self, SendRequest};
use crate::omni::{
    self, ApiError, BulkOmniMessageCreateSuccessResponse, Channel, DeliveryReport, DeliveryReportResponse, DeliveryResult, MessageResult,
    OmniMessageCreateSuccessResponse,
};
use crate::policy::{Attempt, Scope};
use crate::resolve::{self, Requested};
use crate::store::Store;
use crate::store::events::{self, Change, NewEvent};
use crate::store::keys::{Key, SecretRow, printable};
use crate::store::messages::{self, MessageRow, NewMessage, Origin};
use crate::text::{AutoConvert, Encoding};
use crate::time::iso_opt;
use crate::time::{self, Millis, UnixMillis};

/// A handled request: the response, and what the log line and the report dispatcher need.
pub(super) struct Handled {
    pub response: Response,
    /// The key the request authenticated as (or claimed, when refused).
    pub key_id: Option<String>,
    /// Why a request was refused or failed, for the log (never the secret).
    pub note: Option<String>,
    /// New reports were queued: wake the dispatcher once the response is out.
    pub wake_reports: bool,
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
            wake_reports: false,
        }
    }

    pub(super) fn error(error: &ApiError) -> Handled {
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
            wake_reports: false,
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
        let unavailable = err.reason == Some(crate::store::pg::UNAVAILABLE_REASON) || crate::store::pg::is_unavailable(&err.message);
        Failure {
            error: Box::new(if unavailable {
                ApiError::unavailable("the gateway cannot reach its store right now; retry")
            } else {
                ApiError::internal(500, "the gateway could not read or write its store; see its log")
            }),
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

/// Largest body of a send handled on the event loop ([`Api::inline`]); larger ones (up to the
/// 64 KiB limit) may take a text engine's millisecond, which other connections should not wait for.
const INLINE_BODY: usize = 4 * 1024;

/// A send resolved, checked and planned, ready for the recorder.
struct Planned {
    record: NewMessage,
    events: Vec<NewEvent>,
    created: OmniMessageCreateSuccessResponse,
    /// The text as sent (after auto-replace) and the effective autoconvert, for the relay.
    text: String,
    autoconvert: &'static str,
    /// Which entry of `created.messages` is the SMS one.
    sms: usize,
}

/// An inline send handed to the recorder ([`Api::begin_send`]), waiting for its commit.
pub(super) struct PendingSend {
    key_id: String,
    created: OmniMessageCreateSuccessResponse,
    /// Reports for a webhook were queued.
    reports: bool,
    admission: Admission,
}

/// A message [`Api::accept`] recorded: the 201's body, and whether it queued reports for a
/// webhook (only then is the dispatcher woken; a send without a webhook gives it nothing to do).
struct Accepted {
    created: OmniMessageCreateSuccessResponse,
    reports: bool,
}

impl PendingSend {
    /// The 201 once the message is durably recorded, or the refusal (rate, quota) or 500.
    pub(super) async fn finish(self) -> Handled {
        match committed(&self.key_id, self.admission.committed().await) {
            Ok(()) => sent(&self.created, &self.key_id, self.reports),
            Err(failure) => failure.into(),
        }
    }
}

/// The 201 of a single send; `reports`: it queued reports for a webhook.
fn sent(created: &OmniMessageCreateSuccessResponse, key_id: &str, reports: bool) -> Handled {
    Handled {
        wake_reports: reports,
        ..Handled::json(201, created).key(key_id)
    }
}

/// A recorder's answer as the request's outcome: recorded, refused by rate or quota, or failed.
fn committed(key_id: &str, admitted: Admitted) -> Result<(), Failure> {
    let refuse = |error: ApiError, note: String| Failure {
        error: Box::new(error),
        key_id: Some(key_id.to_owned()),
        note: Some(note),
    };
    match admitted {
        Ok(None) => Ok(()),
        Ok(Some(violation)) => Err(refuse(guard::refusal(&violation), format!("policy: {}", violation.rule.as_str()))),
        Err(e) if crate::store::pg::is_unavailable(&e) => Err(refuse(
            ApiError::unavailable("the gateway cannot reach its store right now; nothing was recorded or sent; retry"),
            format!("store: {e}"),
        )),
        Err(e) => Err(refuse(
            ApiError::internal(500, "the gateway could not record the message; see its log"),
            format!("store: {e}"),
        )),
    }
}

/// The body of a single send: the raw JSON (what relay mode forwards) and the validated request.
fn parse_send(req: &Request, caller: &Caller) -> Result<(serde_json::Value, SendRequest), Failure> {
    let refuse = |error: ApiError| Failure {
        error: Box::new(error),
        key_id: Some(caller.key.id.clone()),
        note: None,
    };
    let raw = request::parse_json(&req.body).map_err(refuse)?;
    let request = request::parse_omnimessage(&raw).map_err(refuse)?;
    Ok((raw, request))
}

enum Route<'a> {
    Health,
    Send,
    Bulk,
    Message(&'a str),
    Cancel(&'a str),
    Status(&'a str),
    /// Relay mode: the upstream's delivery reports.
    RelayReport,
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
    if path == "/v1/omnimessages" {
        return expect("POST", Route::Bulk);
    }
    if path == relay::REPORT_PATH {
        return expect("POST", Route::RelayReport);
    }
    let Some(rest) = path.strip_prefix("/v1/omnimessage") else {
        return Route::NotFound;
    };
    let parts: Vec<&str> = rest.split('/').collect();
    match parts.as_slice() {
        [""] => expect("POST", Route::Send),
        ["", id] if !id.is_empty() => match method {
            "GET" => Route::Message(id),
            "DELETE" => Route::Cancel(id),
            _ => Route::WrongMethod("GET, DELETE"),
        },
        ["", id, "status"] if !id.is_empty() => expect("GET", Route::Status(id)),
        _ => Route::NotFound,
    }
}

pub(super) struct Api {
    recorder: RecorderHandle,
    /// Secret hash → key state, so authentication reads no store on the hot path.
    keys: Arc<KeyCache>,
    pub reports: Waker,
    /// `--slow-delivery`, in milliseconds.
    slow: Millis,
    /// `--upstream`: accepted messages go on to the provider instead of the sandbox lifecycle.
    relay: Option<Relay>,
    idempotency: Idempotency,
}

/// An authenticated caller: the key, the secret row it used, and the secret itself, held only
/// while the request is handled (to sign this message's reports).
struct Caller {
    key: Arc<Key>,
    secret_row: SecretRow,
    secret: Zeroizing<String>,
    peer: IpAddr,
}

impl Api {
    pub(super) fn new(
        recorder: RecorderHandle,
        keys: Arc<KeyCache>,
        reports: Waker,
        slow: Millis,
        relay: Option<Relay>,
        idempotency: Idempotency,
    ) -> Api {
        Api {
            recorder,
            keys,
            reports,
            slow,
            relay,
            idempotency,
        }
    }

    pub(super) fn handle(&self, req: &Request, peer: IpAddr, store: &Store) -> Handled {
        // A dual-stack listener sees IPv4 clients as ::ffff:a.b.c.d; record and report them
        // as the IPv4 address they are (the whitelist matches either form).
        let peer = peer.to_canonical();
        let outcome = match route(&req.method, &req.path) {
            Route::Health => return self.health(),
            Route::RelayReport => return self.relay_report(req),
            Route::Send => self.send(req, peer, store),
            Route::Bulk => self.bulk(req, peer, store),
            Route::Message(id) => self.read_back(req, peer, store, id, ReadBack::Message),
            Route::Status(id) => self.read_back(req, peer, store, id, ReadBack::Status),
            Route::Cancel(id) => self.cancel(req, peer, store, id),
            Route::WrongMethod(allowed) => {
                let mut h = Handled::error(&ApiError::method_not_allowed(format!(
                    "{} is not allowed here; use {allowed}",
                    printable(&req.method)
                )));
                let allow = allowed.replace("GET", "GET, HEAD");
                h.response.headers.push(("Allow", allow));
                return h;
            }
            Route::NotFound => return Handled::error(&ApiError::not_found(format!("no such endpoint: {}", printable(&req.path)))),
        };
        outcome.unwrap_or_else(Handled::from)
    }

    fn send(&self, req: &Request, peer: IpAddr, store: &Store) -> Result<Handled, Failure> {
        let caller = self.authenticate(req, peer, store)?;
        self.idempotent(req, &caller, || {
            let (raw, request) = parse_send(req, &caller)?;
            let accepted = self.accept(&caller, &raw, request, store, Scope::Send)?;
            Ok(sent(&accepted.created, &caller.key.id, accepted.reports))
        })
    }

    /// Whether `req` may be handled on the event loop ([`begin_send`](Self::begin_send)): a
    /// single sandbox send, small enough that parsing it and counting its text take
    /// microseconds, without an `Idempotency-Key` (whose claim waits for a commit of its own).
    /// Everything else runs on a blocking thread through [`handle`](Self::handle).
    pub(super) fn inline(&self, req: &Request) -> bool {
        self.relay.is_none()
            && req.method == "POST"
            && req.path == "/v1/omnimessage"
            && req.body.len() <= INLINE_BODY
            && req.header(relay::IDEMPOTENCY_HEADER).is_none()
    }

    /// The first half of an [inline](Self::inline) send, up to handing the message to the
    /// recorder: authentication (from the key cache; `store` only on a miss), validation,
    /// resolution, policy and the signed reports. The 201 waits for
    /// [`PendingSend::finish`], i.e. for the commit, without holding a thread.
    pub(super) fn begin_send(&self, req: &Request, peer: IpAddr, store: &Store) -> Result<PendingSend, Handled> {
        let peer = peer.to_canonical();
        let begun = (|| {
            let caller = self.authenticate(req, peer, store)?;
            let (_, request) = parse_send(req, &caller)?;
            let planned = self.plan(&caller, request, store, Scope::Send)?;
            let reports = planned.record.dlr_url.is_some();
            let admission = self.recorder.submit(
                planned.record,
                planned.events,
                &caller.secret_row,
                caller.peer.to_string(),
                Some(&caller.key.settings.policy),
            );
            Ok(PendingSend {
                key_id: caller.key.id.clone(),
                created: planned.created,
                reports,
                admission,
            })
        })();
        begun.map_err(|f: Failure| Handled::from(f))
    }

    /// Runs `handle` once per `Idempotency-Key` (per key, 24 h): the same body again gets the
    /// first answer without being handled again; another body gets a 409. An answer that
    /// certainly sent nothing (429, 503, a sandbox 500) is not kept, so a retry may go through later.
    fn idempotent(&self, req: &Request, caller: &Caller, handle: impl FnOnce() -> Result<Handled, Failure>) -> Result<Handled, Failure> {
        let refuse = |error: ApiError| Failure {
            error: Box::new(error),
            key_id: Some(caller.key.id.clone()),
            note: Some("idempotency".into()),
        };
        let Some(idem) = Idempotency::header_value(req.header(relay::IDEMPOTENCY_HEADER)).map_err(refuse)? else {
            return handle();
        };
        match self.idempotency.claim(&caller.key.id, &idem, &req.body)? {
            Claim::Replay { status, body } => {
                let mut handled = Handled::json(status, &serde_json::Value::Null).key(&caller.key.id);
                handled.response.body = body;
                handled.response.headers.push(("Idempotent-Replayed", "true".to_owned()));
                handled.note = Some("Idempotency-Key replay: not handled again".into());
                Ok(handled)
            }
            Claim::Conflict(why) => Err(refuse(ApiError::conflict(why))),
            Claim::Claimed => {
                let handled = handle().unwrap_or_else(Handled::from);
                // 500 in the sandbox: nothing was recorded. In relay mode a 500 may follow a send.
                let nothing_sent = matches!(handled.response.status, 429 | 503) || (handled.response.status == 500 && self.relay.is_none());
                if nothing_sent {
                    self.idempotency.release(&caller.key.id, &idem);
                } else {
                    self.idempotency
                        .finish(&caller.key.id, &idem, handled.response.status, &handled.response.body);
                }
                Ok(handled)
            }
        }
    }

    /// `GET /healthz`; in relay mode with the upstream circuit breaker (503 while it is open).
    fn health(&self) -> Handled {
        let Some(relay) = &self.relay else {
            return Handled::json(200, &serde_json::json!({"status": "ok"}));
        };
        let b = relay.breaker();
        let open = b.state == "open";
        Handled::json(
            if open { 503 } else { 200 },
            &serde_json::json!({
                "status": if open { "degraded" } else { "ok" },
                "upstream": {
                    "url": relay.upstream(),
                    "breaker": b.state,
                    "failures": b.failures,
                    "retry_in_seconds": b.retry_in.map(|d| d.as_secs().max(1)),
                    "last_error": b.last_error,
                }
            }),
        )
    }

    /// `POST /relay/dlr`: a delivery report from the upstream (relay mode only).
    fn relay_report(&self, req: &Request) -> Handled {
        let Some(relay) = &self.relay else {
            return Handled::error(&ApiError::not_found(format!("no such endpoint: {}", printable(&req.path))));
        };
        let (status, note, queued) = relay.report(&req.body, req.header(super::SIGNATURE_HEADER));
        let mut handled = if status == 200 {
            Handled::json(200, &serde_json::json!({}))
        } else {
            let mut error = match status {
                401 => ApiError::unauthorized(note.clone()),
                404 | 410 => ApiError::not_found(note.clone()),
                400 => ApiError::invalid("payload", note.clone()),
                _ => ApiError::internal(status, note.clone()),
            };
            error.status = status;
            Handled::error(&error)
        };
        handled.note = Some(note);
        handled.wake_reports = queued;
        handled
    }

    /// `POST /omnimessages`: one authentication for the request, then every item checked and
    /// accepted exactly as a single send; each gets its 201 body or its error body.
    fn bulk(&self, req: &Request, peer: IpAddr, store: &Store) -> Result<Handled, Failure> {
        let caller = self.authenticate(req, peer, store)?;
        self.idempotent(req, &caller, || self.bulk_items(req, &caller, store))
    }

    fn bulk_items(&self, req: &Request, caller: &Caller, store: &Store) -> Result<Handled, Failure> {
        let scope_refusal = |error: ApiError| Failure {
            error: Box::new(error),
            key_id: Some(caller.key.id.clone()),
            note: Some("policy: scope".into()),
        };
        guard::check(&caller.key, &Attempt::operation(Scope::Bulk, time::now())).map_err(scope_refusal)?;
        let items = request::parse_bulk(&req.body).map_err(|error| Failure {
            error: Box::new(error),
            key_id: Some(caller.key.id.clone()),
            note: None,
        })?;
        let mut results = Vec::with_capacity(items.len());
        let mut refused = 0;
        let mut reports = false;
        for item in &items {
            let outcome = request::parse_omnimessage(item)
                .map_err(Failure::from)
                .and_then(|request| self.accept(caller, item, request, store, Scope::Bulk));
            results.push(match outcome {
                Ok(accepted) => {
                    reports |= accepted.reports;
                    serde_json::to_value(&accepted.created).unwrap_or_default()
                }
                Err(failure) => {
                    refused += 1;
                    serde_json::from_slice(&failure.error.body()).unwrap_or_default()
                }
            });
        }
        let mut handled = Handled::json(201, &BulkOmniMessageCreateSuccessResponse { messages: results }).key(&caller.key.id);
        handled.wake_reports = reports;
        if refused > 0 {
            handled.note = Some(format!("{refused} of {} item(s) refused", items.len()));
        }
        Ok(handled)
    }

    /// Resolves a validated omnimessage against the caller's key, applies the key's policy
    /// (`operation`: how it came, `Send` or `Bulk`; a `time_to_send` makes it `Schedule`),
    /// plans and signs its lifecycle, and records it all in one transaction.
    /// `raw`: the omnimessage as the client sent it (what relay mode forwards).
    fn accept(
        &self,
        caller: &Caller,
        raw: &serde_json::Value,
        request: SendRequest,
        store: &Store,
        operation: Scope,
    ) -> Result<Accepted, Failure> {
        let Planned {
            record,
            events,
            created,
            text,
            autoconvert,
            sms,
        } = self.plan(caller, request, store, operation)?;
        let reports = record.dlr_url.is_some();
        let (parts, now, send_at) = (record.parts, record.at, record.send_at);
        let admitted = self.recorder.admit(
            record,
            events,
            &caller.secret_row,
            caller.peer.to_string(),
            Some(&caller.key.settings.policy),
        );
        committed(&caller.key.id, admitted)?;
        if let Some(relay) = &self.relay {
            // Recorded (and counted against rate and quota) first; the row gets the outcome.
            let peer = caller.peer.to_string();
            let outgoing = Outgoing {
                raw,
                placeholder: &created.omnimessage_id,
                sender: &created.messages[sms].sender,
                text: &text,
                autoconvert,
                key_id: &caller.key.id,
                secret_id: caller.secret_row.id,
                secret: &caller.secret,
                peer: &peer,
                parts,
                at: now,
                send_at,
            };
            let created = relay.forward(&outgoing).map_err(|r| Failure {
                note: Some(r.note),
                key_id: Some(caller.key.id.clone()),
                ..Failure::from(*r.error)
            })?;
            // The upstream's reports come back through the relay, as they arrive.
            return Ok(Accepted { created, reports: true });
        }
        Ok(Accepted { created, reports })
    }

    /// Everything [`accept`](Self::accept) does before recording: the message resolved
    /// against the key, checked against its policy, with its planned and signed reports.
    fn plan(&self, caller: &Caller, request: SendRequest, store: &Store, operation: Scope) -> Result<Planned, Failure> {
        let key = &caller.key;
        let refuse = |error: ApiError| Failure {
            error: Box::new(error),
            key_id: Some(key.id.clone()),
            note: None,
        };
        let resolved = resolve::resolve(
            &Requested {
                sender: request.sender.clone(),
                autoconvert: request.autoconvert,
                dlr: request.dlr.clone(),
            },
            &key.settings,
        );
        let Some(sender) = resolved.sender.value else {
            return Err(refuse(ApiError::missing(
                request::SENDER,
                format!(
                    "no sender: the message has none and key '{}' has no default sender; send 'sender', \
                     or set a default with `smsctl key set {} --sender NAME`",
                    key.name, key.name
                ),
            )));
        };
        let autoconvert = resolved.autoconvert.value;
        let table = self.keys.replacements(store.conn(), &key.settings.replace)?;
        let analysis = crate::text::analyze_with(&request.text, autoconvert, &table);
        let now = time::now();
        // Key policy: the stateless rules here, rate and quota when recording.
        let attempt = Attempt {
            // A time_to_send that has already come is a send now: it needs the send scope.
            operation: if request.time_to_send.is_some_and(|at| at > now) {
                Scope::Schedule
            } else {
                operation
            },
            sender: Some(&sender),
            to: Some(&request.to),
            parts: Some(u32::try_from(analysis.segments).unwrap_or(u32::MAX)),
            now,
        };
        guard::check(key, &attempt).map_err(refuse)?;
        let send_at = request.time_to_send.filter(|at| *at > now);
        let start = send_at.unwrap_or(now);
        let omnimessage_id = omni::new_id();
        let dlr_url = resolved.dlr_url.value;
        let messages: Vec<MessageResult> = request
            .entries
            .iter()
            .map(|entry| MessageResult {
                channel: entry.channel,
                message_id: omni::new_id(),
                sender: entry.sender.clone().unwrap_or_else(|| sender.clone()),
            })
            .collect();
        let mut planned = Vec::new();
        // Relay mode: the upstream's reports make the history, as they arrive.
        let sandbox = if self.relay.is_some() { &messages[..0] } else { &messages[..] };
        for (i, entry) in sandbox.iter().enumerate() {
            // Entries before the SMS one have no route here and fall through to the next;
            // entries after it are never tried (the SMS entry ends the sandbox's chain).
            let steps = match i.cmp(&request.sms) {
                std::cmp::Ordering::Less => vec![lifecycle::NO_ROUTE],
                std::cmp::Ordering::Equal => lifecycle::plan(&request.to, request.validity, self.slow),
                std::cmp::Ordering::Greater => Vec::new(),
            };
            for step in steps {
                planned.push(self.event(caller, &request.to, &omnimessage_id, entry, step, start, dlr_url.clone()));
            }
        }
        let text = match request.text_store {
            "plaintext" => Some(analysis.text.clone()),
            "sha256" => Some(lifecycle::sha256_hex(analysis.text.as_bytes())),
            _ => None,
        };
        let record = NewMessage {
            at: now,
            origin: Origin::Gateway,
            key_id: key.id.clone(),
            recipient: request.to.clone(),
            sender: Some(sender),
            autoconvert,
            dlr_url,
            encoding: analysis.encoding,
            parts: analysis.segments as i64,
            http_status: Some(201),
            message_id: Some(messages[request.sms].message_id.clone()),
            omnimessage_id: Some(omnimessage_id.clone()),
            error: None,
            text_store: Some(request.text_store.to_owned()),
            text,
            send_at,
            secret_id: Some(caller.secret_row.id),
            relay_outcome: self.relay.as_ref().map(|_| "pending".to_owned()),
        };
        Ok(Planned {
            record,
            events: planned,
            created: OmniMessageCreateSuccessResponse {
                messages,
                to: request.to,
                omnimessage_id,
            },
            text: analysis.text,
            autoconvert: autoconvert.as_str(),
            sms: request.sms,
        })
    }

    /// One planned status change with its report body, signed with the caller's secret now
    /// (with a webhook to POST it to; without one, body and signature are empty).
    #[allow(clippy::too_many_arguments)]
    fn event(
        &self,
        caller: &Caller,
        to: &str,
        omnimessage_id: &str,
        entry: &MessageResult,
        step: Step,
        start: UnixMillis,
        dlr_url: Option<String>,
    ) -> NewEvent {
        let due_at = start + step.after;
        // Without a webhook the row is history only and nothing is ever POSTed: there is no
        // report to build and sign, and about half the bytes a message writes are not written.
        let (body, signature) = match &dlr_url {
            None => (String::new(), String::new()),
            Some(_) => {
                let body = serde_json::to_string(&DeliveryReport {
                    status: step.status,
                    sender: &entry.sender,
                    err: step.err,
                    message_id: &entry.message_id,
                    to,
                    channel: entry.channel,
                    error: lifecycle::error_text(step.err),
                    omnimessage_id,
                    timestamp: lifecycle::timestamp(due_at),
                })
                .unwrap_or_default();
                let signature = lifecycle::sign(caller.secret.as_bytes(), body.as_bytes());
                (body, signature)
            }
        };
        NewEvent {
            omnimessage_id: omnimessage_id.to_owned(),
            message_id: entry.message_id.clone(),
            channel: entry.channel.as_str().to_owned(),
            sender: Some(entry.sender.clone()),
            status: step.status.to_owned(),
            err: step.err,
            due_at,
            dlr_url,
            body,
            signature,
        }
    }

    /// The relay, when `row` went through it.
    fn relayed(&self, row: &MessageRow) -> Option<&Relay> {
        self.relay.as_ref().filter(|_| row.relay_outcome.as_deref() == Some("accepted"))
    }

    /// The caller's own gateway message, or a 404 that does not say whether the id exists.
    fn own_message(caller: &Caller, store: &Store, id: &str) -> Result<MessageRow, Failure> {
        messages::find_gateway(store.conn(), id)?
            .filter(|row| row.key_id == caller.key.id)
            .ok_or_else(|| Failure {
                error: Box::new(ApiError::not_found(format!("no omnimessage '{}' for this key", printable(id)))),
                key_id: Some(caller.key.id.clone()),
                note: None,
            })
    }

    /// `DELETE /omnimessage/{id}`: 202 `{}` while the message waits for its `time_to_send`;
    /// 404 once it has been sent, was cancelled, or is not this key's.
    fn cancel(&self, req: &Request, peer: IpAddr, store: &Store, id: &str) -> Result<Handled, Failure> {
        let caller = self.authenticate(req, peer, store)?;
        self.check_scope(&caller, Scope::Schedule)?;
        let row = Self::own_message(&caller, store, id)?;
        let now = time::now();
        let gone = || Failure {
            error: Box::new(ApiError::not_found(format!(
                "omnimessage '{}' is not scheduled: it has been sent or cancelled already",
                printable(id)
            ))),
            key_id: Some(caller.key.id.clone()),
            note: None,
        };
        if row.cancelled_at.is_some() || row.send_at.is_none_or(|at| at <= now) {
            return Err(gone());
        }
        if let Some(relay) = self.relayed(&row) {
            relay.cancel(id).map_err(|r| Failure {
                error: r.error,
                key_id: Some(caller.key.id.clone()),
                note: Some(r.note),
            })?;
        }
        let entry = MessageResult {
            channel: Channel::Sms,
            message_id: row.message_id.clone().unwrap_or_default(),
            sender: row.sender.clone().unwrap_or_default(),
        };
        let deleted = self.event(
            &caller,
            &row.recipient,
            id,
            &entry,
            Step {
                status: "DELETED",
                err: 0,
                after: Millis::ZERO,
            },
            now,
            None,
        );
        let cancelled = self
            .recorder
            .cancel(id, deleted, &caller.secret_row, now, caller.peer.to_string())
            .map_err(|e| Failure {
                note: Some(format!("store: {e}")),
                key_id: Some(caller.key.id.clone()),
                error: Box::new(ApiError::internal(500, "the gateway could not cancel the message; see its log")),
            })?;
        if !cancelled {
            // Its time came while we looked.
            return Err(gone());
        }
        Ok(Handled::json(202, &serde_json::json!({})).key(&caller.key.id))
    }

    fn read_back(&self, req: &Request, peer: IpAddr, store: &Store, id: &str, what: ReadBack) -> Result<Handled, Failure> {
        let caller = self.authenticate(req, peer, store)?;
        self.check_scope(&caller, Scope::Status)?;
        self.recorder.touch(&caller.secret_row, time::now(), peer.to_string());
        let row = Self::own_message(&caller, store, id)?;
        let now = time::now();
        let history: Vec<Change> = events::history(store.conn(), id)?;
        let upstream = match (what, self.relayed(&row)) {
            (ReadBack::Status, Some(relay)) => relay.status(id).map_err(|r| Failure {
                error: r.error,
                key_id: Some(caller.key.id.clone()),
                note: Some(r.note),
            })?,
            _ => None,
        };
        let handled = match what {
            ReadBack::Status if upstream.is_some() => Handled::json(200, &upstream),
            ReadBack::Status => Handled::json(200, &status_report(&row, &history, now)),
            ReadBack::Message => {
                let due = history.into_iter().filter(|e| e.due_at <= now).collect();
                Handled::json(200, &Recorded::new(&row, due))
            }
        };
        Ok(handled.key(&caller.key.id))
    }
}

/// The latest due status of each channel entry that has been or will be tried, in send order;
/// an entry whose first status is not due yet is all nulls (still processing).
fn status_report(row: &MessageRow, history: &[Change], now: UnixMillis) -> DeliveryReportResponse {
    let mut statuses: Vec<(String, DeliveryResult)> = Vec::new();
    for event in history {
        let slot = match statuses.iter().position(|(id, _)| *id == event.message_id) {
            Some(i) => i,
            None => {
                statuses.push((
                    event.message_id.clone(),
                    DeliveryResult {
                        status: None,
                        channel: event.channel.clone(),
                        message_id: event.message_id.clone(),
                        error: None,
                        err: None,
                        timestamp: None,
                        sender: event.sender.clone(),
                    },
                ));
                statuses.len() - 1
            }
        };
        if event.due_at <= now {
            let result = &mut statuses[slot].1;
            result.status = Some(event.status.clone());
            result.err = Some(event.err);
            result.error = lifecycle::error_text(event.err);
            result.timestamp = Some(lifecycle::timestamp(event.due_at));
        }
    }
    DeliveryReportResponse {
        statuses: statuses.into_iter().map(|(_, r)| r).collect(),
        to: row.recipient.clone(),
        omnimessage_id: row.omnimessage_id.clone().unwrap_or_default(),
    }
}

impl Api {
    /// [`authenticate`], then the policy hook: refusals are counted, canaries tripped.
    /// A 403 unless the key's scopes include `scope` (for requests that carry nothing else
    /// the policy looks at).
    fn check_scope(&self, caller: &Caller, scope: Scope) -> Result<(), Failure> {
        guard::check(&caller.key, &Attempt::operation(scope, time::now())).map_err(|error| Failure {
            error: Box::new(error),
            key_id: Some(caller.key.id.clone()),
            note: Some("policy: scope".into()),
        })
    }

    /// Authenticates, then counts a refusal or trips a canary (key policy).
    fn authenticate(&self, req: &Request, peer: IpAddr, store: &Store) -> Result<Caller, Failure> {
        let result = authenticate(req, peer, store, &self.keys);
        let seen = match &result {
            Ok(caller) => AuthSeen::Accepted(&caller.key),
            Err(f) => AuthSeen::Refused {
                claimed: f.key_id.as_deref(),
                reason: f.note.as_deref(),
            },
        };
        match guard::after_auth(&self.recorder, store, peer, seen, time::now()) {
            None => result,
            Some(error) => Err(Failure {
                error: Box::new(error),
                key_id: result.as_ref().map_or_else(|f| f.key_id.clone(), |c| Some(c.key.id.clone())),
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
    #[serde(serialize_with = "iso_opt")]
    time_to_send: Option<UnixMillis>,
    #[serde(serialize_with = "iso_opt")]
    cancelled_at: Option<UnixMillis>,
    autoconvert: AutoConvert,
    encoding: Encoding,
    parts: i64,
    text_store: Option<String>,
    text: Option<String>,
    dlr_url: Option<String>,
    delivery_report: Option<ReportOutcome>,
    /// Every status change so far, oldest first, with its report's delivery state (without
    /// its report body and signature; `id` is null for one no webhook hears).
    history: Vec<Change>,
}

#[derive(Serialize)]
struct ReportOutcome {
    status: String,
    attempts: i64,
    #[serde(serialize_with = "iso_opt")]
    at: Option<UnixMillis>,
}

impl Recorded {
    fn new(row: &MessageRow, history: Vec<Change>) -> Recorded {
        Recorded {
            omnimessage_id: row.omnimessage_id.clone().unwrap_or_default(),
            to: row.recipient.clone(),
            messages: vec![MessageResult {
                channel: Channel::Sms,
                message_id: row.message_id.clone().unwrap_or_default(),
                sender: row.sender.clone().unwrap_or_default(),
            }],
            created_at: time::format(row.at),
            time_to_send: row.send_at,
            cancelled_at: row.cancelled_at,
            autoconvert: row.autoconvert,
            encoding: row.encoding,
            parts: row.parts,
            text_store: row.text_store.clone(),
            text: row.text.clone(),
            dlr_url: row.dlr_url.clone(),
            delivery_report: row.dlr_status.as_ref().map(|status| ReportOutcome {
                status: status.to_string(),
                attempts: row.dlr_attempts,
                at: row.dlr_at,
            }),
            history,
        }
    }
}

/// HTTP Basic (username = key id, password = secret), checked exactly as `key verify` checks.
/// 401 details never say whether a key id exists or which secret is wrong.
fn authenticate(req: &Request, peer: IpAddr, store: &Store, keys: &KeyCache) -> Result<Caller, Failure> {
    let (key_id, secret) = credentials(req)?;
    let claimed = Some(claimed_id(&key_id));
    let outcome = auth::check_with(Some(&key_id), &secret, Some(peer), time::now(), |hash| {
        keys.lookup(store.conn(), hash)
    })?;
    let detail = match outcome.reason {
        Reason::Ok => {
            return match (outcome.key, outcome.secret) {
                (Some(key), Some(secret_row)) => Ok(Caller {
                    key,
                    secret_row,
                    // Signed with the secret as it authenticated: without the whitespace a
                    // client may have sent around it (a secret read from a file with its newline).
                    secret: Zeroizing::new(secret.trim().to_owned()),
                    peer,
                }),
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
        assert!(matches!(route("DELETE", "/v1/omnimessage/abc"), Route::Cancel("abc")));
        assert!(matches!(route("PUT", "/v1/omnimessage/abc"), Route::WrongMethod("GET, DELETE")));
        assert!(matches!(route("POST", "/v1/omnimessages"), Route::Bulk));
        assert!(matches!(route("GET", "/v1/omnimessages"), Route::WrongMethod("POST")));
        for path in [
            "/",
            "/v1",
            "/v1/omnimessages/x",
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
