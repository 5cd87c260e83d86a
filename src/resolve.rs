//! The precedence rule, in one function used by `send` and by the gateway:
//! **the request's value > the key's configuration > built-in default**, reporting per
//! setting the effective value, where it came from, and every lower-precedence value it beat.

use serde::Serialize;

use crate::store::keys::Settings;
use crate::text::AutoConvert;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Source {
    /// Given with the request: a flag on `send`'s command line, or a field of the body the
    /// gateway received. `send` shows it as `flag` (and JSON says `"flag"`), the word its
    /// users know; the gateway never shows it.
    #[serde(rename = "flag")]
    Request,
    /// The key's configuration.
    Key,
    /// Built in.
    Default,
}

impl Source {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Source::Request => "flag",
            Source::Key => "key",
            Source::Default => "default",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Candidate<T> {
    pub value: T,
    pub source: Source,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct EffectiveSetting<T> {
    pub value: T,
    pub source: Source,
    /// Lower-precedence values that were set and lost, highest first.
    pub overridden: Vec<Candidate<T>>,
}

/// Picks the first present candidate; the others that were present are "overridden".
fn pick<T: Clone>(candidates: Vec<Option<Candidate<T>>>, fallback: Candidate<T>) -> EffectiveSetting<T> {
    let mut present = candidates.into_iter().flatten();
    match present.next() {
        Some(winner) => EffectiveSetting {
            value: winner.value,
            source: winner.source,
            overridden: present.collect(),
        },
        None => EffectiveSetting {
            value: fallback.value,
            source: fallback.source,
            overridden: vec![],
        },
    }
}

/// The delivery-report choice made on a request.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) enum DlrChoice {
    /// Not given: fall back to the key.
    #[default]
    Unset,
    /// `--dlr-url URL`.
    Url(String),
    /// `--no-dlr-url` (or `dlr_url: ""`): no report, even if the key has a webhook.
    Disabled,
}

/// What the request (flags or API body) said. `None` = not given.
#[derive(Debug, Clone, Default)]
pub(crate) struct Requested {
    pub sender: Option<String>,
    pub autoconvert: Option<AutoConvert>,
    pub dlr: DlrChoice,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Resolved {
    pub sender: EffectiveSetting<Option<String>>,
    pub autoconvert: EffectiveSetting<AutoConvert>,
    pub dlr_url: EffectiveSetting<Option<String>>,
}

fn from_request<T>(value: T) -> Option<Candidate<T>> {
    Some(Candidate {
        value,
        source: Source::Request,
    })
}

fn from_key<T>(value: T) -> Option<Candidate<T>> {
    Some(Candidate {
        value,
        source: Source::Key,
    })
}

pub(crate) fn resolve(requested: &Requested, key: &Settings) -> Resolved {
    let sender = pick(
        vec![
            requested.sender.clone().and_then(|s| from_request(Some(s))),
            key.sender.clone().and_then(|s| from_key(Some(s))),
        ],
        Candidate {
            value: None,
            source: Source::Default,
        },
    );
    // The built-in default (on, as the provider's) always exists, so it is listed when
    // something beats it.
    let autoconvert = pick(
        vec![
            requested.autoconvert.and_then(from_request),
            key.auto_replace.and_then(from_key),
            Some(Candidate {
                value: AutoConvert::default(),
                source: Source::Default,
            }),
        ],
        Candidate {
            value: AutoConvert::default(),
            source: Source::Default,
        },
    );
    let dlr_requested = match &requested.dlr {
        DlrChoice::Unset => None,
        DlrChoice::Url(u) => from_request(Some(u.clone())),
        DlrChoice::Disabled => from_request(None),
    };
    let dlr_url = pick(
        vec![dlr_requested, key.dlr_url.clone().and_then(|u| from_key(Some(u)))],
        Candidate {
            value: None,
            source: Source::Default,
        },
    );
    Resolved {
        sender,
        autoconvert,
        dlr_url,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(sender: Option<&str>, auto: AutoConvert, dlr: Option<&str>) -> Settings {
        Settings {
            sender: sender.map(str::to_owned),
            auto_replace: Some(auto).filter(|a| *a != AutoConvert::Off),
            dlr_url: dlr.map(str::to_owned),
            ..Settings::default()
        }
    }

    fn req(sender: Option<&str>, auto: Option<AutoConvert>, dlr: DlrChoice) -> Requested {
        Requested {
            sender: sender.map(str::to_owned),
            autoconvert: auto,
            dlr,
        }
    }

    fn c<T>(value: T, source: Source) -> Candidate<T> {
        Candidate { value, source }
    }

    #[test]
    fn sender_every_combination() {
        let some = |s: &str| Some(s.to_owned());
        // request only
        let r = resolve(&req(Some("FLAG"), None, DlrChoice::Unset), &key(None, AutoConvert::Off, None)).sender;
        assert_eq!((r.value, r.source, r.overridden), (some("FLAG"), Source::Request, vec![]));
        // key only
        let r = resolve(&req(None, None, DlrChoice::Unset), &key(Some("KEY"), AutoConvert::Off, None)).sender;
        assert_eq!((r.value, r.source, r.overridden), (some("KEY"), Source::Key, vec![]));
        // both: the request wins and reports the key value it beat
        let r = resolve(
            &req(Some("FLAG"), None, DlrChoice::Unset),
            &key(Some("KEY"), AutoConvert::Off, None),
        )
        .sender;
        assert_eq!(
            (r.value, r.source, r.overridden),
            (some("FLAG"), Source::Request, vec![c(some("KEY"), Source::Key)])
        );
        // neither
        let r = resolve(&req(None, None, DlrChoice::Unset), &key(None, AutoConvert::Off, None)).sender;
        assert_eq!((r.value, r.source), (None, Source::Default));
    }

    #[test]
    fn autoconvert_every_combination() {
        use AutoConvert::*;
        // (`key(None, Off, None)` leaves the mode unset on the key.)
        let r = resolve(&req(None, Some(Full), DlrChoice::Unset), &key(None, Off, None)).autoconvert;
        assert_eq!(
            (r.value, r.source, r.overridden),
            (Full, Source::Request, vec![c(On, Source::Default)])
        );
        let r = resolve(&req(None, None, DlrChoice::Unset), &key(None, Full, None)).autoconvert;
        assert_eq!((r.value, r.source, r.overridden), (Full, Source::Key, vec![c(On, Source::Default)]));
        // --autoconvert off beats a key set to full
        let r = resolve(&req(None, Some(Off), DlrChoice::Unset), &key(None, Full, None)).autoconvert;
        assert_eq!((r.value, r.source), (Off, Source::Request));
        assert_eq!(r.overridden, vec![c(Full, Source::Key), c(On, Source::Default)]);
        // Nothing given: the built-in default is on, as the provider's.
        let r = resolve(&req(None, None, DlrChoice::Unset), &key(None, Off, None)).autoconvert;
        assert_eq!((r.value, r.source, r.overridden), (On, Source::Default, vec![]));
        // A key explicitly set to on is the key's choice, not the default.
        let explicit = Settings {
            auto_replace: Some(On),
            ..Settings::default()
        };
        let r = resolve(&req(None, None, DlrChoice::Unset), &explicit).autoconvert;
        assert_eq!((r.value, r.source, r.overridden), (On, Source::Key, vec![c(On, Source::Default)]));
    }

    #[test]
    fn dlr_every_combination() {
        let url = |s: &str| Some(s.to_owned());
        let r = resolve(
            &req(None, None, DlrChoice::Url("https://f.example/x".into())),
            &key(None, AutoConvert::Off, None),
        )
        .dlr_url;
        assert_eq!((r.value, r.source), (url("https://f.example/x"), Source::Request));
        let r = resolve(
            &req(None, None, DlrChoice::Unset),
            &key(None, AutoConvert::Off, Some("https://k.example/x")),
        )
        .dlr_url;
        assert_eq!((r.value, r.source), (url("https://k.example/x"), Source::Key));
        let r = resolve(
            &req(None, None, DlrChoice::Url("https://f.example/x".into())),
            &key(None, AutoConvert::Off, Some("https://k.example/x")),
        )
        .dlr_url;
        assert_eq!(r.overridden, vec![c(url("https://k.example/x"), Source::Key)]);
        // --no-dlr-url beats a key webhook
        let r = resolve(
            &req(None, None, DlrChoice::Disabled),
            &key(None, AutoConvert::Off, Some("https://k.example/x")),
        )
        .dlr_url;
        assert_eq!(
            (r.value, r.source, r.overridden),
            (None, Source::Request, vec![c(url("https://k.example/x"), Source::Key)])
        );
        let r = resolve(&req(None, None, DlrChoice::Unset), &key(None, AutoConvert::Off, None)).dlr_url;
        assert_eq!((r.value, r.source), (None, Source::Default));
    }

    #[test]
    fn a_request_value_is_shown_as_flag() {
        // `send` users (and scripts reading `--json`) know it as `flag`.
        assert_eq!(Source::Request.as_str(), "flag");
        assert_eq!(serde_json::to_value(Source::Request).unwrap(), serde_json::json!("flag"));
    }
}
