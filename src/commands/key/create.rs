//! `smsctl key create`: a new key and its first secret, shown once.

use serde::Serialize;

use super::{KeyView, announce_secret_and_secrets, deliver_secret};
use crate::cli::KeyCreateArgs;
use crate::context::Ctx;
use crate::error::Result;
use crate::keys::IssuedSecret;
use crate::output::{Human, Report};
use crate::store::audit;
use crate::store::keys::{self, Key, Settings};
use crate::token::{self, Secret};
use crate::whitelist;

#[derive(Serialize)]
struct Created {
    #[serde(flatten)]
    key: KeyView,
    /// The secret, present exactly once: here (null when saved to the keyring or a file).
    #[serde(flatten)]
    secret: IssuedSecret,
}

impl Report for Created {
    fn human(&self, out: &mut Human) {
        out.line(format!("Created key {} ({}).", self.key.name, self.key.id));
        announce_secret_and_secrets(out, &self.secret, &self.key);
    }
    fn quiet(&self) -> Option<String> {
        Some(self.secret.quiet(&self.key.id))
    }
}

pub(super) fn exec(ctx: &Ctx, args: KeyCreateArgs) -> Result<()> {
    let now = ctx.clock.now();
    keys::validate_name(&args.name)?;
    let mut key = Key {
        id: token::generate_key_id(),
        name: args.name.clone(),
        description: None,
        created_at: now,
        expires_at: None,
        revoked_at: None,
        settings: Settings::default(),
        last_used_at: None,
        last_used_ip: None,
    };
    let mut warnings = crate::keys::apply_patch(&mut key, &super::set::patch_of(&args.settings), now)?;
    warnings.extend(crate::keys::check_consistency(&key)?);
    for pair in &args.replace {
        let (from, to) = super::replace::parse_pair(pair)?;
        key.settings.replace.insert(from, to);
    }
    let entries = args
        .allow_ip
        .iter()
        .map(|e| whitelist::parse_entry(e))
        .collect::<Result<Vec<_>>>()?;
    let outcome = whitelist::add(&mut key.settings.whitelist, &entries, key.settings.production);
    warnings.extend(outcome.warnings);
    for c in outcome.covered {
        warnings.push(format!("{} is already covered by {}; not stored twice", c.entry, c.by));
    }
    if key.settings.whitelist.is_empty() {
        warnings.push(format!(
            "key '{}' has an empty IP whitelist, so the API refuses every address; add entries with `smsctl key whitelist {} add IP|CIDR`",
            key.name, key.name
        ));
    }
    let sink = super::SecretSink::new(ctx, args.save_secret, args.secret_file.as_deref())?;
    let secret = Secret::generate();
    for w in &warnings {
        ctx.out.warn(w);
    }
    let mut store = ctx.store()?;
    // The secret is delivered (printed and flushed, or saved) inside the transaction: if it
    // cannot reach anyone, the key is not created.
    let saved = store.write(|tx| {
        if keys::name_taken(tx, &key.name, None)? {
            return Err(keys::name_conflict(&key.name));
        }
        keys::insert(tx, &key)?;
        keys::insert_secret(tx, &key.id, &secret, now)?;
        ctx.audit(
            tx,
            now,
            audit::Action::KeyCreate,
            Some(&key.id),
            None,
            Some(keys::state_snapshot(tx, &key)?),
        )?;
        let secrets = keys::live_secrets(tx, &key.id, now)?;
        let (secret, saved) = deliver_secret(ctx, &sink, &key.id, secret)?;
        ctx.out.deliver(&Created {
            key: KeyView::new(&key, Some(&secrets), now),
            secret,
        })?;
        Ok(saved)
    })?;
    if let Some(s) = saved {
        s.keep();
    }
    Ok(())
}
