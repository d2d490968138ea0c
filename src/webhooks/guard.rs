//! Where webhooks may go. A webhook URL is typed by an admin, but a delivery is a request made
//! from inside the company's network: without a guard it reaches cloud metadata
//! (169.254.169.254), services on loopback, and every private address, and its log becomes a
//! port scanner. So:
//!
//! - a URL may not carry credentials, and an address written into it (`http://10.0.0.1/`,
//!   `http://0x7f000001/`) must be public when the webhook is created;
//! - at delivery the host name is resolved by [`GuardedResolver`], which drops every internal
//!   address before a connection is made (so a name that later resolves inside, DNS rebinding
//!   included, is refused too); addresses written into the URL are checked the same way;
//! - internal means loopback, private, link-local, unique-local, carrier-grade NAT, multicast,
//!   broadcast, unspecified, documentation, benchmarking and reserved ranges, also when wrapped
//!   in IPv6 (mapped, compatible, 6to4, NAT64, Teredo);
//! - an admin may allow ranges (an intranet receiver, e.g. `10.20.0.0/16`): the setting
//!   `webhooks.allowed_networks`, audited.
use std::{
    collections::HashMap,
    net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr},
    sync::{Arc, RwLock},
};

use ipnet::IpNet;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Whether an IPv4 address is not on the public internet.
fn internal_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    ip.is_private()
        || ip.is_loopback()
        || ip.is_link_local()
        || ip.is_multicast()
        || ip.is_broadcast()
        || ip.is_unspecified()
        || ip.is_documentation()
        || a == 0 // "this network"
        || (a == 100 && (64..128).contains(&b)) // carrier-grade NAT
        || (a == 192 && b == 0 && c == 0) // IETF protocol assignments
        || (a == 198 && (b == 18 || b == 19)) // benchmarking
        || a >= 240 // reserved
}

/// Whether an IPv6 address is not on the public internet, or wraps an IPv4 one that is not.
fn internal_v6(ip: Ipv6Addr) -> bool {
    let s = ip.segments();
    if let Some(v4) = ip.to_ipv4_mapped() {
        return internal_v4(v4);
    }
    let embedded = |hi: u16, lo: u16| Ipv4Addr::from(((hi as u32) << 16) | lo as u32);
    ip.is_loopback()
        || ip.is_unspecified()
        || ip.is_multicast()
        || (s[0] & 0xfe00) == 0xfc00 // unique local
        || (s[0] & 0xffc0) == 0xfe80 // link-local
        || (s[0] & 0xffc0) == 0xfec0 // site-local (deprecated)
        || (s[0] == 0x2001 && s[1] == 0x0db8) // documentation
        || (s[0] == 0x0100 && s[1..4] == [0, 0, 0]) // discard
        || (s[0..6] == [0; 6] && internal_v4(embedded(s[6], s[7]))) // IPv4-compatible
        || (s[0] == 0x2002 && internal_v4(embedded(s[1], s[2]))) // 6to4
        || (s[0] == 0x0064 && s[1] == 0xff9b && internal_v4(embedded(s[6], s[7]))) // NAT64
        || (s[0] == 0x2001 && s[1] == 0) // Teredo
}

/// Whether an address is inside a company's or a cloud's network rather than on the internet.
pub fn is_internal(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => internal_v4(v4),
        IpAddr::V6(v6) => internal_v6(v6),
    }
}

/// Whether a delivery may connect to `ip`: a public address, or one in an allowed range.
pub fn may_connect(ip: IpAddr, allowed: &[IpNet]) -> bool {
    !is_internal(ip) || allowed.iter().any(|net| net.contains(&ip))
}

/// The refusal of an address, as the delivery log shows it.
#[derive(Debug, thiserror::Error)]
#[error(
    "refused: {0} is not allowed (an internal or private address); an admin can allow its range"
)]
pub struct NotAllowed(pub IpAddr);

/// The ranges admins allowed for webhooks, as stored.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
pub struct AllowedNetworks {
    /// CIDR ranges, e.g. `10.20.0.0/16` or `fd00::/8`; a single address is a /32 or /128.
    pub allowed: Vec<String>,
}

impl crate::settings_store::Setting for AllowedNetworks {
    const KEY: &'static str = "webhooks.allowed_networks";
}

impl AllowedNetworks {
    /// The ranges, parsed; an unparsable entry (never stored by the API) is skipped.
    pub fn networks(&self) -> Vec<IpNet> {
        self.allowed.iter().filter_map(|n| parse_net(n)).collect()
    }
}

/// `10.0.0.0/8`, `fd00::/8`, or a single address; `None` for anything else.
pub fn parse_net(raw: &str) -> Option<IpNet> {
    let raw = raw.trim();
    raw.parse::<IpNet>()
        .or_else(|_| raw.parse::<IpAddr>().map(IpNet::from))
        .map(|n| n.trunc())
        .ok()
}

/// The DNS resolver of webhook deliveries: the system's resolution, minus every address a
/// delivery may not connect to. Tests can make a name resolve to given addresses
/// ([`GuardedResolver::pretend`]), which are filtered the same way, so private ranges are
/// tested without a packet leaving the machine.
#[derive(Default)]
pub struct GuardedResolver {
    allowed: RwLock<Vec<IpNet>>,
    pretend: RwLock<HashMap<String, Vec<IpAddr>>>,
}

