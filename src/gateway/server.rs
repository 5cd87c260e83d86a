//! The HTTP/1.1 connection layer of the gateway: reads requests off one connection
//! (keep-alive, pipelining, `Content-Length` or chunked bodies, `Expect: 100-continue`) and
//! writes responses, enforcing the body limit and the deadlines.
//!
//! Request heads are parsed by `httparse`; everything here is framing, on tokio's event loop:
//! a connection between requests is a file descriptor and a parked task, not a thread. Waiting
//! for the next request ([`Connection::wait_for_request`]) is cancel-safe, so the server can
//! close idle connections (shutdown, eviction) without losing a request that started.
//! The head must arrive within its deadline from its first byte, the body within its own from
//! the end of the head, so a client that trickles bytes cannot hold a connection forever.
//!
//! The raw bytes are read into one buffer owned here (never copied by a library), which is
//! zeroed once the head is parsed; the parsed header values and the body are zeroed when the
//! [`Request`] is dropped.

use std::io::{self, Write};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::time::{Instant, timeout, timeout_at};

/// Largest request body accepted; larger ones get 413.
pub(super) const MAX_BODY: usize = 64 * 1024;
/// Largest request head (request line and headers).
const MAX_HEAD: usize = 16 * 1024;
const MAX_HEADERS: usize = 64;
const READ_CHUNK: usize = 8 * 1024;

#[derive(Debug, Clone, Copy)]
pub(super) struct Timeouts {
    /// From the first byte of a request to the end of its head.
    pub header: Duration,
    /// From the end of the head to the last byte of the body.
    pub body: Duration,
    /// How long a keep-alive connection may sit idle between requests.
    pub idle: Duration,
    /// Writing one response.
    pub write: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            header: Duration::from_secs(10),
            body: Duration::from_secs(10),
            idle: Duration::from_secs(30),
            write: Duration::from_secs(10),
        }
    }
}

#[derive(Debug)]
pub(super) struct Request {
    pub method: String,
    /// The path without its query string (the path part of an absolute-form target).
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// HTTP/1.0 (keep-alive only when asked for).
    pub http10: bool,
    /// The client wants the connection kept open after this request.
    pub keep_alive: bool,
}

impl Drop for Request {
    /// Header values (Authorization among them) and the body are wiped when the request is done.
    fn drop(&mut self) {
        for (_, value) in &mut self.headers {
            zeroize::Zeroize::zeroize(value);
        }
        zeroize::Zeroize::zeroize(&mut self.body);
    }
}

/// Zeroes the buffer's unused capacity, where bytes of earlier requests may remain.
fn wipe_spare(buf: &mut Vec<u8>) {
    for b in buf.spare_capacity_mut() {
        b.write(0);
    }
}

impl<S> Drop for Connection<S> {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.buf);
    }
}

impl Request {
    /// The first header named `name` (case-insensitive).
    pub(super) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Debug, Clone)]
pub(super) struct Response {
    pub status: u16,
    /// Extra headers; `Content-Type: application/json` and framing headers are always sent.
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
}

/// What reading the next request produced.
#[derive(Debug)]
pub(super) enum Next {
    Request(Request),
    /// The client closed the connection.
    Closed,
    /// The request cannot be served; answer with this status and detail, then close.
    Reject {
        status: u16,
        detail: String,
    },
}

pub(super) struct Connection<S> {
    stream: S,
    /// Bytes read but not yet consumed (the start of the next pipelined request, if any).
    buf: Vec<u8>,
    timeouts: Timeouts,
}

impl<S: AsyncRead + AsyncWrite + Unpin> Connection<S> {
    pub(super) fn new(stream: S, timeouts: Timeouts) -> Connection<S> {
        Connection {
            stream,
            buf: Vec::with_capacity(READ_CHUNK),
            timeouts,
        }
    }

    /// Waits for the first byte of the next request (already there when pipelined): `false`
    /// when the client closed or stayed idle too long. Cancel-safe: bytes read are kept.
    pub(super) async fn wait_for_request(&mut self) -> bool {
        if !self.buf.is_empty() {
            return true;
        }
        matches!(timeout(self.timeouts.idle, self.read_some()).await, Ok(Ok(n)) if n > 0)
    }

