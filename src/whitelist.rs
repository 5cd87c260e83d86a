//! IP whitelists: parsing entries into canonical networks, adding without duplicates,
//! matching peers (IPv4-mapped IPv6 peers match IPv4 entries) and linting risky entries.

use std::collections::BTreeSet;
use std::net::IpAddr;

use ipnet::{IpNet, Ipv4Net};
use serde::Serialize;

use crate::error::{Error, Result};
use crate::store::keys::printable;

pub const ALL_V4: &str = "0.0.0.0/0";
pub const ALL_V6: &str = "::/0";

/// One parsed entry and what canonicalisation did to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    pub input: String,
    pub net: IpNet,
    /// Host bits were set and have been cleared (`10.0.0.1/8` → `10.0.0.0/8`).
    pub host_bits_cleared: bool,
}

const ENTRY_HINT: &str = "use an IPv4/IPv6 address (203.0.113.7, 2001:db8::1) or a CIDR range (10.0.0.0/8, 2001:db8::/32)";

/// Parses an address (→ /32 or /128) or a CIDR range (→ its network address).
/// IPv4-mapped IPv6 forms (`::ffff:10.0.0.0/104`) are stored as the IPv4 range they mean.
pub fn parse_entry(input: &str) -> Result<Parsed> {
    let s = input.trim();
    let bad = |why: &str| Error::usage(format!("invalid whitelist entry '{}': {why}", printable(input))).hint(ENTRY_HINT);
    if s.contains('%') {
        return Err(bad("zone ids (%eth0) are not allowed"));
    }
    let (net, given_prefix) = if s.contains('/') {
        let net: IpNet = s
            .parse()
            .map_err(|_| bad("not a valid CIDR range (address/prefix, prefix ≤ 32 for IPv4, ≤ 128 for IPv6)"))?;
        (net, true)
    } else {
        let ip: IpAddr = s.parse().map_err(|_| bad("not a valid IP address"))?;
        (IpNet::from(ip), false)
    };
    let net = unmap(net);
    let trunc = net.trunc();
    Ok(Parsed {
        input: s.to_owned(),
        net: trunc,
        host_bits_cleared: given_prefix && trunc != net,
    })
}

/// `::ffff:a.b.c.d/(96+n)` → `a.b.c.d/n`.
fn unmap(net: IpNet) -> IpNet {
    if let IpNet::V6(v6) = net {
        if let Some(v4) = v6.addr().to_ipv4_mapped() {
            if v6.prefix_len() >= 96 {
                if let Ok(n) = Ipv4Net::new(v4, v6.prefix_len() - 96) {
                    return IpNet::V4(n);
                }
            }
        }
    }
    net
}

/// What `whitelist add` did with each entry.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct AddOutcome {
    pub added: Vec<String>,
    /// Entries already present exactly.
    pub duplicates: Vec<String>,
    /// Entries already covered by a wider one: (entry, covering entry).
    pub covered: Vec<Covered>,
    /// Existing entries dropped because a new, wider entry covers them.
    pub superseded: Vec<Covered>,
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Covered {
    pub entry: String,
    pub by: String,
}

/// Sort key: family, address, prefix. Networks contained in N sort between N's first and last address.
fn order(n: &IpNet) -> (bool, IpAddr, u8) {
    (n.addr().is_ipv6(), n.addr(), n.prefix_len())
}

