//! Relay mode (`gateway serve --upstream URL`): after the gateway has authenticated a team's
//! key and applied its whitelist, policy and precedence, the message goes on to an
//! Omnimessage-compatible upstream with the account's one credential, and the upstream's
//! delivery reports come back through [`REPORT_PATH`], are verified, recorded and re-signed
//! for the team.
//!
//! Ids: the team sees the upstream's omnimessage and message ids (one id across the provider's
//! records and the team's). Until the upstream answers, the message row carries a placeholder.
//!
//! Failures: the POST is never retried here. Refused before it left (breaker open, connection
//! refused) is `not sent` and 503; a timeout or a broken answer after the request went out is
//! `unknown` (504/502): the message may exist upstream, and `smsctl messages` shows it so.
//!
//! Re-signing: a report from the upstream arrives long after the request that held the team's
//! secret. The relay keeps, per relayed message, the two SHA-256 states HMAC reaches after its
//! key blocks ([`Midstates`]); with them it computes HMAC-SHA256(secret, body) for any body
//! without the secret. They are not the secret and do not authenticate (the store's
//! authentication hash is SHA-256 of the secret itself), but they do let whoever reads them sign
//! reports for that secret; docs/relay.md says so, and they expire.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde_json::Value;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use super::lifecycle;
use super::recorder::RecorderHandle;
use crate::error::{Error, Result};
use crate::omni::{ApiError, Channel, ErrorOmnichannel, OmniMessageCreateSuccessResponse};
use crate::settings;
use crate::store::events::{self, NewEvent};
use crate::store::{Store, StoreAt};
use crate::time::{self, Millis, UnixMillis};
use crate::upstream::Credential;

/// Where the upstream POSTs delivery reports (under the gateway's `--public-url`).
pub(crate) const REPORT_PATH: &str = "/relay/dlr";
/// How long re-signing material is kept after the send time.
const SIGNING_TTL: Millis = Millis::days(7);
/// Idle keep-alive connections to the upstream kept for reuse.
const UPSTREAM_POOL: usize = 64;
/// A `pending` row older than this at start-up was left by a gateway that stopped mid-send.
const PENDING_SWEEP: Millis = Millis::minutes(10);
/// How long a report for a message whose upstream answer is still being recorded waits.
const REPORT_WAIT: Duration = Duration::from_secs(2);

/// `gateway serve`'s relay options, checked.
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    /// The upstream's API base, e.g. `https://api.messente.com/v1` (no trailing slash).
    pub upstream: String,
    /// Where the upstream reaches this gateway; `None`: the bound address (loopback only).
    pub public_url: Option<String>,
    pub credential: Credential,
    /// Where the credential came from, for the start-up line.
    pub credential_source: &'static str,
    pub timeout: Duration,
    pub breaker_threshold: u32,
    pub breaker_cooldown: Duration,
}

/// Checks an upstream base URL: https, or plain http to loopback only (as for `send`).
pub(crate) fn validate_upstream(input: &str) -> Result<String> {
    let bad = |why: &str| {
        Error::usage(format!("invalid --upstream '{}': {why}", crate::store::keys::printable(input)))
            .hint("give the provider's API base, e.g. --upstream https://api.messente.com/v1 (plain http only to 127.0.0.1/::1/localhost)")
    };
    let url = url::Url::parse(input).map_err(|e| bad(&e.to_string()))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(bad(
            "credentials in the URL are not allowed; the credential comes from `smsctl upstream set` or the environment",
        ));
    }
    match url.scheme() {
        "https" => {}
        "http" if settings::is_loopback_url(&url) => {}
        "http" => return Err(bad("plain http is allowed only to a loopback address")),
        _ => return Err(bad("the scheme must be https")),
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(bad("no query or fragment"));
    }
    Ok(input.trim_end_matches('/').to_owned())
}

/// What the team gets when the relay cannot give the upstream's answer.
pub(crate) struct Refusal {
    pub error: Box<ApiError>,
    /// For the log line.
    pub note: String,
}

/// The outcome of one upstream call that got an HTTP answer or failed in transport.
enum Call {
    Answer {
        status: u16,
        body: String,
        retry_after: Option<u64>,
    },
    /// Never left this machine (connection refused, name not resolved, connect timeout).
    NotSent(String),
    /// Went out; no usable answer came back.
    Timeout(String),
    Broken(String),
}

pub(crate) struct Relay {
    base: String,
    callback: String,
    credential: Credential,
    authorization: Zeroizing<String>,
    agent: ureq::Agent,
    breaker: Mutex<Breaker>,
    threshold: u32,
    cooldown: Duration,
    /// Upstream answers and reports go through the gateway's group-committing writer.
    recorder: RecorderHandle,
    /// Reads, and the rare writes (breaker state, the start-up sweep).
    writer: Mutex<Store>,
}

/// The upstream circuit breaker: a pure state machine over the instants it is given, so its
/// timing is tested with instants a test chooses; the relay gives it `Instant::now()`.
#[derive(Debug, Default)]
struct Breaker {
    failures: u32,
    open_until: Option<Instant>,
    /// Half-open: one trial request is out.
    trial: bool,
    last_error: Option<String>,
}

impl Breaker {
    /// `Err(seconds)` while the breaker is open (or its one trial is out); past the cooldown the
    /// first caller becomes the trial.
    fn admit(&mut self, now: Instant) -> std::result::Result<(), u64> {
        match self.open_until {
            None => Ok(()),
            Some(until) if now < until => Err(until.saturating_duration_since(now).as_secs().max(1)),
            Some(_) if self.trial => Err(1),
            Some(_) => {
                self.trial = true;
                Ok(())
            }
        }
    }

