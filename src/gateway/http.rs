//! The HTTP/1.1 connection layer of the gateway: reads requests off one TCP connection
//! (keep-alive, pipelining, `Content-Length` or chunked bodies, `Expect: 100-continue`) and
//! writes responses, enforcing the body limit and the read timeouts.
//!
//! Request heads are parsed by `httparse`; everything here is framing. Reads poll in short
//! slices so an idle keep-alive connection notices shutdown quickly, and every request carries
//! a deadline so a client that trickles bytes cannot hold a thread forever.

use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Largest request body accepted; larger ones get 413.
pub const MAX_BODY: usize = 64 * 1024;
/// Largest request head (request line and headers).
const MAX_HEAD: usize = 16 * 1024;
const MAX_HEADERS: usize = 64;
const READ_CHUNK: usize = 8 * 1024;

#[derive(Debug, Clone, Copy)]
pub struct Timeouts {
    /// From the first byte of a request to its last.
    pub request: Duration,
    /// How long a keep-alive connection may sit idle between requests.
    pub idle: Duration,
    /// The read slice: how quickly an idle connection notices shutdown.
    pub poll: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            request: Duration::from_secs(10),
            idle: Duration::from_secs(30),
            poll: Duration::from_millis(100),
        }
    }
}

#[derive(Debug)]
pub struct Request {
    pub method: String,
    /// The path without its query string.
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

impl Drop for Connection {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.buf);
    }
}

impl Request {
    /// The first header named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    /// Extra headers; `Content-Type: application/json` and framing headers are always sent.
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
}

/// What reading the next request produced.
#[derive(Debug)]
pub enum Next {
    Request(Request),
    /// The client closed the connection, stayed idle too long, or the server is stopping.
    Closed,
    /// The request cannot be served; answer with this status and detail, then close.
    Reject {
        status: u16,
        detail: String,
    },
}

pub struct Connection {
    stream: TcpStream,
    /// Bytes read but not yet consumed (the start of the next pipelined request, if any).
    buf: Vec<u8>,
    timeouts: Timeouts,
}

impl Connection {
    pub fn new(stream: TcpStream, timeouts: Timeouts) -> io::Result<Connection> {
        stream.set_nodelay(true)?;
        stream.set_read_timeout(Some(timeouts.poll))?;
        stream.set_write_timeout(Some(timeouts.request))?;
        Ok(Connection {
            stream,
            buf: Vec::with_capacity(READ_CHUNK),
            timeouts,
        })
    }

