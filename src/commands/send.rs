//! `smsctl send`: resolve settings (flag > key > default), analyse the text, apply CI gates,
//! then POST to the Omnimessage-compatible API, or with `--dry-run` explain it all.

use serde::Serialize;

use crate::cli::SendArgs;
use crate::commands::secret_input::{self, Stdin};
use crate::context::Ctx;
use crate::error::{Error, Kind, Result};
use crate::omni::client;
use crate::omni::{Channel, ErrorItemOmnichannel, ErrorOmnichannel, MessageResult, OmniMessageCreateSuccessResponse, Omnimessage, Sms};
use crate::output::{Human, Report};
use crate::policy::{Attempt, Evaluation, Rule, Scope, Violation};
use crate::resolve::{self, DlrChoice, EffectiveSetting, Requested, Resolved, Source};
use crate::settings;
use crate::store::keys::{self, Key, KeyName, Status, printable};
use crate::store::messages::{self, NewMessage, Origin};
use crate::store::replacements;
use crate::store::usage;
use crate::text::{self, Analysis, AutoConvert, Encoding};
use crate::time::{self, Millis};
use crate::token::Secret;

/// The local sandbox (`smsctl gateway serve`) at its default address.
pub const DEFAULT_API_URL: &str = "http://127.0.0.1:8700/v1";

#[derive(Serialize)]
struct Plan {
    key: KeyName,
    to: String,
    settings: Resolved,
    /// The text as given, before autoconvert.
    original_text: String,
    message: Analysis,
    /// The key's policy checks, as the gateway would make them (rate and quota against the
    /// counters in this store).
    policy: Evaluation,
    request: Omnimessage,
}

impl Plan {
    fn source_label(&self, source: Source) -> String {
        match source {
            Source::Key => format!("key {}", self.key.name),
            other => other.as_str().to_owned(),
        }
    }

    fn setting_row<T>(&self, name: &str, s: &EffectiveSetting<T>, show: impl Fn(&T) -> String) -> Vec<String> {
        let overrides = s
            .overridden
            .iter()
            .map(|c| format!("{} ({})", show(&c.value), self.source_label(c.source)))
            .collect::<Vec<_>>();
        vec![
            name.to_owned(),
            show(&s.value),
            self.source_label(s.source),
            if overrides.is_empty() { "-".into() } else { overrides.join(", ") },
        ]
    }
}

fn show_opt(v: &Option<String>) -> String {
    v.clone().unwrap_or_else(|| "none".into())
}

impl Report for Plan {
    fn human(&self, out: &mut Human) {
        out.line(format!(
            "Dry run: nothing was sent. Key {} ({}) → {}",
            self.key.name, self.key.id, self.to
        ));
        out.blank();
        let rows = vec![
            self.setting_row("sender", &self.settings.sender, show_opt),
            self.setting_row("autoconvert", &self.settings.autoconvert, |m: &AutoConvert| m.to_string()),
            self.setting_row("dlr_url", &self.settings.dlr_url, show_opt),
        ];
        out.table(&["setting", "effective value", "from", "overrides"], rows);
        out.blank();
        if self.policy.checks.is_empty() {
            out.line("Policy: no rules set on this key.");
        } else {
            out.table(
                &["policy rule", "key's value", "outcome", "why"],
                self.policy.checks.iter().map(|c| {
                    vec![
                        c.rule.as_str().to_owned(),
                        c.value.clone(),
                        if c.allowed { "pass" } else { "REFUSE" }.to_owned(),
                        c.detail.clone(),
                    ]
                }),
            );
        }
        out.blank();
        describe_message(out, &self.message, Some(&self.original_text));
        out.blank();
        out.line("Request body:");
        out.line(serde_json::to_string_pretty(&self.request).unwrap_or_default());
    }
}

/// The human summary of a text analysis, shared with `smsctl text`. `original` is the text
/// before autoconvert; it gets its own row when replacement changed it.
pub fn describe_message(out: &mut Human, m: &Analysis, original: Option<&str>) {
    let mut rows = vec![];
    if let Some(before) = original.filter(|o| *o != m.text) {
        rows.push(("text before autoconvert", before.to_owned()));
    }
    rows.extend([
        ("text", m.text.clone()),
        ("encoding", m.encoding.as_str().to_owned()),
        ("units", format!("{} {}", m.units, m.encoding.unit_label())),
        ("parts", m.segments.to_string()),
        (
            "replaced",
            if m.replaced.is_empty() {
                "-".into()
            } else {
                m.replaced
                    .iter()
                    .map(|r| match r.source {
                        Some(source) => format!("{}→{} ({})", r.from, r.to, source.as_str()),
                        None => format!("{}→{}", r.from, r.to),
                    })
                    .collect::<Vec<_>>()
                    .join(" ")
            },
        ),
        ("forced UCS-2", if m.non_gsm.is_empty() { "-".into() } else { m.non_gsm.join(" ") }),
    ]);
    out.fields(&rows);
    if m.segments > 1 {
        out.table(
            &["part", "units", "text"],
            m.parts
                .iter()
                .enumerate()
                .map(|(i, p)| vec![(i + 1).to_string(), p.units.to_string(), p.text.clone()]),
        );
    }
}