    /// Closes the breaker; `true` when that changed something worth recording.
    fn succeeded(&mut self) -> bool {
        let changed = self.open_until.is_some() || self.failures > 0;
        *self = Breaker::default();
        changed
    }

    /// Counts a failure; opens (or reopens, after a failed trial) at `threshold` failures.
    /// `true` when the breaker has just opened from closed, or a trial failed.
    fn failed(&mut self, why: &str, now: Instant, threshold: u32, cooldown: Duration) -> bool {
        self.failures += 1;
        self.last_error = Some(why.to_owned());
        if !(self.trial || self.failures >= threshold) {
            return false;
        }
        let news = self.open_until.is_none() || self.trial;
        self.open_until = Some(now + cooldown);
        self.trial = false;
        news
    }

    fn view(&self, now: Instant) -> BreakerView {
        let state = match self.open_until {
            None => "closed",
            Some(until) if now < until => "open",
            Some(_) => "half-open",
        };
        BreakerView {
            state,
            failures: self.failures,
            retry_in: self.open_until.map(|u| u.saturating_duration_since(now)).filter(|d| !d.is_zero()),
            last_error: self.last_error.clone(),
        }
    }
}

/// The breaker's state, for `/healthz` and the store.
pub(crate) struct BreakerView {
    pub state: &'static str,
    pub failures: u32,
    pub retry_in: Option<Duration>,
    pub last_error: Option<String>,
}

impl Relay {
    /// `local`: the bound address, the callback's host when there is no `--public-url`.
    pub(crate) fn start(settings: &Settings, local: std::net::SocketAddr, db: &StoreAt, recorder: RecorderHandle) -> Result<Relay> {
        let public = match &settings.public_url {
            Some(url) => url.trim_end_matches('/').to_owned(),
            None if local.ip().to_canonical().is_loopback() => format!("http://{local}"),
            None => {
                return Err(Error::usage("--upstream on a non-loopback --listen needs --public-url")
                    .hint("give the https URL the upstream reaches this gateway at, e.g. --public-url https://sms-relay.example.com"));
            }
        };
        let callback = settings::validate_dlr_url(&format!("{public}{REPORT_PATH}"))
            .map_err(|e| Error::usage(format!("invalid --public-url: {}", e.message)).hint("https, or plain http to loopback"))?;
        let loopback = url::Url::parse(&settings.upstream).is_ok_and(|u| settings::is_loopback_url(&u));
        let relay = Relay {
            base: settings.upstream.clone(),
            callback,
            authorization: crate::omni::client::basic_auth(&settings.credential.username, settings.credential.password()),
            credential: settings.credential.clone(),
            agent: upstream_agent(settings.timeout, loopback),
            breaker: Mutex::new(Breaker::default()),
            threshold: settings.breaker_threshold.max(1),
            cooldown: settings.breaker_cooldown,
            recorder,
            writer: Mutex::new(db.open()?),
        };
        relay.save_breaker();
        relay.sweep_pending()?;
        Ok(relay)
    }

    /// Rows still `pending` long after any upstream call could have ended: a gateway stopped
    /// between recording and the upstream's answer. The message may have been sent.
    fn sweep_pending(&self) -> Result<()> {
        let cutoff = time::now() - PENDING_SWEEP;
        let swept = self.write(|tx| crate::store::relay::sweep_pending(tx, cutoff))?;
        if swept > 0 {
            eprintln!(
                "smsctl gateway: {swept} relayed message(s) left pending by an earlier run are now 'unknown' (see `smsctl messages`)"
            );
        }
        Ok(())
    }

    pub(crate) fn upstream(&self) -> &str {
        &self.base
    }

    pub(crate) fn callback(&self) -> &str {
        &self.callback
    }

    fn write<T>(&self, f: impl FnOnce(&crate::store::Conn) -> Result<T>) -> Result<T> {
        self.writer.lock().unwrap_or_else(|p| p.into_inner()).write(f)
    }

    // --- the circuit breaker -------------------------------------------------------------

    fn lock_breaker(&self) -> std::sync::MutexGuard<'_, Breaker> {
        self.breaker.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// `Err(seconds)` while the breaker is open (or its one trial is out).
    fn admit(&self) -> std::result::Result<(), u64> {
        let now = Instant::now();
        self.lock_breaker().admit(now)
    }

    fn succeeded(&self) {
        let changed = self.lock_breaker().succeeded();
        if changed {
            self.save_breaker();
        }
    }

    fn failed(&self, why: &str) {
        let now = Instant::now();
        let (opened, failures) = {
            let mut b = self.lock_breaker();
            (b.failed(why, now, self.threshold, self.cooldown), b.failures)
        };
        if opened {
            eprintln!(
                "smsctl gateway: upstream circuit open after {failures} failure(s) ({why}); next try in {:?}",
                self.cooldown
            );
        }
        self.save_breaker();
    }

    pub(crate) fn breaker(&self) -> BreakerView {
        let now = Instant::now();
        self.lock_breaker().view(now)
    }

