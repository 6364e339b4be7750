//! Who is asking: the TCP peer, whether it is a trusted reverse proxy or a
//! client on this machine, and the client address a request is counted
//! under, taken from the peer or, behind a trusted proxy, from
//! `X-Forwarded-For`.

use std::net::{IpAddr, Ipv6Addr, SocketAddr};
use std::str::FromStr;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderName};

use crate::config::AddressBlock;

const X_FORWARDED_FOR: HeaderName = HeaderName::from_static("x-forwarded-for");

/// The request's TCP peer, as `serve` records it; `None` only when the
/// router is served without connection info, and then nobody is trusted.
pub async fn peer(parts: &mut Parts) -> Option<IpAddr> {
    ConnectInfo::<SocketAddr>::from_request_parts(parts, &())
        .await
        .ok()
        .map(|ConnectInfo(peer)| peer.ip().to_canonical())
}

/// Whether `peer` is one of the `--trusted-proxies`.
pub fn is_trusted_proxy(peer: IpAddr, trusted: &[AddressBlock]) -> bool {
    let peer = peer.to_canonical();
    trusted.iter().any(|block| block.contains(peer))
}

/// Whether the request comes from a program on this machine: its peer is
/// a loopback address and not a trusted proxy. A proxy on this machine
/// forwards requests from anywhere, so what came through it is not local.
pub fn is_local_client(peer: IpAddr, trusted: &[AddressBlock]) -> bool {
    peer.to_canonical().is_loopback() && !is_trusted_proxy(peer, trusted)
}

/// The address a request is counted under: its TCP peer, unless the peer is
/// a trusted proxy. Then it is the right-most `X-Forwarded-For` address that
/// is not itself a trusted proxy: each proxy appends the address it saw, so
/// only what our own proxies appended can be believed, and anything further
/// left was written by the client, who may forge it. A header from any
/// other peer is ignored for the same reason.
pub fn client_address(peer: IpAddr, headers: &HeaderMap, trusted: &[AddressBlock]) -> IpAddr {
    let is_trusted = |address: IpAddr| is_trusted_proxy(address, trusted);
    let mut client = peer.to_canonical();
    if !is_trusted(client) {
        return client;
    }
    // Several header lines are one list, in order (RFC 9110, 5.3).
    for line in headers.get_all(X_FORWARDED_FOR).iter().rev() {
        let Ok(line) = line.to_str() else {
            return client;
        };
        for hop in line.rsplit(',') {
            // A hop that does not parse was not written by a proxy we trust:
            // the nearest address we could believe stands.
            let Some(address) = parse_hop(hop) else {
                return client;
            };
            client = address;
            if !is_trusted(client) {
                return client;
            }
        }
    }
    client
}

/// One `X-Forwarded-For` entry: an address, possibly with a port (`[::1]:80`).
fn parse_hop(hop: &str) -> Option<IpAddr> {
    let hop = hop.trim();
    let address = IpAddr::from_str(hop)
        .ok()
        .or_else(|| SocketAddr::from_str(hop).ok().map(|s| s.ip()))
        .or_else(|| IpAddr::from_str(hop.strip_prefix('[')?.strip_suffix(']')?).ok())?;
    Some(address.to_canonical())
}