#[derive(Serialize)]
struct Sent {
    key: KeyName,
    to: String,
    omnimessage_id: Option<String>,
    messages: Vec<MessageResult>,
    encoding: Encoding,
    parts: usize,
    settings: Resolved,
}

impl Report for Sent {
    fn human(&self, out: &mut Human) {
        out.line(format!(
            "Sent to {} with key {}: {} part(s), {}.",
            self.to,
            self.key.name,
            self.parts,
            self.encoding.as_str()
        ));
        for m in &self.messages {
            out.line(format!(
                "  message id {}  sender {}",
                or_unknown(&m.message_id),
                or_unknown(&m.sender)
            ));
        }
        if let Some(id) = &self.omnimessage_id {
            out.line(format!("  omnimessage id {id}"));
        }
    }
    /// `--quiet`: the omnimessage id, which `GET /v1/omnimessage/{id}/status` and
    /// `smsctl messages show` accept (the message id when the API returned none).
    fn quiet(&self) -> Option<String> {
        self.omnimessage_id
            .clone()
            .or_else(|| self.messages.first().and_then(|m| known(&m.message_id)))
    }
}

/// A field the API left out (read as `""`) is shown as `?`.
fn or_unknown(text: &str) -> &str {
    if text.is_empty() { "?" } else { text }
}

/// A field the API gave, `None` when it left it out.
fn known(text: &str) -> Option<String> {
    Some(text).filter(|t| !t.is_empty()).map(str::to_owned)
}

fn read_text(args: &SendArgs) -> Result<String> {
    let from_stdin = args.stdin.is_some() || args.text_file.as_deref().is_some_and(|p| p.as_os_str() == "-");
    let file = args.text_file.as_deref().filter(|p| p.as_os_str() != "-");
    let text = crate::input::message_text(
        args.text.as_deref(),
        file,
        from_stdin,
        "--text TEXT, --text-file FILE, or '-' to read stdin",
    )?;
    if text.is_empty() {
        return Err(Error::usage("message text is empty").hint("an SMS needs at least one character"));
    }
    Ok(text)
}

/// The secret for `key`: `--secret-stdin`, then `SMSCTL_KEY_SECRET`, then the OS keyring.
fn find_secret(ctx: &Ctx, args: &SendArgs, key: &Key) -> Result<Secret> {
    let stdin = if args.secret_stdin { Stdin::Required } else { Stdin::Unused };
    let (raw, origin) = secret_input::obtain(ctx, stdin, Some(key), "smsctl send ... --secret-stdin")?;
    Secret::parse(&raw).map_err(|why| {
        Error::usage(format!("the secret from {origin} is malformed: it {why}")).hint("copy the whole secret, starting with smsk_")
    })
}