    /// What `smsctl doctor` reads (the breaker lives in this process's memory).
    fn save_breaker(&self) {
        let view = self.breaker();
        let upstream = self.base.clone();
        let written = self.write(|tx| {
            crate::store::relay::save_breaker(
                tx,
                &crate::store::relay::BreakerState {
                    upstream: upstream.clone(),
                    breaker: view.state.to_string(),
                    failures: i64::from(view.failures),
                    detail: view.last_error.clone(),
                    updated_at: time::now(),
                },
            )
        });
        if let Err(e) = written {
            eprintln!("smsctl gateway: cannot record the upstream breaker state: {}", e.message);
        }
    }

    // --- calling the upstream ------------------------------------------------------------

    fn call(&self, method: &str, path: &str, body: Option<&[u8]>) -> Call {
        let url = format!("{}{path}", self.base);
        let auth = self.authorization.as_str();
        let sent = match (method, body) {
            ("POST", Some(body)) => self
                .agent
                .post(&url)
                .header("Authorization", auth)
                .header("Accept", "application/json")
                .header("Content-Type", "application/json")
                .send(body),
            ("DELETE", _) => self
                .agent
                .delete(&url)
                .header("Authorization", auth)
                .header("Accept", "application/json")
                .call(),
            _ => self
                .agent
                .get(&url)
                .header("Authorization", auth)
                .header("Accept", "application/json")
                .call(),
        };
        match sent {
            Ok(mut resp) => {
                let status = resp.status().as_u16();
                let retry_after = resp
                    .headers()
                    .get("retry-after")
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.trim().parse().ok());
                match resp
                    .body_mut()
                    .with_config()
                    .limit(crate::omni::client::MAX_RESPONSE_BYTES)
                    .read_to_string()
                {
                    Ok(body) => Call::Answer { status, body, retry_after },
                    Err(ureq::Error::Timeout(t)) => Call::Timeout(format!("the upstream's answer (HTTP {status}) timed out ({t})")),
                    Err(e) => Call::Broken(format!("the upstream's answer (HTTP {status}) could not be read: {e}")),
                }
            }
            Err(e) => classify(e),
        }
    }

    /// Maps an upstream call that did not succeed, recording it with the breaker.
    fn failure(&self, call: Call, what: &str) -> (Refusal, Outcome) {
        match call {
            Call::Answer { status: 401, .. } => {
                // The account credential, not the team's key: the team cannot fix this.
                let why = "the upstream refused the relay's account credential (HTTP 401)".to_owned();
                self.failed(&why);
                let error = retry(
                    ApiError::internal(502, format!("{why}; the operator must check `smsctl upstream show`")),
                    30,
                );
                (refusal(error, &why), Outcome::NotSent(why))
            }
            Call::Answer { status, body, retry_after } if (400..500).contains(&status) => {
                self.succeeded();
                let mut error = upstream_error(status, &body);
                error.retry_after = retry_after.or((status == 429).then_some(1));
                let why = format!("HTTP {status}: {}", error.detail);
                (refusal(error, &format!("upstream {why}")), Outcome::Refused(why))
            }
            Call::Answer {
                status: 503, retry_after, ..
            } => {
                let why = "the upstream answered 503 (unavailable)".to_owned();
                self.failed(&why);
                let error = retry(
                    ApiError::internal(503, format!("{why}; nothing was sent, retry later")),
                    retry_after.unwrap_or(5),
                );
                (refusal(error, &why), Outcome::NotSent(why))
            }
            Call::Answer { status, retry_after, .. } => {
                let why = format!("the upstream answered HTTP {status} to {what}");
                self.failed(&why);
                let error = retry(ApiError::internal(502, unknown_detail(&why)), retry_after.unwrap_or(5));
                (refusal(error, &why), Outcome::Unknown(why))
            }
            Call::NotSent(why) => {
                self.failed(&why);
                let error = retry(
                    ApiError::internal(503, format!("the upstream is unreachable ({why}); nothing was sent, retry later")),
                    5,
                );
                (refusal(error, &why), Outcome::NotSent(why))
            }
            Call::Timeout(why) => {
                self.failed(&why);
                let error = retry(ApiError::internal(504, unknown_detail(&why)), 5);
                (refusal(error, &why), Outcome::Unknown(why))
            }
            Call::Broken(why) => {
                self.failed(&why);
                let error = retry(ApiError::internal(502, unknown_detail(&why)), 5);
                (refusal(error, &why), Outcome::Unknown(why))
            }
        }
    }

    fn breaker_refusal(&self, seconds: u64) -> Refusal {
        let why = "the upstream circuit is open after repeated failures".to_owned();
        refusal(
            retry(
                ApiError::internal(503, format!("{why}; nothing was sent, retry in {seconds} s")),
                seconds,
            ),
            &why,
        )
    }

    // --- sending ---------------------------------------------------------------------------

    /// Forwards one accepted omnimessage (`raw`, as the client sent it) with the resolved
    /// sender and autoconvert, the text as the key's auto-replace left it (the upstream does not
    /// know the key's table) and the relay's callback as `dlr_url`, then records the
    /// upstream's answer on the message row recorded under `placeholder`.
    pub(crate) fn forward(&self, out: &Outgoing<'_>) -> std::result::Result<OmniMessageCreateSuccessResponse, Refusal> {
        let body = self.outgoing_body(out);
        let call = match self.admit() {
            Ok(()) => self.call("POST", "/omnimessage", Some(&body)),
            Err(seconds) => {
                let refusal = self.breaker_refusal(seconds);
                self.record_failure(out, &Outcome::NotSent(refusal.note.clone()), refusal.error.status);
                return Err(refusal);
            }
        };
        if let Call::Answer { status, body, .. } = &call {
            if (200..300).contains(status) {
                return match parse_created(body) {
                    Some(created) => {
                        self.succeeded();
                        self.record_accepted(out, &created).map_err(|e| {
                            // Sent, but we could not record it: the team must not resend blindly.
                            let why = format!("sent upstream as {}, but recording failed: {}", created.omnimessage_id, e.message);
                            refusal(ApiError::internal(500, unknown_detail(&why)), &why)
                        })?;
                        Ok(created)
                    }
                    None => {
                        let (refusal, outcome) = self.failure(
                            Call::Broken(format!("the upstream answered {status} with an unreadable body")),
                            "the send",
                        );
                        self.record_failure(out, &outcome, refusal.error.status);
                        Err(refusal)
                    }
                };
            }
        }
        let (refusal, outcome) = self.failure(call, "the send");
        self.record_failure(out, &outcome, refusal.error.status);
        Err(refusal)
    }

    fn outgoing_body(&self, out: &Outgoing<'_>) -> Vec<u8> {
        let mut body = out.raw.clone();
        if let Value::Object(payload) = &mut body {
            payload.insert("dlr_url".into(), Value::String(self.callback.clone()));
            if let Some(Value::Array(messages)) = payload.get_mut("messages") {
                for m in messages.iter_mut() {
                    let Value::Object(m) = m else { continue };
                    let sms =
                        matches!(m.get("channel"), None | Some(Value::Null)) || m.get("channel") == Some(&Value::String("sms".into()));
                    if sms {
                        m.insert("text".into(), Value::String(out.text.to_owned()));
                        m.insert("sender".into(), Value::String(out.sender.to_owned()));
                        m.insert("autoconvert".into(), Value::String(out.autoconvert.to_owned()));
                    } else if matches!(m.get("sender"), None | Some(Value::Null)) {
                        m.insert("sender".into(), Value::String(out.sender.to_owned()));
                    }
                }
            }
        }
        serde_json::to_vec(&body).unwrap_or_default()
    }

    fn record_accepted(&self, out: &Outgoing<'_>, created: &OmniMessageCreateSuccessResponse) -> Result<()> {
        let sms_id = created
            .messages
            .iter()
            .find(|m| m.channel == Channel::Sms)
            .or(created.messages.first())
            .map(|m| m.message_id.clone());
        let midstates = Midstates::new(out.secret.as_bytes()).to_bytes();
        let expires = out.send_at.unwrap_or(out.at) + SIGNING_TTL;
        let now = time::now();
        let (placeholder, omni, key_id, secret_id) = (
            out.placeholder.to_owned(),
            created.omnimessage_id.clone(),
            out.key_id.to_owned(),
            out.secret_id,
        );
        self.recorder
            .run(move |tx| {
                crate::store::relay::record_accepted(
                    tx,
                    &placeholder,
                    &omni,
                    sms_id.as_deref(),
                    &key_id,
                    secret_id,
                    &midstates,
                    expires,
                    now,
                )
            })
            .map_err(Error::store)
    }

    /// Records a send that did not get through. `not sent` and `refused` also take the message
    /// back out of the key's usage counters: nothing went out, so it is not traffic.
    fn record_failure(&self, out: &Outgoing<'_>, outcome: &Outcome, status: u16) {
        let text = outcome.text();
        let refund = !matches!(outcome, Outcome::Unknown(_));
        let day = crate::policy::utc_day(out.at);
        let detail = outcome.detail();
        let (placeholder, key_id, secret_id, peer, parts) = (
            out.placeholder.to_owned(),
            out.key_id.to_owned(),
            out.secret_id,
            out.peer.to_owned(),
            out.parts,
        );
        let written = self.recorder.run(move |tx| {
            let back = refund.then_some(crate::store::relay::Refund {
                key_id: &key_id,
                day: &day,
                secret_id,
                peer: &peer,
                parts,
            });
            crate::store::relay::record_failure(tx, &placeholder, &text, status, &detail, back)
        });
        if let Err(e) = written {
            eprintln!("smsctl gateway: cannot record the upstream outcome of {}: {e}", out.placeholder);
        }
    }

    /// `GET /omnimessage/{id}/status` at the upstream. `Ok(None)`: the upstream could not be
    /// asked (the caller answers from the store).
    pub(crate) fn status(&self, id: &str) -> std::result::Result<Option<Value>, Refusal> {
        if self.admit().is_err() {
            return Ok(None);
        }
        let path = format!("/omnimessage/{}/status", url_segment(id));
        match self.call("GET", &path, None) {
            Call::Answer { status: 200, body, .. } => {
                self.succeeded();
                Ok(serde_json::from_str(&body).ok())
            }
            call @ Call::Answer { status, .. } if (400..500).contains(&status) && status != 401 => {
                Err(self.failure(call, "a status request").0)
            }
            other => {
                let (refusal, _) = self.failure(other, "a status request");
                eprintln!("smsctl gateway: status of {id} answered from the store: {}", refusal.note);
                Ok(None)
            }
        }
    }

    /// `DELETE /omnimessage/{id}` at the upstream; `Ok` when the upstream cancelled it.
    pub(crate) fn cancel(&self, id: &str) -> std::result::Result<(), Refusal> {
        if let Err(seconds) = self.admit() {
            return Err(self.breaker_refusal(seconds));
        }
        let path = format!("/omnimessage/{}", url_segment(id));
        match self.call("DELETE", &path, None) {
            Call::Answer { status, .. } if (200..300).contains(&status) => {
                self.succeeded();
                Ok(())
            }
            other => Err(self.failure(other, "the cancel").0),
        }
    }

    // --- reports from the upstream -------------------------------------------------------

    /// `POST /relay/dlr`: a report signed with the account password. Returns the status to
    /// answer and a note for the log; `true` when a report was queued for the team.
    pub(crate) fn report(&self, body: &[u8], signature: Option<&str>) -> (u16, String, bool) {
        let Some(signature) = signature else {
            return (401, format!("report refused: no {} header", super::SIGNATURE_HEADER), false);
        };
        // The previous password too: reports signed before the credential was changed.
        let valid = |password: &str| lifecycle::verify(password.as_bytes(), body, signature);
        if !valid(self.credential.password()) && !self.credential.previous_password().is_some_and(valid) {
            return (
                401,
                "report refused: the signature does not match (forged or not from the upstream)".into(),
                false,
            );
        }
        let Ok(text) = std::str::from_utf8(body) else {
            return (400, "report refused: not UTF-8".into(), false);
        };
        let report: Value = match serde_json::from_str(text) {
            Ok(v @ Value::Object(_)) => v,
            _ => return (400, "report refused: not a JSON object".into(), false),
        };
        let field = |name: &str| report.get(name).and_then(Value::as_str).map(str::to_owned);
        let (Some(omni), Some(message_id), Some(status)) = (field("omnimessage_id"), field("message_id"), field("status")) else {
            return (
                400,
                "report refused: omnimessage_id, message_id and status are required".into(),
                false,
            );
        };
        let deadline = Instant::now() + REPORT_WAIT;
        let target = loop {
            match self.report_target(&omni) {
                Ok(Some(target)) => break target,
                Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(20)),
                // The upstream retries a report that is not acknowledged.
                Ok(None) => {
                    return (
                        404,
                        format!("report for unknown omnimessage {}", crate::store::keys::printable(&omni)),
                        false,
                    );
                }
                Err(e) => return (503, format!("report not recorded: {}", e.message), false),
            }
        };
        let Some(midstates) = target.midstates else {
            return (410, format!("report for {omni}: its signing material has expired"), false);
        };
        let event = NewEvent {
            omnimessage_id: omni.clone(),
            message_id,
            channel: field("channel").unwrap_or_else(|| "sms".into()),
            sender: field("sender"),
            status: status.clone(),
            err: report.get("err").and_then(Value::as_i64).unwrap_or(0),
            due_at: time::now(),
            dlr_url: target.dlr_url.clone(),
            // The upstream's bytes as they came: the ids in them are the team's ids too.
            body: text.to_owned(),
            signature: midstates.sign(body),
        };
        let written = self.recorder.run(move |tx| {
            // A report the upstream repeats (our answer was lost) is recorded once.
            let seen = crate::store::relay::report_seen(tx, &event.omnimessage_id, &event.body)?;
            if !seen {
                events::insert(tx, &event)?;
            }
            Ok(!seen)
        });
        match written {
            Ok(true) => (200, format!("report {status} for {omni} recorded"), target.dlr_url.is_some()),
            Ok(false) => (200, format!("report {status} for {omni} already recorded"), false),
            Err(e) => (503, format!("report not recorded: {e}"), false),
        }
    }

    fn report_target(&self, omni: &str) -> Result<Option<Target>> {
        let store = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        let conn = store.conn();
        let Some((dlr_url, midstates)) = crate::store::relay::report_target(conn, omni, time::now())? else {
            return Ok(None);
        };
        Ok(Some(Target {
            dlr_url,
            midstates: midstates.and_then(|b| Midstates::from_bytes(&b)),
        }))
    }
}

