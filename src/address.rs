//! What kind of address an IP is: one table after IANA's IPv4 and IPv6 special-purpose address
//! registries (RFC 6890 and its updates). Callers choose which classes they refuse or warn
//! about: the webhook check refuses every [`Class::is_internal`] one, `key set --dlr-url` the
//! ones that are no host at all, the whitelist warns about private ranges on production keys.
//!
//! IPv4 carried in IPv6 (mapped `::ffff:a.b.c.d`, compatible `::a.b.c.d`, translated
//! `::ffff:0:a.b.c.d`, NAT64 `64:ff9b::a.b.c.d`, 6to4 `2002:aabb:ccdd::`) is classified as
//! the IPv4 address it carries: that is where a packet to it ends up.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use ipnet::IpNet;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Class {
    /// `0.0.0.0/8` ("this network") and `::`: never a host.
    Unspecified,
    /// `127.0.0.0/8`, `::1`.
    Loopback,
    /// RFC 1918: `10/8`, `172.16/12`, `192.168/16`.
    Private,
    /// `fc00::/7`.
    UniqueLocal,
    /// `100.64.0.0/10`, carrier-grade NAT.
    SharedCgnat,
    /// `169.254/16` (cloud metadata lives here) and `fe80::/10`.
    LinkLocal,
    /// `fec0::/10`, deprecated but still routed inside some sites.
    SiteLocal,
    /// `192.0.2/24`, `198.51.100/24`, `203.0.113/24`, `2001:db8::/32`: never routed.
    Documentation,
    /// `198.18/15`, `2001:2::/48`.
    Benchmarking,
    /// `224/4`, `ff00::/8`.
    Multicast,
    /// `255.255.255.255`.
    Broadcast,
    /// `64:ff9b:1::/48`: translates to whatever the local network holds.
    LocalNat64,
    /// `2001::/32`: tunnels to an IPv4 host of its own choosing.
    Teredo,
    /// `192.0.0/24` (IETF protocol assignments), `192.88.99/24` (the retired 6to4 relay),
    /// `240/4`, `100::/64` (discard-only).
    Reserved,
    /// Everything else: an ordinary public unicast address.
    Global,
}

impl Class {
    /// `a loopback address`, for messages.
    pub(crate) fn description(self) -> &'static str {
        match self {
            Class::Unspecified => "an unspecified address",
            Class::Loopback => "a loopback address",
            Class::Private => "a private address",
            Class::UniqueLocal => "a unique-local address",
            Class::SharedCgnat => "a shared (CGNAT) address",
            Class::LinkLocal => "a link-local address",
            Class::SiteLocal => "a site-local address",
            Class::Documentation => "a documentation address",
            Class::Benchmarking => "a benchmarking address",
            Class::Multicast => "a multicast address",
            Class::Broadcast => "a broadcast address",
            Class::LocalNat64 => "a local-use NAT64 address",
            Class::Teredo => "a Teredo address",
            Class::Reserved => "a reserved address",
            Class::Global => "a global address",
        }
    }

    /// Not a public unicast destination: a server must not be made to connect there on a
    /// client's say-so. Documentation ranges are never routed, so they reach nothing inside
    /// either, and count as public.
    pub(crate) fn is_internal(self) -> bool {
        !matches!(self, Class::Global | Class::Documentation)
    }

    /// A range that belongs to one site or host (what a production whitelist rarely means).
    pub(crate) fn is_site_local(self) -> bool {
        matches!(
            self,
            Class::Loopback | Class::Private | Class::UniqueLocal | Class::SharedCgnat | Class::LinkLocal
        )
    }

    /// No host can have it: not a place to send anything.
    pub(crate) fn is_no_host(self) -> bool {
        matches!(self, Class::Unspecified | Class::Multicast | Class::Broadcast)
    }
}

const fn v4(a: u8, b: u8, c: u8, d: u8) -> u32 {
    Ipv4Addr::new(a, b, c, d).to_bits()
}

#[allow(clippy::too_many_arguments)]
const fn v6(a: u16, b: u16, c: u16, d: u16, e: u16, f: u16, g: u16, h: u16) -> u128 {
    Ipv6Addr::new(a, b, c, d, e, f, g, h).to_bits()
}

/// `(network, prefix length, class)`; where ranges nest, the more specific comes first.
const V4: &[(u32, u8, Class)] = &[
    (v4(0, 0, 0, 0), 8, Class::Unspecified),
    (v4(10, 0, 0, 0), 8, Class::Private),
    (v4(100, 64, 0, 0), 10, Class::SharedCgnat),
    (v4(127, 0, 0, 0), 8, Class::Loopback),
    (v4(169, 254, 0, 0), 16, Class::LinkLocal),
    (v4(172, 16, 0, 0), 12, Class::Private),
    (v4(192, 0, 0, 0), 24, Class::Reserved),
    (v4(192, 0, 2, 0), 24, Class::Documentation),
    (v4(192, 88, 99, 0), 24, Class::Reserved),
    (v4(192, 168, 0, 0), 16, Class::Private),
    (v4(198, 18, 0, 0), 15, Class::Benchmarking),
    (v4(198, 51, 100, 0), 24, Class::Documentation),
    (v4(203, 0, 113, 0), 24, Class::Documentation),
    (v4(224, 0, 0, 0), 4, Class::Multicast),
    (v4(255, 255, 255, 255), 32, Class::Broadcast),
    (v4(240, 0, 0, 0), 4, Class::Reserved),
];