pub fn exec(ctx: &Ctx, args: SendArgs) -> Result<()> {
    let now = ctx.clock.now();
    if args.secret_stdin && (args.stdin.is_some() || args.text_file.as_deref().is_some_and(|p| p.as_os_str() == "-")) {
        return Err(Error::usage("stdin cannot carry both the secret and the text")
            .hint("use --text or --text-file for the text, or SMSCTL_KEY_SECRET for the secret"));
    }
    if let Some(k) = &args.idempotency_key {
        if k.is_empty() || k.len() > 255 || !k.bytes().all(|b| (0x21..0x7f).contains(&b)) {
            return Err(
                Error::usage("invalid --idempotency-key: it must be 1 to 255 printable ASCII characters without spaces")
                    .hint("e.g. --idempotency-key \"$CI_PIPELINE_ID-notify\""),
            );
        }
    }
    let to = settings::normalize_e164(&args.to)?;
    let requested = Requested {
        sender: args.sender.as_deref().map(settings::validate_sender).transpose()?,
        autoconvert: args.autoconvert,
        dlr: match (&args.dlr_url, args.no_dlr_url) {
            (Some(u), _) => DlrChoice::Url(settings::validate_dlr_url(u)?),
            (None, true) => DlrChoice::Disabled,
            (None, false) => DlrChoice::Unset,
        },
    };
    let timeout = time::parse_duration(&args.timeout)?.max(Millis::from_i64(1)).to_std();
    let api = api_url(&args.api_url)?;
    let text = read_text(&args)?;

    let mut store = ctx.store_for_reading()?;
    let key = keys::find(store.conn(), &args.key)?;
    match key.status(now) {
        Status::Revoked => {
            return Err(Error::rejected(format!("key '{}' is revoked", key.name)).hint("revocation is final; use another key"));
        }
        Status::Expired => {
            return Err(
                Error::rejected(format!("key '{}' expired at {}", key.name, time::format_opt(key.expires_at)))
                    .hint(format!("extend it with `smsctl key set {} --expires 30d`", key.name)),
            );
        }
        Status::Active => {}
    }
    if key.settings.policy.canary {
        // The gateway answers a canary with a 401 and an alarm; the operator gets the reason.
        return Err(
            Error::rejected(format!("key '{}' is a canary: it must never be used to send", key.name))
                .hint("use the team's real key; `smsctl key list` shows owners and purposes"),
        );
    }
    let resolved = resolve::resolve(&requested, &key.settings);
    let Some(sender) = resolved.sender.value.clone() else {
        return Err(Error::usage("no sender: pass --from or set one with smsctl key set KEY --sender")
            .hint(format!("e.g. --from ACME, or `smsctl key set {} --sender ACME`", key.name)));
    };
    // `on` applies the account's table with the key's own entries overriding it.
    let table = replacements::effective(store.conn(), &key.settings.replace)?;
    let analysis = text::analyze_with(&text, resolved.autoconvert.value, &table);
    gates(&args, &analysis)?;
    let policy = &key.settings.policy;
    let limits = usage::limit_state(store.conn(), &key.id, policy, now)?;
    let evaluation = crate::policy::evaluate(
        policy,
        &Attempt {
            operation: Scope::Send,
            sender: Some(&sender),
            to: Some(&to),
            parts: Some(u32::try_from(analysis.segments).unwrap_or(u32::MAX)),
            now,
        },
        Some(&limits),
    );
    let refusal = evaluation.violation.as_ref().map(|v| policy_refusal(&key, v));

    let request = Omnimessage {
        dlr_url: match (&resolved.dlr_url.value, resolved.dlr_url.source) {
            (Some(url), _) => Some(url.clone()),
            // --no-dlr-url: say so on the wire, or an API that knows the key's webhook would use it.
            (None, Source::Request) => Some(String::new()),
            (None, _) => None,
        },
        messages: vec![Sms {
            autoconvert: resolved.autoconvert.value,
            channel: Channel::Sms,
            sender: sender.clone(),
            text: analysis.text.clone(),
        }],
        to: to.clone(),
    };

    let key_ref = KeyName::from(&key);
    if args.dry_run {
        ctx.out.emit(&Plan {
            key: key_ref,
            to,
            settings: resolved,
            original_text: text,
            message: analysis,
            policy: evaluation,
            request,
        })?;
        // The plan is printed either way; the exit code says whether it would go through.
        return refusal.map_or(Ok(()), Err);
    }
    if let Some(err) = refusal {
        return Err(err);
    }

    let secret = find_secret(ctx, &args, &key)?;
    let url = format!("{}/omnimessage", api.as_str().trim_end_matches('/'));
    let agent = client::agent(timeout, settings::is_loopback_url(&api));
    let auth = client::basic_auth(&key.id, secret.expose());
    drop(secret);
    let mut record = NewMessage {
        at: now,
        origin: Origin::Send,
        key_id: key.id.clone(),
        recipient: to.clone(),
        sender: Some(sender),
        autoconvert: resolved.autoconvert.value,
        dlr_url: resolved.dlr_url.value.clone(),
        encoding: analysis.encoding,
        parts: analysis.segments as i64,
        ..NewMessage::default()
    };
    let idempotency_key = match &args.idempotency_key {
        Some(k) => k.clone(),
        None => default_idempotency_key(&key.id, &request),
    };
    let headers = [(crate::gateway::relay::IDEMPOTENCY_HEADER, idempotency_key.as_str())];
    let outcome = client::post_json_with(&agent, &url, Some(&auth), &headers, &request)
        .map_err(|e| (None, e))
        .and_then(|resp| interpret(&url, resp));
    match &outcome {
        Ok((status, created)) => {
            record.http_status = Some(i64::from(*status));
            record.omnimessage_id = known(&created.omnimessage_id);
            record.message_id = created.messages.first().and_then(|m| known(&m.message_id));
        }
        Err((status, err)) => {
            record.http_status = status.map(i64::from);
            record.error = Some(err.message.clone());
        }
    }
    // The key was found, so the store is a real file (not the empty stand-in for a missing one).
    let logged = store.write(|tx| messages::insert(tx, &record));
    let (_, created) = outcome.map_err(|(_, e)| e)?;
    if let Err(e) = logged {
        ctx.out
            .warn(&format!("the message was sent but could not be logged: {}", e.message));
    }
    ctx.out.emit(&Sent {
        key: key_ref,
        to,
        omnimessage_id: known(&created.omnimessage_id),
        messages: created.messages,
        encoding: analysis.encoding,
        parts: analysis.segments,
        settings: resolved,
    })
}