struct Target {
    dlr_url: Option<String>,
    midstates: Option<Midstates>,
}

/// One accepted message on its way upstream.
pub(crate) struct Outgoing<'a> {
    pub raw: &'a Value,
    pub placeholder: &'a str,
    pub sender: &'a str,
    /// The SMS text after the key's auto-replace (its own table and the account's), as counted.
    pub text: &'a str,
    pub autoconvert: &'a str,
    pub key_id: &'a str,
    pub secret_id: i64,
    pub secret: &'a str,
    pub peer: &'a str,
    pub parts: i64,
    pub at: UnixMillis,
    pub send_at: Option<UnixMillis>,
}

enum Outcome {
    Refused(String),
    NotSent(String),
    Unknown(String),
}

impl Outcome {
    fn text(&self) -> String {
        match self {
            Outcome::Refused(why) => format!("refused: {why}"),
            Outcome::NotSent(why) => format!("not sent: {why}"),
            Outcome::Unknown(why) => format!("unknown: {why}"),
        }
    }
    fn detail(&self) -> String {
        match self {
            Outcome::Refused(why) | Outcome::NotSent(why) | Outcome::Unknown(why) => why.clone(),
        }
    }
}

fn refusal(error: ApiError, note: &str) -> Refusal {
    Refusal {
        error: Box::new(error),
        note: format!("relay: {note}"),
    }
}