    /// Reads the request whose first bytes [`wait_for_request`](Self::wait_for_request) saw,
    /// to its end or to its deadline.
    pub(super) async fn read_request(&mut self) -> Next {
        let deadline = Instant::now() + self.timeouts.header;
        let head = loop {
            match parse_head(&self.buf) {
                Ok(Some(head)) => break head,
                Ok(None) if self.buf.len() > MAX_HEAD => {
                    return reject(431, "the request head is larger than 16 KiB");
                }
                Ok(None) => {}
                Err(detail) => return reject(400, detail),
            }
            match timeout_at(deadline, self.read_some()).await {
                Ok(Ok(0)) | Ok(Err(_)) => return Next::Closed,
                Ok(Ok(_)) => {}
                Err(_) => return reject(408, "the request was not received in time"),
            }
        };
        // The head holds the Authorization value: wipe it, and the stale bytes that the shift
        // of a pipelined remainder leaves behind, before the buffer is reused.
        zeroize::Zeroize::zeroize(&mut self.buf[..head.len]);
        self.buf.drain(..head.len);
        wipe_spare(&mut self.buf);
        let deadline = Instant::now() + self.timeouts.body;
        let body = match head.framing {
            Framing::None => Vec::new(),
            Framing::Length(n) if n > MAX_BODY => return too_large(),
            Framing::Length(n) => {
                if let Err(next) = self.continue_if_expected(&head).await {
                    return next;
                }
                match self.take_exact(n, deadline).await {
                    Ok(body) => body,
                    Err(next) => return next,
                }
            }
            Framing::Chunked => {
                if let Err(next) = self.continue_if_expected(&head).await {
                    return next;
                }
                match self.take_chunked(deadline).await {
                    Ok(body) => body,
                    Err(next) => return next,
                }
            }
        };
        Next::Request(Request {
            method: head.method,
            path: head.path,
            headers: head.headers,
            body,
            http10: head.http10,
            keep_alive: head.keep_alive,
        })
    }

    /// Writes `response`; `keep_alive` false adds `Connection: close`. `head`: the answer to a
    /// HEAD request, whose headers (Content-Length included) are sent without the body.
    pub(super) async fn respond(&mut self, response: &Response, keep_alive: bool, http10: bool, head: bool) -> io::Result<()> {
        let out = encode(response, keep_alive, http10, head)?;
        match timeout(self.timeouts.write, async {
            self.stream.write_all(&out).await?;
            self.stream.flush().await
        })
        .await
        {
            Ok(result) => result,
            Err(_) => Err(io::Error::new(io::ErrorKind::TimedOut, "the response was not taken in time")),
        }
    }

    /// Closes after a rejected request without losing the response: stop writing, then read
    /// and discard what the client still sends (at most 2 s, or the header deadline if
    /// shorter), so the kernel does not answer its unread bytes with a reset that could
    /// destroy the response before the client reads it.
    pub(super) async fn linger_close(mut self) {
        let _ = self.stream.shutdown().await;
        let until = Instant::now() + self.timeouts.header.min(Duration::from_secs(2));
        let mut discarded = 0;
        while discarded < 4 * MAX_BODY {
            self.buf.clear();
            match timeout_at(until, self.read_some()).await {
                Ok(Ok(0)) | Ok(Err(_)) | Err(_) => break,
                Ok(Ok(n)) => discarded += n,
            }
        }
    }

    async fn read_some(&mut self) -> io::Result<usize> {
        let mut chunk = [0u8; READ_CHUNK];
        let n = self.stream.read(&mut chunk).await?;
        self.buf.extend_from_slice(&chunk[..n]);
        zeroize::Zeroize::zeroize(&mut chunk[..n]);
        Ok(n)
    }

    /// Answers `Expect: 100-continue` so clients that wait for it send the body.
    async fn continue_if_expected(&mut self, head: &Head) -> Result<(), Next> {
        if head.expect_continue && !head.http10 {
            let write = self.stream.write_all(b"HTTP/1.1 100 Continue\r\n\r\n");
            match timeout(self.timeouts.write, write).await {
                Ok(Ok(())) => {}
                _ => return Err(Next::Closed),
            }
        }
        Ok(())
    }

