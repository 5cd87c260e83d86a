//! Property tests over every input parser: arbitrary input never panics, and whatever a parser
//! accepts comes out canonical (parsing its output again gives the same value).

use proptest::prelude::*;
use smsctl::{settings, time, whitelist};

/// Strings biased towards the characters these parsers care about.
fn parser_input() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[0-9a-fA-F:./%+ -]{0,45}",
        "(https?|ftp|data|javascript)://[a-z0-9@:._\\[\\]/%?#-]{0,60}",
        "[+]?[0-9 ()-]{0,20}",
        "[0-9]{0,6}[smhdw]{0,2}[0-9]{0,4}[smhdw]?",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn whitelist_entries(input in parser_input()) {
        if let Ok(p) = whitelist::parse_entry(&input) {
            let again = whitelist::parse_entry(&p.net.to_string()).expect("canonical form parses");
            prop_assert_eq!(again.net, p.net);
            prop_assert!(!again.host_bits_cleared);
        }
    }

    #[test]
    fn senders(input in parser_input()) {
        if let Ok(s) = settings::validate_sender(&input) {
            prop_assert!(s.chars().count() <= 16);
            prop_assert!(s.is_ascii());
        }
    }

    #[test]
    fn webhook_urls(input in parser_input()) {
        if let Ok(url) = settings::validate_dlr_url(&input) {
            prop_assert!(url.len() <= 2100);
            prop_assert_eq!(settings::validate_dlr_url(&url).ok(), Some(url.clone()));
            let parsed = url::Url::parse(&url).expect("accepted URLs parse");
            prop_assert!(parsed.username().is_empty() && parsed.password().is_none());
        }
    }

    #[test]
    fn recipients(input in parser_input()) {
        if let Ok(n) = settings::normalize_e164(&input) {
            prop_assert!(n.starts_with('+'));
            prop_assert!((8..=16).contains(&n.len()));
            prop_assert_eq!(settings::normalize_e164(&n).ok(), Some(n.clone()));
        }
    }

    #[test]
    fn durations(input in parser_input()) {
        if let Ok(ms) = time::parse_duration(&input) {
            prop_assert!(ms >= time::Millis::ZERO);
        }
        let _ = time::parse_expiry(&input, time::UnixMillis::from_i64(1_800_000_000_000));
    }

    #[test]
    fn key_names(input in parser_input()) {
        if smsctl::store::keys::validate_name(&input).is_ok() {
            prop_assert!((1..=64).contains(&input.len()));
        }
        prop_assert!(smsctl::store::keys::printable(&input).chars().all(|c| !c.is_control()));
    }
}