/// The key a client's budget is kept under: an IPv4 address as it is, an
/// IPv6 address by its /64. A single IPv6 host is usually given a whole /64
/// (and rotates its temporary addresses within it), so keying on the full
/// address would let one client take a fresh budget per request and fill
/// the limiter's memory; the price is that hosts sharing a /64 share a
/// budget, as households behind one IPv4 address already do.
pub fn budget_key(address: IpAddr) -> IpAddr {
    match address.to_canonical() {
        IpAddr::V6(v6) => IpAddr::V6(Ipv6Addr::from(u128::from(v6) & !(u128::from(u64::MAX)))),
        v4 => v4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn ip(text: &str) -> IpAddr {
        text.parse().expect("an address")
    }

    fn blocks(list: &[&str]) -> Vec<AddressBlock> {
        list.iter().map(|b| b.parse().expect("a block")).collect()
    }

    fn forwarded(lines: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for line in lines {
            headers.append(
                X_FORWARDED_FOR,
                HeaderValue::from_str(line).expect("a value"),
            );
        }
        headers
    }

    #[test]
    fn without_trusted_proxies_the_peer_is_the_client_whatever_the_header_says() {
        let headers = forwarded(&["203.0.113.9"]);
        assert_eq!(
            client_address(ip("198.51.100.7"), &headers, &[]),
            ip("198.51.100.7")
        );
    }

    #[test]
    fn a_header_from_a_peer_that_is_not_a_trusted_proxy_is_ignored() {
        let headers = forwarded(&["203.0.113.9"]);
        let trusted = blocks(&["127.0.0.1"]);
        assert_eq!(
            client_address(ip("198.51.100.7"), &headers, &trusted),
            ip("198.51.100.7")
        );
    }

    #[test]
    fn behind_a_trusted_proxy_the_right_most_untrusted_address_is_the_client() {
        // The client forged the first entry; the proxy appended what it saw.
        let headers = forwarded(&["1.2.3.4, 203.0.113.9"]);
        let trusted = blocks(&["127.0.0.1"]);
        assert_eq!(
            client_address(ip("127.0.0.1"), &headers, &trusted),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn a_chain_of_trusted_proxies_is_walked_from_the_right_across_header_lines() {
        let headers = forwarded(&["1.2.3.4, 203.0.113.9", "10.0.0.5"]);
        let trusted = blocks(&["127.0.0.1", "10.0.0.0/8"]);
        assert_eq!(
            client_address(ip("127.0.0.1"), &headers, &trusted),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn a_trusted_proxy_without_the_header_is_the_client() {
        let trusted = blocks(&["::1"]);
        assert_eq!(
            client_address(ip("::1"), &HeaderMap::new(), &trusted),
            ip("::1")
        );
    }

    #[test]
    fn garbage_in_the_header_stops_the_walk_at_the_last_believable_address() {
        let trusted = blocks(&["127.0.0.1", "10.0.0.0/8"]);
        let headers = forwarded(&["not-an-address, 10.0.0.5"]);
        assert_eq!(
            client_address(ip("127.0.0.1"), &headers, &trusted),
            ip("10.0.0.5")
        );
    }

    #[test]
    fn hops_with_ports_brackets_and_mapped_ipv4_are_understood() {
        let trusted = blocks(&["127.0.0.1"]);
        for (hop, client) in [
            ("203.0.113.9:5123", "203.0.113.9"),
            ("[2001:db8::1]:443", "2001:db8::1"),
            ("[2001:db8::1]", "2001:db8::1"),
            ("::ffff:203.0.113.9", "203.0.113.9"),
        ] {
            let headers = forwarded(&[hop]);
            assert_eq!(
                client_address(ip("127.0.0.1"), &headers, &trusted),
                ip(client),
                "{hop}"
            );
        }
        // A dual-stack listener sees IPv4 peers as mapped IPv6 addresses.
        let headers = forwarded(&["203.0.113.9"]);
        assert_eq!(
            client_address(ip("::ffff:127.0.0.1"), &headers, &trusted),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn only_a_loopback_peer_that_is_not_a_trusted_proxy_is_a_local_client() {
        assert!(is_local_client(ip("127.0.0.1"), &[]));
        assert!(is_local_client(ip("::1"), &[]));
        assert!(is_local_client(ip("::ffff:127.0.0.1"), &[]));
        assert!(!is_local_client(ip("203.0.113.9"), &[]));
        assert!(!is_local_client(ip("10.0.0.5"), &blocks(&["127.0.0.1"])));
        // An nginx on this machine forwards the whole internet's requests.
        assert!(!is_local_client(ip("127.0.0.1"), &blocks(&["127.0.0.1"])));
        assert!(!is_local_client(
            ip("::ffff:127.0.0.1"),
            &blocks(&["127.0.0.0/8"])
        ));
        assert!(is_local_client(ip("::1"), &blocks(&["127.0.0.1"])));
    }

    #[test]
    fn ipv6_clients_share_a_budget_per_64_and_ipv4_clients_have_their_own() {
        assert_eq!(
            budget_key(ip("2001:db8:1:2:aaaa::1")),
            budget_key(ip("2001:db8:1:2:bbbb::9"))
        );
        assert_ne!(
            budget_key(ip("2001:db8:1:2::1")),
            budget_key(ip("2001:db8:1:3::1"))
        );
        assert_ne!(budget_key(ip("203.0.113.1")), budget_key(ip("203.0.113.2")));
        assert_eq!(budget_key(ip("::ffff:203.0.113.1")), ip("203.0.113.1"));
    }
}