    /// Takes exactly `n` bytes off the connection.
    async fn take_exact(&mut self, n: usize, deadline: Instant) -> Result<Vec<u8>, Next> {
        while self.buf.len() < n {
            self.read_or_reject(deadline).await?;
        }
        Ok(self.buf.drain(..n).collect())
    }

    /// Decodes a chunked body (RFC 9112 §7.1), trailers discarded.
    async fn take_chunked(&mut self, deadline: Instant) -> Result<Vec<u8>, Next> {
        let mut body = Vec::new();
        loop {
            let line = self.take_line(deadline).await?;
            let size = chunk_size(&line).ok_or_else(|| bad_request("malformed chunk size"))?;
            if size == 0 {
                // Trailer section: lines until an empty one.
                while !self.take_line(deadline).await?.is_empty() {}
                return Ok(body);
            }
            // Never `body.len() + size`: a client-chosen size near usize::MAX would wrap past the check.
            if size > MAX_BODY - body.len() {
                return Err(too_large());
            }
            body.extend(self.take_exact(size, deadline).await?);
            if !self.take_line(deadline).await?.is_empty() {
                return Err(bad_request("chunk data longer than its size"));
            }
        }
    }

    /// One CRLF-terminated line (without the CRLF), bounded in length.
    async fn take_line(&mut self, deadline: Instant) -> Result<String, Next> {
        loop {
            if let Some(end) = self.buf.windows(2).position(|w| w == b"\r\n") {
                let line = String::from_utf8_lossy(&self.buf[..end]).into_owned();
                self.buf.drain(..end + 2);
                return Ok(line);
            }
            if self.buf.len() > 1024 {
                return Err(bad_request("chunk header line too long"));
            }
            self.read_or_reject(deadline).await?;
        }
    }

    async fn read_or_reject(&mut self, deadline: Instant) -> Result<(), Next> {
        match timeout_at(deadline, self.read_some()).await {
            Ok(Ok(0)) | Ok(Err(_)) => Err(Next::Closed),
            Ok(Ok(_)) => Ok(()),
            Err(_) => Err(Next::Reject {
                status: 408,
                detail: "the request body was not received in time".into(),
            }),
        }
    }
}

/// The bytes of one response.
fn encode(response: &Response, keep_alive: bool, http10: bool, head: bool) -> io::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(256 + response.body.len());
    write!(
        out,
        "HTTP/1.1 {} {}\r\nDate: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n",
        response.status,
        reason_phrase(response.status),
        http_date(),
        response.body.len()
    )?;
    if !keep_alive {
        out.extend_from_slice(b"Connection: close\r\n");
    } else if http10 {
        out.extend_from_slice(b"Connection: keep-alive\r\n");
    }
    for (name, value) in &response.headers {
        write!(out, "{name}: {value}\r\n")?;
    }
    out.extend_from_slice(b"\r\n");
    if !head {
        out.extend_from_slice(&response.body);
    }
    Ok(out)
}

/// The size of a chunk from its header line (extensions after `;` ignored): 1-16 hex digits
/// and nothing else. `from_str_radix` alone would also take a sign (`+2`).
fn chunk_size(line: &str) -> Option<usize> {
    let text = line.split(';').next().unwrap_or("").trim();
    if text.is_empty() || text.len() > 16 || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let size = u64::from_str_radix(text, 16).ok()?;
    Some(usize::try_from(size).unwrap_or(usize::MAX))
}

enum Framing {
    None,
    Length(usize),
    Chunked,
}

struct Head {
    /// Bytes of the head, including the blank line.
    len: usize,
    method: String,
    path: String,
    headers: Vec<(String, String)>,
    http10: bool,
    keep_alive: bool,
    expect_continue: bool,
    framing: Framing,
}