fn retry(mut error: ApiError, seconds: u64) -> ApiError {
    error.retry_after = Some(seconds);
    error
}

fn unknown_detail(why: &str) -> String {
    format!(
        "{why}; the message may have been sent: do not resend blindly. Check `smsctl messages`, or retry with the same Idempotency-Key, which is never forwarded twice"
    )
}

/// `crate::omni::client`'s rules (timeouts, no redirects, statuses as answers, no proxy on loopback),
/// with a connection pool sized for many request threads sharing one upstream: ureq keeps 3
/// idle connections per host by default, and every send past that would open a new one.
fn upstream_agent(timeout: Duration, loopback: bool) -> ureq::Agent {
    let mut config = ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .timeout_connect(Some(timeout.min(Duration::from_secs(5))))
        .max_redirects(0)
        .http_status_as_error(false)
        .max_idle_connections(UPSTREAM_POOL)
        .max_idle_connections_per_host(UPSTREAM_POOL)
        .user_agent(concat!("smsctl/", env!("CARGO_PKG_VERSION")));
    if loopback {
        config = config.proxy(None);
    }
    config.build().into()
}

fn classify(err: ureq::Error) -> Call {
    use ureq::Timeout as T;
    match err {
        ureq::Error::Timeout(t @ (T::Resolve | T::Connect)) => Call::NotSent(format!("connecting timed out ({t})")),
        ureq::Error::Timeout(t) => Call::Timeout(format!("the upstream did not answer in time ({t})")),
        ureq::Error::ConnectionFailed => Call::NotSent("connection refused or unreachable".into()),
        ureq::Error::HostNotFound => Call::NotSent("the upstream's host does not resolve".into()),
        ureq::Error::Io(e) if e.kind() == std::io::ErrorKind::ConnectionRefused => Call::NotSent("connection refused".into()),
        other => Call::Broken(format!("the connection to the upstream failed ({other})")),
    }
}

