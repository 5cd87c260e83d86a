//! `smsctl key ...`: the key lifecycle and settings.

mod create;
mod edit;
mod list;
mod purge;
mod rename;
mod replace;
pub(crate) mod revoke;
mod rollover;
mod rotate;
mod set;
mod show;
mod verify;
mod whitelist;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;

use crate::cli::KeyCommand;
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::keyring::SecretStore;
use crate::keys::IssuedSecret;
use crate::keys::rotation::{self, SecretState};
use crate::output::Human;
use crate::policy::Policy;
use crate::store::audit;
use crate::store::keys::{Key, SecretRow, Status};
use crate::text::{AutoConvert, ReplaceTable};
use crate::time::{self, UnixMillis};
use crate::time::{iso, iso_opt};
use crate::token::Secret;

pub fn dispatch(ctx: &Ctx, cmd: KeyCommand) -> Result<()> {
    match cmd {
        KeyCommand::Create(args) => create::exec(ctx, args),
        KeyCommand::List(args) => list::exec(ctx, args),
        KeyCommand::Show(args) => show::exec(ctx, args),
        KeyCommand::Rename(args) => rename::exec(ctx, args),
        KeyCommand::Rotate(args) => rotate::exec(ctx, args),
        KeyCommand::Rollover(args) => rollover::exec(ctx, args),
        KeyCommand::Purge(args) => purge::exec(ctx, args),
        KeyCommand::Delete { .. } => Err(
            Error::usage("there is no `key delete`: a key is revoked (at once, final), and purged later")
                .hint("run `smsctl key revoke KEY`; revoked keys can be removed with `smsctl key purge --revoked-before 90d`"),
        ),
        KeyCommand::Revoke(args) => revoke::exec(ctx, args),
        KeyCommand::Set(args) => set::exec(ctx, args),
        KeyCommand::Edit(args) => edit::exec(ctx, args),
        KeyCommand::Replace(args) => replace::exec(ctx, args),
        KeyCommand::Whitelist(args) => whitelist::exec(ctx, args),
        KeyCommand::Verify(args) => verify::exec(ctx, args),
    }
}

/// Changes a key's settings inside the caller's transaction: loads it, refuses a revoked key,
/// runs `change`, and writes and audits the result (before/after) only if something changed.
pub fn change_settings<T>(
    ctx: &Ctx,
    tx: &crate::store::Conn,
    key_ref: &str,
    action: audit::Action,
    now: crate::time::UnixMillis,
    change: impl FnOnce(&mut Key) -> Result<T>,
) -> Result<(Key, T)> {
    let mut key = crate::store::keys::find(tx, key_ref)?;
    crate::keys::ensure_mutable(&key)?;
    let before = crate::store::keys::state_snapshot(tx, &key)?;
    let value = change(&mut key)?;
    let after = crate::store::keys::state_snapshot(tx, &key)?;
    if before != after {
        crate::store::keys::update(tx, &key)?;
        ctx.audit(tx, now, action, Some(&key.id), Some(before), Some(after))?;
    }
    Ok((key, value))
}

/// The bulk selectors of `key list` / `key revoke`, parsed.
pub fn selector(args: &crate::cli::KeySelectors, now: UnixMillis) -> Result<crate::keyfile::select::Selector> {
    crate::keyfile::select::Selector::parse(
        args.name.as_deref(),
        args.owner.as_deref(),
        args.unused_for.as_deref(),
        args.created_before.as_deref(),
        args.expires_within.as_deref(),
        now,
    )
}

/// The keyring for `--save-secret`, checked before anything changes: it can store secrets.
pub fn keyring_for_saving(ctx: &Ctx) -> Result<Arc<dyn SecretStore>> {
    crate::keyring::probe(&*ctx.keyring)?;
    Ok(Arc::clone(&ctx.keyring))
}

/// Where a new secret goes: printed, the OS keyring (`--save-secret`) or a new file
/// (`--secret-file`). Checked before anything changes.
pub enum SecretSink {
    Print,
    Keyring(Arc<dyn SecretStore>),
    File(PathBuf),
}

impl SecretSink {
    pub fn new(ctx: &Ctx, save_secret: bool, secret_file: Option<&Path>) -> Result<SecretSink> {
        if let Some(path) = secret_file {
            check_secret_file(path)?;
            return Ok(SecretSink::File(path.to_owned()));
        }
        if !save_secret {
            return Ok(SecretSink::Print);
        }
        Ok(SecretSink::Keyring(keyring_for_saving(ctx)?))
    }
}