/// Parses a complete request head; `Ok(None)` when more bytes are needed.
fn parse_head(buf: &[u8]) -> Result<Option<Head>, &'static str> {
    let mut slots = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut parsed = httparse::Request::new(&mut slots);
    let len = match parsed.parse(buf) {
        Ok(httparse::Status::Complete(len)) => len,
        Ok(httparse::Status::Partial) => return Ok(None),
        Err(httparse::Error::TooManyHeaders) => return Err("too many request headers"),
        Err(_) => return Err("malformed HTTP request"),
    };
    let (Some(method), Some(target), Some(version)) = (parsed.method, parsed.path, parsed.version) else {
        return Err("malformed HTTP request");
    };
    let headers: Vec<(String, String)> = parsed
        .headers
        .iter()
        .map(|h| (h.name.to_owned(), String::from_utf8_lossy(h.value).trim().to_owned()))
        .collect();
    let values = |name: &'static str| {
        headers
            .iter()
            .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    };
    let http10 = version == 0;
    let connection: Vec<String> = values("connection")
        .flat_map(|v| v.split(','))
        .map(|t| t.trim().to_ascii_lowercase())
        .collect();
    let keep_alive = if http10 {
        connection.iter().any(|t| t == "keep-alive")
    } else {
        !connection.iter().any(|t| t == "close")
    };
    let expect_continue = values("expect").any(|v| v.eq_ignore_ascii_case("100-continue"));
    // HTTP/1.0 has no Transfer-Encoding (RFC 9112 §6.1): a 1.0 intermediary would frame the
    // body differently than we do, which is how requests get smuggled.
    if http10 && values("transfer-encoding").next().is_some() {
        return Err("Transfer-Encoding is not allowed in an HTTP/1.0 request");
    }
    // RFC 9112 §3.2: an HTTP/1.1 request without exactly one Host is a 400.
    match values("host").count() {
        0 if !http10 => return Err("an HTTP/1.1 request needs a Host header"),
        0 | 1 => {}
        _ => return Err("more than one Host header"),
    }
    let framing = framing(values("transfer-encoding").collect(), values("content-length").collect())?;
    let path = origin_path(target).split('?').next().unwrap_or_default().to_owned();
    Ok(Some(Head {
        len,
        method: method.to_owned(),
        path,
        headers,
        http10,
        keep_alive,
        expect_continue,
        framing,
    }))
}

/// The path of a request target: an absolute-form target (`http://host/path`, as proxies
/// send) routes like its origin-form path (RFC 9112 §3.2.2).
fn origin_path(target: &str) -> &str {
    let lower = |n: usize| target.get(..n).map(str::to_ascii_lowercase);
    let after_scheme = if lower(7).as_deref() == Some("http://") {
        &target[7..]
    } else if lower(8).as_deref() == Some("https://") {
        &target[8..]
    } else {
        return target;
    };
    match after_scheme.find(['/', '?']) {
        Some(i) if after_scheme[i..].starts_with('/') => &after_scheme[i..],
        _ => "/",
    }
}

/// How the body is delimited. Both headers at once is refused: that is how requests get smuggled.
fn framing(transfer_encoding: Vec<&str>, content_length: Vec<&str>) -> Result<Framing, &'static str> {
    if !transfer_encoding.is_empty() {
        if !content_length.is_empty() {
            return Err("both Transfer-Encoding and Content-Length given");
        }
        let codings: Vec<String> = transfer_encoding
            .iter()
            .flat_map(|v| v.split(','))
            .map(|c| c.trim().to_ascii_lowercase())
            .collect();
        return match codings.as_slice() {
            [only] if only == "chunked" => Ok(Framing::Chunked),
            _ => Err("unsupported Transfer-Encoding (only chunked)"),
        };
    }
    let mut lengths = content_length.iter().flat_map(|v| v.split(',')).map(|v| v.trim());
    let Some(first) = lengths.next() else {
        return Ok(Framing::None);
    };
    if lengths.any(|other| other != first) {
        return Err("conflicting Content-Length values");
    }
    if first.is_empty() || !first.bytes().all(|b| b.is_ascii_digit()) {
        return Err("malformed Content-Length");
    }
    // An absurd length still means "too large", not "malformed".
    Ok(Framing::Length(first.parse().unwrap_or(usize::MAX)))
}

fn reject(status: u16, detail: &str) -> Next {
    Next::Reject {
        status,
        detail: detail.to_owned(),
    }
}

fn bad_request(detail: &str) -> Next {
    reject(400, detail)
}

fn too_large() -> Next {
    reject(413, "the request body is larger than 64 KiB")
}

pub(super) fn reason_phrase(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        413 => "Content Too Large",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Unknown",
    }
}

