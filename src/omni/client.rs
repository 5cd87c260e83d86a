//! The outbound HTTP client: one agent configuration (timeouts, no redirects, bounded bodies,
//! no proxy for loopback) used for Omnimessage API calls (`send`), delivery reports and
//! alerts (the gateway, `webhook test`). The HTTP server is `gateway/server.rs`.

use std::time::Duration;

use base64::Engine;

use crate::error::{Error, Result};

/// Responses larger than this are cut off and reported, never buffered whole.
pub(crate) const MAX_RESPONSE_BYTES: u64 = 64 * 1024;

/// An HTTP response with its body read (bounded).
#[derive(Debug, Clone)]
pub(crate) struct Response {
    pub status: u16,
    pub location: Option<String>,
    pub body: String,
    /// The body exceeded [`MAX_RESPONSE_BYTES`] and was not read.
    pub oversized: bool,
}

pub(crate) fn agent(timeout: Duration, loopback: bool) -> ureq::Agent {
    agent_with(timeout, timeout.min(Duration::from_secs(5)), loopback)
}

/// [`agent`] with its own connect timeout (`timeout` bounds the whole exchange).
pub(crate) fn agent_with(timeout: Duration, connect: Duration, loopback: bool) -> ureq::Agent {
    let mut config = ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .timeout_connect(Some(connect.min(timeout)))
        .max_redirects(0)
        .http_status_as_error(false)
        .user_agent(concat!("smsctl/", env!("CARGO_PKG_VERSION")));
    if loopback {
        // A proxy from the environment must not see loopback traffic or its credentials.
        config = config.proxy(None);
    }
    config.build().into()
}

pub(crate) fn basic_auth(user: &str, password: &str) -> zeroize::Zeroizing<String> {
    let raw = zeroize::Zeroizing::new(format!("{user}:{password}"));
    zeroize::Zeroizing::new(format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(raw.as_bytes())
    ))
}

/// POSTs a JSON body. Transport failures become exit-6 errors naming the URL (never credentials).
pub(crate) fn post_json(agent: &ureq::Agent, url: &str, authorization: Option<&str>, body: &impl serde::Serialize) -> Result<Response> {
    post_json_with(agent, url, authorization, &[], body)
}

/// [`post_json`] with extra headers (e.g. `Idempotency-Key`).
pub(crate) fn post_json_with(
    agent: &ureq::Agent,
    url: &str,
    authorization: Option<&str>,
    headers: &[(&str, &str)],
    body: &impl serde::Serialize,
) -> Result<Response> {
    let mut req = agent.post(url).header("Accept", "application/json");
    if let Some(auth) = authorization {
        req = req.header("Authorization", auth);
    }
    for (name, value) in headers {
        req = req.header(*name, *value);
    }
    let resp = req.send_json(body).map_err(|e| transport_error(url, e))?;
    read_response(url, resp)
}

/// POSTs raw bytes with extra headers (a signed webhook body goes out byte for byte).
pub(crate) fn post_bytes(agent: &ureq::Agent, url: &str, headers: &[(&str, &str)], body: &[u8]) -> Result<Response> {
    let mut req = agent.post(url);
    for (name, value) in headers {
        req = req.header(*name, *value);
    }
    let resp = req.send(body).map_err(|e| transport_error(url, e))?;
    read_response(url, resp)
}

fn read_response(url: &str, mut resp: ureq::http::Response<ureq::Body>) -> Result<Response> {
    let status = resp.status().as_u16();
    let location = resp.headers().get("location").and_then(|v| v.to_str().ok()).map(str::to_owned);
    let (body, oversized) = match resp.body_mut().with_config().limit(MAX_RESPONSE_BYTES).read_to_string() {
        Ok(s) => (s, false),
        Err(ureq::Error::BodyExceedsLimit(_)) => (String::new(), true),
        // A body that is not UTF-8 (or breaks off) is still a response with a status.
        Err(ureq::Error::Io(_)) | Err(ureq::Error::Protocol(_)) => (String::new(), false),
        Err(e) => return Err(transport_error(url, e)),
    };
    Ok(Response {
        status,
        location,
        body,
        oversized,
    })
}

pub(crate) fn transport_error(url: &str, err: ureq::Error) -> Error {
    let hint = "check --api-url / SMSCTL_API_URL; for local testing start the sandbox with `smsctl gateway serve`";
    match err {
        ureq::Error::Timeout(t) => {
            Error::network(format!("request to {url} timed out ({t})")).hint("the API did not answer in time; retry, or raise --timeout")
        }
        ureq::Error::ConnectionFailed => Error::network(format!("cannot connect to {url}: connection refused or unreachable")).hint(hint),
        ureq::Error::HostNotFound => Error::network(format!("cannot resolve the host of {url}")).hint(hint),
        ureq::Error::Io(e) if e.kind() == std::io::ErrorKind::ConnectionRefused => {
            Error::network(format!("cannot connect to {url}: connection refused")).hint(hint)
        }
        ureq::Error::Io(e) => Error::network(format!("network error talking to {url}: {e}")).hint(hint),
        other => Error::network(format!("HTTP error talking to {url}: {other}")).hint(hint),
    }
}