/// `--secret-file` must name a new file in an existing directory (never a link).
fn check_secret_file(path: &Path) -> Result<()> {
    if std::fs::symlink_metadata(path).is_ok() {
        return Err(
            Error::usage(format!("--secret-file {} already exists (or is a link)", path.display()))
                .hint("give a new file name; a secret file is never overwritten or written through a link"),
        );
    }
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    if !dir.is_dir() {
        return Err(Error::usage(format!(
            "--secret-file {}: directory {} does not exist",
            path.display(),
            dir.display()
        ))
        .hint("create the directory first, or check the path for a typo"));
    }
    Ok(())
}

/// A secret handed over inside a transaction that has not committed yet: unless
/// [`Handover::keep`] is called, the keyring entry is put back as it was, or the file removed.
pub enum Handover<'a> {
    Keyring {
        keyring: &'a dyn SecretStore,
        account: String,
        previous: Option<zeroize::Zeroizing<String>>,
        kept: bool,
    },
    File {
        path: PathBuf,
        kept: bool,
    },
}

impl Handover<'_> {
    pub fn keep(mut self) {
        match &mut self {
            Handover::Keyring { kept, .. } | Handover::File { kept, .. } => *kept = true,
        }
    }
}

impl Drop for Handover<'_> {
    fn drop(&mut self) {
        match self {
            Handover::Keyring { kept: true, .. } | Handover::File { kept: true, .. } => {}
            Handover::Keyring {
                keyring,
                account,
                previous,
                ..
            } => {
                let _ = match previous {
                    Some(old) => keyring.set(account, old),
                    None => keyring.delete(account),
                };
            }
            Handover::File { path, .. } => {
                let _ = std::fs::remove_file(&*path);
            }
        }
    }
}

/// Writes the secret to a new 0600 file and syncs it (and its directory) to disk.
fn write_secret_file(path: &Path, secret: &Secret) -> Result<()> {
    use std::io::Write;
    let mut file = crate::private_fs::create_new(path).map_err(|e| {
        let err = Error::usage(format!("cannot create --secret-file {}: {e}", path.display()));
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            err.hint("give a new file name; a secret file is never overwritten or written through a link")
        } else {
            err.hint("check the path and the directory's permissions; nothing was changed")
        }
    })?;
    let written = file
        .write_all(secret.expose().as_bytes())
        .and_then(|_| file.write_all(b"\n"))
        .and_then(|_| file.sync_all());
    if let Err(e) = written {
        let _ = std::fs::remove_file(path);
        return Err(Error::failure(format!(
            "cannot write --secret-file {}: {e}; nothing was changed",
            path.display()
        )));
    }
    if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        // The file's name must survive a crash as well as its content.
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
    }
    Ok(())
}

/// Hands the secret over as asked. If the keyring fails, the secret is shown instead, so that
/// it still reaches the operator; a file that cannot be written fails the command. Call it
/// inside the transaction, before the commit.
pub fn deliver_secret<'a>(ctx: &Ctx, sink: &'a SecretSink, key_id: &str, secret: Secret) -> Result<(IssuedSecret, Option<Handover<'a>>)> {
    match sink {
        SecretSink::Print => Ok((IssuedSecret::Shown(secret), None)),
        SecretSink::File(path) => {
            write_secret_file(path, &secret)?;
            Ok((
                IssuedSecret::File(path.clone()),
                Some(Handover::File {
                    path: path.clone(),
                    kept: false,
                }),
            ))
        }
        SecretSink::Keyring(kr) => {
            let previous = kr.get(key_id).ok().flatten().map(zeroize::Zeroizing::new);
            match kr.set(key_id, secret.expose()) {
                Ok(()) => Ok((
                    IssuedSecret::Keyring,
                    Some(Handover::Keyring {
                        keyring: &**kr,
                        account: key_id.to_owned(),
                        previous,
                        kept: false,
                    }),
                )),
                Err(e) => {
                    ctx.out.warn(&format!(
                        "could not save the secret in the OS keyring ({e}); it is shown below instead, once"
                    ));
                    Ok((IssuedSecret::Shown(secret), None))
                }
            }
        }
    }
}