/// `Sun, 06 Nov 1994 08:49:37 GMT` (RFC 9110 §5.6.7); formatted once a second per thread.
fn http_date() -> String {
    thread_local! {
        static CACHED: std::cell::RefCell<(i64, String)> = const { std::cell::RefCell::new((i64::MIN, String::new())) };
    }
    let now = jiff::Timestamp::now();
    CACHED.with(|cached| {
        let mut cached = cached.borrow_mut();
        if cached.0 != now.as_second() {
            *cached = (now.as_second(), now.strftime("%a, %d %b %Y %H:%M:%S GMT").to_string());
        }
        cached.1.clone()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use tokio::io::DuplexStream;

    fn head(raw: &str) -> Head {
        parse_head(raw.as_bytes()).unwrap().unwrap()
    }

    fn block_on<F: std::future::Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(f)
    }

    #[test]
    fn heads() {
        let h = head("POST /v1/omnimessage?x=1 HTTP/1.1\r\nHost: a\r\nContent-Length: 12\r\n\r\n{}");
        assert_eq!((h.method.as_str(), h.path.as_str()), ("POST", "/v1/omnimessage"));
        assert!(h.keep_alive && !h.http10);
        assert!(matches!(h.framing, Framing::Length(12)));
        assert_eq!(
            h.len,
            "POST /v1/omnimessage?x=1 HTTP/1.1\r\nHost: a\r\nContent-Length: 12\r\n\r\n".len()
        );

        assert!(!head("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n").keep_alive);
        assert!(!head("GET / HTTP/1.0\r\n\r\n").keep_alive);
        assert!(head("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n").keep_alive);
        assert!(head("POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\n").expect_continue);
        assert!(matches!(
            head("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n").framing,
            Framing::Chunked
        ));
        assert!(parse_head(b"GET / HTTP/1.1\r\nHost: a\r\n").unwrap().is_none());
    }

    #[test]
    fn host_is_required_in_http11_and_absolute_targets_route() {
        assert!(parse_head(b"GET /healthz HTTP/1.1\r\n\r\n").is_err());
        assert!(parse_head(b"GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n").is_err());
        assert_eq!(head("GET /healthz HTTP/1.0\r\n\r\n").path, "/healthz");
        for (target, path) in [
            ("http://gw.example:8700/v1/omnimessage?x=1", "/v1/omnimessage"),
            ("HTTPS://gw.example/healthz", "/healthz"),
            ("http://gw.example", "/"),
            ("http://gw.example?x=/y", "/"),
            ("/v1/omnimessage", "/v1/omnimessage"),
            ("*", "*"),
        ] {
            assert_eq!(origin_path(target).split('?').next().unwrap(), path, "{target}");
        }
        let h = head("POST http://x/v1/omnimessage HTTP/1.1\r\nHost: x\r\n\r\n");
        assert_eq!(h.path, "/v1/omnimessage");
    }

    fn timeouts() -> Timeouts {
        Timeouts {
            header: Duration::from_millis(300),
            body: Duration::from_millis(300),
            idle: Duration::from_millis(400),
            write: Duration::from_millis(300),
        }
    }

    /// A connected pair: the server side wrapped in a `Connection` with short timeouts.
    fn pair() -> (Connection<DuplexStream>, DuplexStream) {
        let (server, client) = tokio::io::duplex(256 * 1024);
        (Connection::new(server, timeouts()), client)
    }

    async fn next(conn: &mut Connection<DuplexStream>) -> Next {
        if !conn.wait_for_request().await {
            return Next::Closed;
        }
        conn.read_request().await
    }

    #[test]
    fn read_timeouts() {
        block_on(async {
            // A request that starts but never finishes: 408 at its deadline.
            let (mut conn, mut client) = pair();
            client
                .write_all(b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n")
                .await
                .unwrap();
            let started = Instant::now();
            assert!(matches!(next(&mut conn).await, Next::Reject { status: 408, .. }));
            assert!(started.elapsed() < Duration::from_secs(2));
            // A body that trickles in byte by byte is cut off at the same deadline.
            let (mut conn, mut client) = pair();
            client
                .write_all(b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\n")
                .await
                .unwrap();
            let trickle = tokio::spawn(async move {
                for _ in 0..40 {
                    if client.write_all(b"x").await.is_err() {
                        break;
                    }
                    tokio::time::sleep(Duration::from_millis(25)).await;
                }
            });
            assert!(matches!(next(&mut conn).await, Next::Reject { status: 408, .. }));
            drop(conn);
            trickle.await.unwrap();
            // An idle keep-alive connection closes after the idle limit.
            let (mut conn, _client) = pair();
            let started = Instant::now();
            assert!(!conn.wait_for_request().await);
            assert!(started.elapsed() >= Duration::from_millis(390));
        });
    }

    #[test]
    fn bodies_and_pipelining() {
        block_on(async {
            let (mut conn, mut client) = pair();
            client
                .write_all(b"POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nhiPOST /b HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nabc\r\n1\r\nd\r\n0\r\nT: v\r\n\r\n")
                .await
                .unwrap();
            let Next::Request(a) = next(&mut conn).await else { panic!() };
            assert_eq!((a.path.as_str(), a.body.as_slice()), ("/a", &b"hi"[..]));
            let Next::Request(b) = next(&mut conn).await else { panic!() };
            assert_eq!((b.path.as_str(), b.body.as_slice()), ("/b", &b"abcd"[..]));
            // Over the limit, chunked: 413 without buffering it all.
            let (mut conn, mut client) = pair();
            client
                .write_all(
                    format!(
                        "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n{:x}\r\n",
                        MAX_BODY + 1
                    )
                    .as_bytes(),
                )
                .await
                .unwrap();
            assert!(matches!(next(&mut conn).await, Next::Reject { status: 413, .. }));
        });
    }

    /// The head's bytes are zeroed in the connection's buffer once parsed; what follows stays.
    #[test]
    fn the_head_is_wiped_from_the_buffer() {
        block_on(async {
            let (mut conn, mut client) = pair();
            client
                .write_all(b"GET /a HTTP/1.1\r\nHost: a\r\nAuthorization: Basic c2VjcmV0\r\n\r\nGET /b HTTP/1.1\r\n")
                .await
                .unwrap();
            let Next::Request(a) = next(&mut conn).await else { panic!() };
            assert_eq!(a.header("authorization"), Some("Basic c2VjcmV0"));
            assert_eq!(conn.buf, b"GET /b HTTP/1.1\r\n");
        });
    }

    /// Sends a chunked request whose body starts with `chunks`; what the connection answers.
    fn chunked(chunks: &str) -> Next {
        block_on(async {
            let (mut conn, mut client) = pair();
            client
                .write_all(format!("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n{chunks}").as_bytes())
                .await
                .unwrap();
            drop(client);
            next(&mut conn).await
        })
    }

    #[test]
    fn chunk_sizes_cannot_overflow_or_carry_a_sign() {
        // A size that would wrap `body.len() + size`: 413, not a panic or an unbounded body.
        assert!(matches!(chunked("ffffffffffffffff\r\n"), Next::Reject { status: 413, .. }));
        // The same after a first chunk, when body.len() is no longer 0.
        assert!(matches!(
            chunked("2\r\nab\r\nffffffffffffffff\r\n"),
            Next::Reject { status: 413, .. }
        ));
        assert!(matches!(
            chunked("2\r\nab\r\nfffffffffffffffe\r\n"),
            Next::Reject { status: 413, .. }
        ));
        for bad in [
            "+2\r\nab\r\n0\r\n\r\n",
            "-0\r\n\r\n",
            "\r\n",
            "1ffffffffffffffff\r\n",
            "0x2\r\nab\r\n",
            "2 3\r\n",
        ] {
            assert!(matches!(chunked(bad), Next::Reject { status: 400, .. }), "{bad:?}");
        }
        // Leading zeros and extensions are still fine.
        let Next::Request(req) = chunked("0002;ext=1\r\nab\r\n0\r\n\r\n") else {
            panic!()
        };
        assert_eq!(req.body, b"ab");
    }

    #[test]
    fn chunk_size_syntax() {
        assert_eq!(chunk_size("1A"), Some(26));
        assert_eq!(chunk_size("ffffffffffffffff"), Some(usize::MAX));
        assert_eq!(chunk_size("0;a=b"), Some(0));
        for bad in ["", "+2", "-1", "1ffffffffffffffff", " ", "g", "0x1"] {
            assert_eq!(chunk_size(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn bad_heads() {
        for raw in [
            "GARBAGE\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
            "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n",
        ] {
            assert!(parse_head(raw.as_bytes()).is_err(), "{raw:?}");
        }
        let huge = head("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999999\r\n\r\n");
        assert!(matches!(huge.framing, Framing::Length(n) if n > MAX_BODY));
    }

    /// Everything a connection can produce from `stream`, cut into the given pieces, until it
    /// closes or rejects; the client side is closed after the last piece.
    fn feed(pieces: Vec<Vec<u8>>) -> Vec<Next> {
        block_on(async {
            let (mut conn, mut client) = pair();
            let writer = tokio::spawn(async move {
                for piece in pieces {
                    if client.write_all(&piece).await.is_err() {
                        return;
                    }
                    tokio::task::yield_now().await;
                }
            });
            let mut seen = Vec::new();
            loop {
                let n = next(&mut conn).await;
                let done = !matches!(n, Next::Request(_));
                seen.push(n);
                if done || seen.len() > 64 {
                    break;
                }
            }
            drop(conn);
            let _ = writer.await;
            seen
        })
    }

    fn request_bytes() -> impl Strategy<Value = Vec<u8>> {
        let method = prop::sample::select(vec!["GET", "POST", "HEAD", "DELETE", "G\0T", ""]);
        let target = prop::sample::select(vec!["/healthz", "/v1/omnimessage", "http://h/v1/omnimessage", "*", "", "/\r"]);
        let version = prop::sample::select(vec!["HTTP/1.1", "HTTP/1.0", "HTTP/2", "http/1.1"]);
        let header = prop::sample::select(vec![
            "Host: h\r\n",
            "Content-Length: 2\r\n",
            "Content-Length: 99999999999999999999\r\n",
            "Transfer-Encoding: chunked\r\n",
            "Connection: close\r\n",
            "Expect: 100-continue\r\n",
            "Authorization: Basic a2V5OnNtc2s=\r\n",
            "X: \u{0}\r\n",
            "bad header\r\n",
        ]);
        let tail = prop::collection::vec(any::<u8>(), 0..64);
        (method, target, version, prop::collection::vec(header, 0..6), tail).prop_map(|(m, t, v, hs, tail)| {
            let mut out = format!("{m} {t} {v}\r\n{}\r\n", hs.concat()).into_bytes();
            out.extend(tail);
            out
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        /// Random bytes, in random pieces: the parser never panics or hangs, never yields a body
        /// over the limit, and ends with a close or a rejection with a 4xx status.
        #[test]
        fn random_byte_streams(bytes in prop::collection::vec(any::<u8>(), 0..2048), cuts in prop::collection::vec(1usize..512, 1..8)) {
            check_stream(split(bytes, &cuts));
        }

        /// Near-valid requests (the shapes hostile clients send), pipelined, in random pieces.
        #[test]
        fn near_valid_requests(reqs in prop::collection::vec(request_bytes(), 1..4), cuts in prop::collection::vec(1usize..64, 1..8)) {
            check_stream(split(reqs.concat(), &cuts));
        }
    }

    fn split(bytes: Vec<u8>, cuts: &[usize]) -> Vec<Vec<u8>> {
        let mut pieces = Vec::new();
        let mut rest = bytes.as_slice();
        for cut in cuts.iter().cycle() {
            if rest.is_empty() {
                break;
            }
            let (piece, more) = rest.split_at((*cut).min(rest.len()));
            pieces.push(piece.to_vec());
            rest = more;
        }
        pieces
    }

    fn check_stream(pieces: Vec<Vec<u8>>) {
        for next in feed(pieces) {
            match next {
                Next::Request(req) => {
                    assert!(req.body.len() <= MAX_BODY);
                    assert!(!req.method.is_empty());
                    assert!(req.path.starts_with('/') || req.path == "*", "{:?}", req.path);
                }
                Next::Reject { status, .. } => assert!((400..500).contains(&status), "{status}"),
                Next::Closed => {}
            }
        }
    }
}