/// IPv6 after IPv4 inside IPv6 has been taken out ([`embedded_v4`]).
const V6: &[(u128, u8, Class)] = &[
    (v6(0, 0, 0, 0, 0, 0, 0, 0), 128, Class::Unspecified),
    (v6(0, 0, 0, 0, 0, 0, 0, 1), 128, Class::Loopback),
    (v6(0x64, 0xff9b, 1, 0, 0, 0, 0, 0), 48, Class::LocalNat64),
    (v6(0x100, 0, 0, 0, 0, 0, 0, 0), 64, Class::Reserved),
    (v6(0x2001, 0, 0, 0, 0, 0, 0, 0), 32, Class::Teredo),
    (v6(0x2001, 2, 0, 0, 0, 0, 0, 0), 48, Class::Benchmarking),
    (v6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 0), 32, Class::Documentation),
    (v6(0xfc00, 0, 0, 0, 0, 0, 0, 0), 7, Class::UniqueLocal),
    (v6(0xfe80, 0, 0, 0, 0, 0, 0, 0), 10, Class::LinkLocal),
    (v6(0xfec0, 0, 0, 0, 0, 0, 0, 0), 10, Class::SiteLocal),
    (v6(0xff00, 0, 0, 0, 0, 0, 0, 0), 8, Class::Multicast),
];

/// Whether the first `len` of `bits` bits of `a` and `b` agree.
fn same_prefix(a: u128, b: u128, len: u8, bits: u32) -> bool {
    len == 0 || (a ^ b) >> (bits - u32::from(len)) == 0
}

/// The table entry `(prefix length, class)` holding `addr`, if any.
fn entry_v4(addr: u32) -> Option<(u8, Class)> {
    V4.iter()
        .find(|(net, len, _)| same_prefix(u128::from(addr), u128::from(*net), *len, 32))
        .map(|(_, len, class)| (*len, *class))
}

fn entry_v6(addr: u128) -> Option<(u8, Class)> {
    V6.iter()
        .find(|(net, len, _)| same_prefix(addr, *net, *len, 128))
        .map(|(_, len, class)| (*len, *class))
}

/// The class of `ip`; IPv4 inside IPv6 is classified as the IPv4 address.
pub(crate) fn classify(ip: IpAddr) -> Class {
    let entry = match ip.to_canonical() {
        IpAddr::V4(ip) => entry_v4(ip.to_bits()),
        IpAddr::V6(ip) => match embedded_v4(ip) {
            Some(v4) => entry_v4(v4.to_bits()),
            None => entry_v6(ip.to_bits()),
        },
    };
    entry.map_or(Class::Global, |(_, class)| class)
}

/// The IPv4 address an IPv6 one carries: compatible (`::a.b.c.d`, not `::` or `::1`),
/// translated (`::ffff:0:a.b.c.d`), NAT64 (`64:ff9b::/96`) and 6to4 (`2002::/16`).
/// (Mapped `::ffff:a.b.c.d` is already IPv4 by `to_canonical`.)
fn embedded_v4(ip: Ipv6Addr) -> Option<Ipv4Addr> {
    let s = ip.segments();
    let v4 = |hi: u16, lo: u16| Ipv4Addr::from((u32::from(hi) << 16) | u32::from(lo));
    let compatible = s[..6] == [0; 6] && !ip.is_unspecified() && !ip.is_loopback();
    if compatible || s[..6] == [0, 0, 0, 0, 0xffff, 0] || s[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
        return Some(v4(s[6], s[7]));
    }
    (s[0] == 0x2002).then(|| v4(s[1], s[2]))
}

/// This host itself: `127/8`, `::1`, and IPv4-mapped loopback. Not an address that only carries
/// a loopback IPv4 address through a translator or tunnel (NAT64, 6to4): traffic to those
/// leaves the machine, so they never earn plain http.
pub(crate) fn is_loopback(ip: IpAddr) -> bool {
    ip.to_canonical().is_loopback()
}

