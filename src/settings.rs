//! Validation of per-key settings: sender ids and delivery-report webhook URLs.

use std::net::IpAddr;

use crate::address;

use crate::error::{Error, Result};
use crate::store::keys::printable;

const SENDER_RULE: &str = "a sender is alphanumeric (1-11 of A-Z a-z 0-9, space, '-', '_', '.', '&', with at least one letter) or numeric (1-15 digits, optional leading '+')";

/// Checks a sender id against the operator rules; returns it unchanged when valid.
pub fn validate_sender(sender: &str) -> Result<String> {
    let bad = |why: &str| Error::usage(format!("invalid sender '{}': {why}", printable(sender))).hint(SENDER_RULE);
    let digits = sender.strip_prefix('+').unwrap_or(sender);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        if digits.len() > 15 {
            return Err(bad("numeric senders have at most 15 digits"));
        }
        return Ok(sender.to_owned());
    }
    if sender.starts_with('+') {
        return Err(bad("only numeric senders may start with '+'"));
    }
    if sender.is_empty() || sender.trim().is_empty() {
        return Err(bad("it is empty"));
    }
    if let Some(c) = sender
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, ' ' | '-' | '_' | '.' | '&')))
    {
        return Err(bad(&format!("character {c:?} is not allowed")));
    }
    if !sender.bytes().any(|b| b.is_ascii_alphabetic()) {
        return Err(bad("an alphanumeric sender needs at least one letter"));
    }
    if sender.len() > 11 {
        return Err(bad("alphanumeric senders have at most 11 characters"));
    }
    if sender != sender.trim() {
        return Err(bad("leading or trailing spaces"));
    }
    Ok(sender.to_owned())
}

/// Checks a key's free-text description: at most 1000 characters.
pub fn validate_description(description: &str) -> Result<()> {
    if description.chars().count() > 1000 {
        return Err(Error::usage("description is longer than 1000 characters").hint("shorten it to at most 1000 characters"));
    }
    Ok(())
}

const URL_RULE: &str =
    "use an absolute https:// URL with a real host (plain http:// only for localhost), no user:password@, at most 2048 characters";

/// Checks a delivery-report webhook URL; returns its normalised form.
pub fn validate_dlr_url(input: &str) -> Result<String> {
    let bad = |why: &str| Error::usage(format!("invalid webhook URL '{}': {why}", printable(input))).hint(URL_RULE);
    if input.len() > 2048 {
        return Err(bad("longer than 2048 characters"));
    }
    if input.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(bad("contains whitespace or control characters"));
    }
    let url = url::Url::parse(input).map_err(|e| bad(&e.to_string()))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(bad("credentials in the URL are not allowed"));
    }
    let host = url.host().ok_or_else(|| bad("no host"))?;
    let loopback = match &host {
        url::Host::Domain(d) => {
            let d = d.trim_end_matches('.');
            if d.eq_ignore_ascii_case("localhost") {
                true
            } else if !d.contains('.') || d.split('.').any(|l| l.is_empty() || l.len() > 63) {
                return Err(bad("the host is not a fully qualified domain name"));
            } else {
                false
            }
        }
        url::Host::Ipv4(ip) => check_ip(IpAddr::V4(*ip)).map_err(&bad)?,
        url::Host::Ipv6(ip)
            if ip.to_ipv4_mapped().is_some() || ip.to_ipv4().is_some_and(|_| ip.segments()[..6] == [0; 6] && !ip.is_loopback()) =>
        {
            // An IPv4 address dressed as IPv6 is a classic filter bypass; ask for the plain form.
            return Err(bad("IPv4-mapped IPv6 addresses are not allowed; write the IPv4 address itself"));
        }
        url::Host::Ipv6(ip) => check_ip(IpAddr::V6(*ip)).map_err(&bad)?,
    };
    match url.scheme() {
        "https" => {}
        "http" if loopback => {}
        "http" => return Err(bad("plain http:// is only allowed for localhost")),
        other => return Err(bad(&format!("scheme '{other}' is not allowed"))),
    }
    if url.fragment().is_some() {
        return Err(bad("fragments (#...) are never sent to a server"));
    }
    Ok(url.to_string())
}

/// Whether an IP host is usable; `Ok(true)` when it is loopback (IPv4-mapped forms included).
/// Unspecified (`0.0.0.0/8` too: `https://1` parses as 0.0.0.1), multicast and broadcast
/// addresses are no host; private ones are fine here (the gateway decides at delivery).
fn check_ip(ip: IpAddr) -> std::result::Result<bool, &'static str> {
    if address::classify(ip).is_no_host() {
        return Err("the address is not a real host");
    }
    Ok(address::is_loopback(ip))
}

/// Whether an API URL may be used over plain http (loopback only).
pub fn is_loopback_url(url: &url::Url) -> bool {
    match url.host() {
        // Same rule as webhooks: `localhost.` is localhost.
        Some(url::Host::Domain(d)) => d.trim_end_matches('.').eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => address::is_loopback(IpAddr::V4(ip)),
        Some(url::Host::Ipv6(ip)) => address::is_loopback(IpAddr::V6(ip)),
        None => false,
    }
}