/// The human lines announcing a new secret.
/// What `key create` and `key rotate` print after their first line: the new secret (or where it
/// went), then the key's secrets.
pub fn announce_secret_and_secrets(out: &mut Human, secret: &IssuedSecret, key: &KeyView) {
    out.blank();
    announce_secret(out, secret, &key.id);
    out.blank();
    if let Some(secrets) = &key.secrets {
        secrets_table(out, secrets);
    }
}

pub fn announce_secret(out: &mut Human, secret: &IssuedSecret, key_id: &str) {
    match secret {
        IssuedSecret::Shown(secret) => {
            out.line("Secret (shown once; store it now, it cannot be recovered):");
            out.line(format!("  {}", secret.expose()));
        }
        IssuedSecret::Keyring => out.line(format!(
            "Secret saved in the OS keyring (service {}, account {key_id}); it is not shown.",
            crate::keyring::SERVICE
        )),
        IssuedSecret::File(path) => out.line(format!(
            "Secret written to {} (mode 0600); it is not shown. Hand the file over, then delete it.",
            path.display()
        )),
    }
}

/// The public view of a key, as `key list/show --json` print it. Never a secret or a hash.
#[derive(Debug, Serialize)]
pub struct KeyView {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    pub status: Status,
    #[serde(serialize_with = "iso")]
    pub created_at: UnixMillis,
    #[serde(serialize_with = "iso_opt")]
    pub expires_at: Option<UnixMillis>,
    #[serde(serialize_with = "iso_opt")]
    pub revoked_at: Option<UnixMillis>,
    #[serde(serialize_with = "iso_opt")]
    pub last_used_at: Option<UnixMillis>,
    pub last_used_ip: Option<String>,
    pub sender: Option<String>,
    /// `null` when not set on the key (the built-in default, on, applies).
    pub auto_replace: Option<AutoConvert>,
    pub dlr_url: Option<String>,
    pub replace: ReplaceTable,
    pub whitelist: Vec<String>,
    pub production: bool,
    pub policy: Policy,
    /// Present in `key show` only: usage today and this month, quota, recent failures.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub usage: Option<crate::commands::usage::KeyUsage>,
    /// Present in `key show` (and after create/rotate), absent in `key list`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secrets: Option<Vec<SecretView>>,
}

#[derive(Debug, Serialize)]
pub struct SecretView {
    pub last4: String,
    pub state: SecretState,
    #[serde(serialize_with = "iso")]
    pub created_at: UnixMillis,
    #[serde(serialize_with = "iso_opt")]
    pub valid_until: Option<UnixMillis>,
    #[serde(serialize_with = "iso_opt")]
    pub last_used_at: Option<UnixMillis>,
    /// `key show`: messages the gateway accepted with this secret, and from where the last came.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub messages: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_ip: Option<String>,
}

impl KeyView {
    pub fn new(key: &Key, secrets: Option<&[SecretRow]>, now: UnixMillis) -> KeyView {
        let s = &key.settings;
        KeyView {
            id: key.id.clone(),
            name: key.name.clone(),
            description: key.description.clone(),
            status: key.status(now),
            created_at: key.created_at,
            expires_at: key.expires_at,
            revoked_at: key.revoked_at,
            last_used_at: key.last_used_at,
            last_used_ip: key.last_used_ip.clone(),
            sender: s.sender.clone(),
            auto_replace: s.auto_replace,
            dlr_url: s.dlr_url.clone(),
            replace: s.replace.clone(),
            whitelist: s.whitelist.iter().map(|n| n.to_string()).collect(),
            production: s.production,
            policy: s.policy.clone(),
            usage: None,
            secrets: secrets.map(|rows| {
                rows.iter()
                    .map(|r| SecretView {
                        last4: r.last4.clone(),
                        state: rotation::state(r.valid_until, now),
                        created_at: r.created_at,
                        valid_until: r.valid_until,
                        last_used_at: r.last_used_at,
                        messages: None,
                        last_ip: None,
                    })
                    .collect()
            }),
        }
    }

