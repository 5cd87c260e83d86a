//! The key domain: rules and changes of API keys as plain functions over plain types, with no
//! command-line or output types. Commands parse arguments into these types, call them inside a
//! store transaction, and print what comes back.

mod issued;
mod lifecycle;
mod patch;
pub(crate) mod rotation;

pub(crate) use issued::IssuedSecret;
pub(crate) use lifecycle::ensure_mutable;
pub(crate) use patch::{Edit, PolicyPatch, SettingsPatch, apply as apply_patch, check_consistency};