/// Adds parsed entries to `list` in place, reporting duplicates and covered entries.
/// Runs in O(n log n) so that whitelists of many thousands of ranges stay fast.
pub fn add(list: &mut Vec<IpNet>, entries: &[Parsed], production: bool) -> AddOutcome {
    let mut out = AddOutcome::default();
    let mut set: BTreeSet<(bool, IpAddr, u8)> = list.iter().map(order).collect();
    for p in entries {
        if p.host_bits_cleared {
            out.warnings.push(format!("{} has host bits set; stored as {}", p.input, p.net));
        }
        if set.contains(&order(&p.net)) {
            out.duplicates.push(p.net.to_string());
            continue;
        }
        // A wider entry covering this one has the same network address truncated to a shorter prefix.
        let wider = (0..p.net.prefix_len())
            .filter_map(|len| IpNet::new(p.net.addr(), len).ok().map(|n| n.trunc()))
            .find(|n| set.contains(&order(n)));
        if let Some(wider) = wider {
            out.covered.push(Covered {
                entry: p.net.to_string(),
                by: wider.to_string(),
            });
            continue;
        }
        let family = p.net.addr().is_ipv6();
        let inside: Vec<_> = set
            .range((family, p.net.network(), 0)..=(family, p.net.broadcast(), u8::MAX))
            .filter(|(_, _, len)| *len > p.net.prefix_len())
            .copied()
            .collect();
        for old in inside {
            set.remove(&old);
            out.superseded.push(Covered {
                entry: format!("{}/{}", old.1, old.2),
                by: p.net.to_string(),
            });
        }
        set.insert(order(&p.net));
        out.added.push(p.net.to_string());
        if production && is_internal(&p.net) {
            out.warnings
                .push(format!("{} is a private/loopback range on a production key", p.net));
        }
    }
    *list = set.into_iter().filter_map(|(_, addr, len)| IpNet::new(addr, len).ok()).collect();
    out.warnings.extend(family_warning(list));
    out
}

/// Warns when every IPv4 address is allowed but not every IPv6 one, or the reverse.
pub fn family_warning(list: &[IpNet]) -> Option<String> {
    let v4: IpNet = ALL_V4.parse().ok()?;
    let v6: IpNet = ALL_V6.parse().ok()?;
    match (list.contains(&v4), list.contains(&v6)) {
        (true, false) => Some(format!(
            "{ALL_V4} allows every IPv4 address but IPv6 clients are still limited; add {ALL_V6} (or use allow-all) if that is the intent"
        )),
        (false, true) => Some(format!(
            "{ALL_V6} allows every IPv6 address but IPv4 clients are still limited; add {ALL_V4} (or use allow-all) if that is the intent"
        )),
        _ => None,
    }
}

/// A range inside one site or host: loopback, private, unique-local, CGNAT or link-local.
pub fn is_internal(net: &IpNet) -> bool {
    crate::address::classify_net(net).is_some_and(crate::address::Class::is_site_local)
}

/// The entry that allows `peer`, if any. IPv4-mapped IPv6 peers are matched as IPv4.
pub fn matching(list: &[IpNet], peer: IpAddr) -> Option<IpNet> {
    let peer = peer.to_canonical();
    list.iter().copied().find(|n| n.contains(&peer))
}

pub fn allow_all() -> Vec<IpNet> {
    [ALL_V4, ALL_V6].iter().filter_map(|s| s.parse().ok()).collect()
}