    /// Reads the next request. While idle (no byte of a request yet) it gives up when `stopping`
    /// is set; once a request has started it is read to the end or to its deadline.
    pub fn next_request(&mut self, stopping: &AtomicBool) -> Next {
        if self.buf.is_empty() {
            match self.wait_for_data(stopping) {
                Ok(true) => {}
                Ok(false) | Err(_) => return Next::Closed,
            }
        }
        let deadline = Instant::now() + self.timeouts.request;
        let head = loop {
            match parse_head(&self.buf) {
                Ok(Some(head)) => break head,
                Ok(None) if self.buf.len() > MAX_HEAD => {
                    return reject(431, "the request head is larger than 16 KiB");
                }
                Ok(None) => {}
                Err(detail) => return reject(400, detail),
            }
            match self.read_more(deadline) {
                Ok(0) => return Next::Closed,
                Ok(_) => {}
                Err(e) if is_timeout(&e) => return reject(408, "the request was not received in time"),
                Err(_) => return Next::Closed,
            }
        };
        // The head holds the Authorization value: wipe it, and the stale bytes that the shift
        // of a pipelined remainder leaves behind, before the buffer is reused.
        zeroize::Zeroize::zeroize(&mut self.buf[..head.len]);
        self.buf.drain(..head.len);
        wipe_spare(&mut self.buf);
        let body = match head.framing {
            Framing::None => Vec::new(),
            Framing::Length(n) if n > MAX_BODY => return too_large(),
            Framing::Length(n) => {
                if let Err(next) = self.continue_if_expected(&head) {
                    return next;
                }
                match self.take_exact(n, deadline) {
                    Ok(body) => body,
                    Err(next) => return next,
                }
            }
            Framing::Chunked => {
                if let Err(next) = self.continue_if_expected(&head) {
                    return next;
                }
                match self.take_chunked(deadline) {
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
    pub fn respond(&mut self, response: &Response, keep_alive: bool, http10: bool, head: bool) -> io::Result<()> {
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
        self.stream.write_all(&out)?;
        self.stream.flush()
    }

    /// Closes after a rejected request without losing the response: stop writing, then read
    /// and discard what the client still sends (at most 2 s, or the request timeout if shorter), so the kernel does not answer its
    /// unread bytes with a reset that could destroy the response before the client reads it.
    pub fn linger_close(mut self) {
        let _ = self.stream.shutdown(std::net::Shutdown::Write);
        let until = Instant::now() + self.timeouts.request.min(Duration::from_secs(2));
        let mut discarded = 0;
        while Instant::now() < until && discarded < 4 * MAX_BODY {
            self.buf.clear();
            match self.read_some() {
                Ok(0) => break,
                Ok(n) => discarded += n,
                Err(e) if is_timeout(&e) => {}
                Err(_) => break,
            }
        }
    }

    /// Waits for the first byte of a request. `Ok(false)`: closed, idle too long, or stopping.
    fn wait_for_data(&mut self, stopping: &AtomicBool) -> io::Result<bool> {
        let idle_until = Instant::now() + self.timeouts.idle;
        loop {
            if stopping.load(Ordering::SeqCst) {
                return Ok(false);
            }
            match self.read_some() {
                Ok(0) => return Ok(false),
                Ok(_) => return Ok(true),
                Err(e) if is_timeout(&e) => {
                    if Instant::now() >= idle_until {
                        return Ok(false);
                    }
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// Reads at least one more byte unless the deadline passes (`TimedOut`) or the peer closes (`Ok(0)`).
    fn read_more(&mut self, deadline: Instant) -> io::Result<usize> {
        loop {
            match self.read_some() {
                Ok(n) if Instant::now() > deadline && n > 0 => {
                    return Err(io::Error::new(io::ErrorKind::TimedOut, "request deadline passed"));
                }
                Err(e) if is_timeout(&e) => {
                    if Instant::now() >= deadline {
                        return Err(io::Error::new(io::ErrorKind::TimedOut, "request deadline passed"));
                    }
                }
                other => return other,
            }
        }
    }

    fn read_some(&mut self) -> io::Result<usize> {
        let mut chunk = [0u8; READ_CHUNK];
        let n = self.stream.read(&mut chunk)?;
        self.buf.extend_from_slice(&chunk[..n]);
        Ok(n)
    }

    /// Answers `Expect: 100-continue` so clients that wait for it send the body.
    fn continue_if_expected(&mut self, head: &Head) -> Result<(), Next> {
        if head.expect_continue && !head.http10 {
            self.stream.write_all(b"HTTP/1.1 100 Continue\r\n\r\n").map_err(|_| Next::Closed)?;
        }
        Ok(())
    }

    /// Takes exactly `n` bytes off the connection.
    fn take_exact(&mut self, n: usize, deadline: Instant) -> Result<Vec<u8>, Next> {
        while self.buf.len() < n {
            self.read_or_reject(deadline)?;
        }
        Ok(self.buf.drain(..n).collect())
    }

    /// Decodes a chunked body (RFC 9112 §7.1), trailers discarded.
    fn take_chunked(&mut self, deadline: Instant) -> Result<Vec<u8>, Next> {
        let mut body = Vec::new();
        loop {
            let line = self.take_line(deadline)?;
            let size = chunk_size(&line).ok_or_else(|| bad_request("malformed chunk size"))?;
            if size == 0 {
                // Trailer section: lines until an empty one.
                while !self.take_line(deadline)?.is_empty() {}
                return Ok(body);
            }
            // Never `body.len() + size`: a client-chosen size near usize::MAX would wrap past the check.
            if size > MAX_BODY - body.len() {
                return Err(too_large());
            }
            body.extend(self.take_exact(size, deadline)?);
            if !self.take_line(deadline)?.is_empty() {
                return Err(bad_request("chunk data longer than its size"));
            }
        }
    }

    /// One CRLF-terminated line (without the CRLF), bounded in length.
    fn take_line(&mut self, deadline: Instant) -> Result<String, Next> {
        loop {
            if let Some(end) = self.buf.windows(2).position(|w| w == b"\r\n") {
                let line = String::from_utf8_lossy(&self.buf[..end]).into_owned();
                self.buf.drain(..end + 2);
                return Ok(line);
            }
            if self.buf.len() > 1024 {
                return Err(bad_request("chunk header line too long"));
            }
            self.read_or_reject(deadline)?;
        }
    }

    fn read_or_reject(&mut self, deadline: Instant) -> Result<(), Next> {
        match self.read_more(deadline) {
            Ok(0) => Err(Next::Closed),
            Ok(_) => Ok(()),
            Err(e) if is_timeout(&e) => Err(Next::Reject {
                status: 408,
                detail: "the request body was not received in time".into(),
            }),
            Err(_) => Err(Next::Closed),
        }
    }
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
    let framing = framing(values("transfer-encoding").collect(), values("content-length").collect())?;
    let path = target.split('?').next().unwrap_or(target).to_owned();
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

fn is_timeout(e: &io::Error) -> bool {
    matches!(e.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut)
}

pub fn reason_phrase(status: u16) -> &'static str {
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

/// `Sun, 06 Nov 1994 08:49:37 GMT` (RFC 9110 §5.6.7).
fn http_date() -> String {
    jiff::Timestamp::now().strftime("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(raw: &str) -> Head {
        parse_head(raw.as_bytes()).unwrap().unwrap()
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

        assert!(!head("GET / HTTP/1.1\r\nConnection: close\r\n\r\n").keep_alive);
        assert!(!head("GET / HTTP/1.0\r\n\r\n").keep_alive);
        assert!(head("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n").keep_alive);
        assert!(head("POST / HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\n").expect_continue);
        assert!(matches!(
            head("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n").framing,
            Framing::Chunked
        ));
        assert!(parse_head(b"GET / HTTP/1.1\r\nHost: a\r\n").unwrap().is_none());
    }

    /// A connected pair: the server side wrapped in a `Connection` with short timeouts.
    fn pair() -> (Connection, TcpStream) {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (server, _) = listener.accept().unwrap();
        let timeouts = Timeouts {
            request: Duration::from_millis(300),
            idle: Duration::from_millis(400),
            poll: Duration::from_millis(20),
        };
        (Connection::new(server, timeouts).unwrap(), client)
    }

    #[test]
    fn read_timeouts() {
        let running = AtomicBool::new(false);
        // A request that starts but never finishes: 408 at its deadline.
        let (mut conn, mut client) = pair();
        client.write_all(b"POST / HTTP/1.1\r\nContent-Length: 10\r\n").unwrap();
        let started = Instant::now();
        assert!(matches!(conn.next_request(&running), Next::Reject { status: 408, .. }));
        assert!(started.elapsed() < Duration::from_secs(2));
        // A body that trickles in byte by byte is cut off at the same deadline.
        let (mut conn, mut client) = pair();
        client.write_all(b"POST / HTTP/1.1\r\nContent-Length: 100\r\n\r\n").unwrap();
        let trickle = std::thread::spawn(move || {
            for _ in 0..40 {
                if client.write_all(b"x").is_err() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(25));
            }
        });
        assert!(matches!(conn.next_request(&running), Next::Reject { status: 408, .. }));
        trickle.join().unwrap();
        // An idle keep-alive connection closes after the idle limit, or at once when stopping.
        let (mut conn, _client) = pair();
        assert!(matches!(conn.next_request(&running), Next::Closed));
        let (mut conn, _client) = pair();
        let started = Instant::now();
        assert!(matches!(conn.next_request(&AtomicBool::new(true)), Next::Closed));
        assert!(started.elapsed() < Duration::from_millis(200));
    }

    #[test]
    fn bodies_and_pipelining() {
        let running = AtomicBool::new(false);
        let (mut conn, mut client) = pair();
        client
            .write_all(b"POST /a HTTP/1.1\r\nContent-Length: 2\r\n\r\nhiPOST /b HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nabc\r\n1\r\nd\r\n0\r\nT: v\r\n\r\n")
            .unwrap();
        let Next::Request(a) = conn.next_request(&running) else { panic!() };
        assert_eq!((a.path.as_str(), a.body.as_slice()), ("/a", &b"hi"[..]));
        let Next::Request(b) = conn.next_request(&running) else { panic!() };
        assert_eq!((b.path.as_str(), b.body.as_slice()), ("/b", &b"abcd"[..]));
        // Over the limit, chunked: 413 without buffering it all.
        let (mut conn, mut client) = pair();
        client
            .write_all(format!("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n{:x}\r\n", MAX_BODY + 1).as_bytes())
            .unwrap();
        assert!(matches!(conn.next_request(&running), Next::Reject { status: 413, .. }));
    }

    /// Sends a chunked request whose body starts with `chunks`; what the connection answers.
    fn chunked(chunks: &str) -> Next {
        let (mut conn, mut client) = pair();
        client
            .write_all(format!("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n{chunks}").as_bytes())
            .unwrap();
        let next = conn.next_request(&AtomicBool::new(false));
        drop(client);
        next
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
            "POST / HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n",
            "POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
            "POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
            "POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
            "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n",
        ] {
            assert!(parse_head(raw.as_bytes()).is_err(), "{raw:?}");
        }
        let huge = head("POST / HTTP/1.1\r\nContent-Length: 99999999999999999999999\r\n\r\n");
        assert!(matches!(huge.framing, Framing::Length(n) if n > MAX_BODY));
    }
}