/// The local refusal of what the key's policy forbids (exit 5, before any traffic).
fn policy_refusal(key: &Key, v: &Violation) -> Error {
    let change = match v.rule {
        Rule::Scope => "--scope",
        Rule::Sender => "--allow-sender",
        Rule::Destination => "--allow-to / --deny-to",
        Rule::MaxParts => "--max-parts",
        Rule::SendWindow => "--send-window",
        Rule::Rate => "--rate",
        Rule::Quota => "--quota",
    };
    let when = v
        .retry_after
        .map(|s| format!("retry in {}, or ", time::humanize(Millis::from_secs(s as i64))))
        .unwrap_or_default();
    Error::rejected(format!("key '{}' policy refuses this message: {}", key.name, v.detail)).hint(format!(
        "{when}see `smsctl key show {}`; an operator can change {change} with `smsctl key set {}`",
        key.name, key.name
    ))
}

/// CI gates: checked before any network traffic.
fn gates(args: &SendArgs, analysis: &Analysis) -> Result<()> {
    if args.require_gsm7 && analysis.encoding != Encoding::Gsm7 {
        return Err(Error::failure(format!(
            "--require-gsm7: the text needs UCS-2 because of {}",
            analysis
                .non_gsm
                .iter()
                .map(|c| format!("'{c}' (U+{:04X})", c.chars().next().map(|c| c as u32).unwrap_or(0)))
                .collect::<Vec<_>>()
                .join(", ")
        ))
        .hint("--autoconvert full transliterates Latin-script text to GSM-7 (other scripts become '?'); or change the text"));
    }
    if let Some(max) = args.max_parts {
        if analysis.segments > max as usize {
            return Err(Error::failure(format!(
                "--max-parts {max}: the message needs {} parts ({} {}, {})",
                analysis.segments,
                analysis.units,
                analysis.encoding.unit_label(),
                analysis.encoding.as_str()
            ))
            .hint(if analysis.encoding == Encoding::Gsm7 {
                // Already GSM-7: transliterating would not make it any shorter.
                format!(
                    "shorten the text (GSM-7: 160 characters in one part, 153 per part beyond), or raise --max-parts to {}",
                    analysis.segments
                )
            } else {
                "shorten the text, or use --autoconvert full to stay in GSM-7 (160/153 per part instead of 70/67)".to_owned()
            }));
        }
    }
    Ok(())
}

fn api_url(input: &str) -> Result<url::Url> {
    let bad = |why: &str| {
        Error::usage(format!("invalid --api-url '{}': {why}", printable(input)))
            .hint("e.g. https://api.example.com/v1, or http://127.0.0.1:8700/v1 for the sandbox")
    };
    let url = url::Url::parse(input).map_err(|e| bad(&e.to_string()))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(bad(
            "credentials in the URL are not allowed; the key's secret is sent as Basic auth",
        ));
    }
    match url.scheme() {
        "https" => Ok(url),
        "http" if settings::is_loopback_url(&url) => Ok(url),
        "http" => Err(bad("plain http is only allowed to loopback (127.0.0.1, ::1, localhost)")),
        other => Err(bad(&format!("scheme '{other}' is not supported"))),
    }
}

type Failure = (Option<u16>, Error);