/// Normalises a recipient to E.164: `+` and 7-15 digits. Spaces, dashes, dots and
/// parentheses are dropped; anything else is an error.
pub fn normalize_e164(input: &str) -> Result<String> {
    let bad = |why: &str| {
        Error::usage(format!("invalid recipient '{}': {why}", printable(input)))
            .hint("use E.164: '+', country code and number, e.g. +37255512345")
    };
    let cleaned: String = input.chars().filter(|c| !matches!(c, ' ' | '-' | '(' | ')' | '.')).collect();
    let Some(digits) = cleaned.strip_prefix('+') else {
        return Err(bad("it must start with '+' and the country code"));
    };
    if let Some(c) = digits.chars().find(|c| !c.is_ascii_digit()) {
        return Err(bad(&format!("character {c:?} is not allowed")));
    }
    if !(7..=15).contains(&digits.len()) {
        return Err(bad(&format!("{} digits; E.164 numbers have 7 to 15", digits.len())));
    }
    if digits.starts_with('0') {
        return Err(bad("country codes never start with 0"));
    }
    Ok(cleaned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recipients() {
        assert_eq!(normalize_e164("+372 5551 2345").unwrap(), "+37255512345");
        assert_eq!(normalize_e164("+1 (555) 010-9999").unwrap(), "+15550109999");
        assert_eq!(normalize_e164("+4915112345678").unwrap(), "+4915112345678");
        for bad in [
            "37255512345",
            "+12345",
            "+1234567890123456",
            "+372abc5551",
            "",
            "+",
            "++37255512345",
            "+0123456789",
            "+372\u{0}5551234",
        ] {
            assert_eq!(normalize_e164(bad).unwrap_err().exit_code(), 2, "{bad}");
        }
    }

    #[test]
    fn senders() {
        for ok in [
            "ACME",
            "Acme Ltd",
            "A-B_C.D&E",
            "12345678901",
            "+372123456789012",
            "1",
            "123456789012345",
            "Shop24",
        ] {
            assert_eq!(validate_sender(ok).unwrap(), ok);
        }
        for bad in [
            "",
            " ",
            "TwelveChars!",
            "123-456",
            "ABCDEFGHIJKL",
            "1234567890123456",
            "+ACME",
            "++123",
            "АСМЕ", // Cyrillic look-alikes
            "ACME\u{200b}",
            "Tab\there",
            " ACME",
            "ACME ",
            "ünï",
        ] {
            let err = validate_sender(bad).unwrap_err();
            assert_eq!(err.exit_code(), 2, "{bad:?}");
            assert!(err.hint.is_some());
        }
    }

    #[test]
    fn webhook_urls() {
        for ok in [
            "https://hooks.example.com/dlr",
            "https://hooks.example.com:8443/dlr?x=1",
            "http://localhost:9000/dlr",
            "http://127.0.0.1:9000/dlr",
            "http://[::1]:9000/",
            "https://203.0.113.5/dlr",
        ] {
            assert!(validate_dlr_url(ok).is_ok(), "{ok}");
        }
        let long = format!("https://example.com/{}", "a".repeat(2040));
        for bad in [
            "hooks.example.com/dlr",
            "ftp://example.com/x",
            "javascript:alert(1)",
            "file:///etc/passwd",
            "http://example.com/dlr",
            "https://user@example.com/",
            "https://user:pw@example.com/",
            "https://intranet/dlr",
            "https://0.0.0.0/",
            "https://1/",
            "https://0.1.2.3/",
            "http://0.0.0.1:9000/",
            "https://0x1/",
            "https://[::]/",
            "https://224.0.0.1/",
            "https://255.255.255.255/",
            // Multicast and "this network" carried by NAT64 or 6to4 are no host either.
            "https://[64:ff9b::e000:1]/",
            "https://[2002:0:1::]/",
            // A loopback IPv4 address behind a translator is not this host: no plain http.
            "http://[64:ff9b::7f00:1]:9000/",
            "http://[2002:7f00:1::]:9000/",
            "https://exa mple.com/",
            "https://example.com/#frag",
            long.as_str(),
            "",
        ] {
            let err = validate_dlr_url(bad).unwrap_err();
            assert_eq!(err.exit_code(), 2, "{bad}");
        }
        // IPv4 dressed as IPv6 is refused outright, whatever the scheme.
        for tricky in [
            "https://[::ffff:127.0.0.1]/",
            "http://[::ffff:127.0.0.1]:8080/",
            "https://[::ffff:10.0.0.1]/",
            "https://[::7f00:1]/",
        ] {
            let err = validate_dlr_url(tricky).unwrap_err();
            assert!(err.message.contains("IPv4-mapped"), "{tricky}: {}", err.message);
        }
    }
}