/// The special-purpose class that holds all of `net` (`10.0.0.0/8` and `10.1.0.0/16` are
/// private), or `None` when no one range does (`10.0.0.0/7` is half global, `0.0.0.0/0` is
/// everything). IPv6 ranges are taken from the IPv6 table as written.
pub(crate) fn classify_net(net: &IpNet) -> Option<Class> {
    let (len, class) = match net {
        IpNet::V4(n) => entry_v4(n.network().to_bits())?,
        IpNet::V6(n) => entry_v6(n.network().to_bits())?,
    };
    (len <= net.prefix_len()).then_some(class)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn class(ip: &str) -> Class {
        classify(ip.parse().unwrap())
    }

    #[test]
    fn every_range_of_the_table() {
        for (ip, want) in [
            ("0.0.0.0", Class::Unspecified),
            ("0.1.2.3", Class::Unspecified),
            ("10.255.255.255", Class::Private),
            ("100.64.0.0", Class::SharedCgnat),
            ("100.127.255.255", Class::SharedCgnat),
            ("127.0.0.1", Class::Loopback),
            ("127.255.0.9", Class::Loopback),
            ("169.254.169.254", Class::LinkLocal),
            ("172.16.0.1", Class::Private),
            ("172.31.255.255", Class::Private),
            ("192.0.0.8", Class::Reserved),
            ("192.0.2.1", Class::Documentation),
            ("192.88.99.1", Class::Reserved),
            ("192.168.1.1", Class::Private),
            ("198.18.0.1", Class::Benchmarking),
            ("198.19.255.255", Class::Benchmarking),
            ("198.51.100.7", Class::Documentation),
            ("203.0.113.5", Class::Documentation),
            ("224.0.0.1", Class::Multicast),
            ("239.255.255.255", Class::Multicast),
            ("240.0.0.1", Class::Reserved),
            ("255.255.255.254", Class::Reserved),
            ("255.255.255.255", Class::Broadcast),
            ("::", Class::Unspecified),
            ("::1", Class::Loopback),
            ("64:ff9b:1::a9fe:a9fe", Class::LocalNat64),
            ("100::1", Class::Reserved),
            ("2001:0:4136:e378:8000:63bf:3fff:fdd2", Class::Teredo),
            ("2001:2::1", Class::Benchmarking),
            ("2001:db8::1", Class::Documentation),
            ("fc00::1", Class::UniqueLocal),
            ("fd12:3456::1", Class::UniqueLocal),
            ("fe80::1", Class::LinkLocal),
            ("fec0::1", Class::SiteLocal),
            ("ff02::1", Class::Multicast),
        ] {
            assert_eq!(class(ip), want, "{ip}");
        }
    }

    #[test]
    fn the_edges_of_ranges_are_global() {
        for ip in [
            "9.255.255.255",
            "11.0.0.0",
            "100.63.255.255",
            "100.128.0.0",
            "169.253.255.255",
            "172.15.255.255",
            "172.32.0.0",
            "192.0.1.0",
            "192.167.255.255",
            "198.17.255.255",
            "198.20.0.0",
            "223.255.255.255",
            "8.8.8.8",
            "2001:1::1",
            "2001:3::1",
            "2606:4700::1111",
            "fbff::1",
            "fe00::1",
            "::2:0:0:1",
        ] {
            assert_eq!(class(ip), Class::Global, "{ip}");
        }
    }

    #[test]
    fn ipv4_inside_ipv6_is_judged_as_ipv4() {
        for (ip, want) in [
            ("::ffff:127.0.0.1", Class::Loopback),
            ("::ffff:169.254.169.254", Class::LinkLocal),
            ("::ffff:0:a9fe:a9fe", Class::LinkLocal),
            ("::10.0.0.1", Class::Private),
            ("64:ff9b::a9fe:a9fe", Class::LinkLocal),
            ("2002:7f00:1::", Class::Loopback),
            ("::ffff:8.8.8.8", Class::Global),
            ("64:ff9b::808:808", Class::Global),
            ("2002:808:808::1", Class::Global),
        ] {
            assert_eq!(class(ip), want, "{ip}");
        }
    }

    #[test]
    fn ranges_have_a_class_only_when_one_range_holds_them() {
        let net = |s: &str| classify_net(&s.parse().unwrap());
        assert_eq!(net("10.0.0.0/8"), Some(Class::Private));
        assert_eq!(net("10.1.0.0/16"), Some(Class::Private));
        assert_eq!(net("127.0.0.1/32"), Some(Class::Loopback));
        assert_eq!(net("fd00::/8"), Some(Class::UniqueLocal));
        assert_eq!(net("fe80::/10"), Some(Class::LinkLocal));
        assert_eq!(net("100.64.0.0/10"), Some(Class::SharedCgnat));
        assert_eq!(net("10.0.0.0/7"), None);
        assert_eq!(net("0.0.0.0/0"), None);
        assert_eq!(net("::/0"), None);
        assert_eq!(net("8.8.8.0/24"), None);
    }

    #[test]
    fn loopback_is_this_host_only() {
        for ip in ["127.0.0.1", "127.9.9.9", "::1", "::ffff:127.0.0.1"] {
            assert!(is_loopback(ip.parse().unwrap()), "{ip}");
        }
        for ip in ["2002:7f00:1::", "64:ff9b::7f00:1", "10.0.0.1", "::"] {
            assert!(!is_loopback(ip.parse().unwrap()), "{ip}");
        }
    }

    #[test]
    fn callers_sets() {
        assert!(Class::Private.is_internal() && Class::Reserved.is_internal() && Class::Teredo.is_internal());
        assert!(!Class::Global.is_internal() && !Class::Documentation.is_internal());
        assert!(Class::SharedCgnat.is_site_local() && !Class::Multicast.is_site_local());
        assert!(Class::Broadcast.is_no_host() && !Class::Loopback.is_no_host() && !Class::Reserved.is_no_host());
    }
}