/// Maps an HTTP response to success (the 201 body) or an error carrying the status.
fn interpret(url: &str, resp: client::Response) -> std::result::Result<(u16, OmniMessageCreateSuccessResponse), Failure> {
    let status = resp.status;
    let fail = |err: Error| Err((Some(status), err));
    if resp.oversized {
        return fail(Error::network(format!(
            "HTTP {status} from {url} with a response body over 64 KiB; not read"
        )));
    }
    match status {
        200 | 201 => match OmniMessageCreateSuccessResponse::parse(&resp.body) {
            Some(created) => Ok((status, created)),
            None => fail(
                Error::network(format!(
                    "HTTP {status} from {url}, but the body is not an Omnimessage response: {}",
                    snippet(&resp.body)
                ))
                .hint("check that --api-url points at an Omnimessage-compatible API"),
            ),
        },
        300..=399 => fail(
            Error::network(format!(
                "HTTP {status} redirect from {url} to {}; redirects are not followed",
                resp.location.as_deref().map(printable).unwrap_or_else(|| "?".into())
            ))
            .hint("point --api-url at the final address"),
        ),
        _ => {
            let detail = ErrorOmnichannel::parse(&resp.body)
                .map(|e| api_errors(&e.errors))
                .unwrap_or_else(|| snippet(&resp.body));
            let (kind, hint) = match status {
                401 => (
                    Kind::Rejected,
                    "the API refused the key or secret: check it with `smsctl key verify`",
                ),
                403 => (
                    Kind::Rejected,
                    "the API refused this client or message: check the key's IP whitelist with `smsctl key whitelist KEY test ADDR`, and its policy with `smsctl key show KEY`",
                ),
                429 => (
                    Kind::Rejected,
                    "the key's rate limit or quota was reached: retry later (the API's Retry-After says when); see `smsctl usage --key KEY`",
                ),
                _ => (Kind::Network, "the API refused or failed the request; see the detail above"),
            };
            fail(Error::new(kind, format!("HTTP {status} from {url}: {detail}")).hint(hint))
        }
    }
}

/// `title: detail [source] (code N)` for each entry of an Omnimessage `errors` array.
fn api_errors(errors: &[ErrorItemOmnichannel]) -> String {
    errors
        .iter()
        .take(5)
        .map(|e| {
            let mut s = e.title.as_deref().map_or_else(|| "error".into(), printable);
            if let Some(d) = &e.detail {
                s.push_str(&format!(": {}", printable(d)));
            }
            if let Some(src) = &e.source {
                s.push_str(&format!(" [{}]", printable(src)));
            }
            if let Some(c) = &e.code {
                s.push_str(&format!(" (code {})", printable(c)));
            }
            s
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// A short, printable excerpt of an unexpected body.
fn snippet(body: &str) -> String {
    let t = body.trim();
    if t.is_empty() {
        return "(empty body)".into();
    }
    printable(&t.chars().take(200).collect::<String>())
}

/// The `Idempotency-Key` `send` sets unless `--idempotency-key` gives one: a digest of the key
/// and the exact request, so a retried invocation (a re-run CI step) is the same request and
/// the gateway answers it without sending again, for 24 h.
fn default_idempotency_key(key_id: &str, request: &Omnimessage) -> String {
    use sha2::Digest;
    let mut hasher = sha2::Sha256::new();
    hasher.update(key_id.as_bytes());
    hasher.update(b"\n");
    hasher.update(serde_json::to_vec(request).unwrap_or_default());
    let digest = hasher.finalize();
    let hex = crate::token::hex(&digest[..16]);
    format!("smsctl-send-{hex}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_errors_read_as_the_user_is_told_them() {
        // Numbers as codes, missing fields, and entries that are not objects all still say
        // what they can.
        let body = r#"{"errors":[{"title":"Invalid data","detail":"bad\u0007","code":105,"source":"payload[to]"},{"detail":"x"},"junk"]}"#;
        let errors = ErrorOmnichannel::parse(body).unwrap();
        assert_eq!(
            api_errors(&errors.errors),
            "Invalid data: bad\\u{7} [payload[to]] (code 105); error: x; error"
        );
    }

    #[test]
    fn the_default_idempotency_key_digests_the_request_as_written() {
        let request = Omnimessage {
            dlr_url: None,
            messages: vec![Sms {
                autoconvert: AutoConvert::On,
                channel: Channel::Sms,
                sender: "ACME".into(),
                text: "Hi".into(),
            }],
            to: "+37255512345".into(),
        };
        // What `send` digested when it built the request as a JSON tree (keys sorted).
        let tree = serde_json::json!({"to": "+37255512345", "messages": [{"channel": "sms", "sender": "ACME", "text": "Hi", "autoconvert": "on"}]});
        use sha2::Digest;
        let mut hasher = sha2::Sha256::new();
        hasher.update(b"key_abcd1234\n");
        hasher.update(tree.to_string().as_bytes());
        let want = format!("smsctl-send-{}", crate::token::hex(&hasher.finalize()[..16]));
        assert_eq!(default_idempotency_key("key_abcd1234", &request), want);
    }
}