    /// Field/value rows for the human view of one key.
    pub fn field_rows(&self, now: UnixMillis) -> Vec<(&'static str, String)> {
        let opt = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
        let mut rows = vec![
            ("id", self.id.clone()),
            ("name", self.name.clone()),
            ("status", self.status.as_str().to_owned()),
            ("description", opt(&self.description)),
            ("created", time::format(self.created_at)),
            ("expires", expiry_text(self.expires_at, now)),
        ];
        if let Some(r) = self.revoked_at {
            rows.push(("revoked", time::format(r)));
        }
        rows.push((
            "last used",
            match (&self.last_used_at, &self.last_used_ip) {
                (Some(t), Some(ip)) => format!("{} from {ip}", time::format(*t)),
                (Some(t), None) => time::format(*t),
                _ => "never".into(),
            },
        ));
        rows.push((
            "sender",
            self.sender.clone().unwrap_or_else(|| "- (none: send needs --from)".into()),
        ));
        rows.push((
            "autoconvert",
            self.auto_replace
                .map_or_else(|| format!("{} (default)", AutoConvert::default()), |m| m.to_string()),
        ));
        rows.push(("replace table", replace_summary(&self.replace)));
        rows.push(("dlr webhook", opt(&self.dlr_url)));
        rows.push(("whitelist", whitelist_summary(&self.whitelist)));
        rows.push(("production", if self.production { "yes" } else { "no" }.into()));
        rows.extend(policy_rows(&self.policy));
        if let Some(usage) = &self.usage {
            rows.extend(usage.field_rows());
        }
        rows
    }
}

/// The human rows of a key's policy: owner and purpose always, the other rules when set.
fn policy_rows(p: &Policy) -> Vec<(&'static str, String)> {
    let mut rows = vec![
        ("owner", p.owner.clone().unwrap_or_else(|| "-".into())),
        ("purpose", p.purpose.map_or_else(|| "-".to_owned(), |x| x.as_str().to_owned())),
        (
            "scopes",
            p.scopes
                .as_ref()
                .map_or_else(|| "all".to_owned(), |s| s.iter().map(|x| x.as_str()).collect::<Vec<_>>().join(",")),
        ),
    ];
    let list = |v: &[String]| v.join(", ");
    if !p.allow_senders.is_empty() {
        rows.push(("allowed senders", list(&p.allow_senders)));
    }
    if !p.allow_to.is_empty() {
        rows.push(("allowed to", list(&p.allow_to)));
    }
    if !p.deny_to.is_empty() {
        rows.push(("denied to", list(&p.deny_to)));
    }
    if let Some(n) = p.max_parts {
        rows.push(("max parts", n.to_string()));
    }
    if let Some(r) = &p.rate {
        rows.push(("rate", r.to_string()));
    }
    if let Some(q) = &p.quota {
        rows.push(("quota", q.to_string()));
    }
    if let Some(w) = &p.send_window {
        rows.push(("send window", w.to_string()));
    }
    if p.canary {
        rows.push(("canary", "yes: any use is refused and alarms".into()));
    }
    if let Some(u) = &p.alert_url {
        rows.push(("alert url", u.clone()));
    }
    rows
}

pub fn expiry_text(expires_at: Option<UnixMillis>, now: UnixMillis) -> String {
    match expires_at {
        None => "never".into(),
        Some(t) if t <= now => format!("{} (expired)", time::format(t)),
        Some(t) => format!("{} (in {})", time::format(t), time::humanize(t - now)),
    }
}

pub fn whitelist_summary(list: &[String]) -> String {
    if list.is_empty() {
        "empty: every address is refused".into()
    } else {
        list.join(", ")
    }
}

fn replace_summary(table: &ReplaceTable) -> String {
    if table.is_empty() {
        return "-".into();
    }
    table.iter().map(|(from, to)| format!("{from}→{to}")).collect::<Vec<_>>().join(" ")
}

/// The secrets of a key as a table: last four characters, state, times.
pub fn secrets_table(out: &mut Human, secrets: &[SecretView]) {
    let rows: Vec<Vec<String>> = secrets
        .iter()
        .map(|s| {
            vec![
                format!("…{}", s.last4),
                s.state.as_str().to_owned(),
                time::format(s.created_at),
                time::format_opt(s.valid_until),
                s.last_used_at.map_or_else(|| "never".to_owned(), time::format),
                s.messages.map_or_else(String::new, |n| n.to_string()),
                s.last_ip.clone().unwrap_or_default(),
            ]
        })
        .collect();
    if secrets.iter().any(|s| s.messages.is_some()) {
        out.table(
            &["secret", "state", "created", "valid until", "last used", "messages", "last ip"],
            rows,
        );
    } else {
        let rows = rows.into_iter().map(|mut r| {
            r.truncate(5);
            r
        });
        out.table(&["secret", "state", "created", "valid until", "last used"], rows);
    }
}