pub fn allows_all(list: &[IpNet]) -> bool {
    allow_all().iter().all(|n| list.contains(n))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Parsed {
        parse_entry(s).unwrap()
    }

    #[test]
    fn canonical_forms() {
        assert_eq!(p("10.0.0.1").net.to_string(), "10.0.0.1/32");
        assert_eq!(p("2001:db8::1").net.to_string(), "2001:db8::1/128");
        let cleared = p("10.0.0.1/8");
        assert_eq!(cleared.net.to_string(), "10.0.0.0/8");
        assert!(cleared.host_bits_cleared);
        assert!(!p("10.0.0.0/8").host_bits_cleared);
        assert_eq!(p("2001:db8::1/32").net.to_string(), "2001:db8::/32");
        assert_eq!(p("::ffff:10.1.2.3").net.to_string(), "10.1.2.3/32");
        assert_eq!(p("::ffff:10.0.0.0/104").net.to_string(), "10.0.0.0/8");
        assert_eq!(p(" 0.0.0.0/0 ").net.to_string(), "0.0.0.0/0");
    }

    #[test]
    fn malformed_entries() {
        for bad in [
            "1.2.3.4/33",
            "::/129",
            "01.2.3.4",
            "1.2.3",
            "256.0.0.1",
            "fe80::1%eth0",
            "10.0.0.0/",
            "/8",
            "",
            "host.example.com",
            "1.2.3.4/-1",
            "1.2.3.4/8/8",
            "1.2.3.4 5.6.7.8",
        ] {
            let err = parse_entry(bad).unwrap_err();
            assert_eq!(err.exit_code(), 2, "{bad}");
        }
    }

    #[test]
    fn add_dedupes_and_reports_cover() {
        let mut list = vec![];
        let out = add(&mut list, &[p("10.0.0.0/8"), p("10.0.0.0/8"), p("10.1.2.3"), p("192.0.2.1")], false);
        assert_eq!(out.added, ["10.0.0.0/8", "192.0.2.1/32"]);
        assert_eq!(out.duplicates, ["10.0.0.0/8"]);
        assert_eq!(
            out.covered,
            [Covered {
                entry: "10.1.2.3/32".into(),
                by: "10.0.0.0/8".into()
            }]
        );
        // A wider entry supersedes narrower ones.
        let out = add(&mut list, &[p("192.0.2.0/24")], false);
        assert_eq!(
            out.superseded,
            [Covered {
                entry: "192.0.2.1/32".into(),
                by: "192.0.2.0/24".into()
            }]
        );
        assert_eq!(
            list.iter().map(|n| n.to_string()).collect::<Vec<_>>(),
            ["10.0.0.0/8", "192.0.2.0/24"]
        );
    }

    #[test]
    fn lints() {
        let mut list = vec![];
        let out = add(&mut list, &[p("0.0.0.0/0")], false);
        assert!(out.warnings.iter().any(|w| w.contains("::/0")), "{:?}", out.warnings);
        let out = add(&mut list, &[p("::/0")], false);
        assert!(out.warnings.is_empty(), "{:?}", out.warnings);
        let mut list = vec![];
        let out = add(
            &mut list,
            &[p("10.0.0.1/8"), p("127.0.0.1"), p("fd00::/8"), p("203.0.113.0/24")],
            true,
        );
        assert!(out.warnings.iter().any(|w| w.contains("host bits")));
        assert_eq!(
            out.warnings.iter().filter(|w| w.contains("production")).count(),
            3,
            "{:?}",
            out.warnings
        );
        let mut list = vec![];
        assert!(add(&mut list, &[p("10.0.0.0/8")], false).warnings.is_empty());
    }

    #[test]
    fn internal_ranges_are_those_one_site_holds() {
        for net in [
            "10.0.0.0/8",
            "172.20.0.0/16",
            "127.0.0.1",
            "169.254.0.0/16",
            "100.64.0.0/10",
            "fd00::/8",
            "fe80::/64",
        ] {
            assert!(is_internal(&p(net).net), "{net}");
        }
        // Half private and half public is not a private range; neither is everything.
        for net in [
            "10.0.0.0/7",
            "0.0.0.0/0",
            "::/0",
            "8.8.8.8",
            "203.0.113.0/24",
            "100.0.0.0/8",
            "2001:db8::/32",
        ] {
            assert!(!is_internal(&p(net).net), "{net}");
        }
    }

    #[test]
    fn matching_peers() {
        let list: Vec<IpNet> = ["10.0.0.0/8", "2001:db8::/32", "127.0.0.1/32"]
            .iter()
            .map(|s| s.parse().unwrap())
            .collect();
        assert_eq!(matching(&list, "10.9.8.7".parse().unwrap()).unwrap().to_string(), "10.0.0.0/8");
        assert_eq!(
            matching(&list, "::ffff:10.9.8.7".parse().unwrap()).unwrap().to_string(),
            "10.0.0.0/8"
        );
        assert_eq!(
            matching(&list, "::ffff:127.0.0.1".parse().unwrap()).unwrap().to_string(),
            "127.0.0.1/32"
        );
        assert_eq!(
            matching(&list, "2001:db8:1::5".parse().unwrap()).unwrap().to_string(),
            "2001:db8::/32"
        );
        assert!(matching(&list, "11.0.0.1".parse().unwrap()).is_none());
        assert!(matching(&list, "::1".parse().unwrap()).is_none());
        assert!(matching(&[], "10.0.0.1".parse().unwrap()).is_none(), "empty list refuses all");
        let all = allow_all();
        assert!(matching(&all, "::1".parse().unwrap()).is_some());
        assert!(matching(&all, "192.0.2.1".parse().unwrap()).is_some());
        assert!(allows_all(&all));
    }
}