/// The upstream's `{"errors": [...]}` as the gateway's error: its status, detail and source,
/// and its title and code where they are the spec's.
fn upstream_error(status: u16, body: &str) -> ApiError {
    let first = ErrorOmnichannel::parse(body)
        .and_then(|e| e.errors.into_iter().next())
        .unwrap_or_default();
    let detail = first
        .detail
        .unwrap_or_else(|| format!("the upstream refused the request (HTTP {status})"));
    let fallback = match status {
        401 => ApiError::unauthorized(detail.clone()),
        403 | 429 => ApiError::forbidden(detail.clone()),
        404 => ApiError::not_found(detail.clone()),
        405 => ApiError::method_not_allowed(detail.clone()),
        _ => ApiError::invalid("payload", detail.clone()),
    };
    ApiError::from_upstream(
        status,
        first.title.as_deref(),
        first.code.as_deref(),
        detail,
        first.source,
        fallback,
    )
}

/// The upstream's 201, when it names the omnimessage and every message by id.
fn parse_created(body: &str) -> Option<OmniMessageCreateSuccessResponse> {
    OmniMessageCreateSuccessResponse::parse(body)
        .filter(|c| !c.omnimessage_id.is_empty() && c.messages.iter().all(|m| !m.message_id.is_empty()))
}