impl GuardedResolver {
    pub fn set_allowed(&self, allowed: Vec<IpNet>) {
        *self.allowed.write().unwrap_or_else(|e| e.into_inner()) = allowed;
    }

    pub fn allowed(&self) -> Vec<IpNet> {
        self.allowed
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Makes `host` resolve to `addresses` (for tests).
    pub fn pretend(&self, host: &str, addresses: Vec<IpAddr>) {
        self.pretend
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert(host.to_ascii_lowercase(), addresses);
    }

    /// The addresses of `host` a delivery may connect to; an error naming the first refused
    /// one when none is left.
    pub async fn resolve_allowed(&self, host: &str) -> Result<Vec<IpAddr>, BoxError> {
        let pretended = self
            .pretend
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(&host.to_ascii_lowercase())
            .cloned();
        let found: Vec<IpAddr> = match pretended {
            Some(addresses) => addresses,
            None => tokio::net::lookup_host((host, 0))
                .await?
                .map(|a| a.ip())
                .collect(),
        };
        let allowed = self.allowed();
        let (ok, refused): (Vec<IpAddr>, Vec<IpAddr>) =
            found.iter().partition(|ip| may_connect(**ip, &allowed));
        match (ok.is_empty(), refused.first()) {
            (false, _) => Ok(ok),
            (true, Some(ip)) => Err(Box::new(NotAllowed(*ip))),
            (true, None) => Err(format!("{host} has no address").into()),
        }
    }
}

/// The resolver as reqwest calls it (it holds the shared state).
pub struct Resolver(pub Arc<GuardedResolver>);

impl reqwest::dns::Resolve for Resolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let guard = self.0.clone();
        Box::pin(async move {
            let addresses = guard.resolve_allowed(name.as_str()).await?;
            let addrs: reqwest::dns::Addrs = Box::new(
                addresses
                    .into_iter()
                    .map(|ip| SocketAddr::new(ip, 0))
                    .collect::<Vec<_>>()
                    .into_iter(),
            );
            Ok(addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_addresses_are_told_from_public_ones() {
        for internal in [
            "127.0.0.1",
            "127.8.9.10",
            "10.0.0.1",
            "172.16.5.4",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "0.1.2.3",
            "224.0.0.1",
            "255.255.255.255",
            "192.0.2.10",
            "198.18.0.1",
            "240.0.0.1",
            "::1",
            "::",
            "fe80::1",
            "fc00::1",
            "fd12:3456::1",
            "fec0::1",
            "ff02::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "::127.0.0.1",
            "2002:7f00:1::1",
            "64:ff9b::a00:1",
            "2001::1",
            "2001:db8::1",
        ] {
            let ip: IpAddr = internal.parse().unwrap();
            assert!(is_internal(ip), "{internal} is internal");
            assert!(!may_connect(ip, &[]), "{internal}");
        }
        for public in [
            "8.8.8.8",
            "172.32.0.1",
            "100.128.0.1",
            "192.0.3.1",
            "2a00:1450:4001::200e",
            "::ffff:8.8.8.8",
            "2002:808:808::1",
        ] {
            let ip: IpAddr = public.parse().unwrap();
            assert!(!is_internal(ip), "{public} is public");
        }
    }

    #[test]
    fn an_allowed_range_opens_only_itself() {
        let allowed = vec![
            parse_net("10.20.0.0/16").unwrap(),
            parse_net("::1").unwrap(),
        ];
        assert!(may_connect("10.20.3.4".parse().unwrap(), &allowed));
        assert!(!may_connect("10.21.0.1".parse().unwrap(), &allowed));
        assert!(may_connect("::1".parse().unwrap(), &allowed));
        assert!(!may_connect("127.0.0.1".parse().unwrap(), &allowed));
        assert_eq!(
            parse_net("10.20.1.2/16").unwrap().to_string(),
            "10.20.0.0/16"
        );
        assert!(parse_net("10.0.0.0/33").is_none() && parse_net("intranet").is_none());
    }

    #[tokio::test]
    async fn the_resolver_drops_internal_addresses_without_connecting() {
        let guard = GuardedResolver::default();
        guard.pretend(
            "mixed.example",
            vec![
                "10.1.2.3".parse().unwrap(),
                "93.184.216.34".parse().unwrap(),
            ],
        );
        guard.pretend("intranet.example", vec!["10.1.2.3".parse().unwrap()]);
        guard.pretend("metadata.example", vec!["169.254.169.254".parse().unwrap()]);
        assert_eq!(
            guard.resolve_allowed("mixed.example").await.unwrap(),
            vec!["93.184.216.34".parse::<IpAddr>().unwrap()]
        );
        for host in ["intranet.example", "metadata.example"] {
            let refused = guard.resolve_allowed(host).await.unwrap_err();
            assert!(refused.to_string().contains("not allowed"), "{refused}");
        }
        guard.set_allowed(vec![parse_net("10.0.0.0/8").unwrap()]);
        assert!(guard.resolve_allowed("intranet.example").await.is_ok());
        assert!(guard.resolve_allowed("metadata.example").await.is_err());
    }
}
