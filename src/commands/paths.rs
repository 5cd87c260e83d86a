//! `smsctl paths`: where the store and secrets live.

use serde::Serialize;

use crate::context::Ctx;
use crate::error::Result;
use crate::output::{Human, Report};

#[derive(Serialize)]
struct Paths {
    store: String,
    store_source: &'static str,
    store_exists: bool,
    config: Option<String>,
    keyring_service: &'static str,
    keyring_account: &'static str,
    /// `false` with `SMSCTL_KEYRING=none`: nothing is saved in or read from the keyring.
    keyring_enabled: bool,
    /// Where this store's audit key is looked up, in order (never the key itself).
    audit_key: Vec<String>,
    api_url: String,
}

impl Report for Paths {
    fn human(&self, out: &mut Human) {
        out.fields(&[
            (
                "store",
                format!(
                    "{} ({}{})",
                    self.store,
                    self.store_source,
                    if self.store_exists { "" } else { "; not created yet" }
                ),
            ),
            (
                "config",
                "none: smsctl is configured by flags and SMSCTL_* environment variables".into(),
            ),
            (
                "keyring",
                if self.keyring_enabled {
                    format!("service '{}', account = {}", self.keyring_service, self.keyring_account)
                } else {
                    "disabled (SMSCTL_KEYRING=none)".to_owned()
                },
            ),
            ("audit key", self.audit_key.join(", then ")),
            ("api url", self.api_url.clone()),
        ]);
    }
    fn quiet(&self) -> Option<String> {
        Some(self.store.clone())
    }
}

pub fn exec(ctx: &Ctx) -> Result<()> {
    let (store, store_source) = match &ctx.db {
        Some(p) if ctx.env.db().is_some_and(|v| std::path::Path::new(&v) == p) => (p.clone(), "SMSCTL_DB"),
        Some(p) => (p.clone(), "--db"),
        None => (crate::store::default_path()?, "default"),
    };
    // Only an existing, sound store has an id; reading it must not create or migrate anything.
    let store_id = crate::store::inspect_location(&store)
        .ok()
        .and_then(|c| crate::store::audit_key::store_identity(&c).ok().flatten())
        .map(|(id, _)| id);
    let id = store_id.as_deref().unwrap_or("<store id>");
    ctx.out.emit(&Paths {
        audit_key: ctx.audit_keys.places(id),
        store_exists: crate::store::location_exists(&store).unwrap_or(false),
        store: crate::store::display_location(&store),
        store_source,
        config: None,
        keyring_service: crate::keyring::SERVICE,
        keyring_account: "the key id",
        keyring_enabled: !ctx.env.keyring_disabled(),
        api_url: ctx
            .env
            .api_url()
            .unwrap_or_else(|| crate::commands::send::DEFAULT_API_URL.to_owned()),
    })
}