fn url_segment(id: &str) -> String {
    id.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b == b'-' || b == b'_' {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

// --- Idempotency-Key ------------------------------------------------------------------------

/// The header clients set; its answers are kept this long.
pub(crate) const IDEMPOTENCY_HEADER: &str = "Idempotency-Key";
const IDEMPOTENCY_TTL: Millis = Millis::hours(24);

/// What the store says about an Idempotency-Key before a request is handled.
pub(crate) enum Claim {
    /// First use: handle the request, then [`Idempotency::finish`] (or `release`).
    Claimed,
    /// The same body was answered before: this answer, again.
    Replay { status: u16, body: Vec<u8> },
    /// The key was used with another body, or its first request is still being handled.
    Conflict(String),
}

/// Idempotency-Key answers, per gateway key (not per secret: a retry with the new secret in
/// the middle of a rotation is the same request).
pub(crate) struct Idempotency {
    recorder: RecorderHandle,
}

impl Idempotency {
    pub(crate) fn new(recorder: RecorderHandle) -> Idempotency {
        Idempotency { recorder }
    }

    /// The header's value, checked: 1-255 printable ASCII characters.
    pub(crate) fn header_value(value: Option<&str>) -> std::result::Result<Option<String>, ApiError> {
        let Some(value) = value else { return Ok(None) };
        let value = value.trim();
        if value.is_empty() || value.len() > 255 || !value.bytes().all(|b| (0x21..0x7f).contains(&b)) {
            return Err(ApiError::invalid(
                "headers[Idempotency-Key]",
                "the Idempotency-Key header must be 1 to 255 printable ASCII characters without spaces",
            ));
        }
        Ok(Some(value.to_owned()))
    }

    pub(crate) fn claim(&self, key_id: &str, idem: &str, body: &[u8]) -> Result<Claim> {
        let hash = lifecycle::sha256_hex(body);
        let now = time::now();
        let (key_id, idem) = (key_id.to_owned(), idem.to_owned());
        self.recorder
            .run(move |tx| {
                let found = crate::store::relay::claim_idempotency(tx, &key_id, &idem, &hash, now, now - IDEMPOTENCY_TTL)?
                    .map(|r| (r.body_hash, r.status, r.response));
                Ok(match found {
                    None => Claim::Claimed,
                    Some((h, _, _)) if h != hash => Claim::Conflict(format!(
                        "Idempotency-Key '{}' was used with a different request body in the last 24 h; use a new key for a new request",
                        crate::store::keys::printable(&idem)
                    )),
                    Some((_, Some(status), Some(response))) => Claim::Replay {
                        status: u16::try_from(status).unwrap_or(500),
                        body: response.into_bytes(),
                    },
                    Some(_) => Claim::Conflict(format!(
                        "a request with Idempotency-Key '{}' is still being handled; retry when it has been answered",
                        crate::store::keys::printable(&idem)
                    )),
                })
            })
            .map_err(Error::store)
    }

    /// Keeps the answer for replays.
    pub(crate) fn finish(&self, key_id: &str, idem: &str, status: u16, body: &[u8]) {
        let text = String::from_utf8_lossy(body).into_owned();
        let (key_id, idem) = (key_id.to_owned(), idem.to_owned());
        let written = self
            .recorder
            .run(move |tx| crate::store::relay::finish_idempotency(tx, &key_id, &idem, status, &text));
        if let Err(e) = written {
            eprintln!("smsctl gateway: cannot record the Idempotency-Key answer: {e}");
        }
    }

    /// Forgets a claim whose request certainly sent nothing, so a retry may try again.
    pub(crate) fn release(&self, key_id: &str, idem: &str) {
        let (key_id, idem) = (key_id.to_owned(), idem.to_owned());
        let written = self
            .recorder
            .run(move |tx| crate::store::relay::release_idempotency(tx, &key_id, &idem));
        if let Err(e) = written {
            eprintln!("smsctl gateway: cannot release the Idempotency-Key: {e}");
        }
    }
}

// --- re-signing without the secret ----------------------------------------------------------

const SHA256_IV: [u32; 8] = [
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
];

/// HMAC-SHA256's two precomputed states for one key: SHA-256 after `K ⊕ ipad` and after
/// `K ⊕ opad`. Enough to compute HMAC(K, m) for any m; not K, and not SHA-256(K).
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Midstates {
    inner: [u32; 8],
    outer: [u32; 8],
}

impl Midstates {
    pub(crate) fn new(key: &[u8]) -> Midstates {
        let mut block = Zeroizing::new([0u8; 64]);
        if key.len() > 64 {
            block[..32].copy_from_slice(&Sha256::digest(key));
        } else {
            block[..key.len()].copy_from_slice(key);
        }
        let mut ipad = Zeroizing::new([0u8; 64]);
        let mut opad = Zeroizing::new([0u8; 64]);
        for i in 0..64 {
            ipad[i] = block[i] ^ 0x36;
            opad[i] = block[i] ^ 0x5c;
        }
        let mut inner = SHA256_IV;
        let mut outer = SHA256_IV;
        sha2::block_api::compress256(&mut inner, &[*ipad]);
        sha2::block_api::compress256(&mut outer, &[*opad]);
        Midstates { inner, outer }
    }

    /// `X-Messente-Signature` of `body`, as [`lifecycle::sign`] computes it with the key.
    pub(crate) fn sign(&self, body: &[u8]) -> String {
        let inner = finish(self.inner, body);
        crate::token::hex(&finish(self.outer, &inner))
    }

    pub(crate) fn to_bytes(&self) -> [u8; 64] {
        let mut out = [0u8; 64];
        for (i, w) in self.inner.iter().chain(self.outer.iter()).enumerate() {
            out[i * 4..i * 4 + 4].copy_from_slice(&w.to_be_bytes());
        }
        out
    }

    pub(crate) fn from_bytes(bytes: &[u8]) -> Option<Midstates> {
        if bytes.len() != 64 {
            return None;
        }
        let word = |i: usize| u32::from_be_bytes([bytes[i * 4], bytes[i * 4 + 1], bytes[i * 4 + 2], bytes[i * 4 + 3]]);
        Some(Midstates {
            inner: std::array::from_fn(word),
            outer: std::array::from_fn(|i| word(i + 8)),
        })
    }
}

/// SHA-256 of (one 64-byte block already absorbed into `state`) ‖ `data`.
fn finish(mut state: [u32; 8], data: &[u8]) -> [u8; 32] {
    let mut chunks = data.chunks_exact(64);
    for chunk in &mut chunks {
        let mut block = [0u8; 64];
        block.copy_from_slice(chunk);
        sha2::block_api::compress256(&mut state, &[block]);
    }
    let bits = ((64 + data.len()) as u64) * 8;
    let mut tail = chunks.remainder().to_vec();
    tail.push(0x80);
    while tail.len() % 64 != 56 {
        tail.push(0);
    }
    tail.extend_from_slice(&bits.to_be_bytes());
    for chunk in tail.chunks_exact(64) {
        let mut block = [0u8; 64];
        block.copy_from_slice(chunk);
        sha2::block_api::compress256(&mut state, &[block]);
    }
    let mut out = [0u8; 32];
    for (i, w) in state.iter().enumerate() {
        out[i * 4..i * 4 + 4].copy_from_slice(&w.to_be_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_breaker_opens_at_the_threshold_lets_one_trial_through_after_the_cooldown_and_closes_on_success() {
        let t0 = Instant::now();
        let cooldown = Duration::from_secs(30);
        let mut b = Breaker::default();
        assert_eq!(b.admit(t0), Ok(()));
        assert!(!b.failed("refused", t0, 3, cooldown), "below the threshold");
        assert!(!b.failed("refused", t0, 3, cooldown));
        assert_eq!((b.view(t0).state, b.admit(t0)), ("closed", Ok(())));
        assert!(b.failed("refused", t0, 3, cooldown), "the third failure opens it");
        let view = b.view(t0);
        assert_eq!((view.state, view.failures, view.retry_in), ("open", 3, Some(cooldown)));
        assert_eq!(view.last_error.as_deref(), Some("refused"));
        // Open: callers are told how long to wait, in whole seconds, at least 1.
        assert_eq!(b.admit(t0), Err(30));
        assert_eq!(b.admit(t0 + Duration::from_millis(29_500)), Err(1));
        assert_eq!(b.admit(t0 + Duration::from_millis(20_100)), Err(9));
        // Past the cooldown: half-open; the first caller is the trial, the rest wait.
        let later = t0 + cooldown;
        assert_eq!((b.view(later).state, b.view(later).retry_in), ("half-open", None));
        assert_eq!(b.admit(later), Ok(()));
        assert_eq!(b.admit(later), Err(1));
        assert!(b.succeeded(), "closing an open breaker is worth recording");
        assert_eq!((b.view(later).state, b.view(later).failures), ("closed", 0));
        assert!(!b.succeeded(), "a closed breaker's success changes nothing");
    }

    #[test]
    fn a_failed_trial_reopens_the_breaker_for_a_full_cooldown() {
        let t0 = Instant::now();
        let cooldown = Duration::from_secs(5);
        let mut b = Breaker::default();
        assert!(b.failed("timeout", t0, 1, cooldown));
        assert!(!b.failed("timeout", t0, 1, cooldown), "already open: not news");
        let trial_at = t0 + Duration::from_secs(6);
        assert_eq!(b.admit(trial_at), Ok(()));
        assert!(b.failed("still down", trial_at, 1, cooldown), "a failed trial is news");
        assert_eq!(b.view(trial_at).retry_in, Some(cooldown));
        assert_eq!(b.admit(trial_at + Duration::from_secs(4)), Err(1));
        assert_eq!(
            b.admit(trial_at + cooldown),
            Ok(()),
            "the next trial, one cooldown after the failed one"
        );
    }

    #[test]
    fn a_success_between_failures_starts_the_count_again() {
        let t0 = Instant::now();
        let mut b = Breaker::default();
        b.failed("refused", t0, 2, Duration::from_secs(1));
        assert!(b.succeeded(), "a counted failure is cleared");
        assert!(
            !b.failed("refused", t0, 2, Duration::from_secs(1)),
            "one failure after a success is below 2"
        );
        assert_eq!(b.view(t0).state, "closed");
    }

    #[test]
    fn midstates_sign_exactly_as_hmac_with_the_key() {
        let secret = format!("smsk_{}", "Ab3".repeat(12));
        for key in [secret.as_bytes(), b"".as_slice(), &[0xaa; 131], &[7; 64], &[9; 65]] {
            let m = Midstates::from_bytes(&Midstates::new(key).to_bytes()).unwrap();
            for len in [0usize, 1, 55, 56, 63, 64, 65, 119, 120, 200, 1000] {
                let body: Vec<u8> = (0..len).map(|i| (i * 31 % 251) as u8).collect();
                assert_eq!(m.sign(&body), lifecycle::sign(key, &body), "key {} body {len}", key.len());
            }
        }
    }

    #[test]
    fn midstates_are_neither_the_secret_nor_its_stored_hash() {
        let secret = format!("smsk_{}", "Zx9".repeat(12));
        let bytes = Midstates::new(secret.as_bytes()).to_bytes();
        let hash = Sha256::digest(secret.as_bytes());
        assert!(!bytes.windows(32).any(|w| w == hash.as_slice()));
        assert!(!bytes.windows(8).any(|w| secret.as_bytes().windows(8).any(|s| s == w)));
    }

    #[test]
    fn upstream_urls() {
        assert_eq!(
            validate_upstream("https://api.example.com/v1/").unwrap(),
            "https://api.example.com/v1"
        );
        assert!(validate_upstream("http://127.0.0.1:9/v1").is_ok());
        assert!(validate_upstream("http://localhost:9/v1").is_ok());
        for bad in [
            "http://api.example.com/v1",
            "ftp://x/v1",
            "https://u:p@api.example.com/v1",
            "nonsense",
            "https://a.example.com/v1?x=1",
        ] {
            assert_eq!(validate_upstream(bad).unwrap_err().exit_code(), 2, "{bad}");
        }
    }

    #[test]
    fn upstream_errors_keep_code_detail_and_source() {
        let e = upstream_error(
            400,
            r#"{"errors":[{"title":"Invalid data","detail":"bad to","code":"105","source":"payload[to]"}]}"#,
        );
        assert_eq!(
            (e.status, e.title, e.code, e.detail.as_str(), e.source.as_deref()),
            (400, "Invalid data", "105", "bad to", Some("payload[to]"))
        );
        let odd = upstream_error(422, "not json");
        assert_eq!((odd.status, odd.code), (422, "105"));
    }

    #[test]
    fn created_bodies_parse() {
        let c = parse_created(r#"{"messages":[{"channel":"viber","message_id":"a","sender":"S"},{"channel":"sms","message_id":"b","sender":"S"}],"to":"+1","omnimessage_id":"o"}"#).unwrap();
        assert_eq!(
            (c.omnimessage_id.as_str(), c.messages[1].channel, c.messages[1].message_id.as_str()),
            ("o", Channel::Sms, "b")
        );
        assert!(parse_created(r#"{"to":"+1"}"#).is_none());
    }
}
