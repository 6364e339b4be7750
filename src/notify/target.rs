//! Where a webhook may be sent: an `http(s)` URL whose host is on the
//! public internet, checked when the webhook is created (a 422) and again
//! at every send, after resolving its name, so that a name that later
//! points inside the shop's network (DNS rebinding) is refused too. The
//! request then connects to exactly the addresses that were checked.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::time::Duration;

use url::{Host, Url};

use super::error::{NotifyError, causes, scrubbed, shown_url};
use crate::domain::FieldError;

/// A webhook's URL, in characters.
pub const WEBHOOK_URL_CHARS_MAX: usize = 2000;
/// How long creating a webhook waits for its host's name to resolve; a
/// name that does not resolve in time is accepted, and checked at each send.
pub const RESOLVE_AT_CREATION_TIMEOUT: Duration = Duration::from_secs(5);

/// A webhook's target, checked: `http` or `https`, a host, no credentials,
/// and a host that is no literal private address unless allowed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WebhookUrl(Url);

impl WebhookUrl {
    /// The URL as typed, checked without resolving its host.
    pub fn parse(raw: &str, allow_private: bool) -> Result<WebhookUrl, FieldError> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err(FieldError::required("url"));
        }
        if raw.chars().count() > WEBHOOK_URL_CHARS_MAX {
            return Err(FieldError::too_long("url", WEBHOOK_URL_CHARS_MAX));
        }
        let Ok(url) = Url::parse(raw) else {
            return Err(refused(
                "L'adresse du webhook n'est pas une adresse web (exemple : https://example.com/webhooks/stockroom).",
                "The webhook's URL is not a web address (for example https://example.com/webhooks/stockroom).",
            ));
        };
        if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
            return Err(refused(
                "L'adresse du webhook doit commencer par https:// ou http:// et nommer un serveur.",
                "The webhook's URL must start with https:// or http:// and name a server.",
            ));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(refused(
                "L'adresse du webhook ne doit pas contenir d'identifiants : les envois sont signés avec le secret du webhook.",
                "The webhook's URL must not hold credentials: deliveries are signed with the webhook's secret.",
            ));
        }
        if !allow_private && let Some(address) = literal_private(&url) {
            return Err(private(&address));
        }
        Ok(WebhookUrl(url))
    }

    /// [`WebhookUrl::parse`], then the host's name resolved: a name that
    /// resolves to a private address is refused now rather than at every
    /// send. A name that does not resolve (yet) is accepted.
    pub async fn check(raw: &str, allow_private: bool) -> Result<WebhookUrl, FieldError> {
        let url = WebhookUrl::parse(raw, allow_private)?;
        if allow_private {
            return Ok(url);
        }
        let resolved =
            tokio::time::timeout(RESOLVE_AT_CREATION_TIMEOUT, resolve(&url.0, false)).await;
        match resolved {
            Ok(Err(NotifyError::PrivateAddress { address, .. })) => {
                Err(private(&address.to_string()))
            }
            _ => Ok(url),
        }
    }

    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    pub fn url(&self) -> &Url {
        &self.0
    }

    /// The URL as errors and logs show it, without its query.
    pub fn shown(&self) -> String {
        shown_url(&self.0)
    }
}

fn refused(fr: &str, en: &str) -> FieldError {
    FieldError::new("url", fr, en)
}

fn private(address: &str) -> FieldError {
    FieldError::new(
        "url",
        format!(
            "L'adresse du webhook mène à {address}, une adresse privée, locale ou réservée : stockroom n'y envoie rien (sauf si le serveur tourne avec --webhook-allow-private)."
        ),
        format!(
            "The webhook's URL leads to {address}, a private, local or reserved address: stockroom sends nothing there (unless the server runs with --webhook-allow-private)."
        ),
    )
}

/// The host of `url` when it names a place that is not public by itself:
/// an IP address that is not, or `localhost` and its subdomains.
fn literal_private(url: &Url) -> Option<String> {
    match url.host()? {
        Host::Ipv4(ip) => (!is_public(IpAddr::V4(ip))).then(|| ip.to_string()),
        Host::Ipv6(ip) => (!is_public(IpAddr::V6(ip))).then(|| ip.to_string()),
        Host::Domain(name) => {
            let name = name.trim_end_matches('.').to_ascii_lowercase();
            (name == "localhost" || name.ends_with(".localhost")).then_some(name)
        }
    }
}

/// The addresses `url`'s host resolves to, each checked: one address that
/// is not public refuses them all (unless `allow_private`), as a name
/// with both kinds would reach the private one on some tries.
pub async fn resolve(url: &Url, allow_private: bool) -> Result<Vec<SocketAddr>, NotifyError> {
    let target = shown_url(url);
    let port = url.port_or_known_default().unwrap_or(80);
    let addresses: Vec<SocketAddr> = match url.host() {
        Some(Host::Ipv4(ip)) => vec![SocketAddr::new(IpAddr::V4(ip), port)],
        Some(Host::Ipv6(ip)) => vec![SocketAddr::new(IpAddr::V6(ip), port)],
        Some(Host::Domain(name)) => tokio::net::lookup_host((name, port))
            .await
            .map_err(|e| NotifyError::Resolve {
                target: target.clone(),
                detail: scrubbed(&causes(&e), &[]),
            })?
            .collect(),
        None => Vec::new(),
    };
    if addresses.is_empty() {
        return Err(NotifyError::Resolve {
            target,
            detail: "no address".to_owned(),
        });
    }
    if !allow_private && let Some(bad) = addresses.iter().find(|a| !is_public(a.ip())) {
        return Err(NotifyError::PrivateAddress {
            target,
            address: bad.ip(),
        });
    }
    Ok(addresses)
}

/// Whether `ip` is an address of the public internet: not unspecified,
/// loopback, private, shared (CGNAT), link-local, multicast, broadcast,
/// documentation, benchmarking or reserved; an IPv6 address that carries
/// an IPv4 one (mapped, compatible, NAT64, 6to4) is judged by that one.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(ip) => is_public_v4(ip),
        IpAddr::V6(ip) => is_public_v6(ip),
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    let refused = a == 0 // "this network"
        || a == 10
        || a == 127
        || (a == 100 && (64..128).contains(&b)) // shared address space, CGNAT
        || (a == 169 && b == 254)
        || (a == 172 && (16..32).contains(&b))
        || (a == 192 && b == 0 && c == 0) // IETF protocol assignments
        || (a == 192 && b == 0 && c == 2) // documentation
        || (a == 192 && b == 88 && c == 99) // 6to4 relays
        || (a == 192 && b == 168)
        || (a == 198 && (b == 18 || b == 19)) // benchmarking
        || (a == 198 && b == 51 && c == 100) // documentation
        || (a == 203 && b == 0 && c == 113) // documentation
        || a >= 224; // multicast, reserved, broadcast
    !refused
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    let s = ip.segments();
    let embedded_v4 =
        |hi: u16, lo: u16| Ipv4Addr::new((hi >> 8) as u8, hi as u8, (lo >> 8) as u8, lo as u8);
    if let Some(v4) = ip.to_ipv4_mapped() {
        return is_public_v4(v4);
    }
    // IPv4-compatible (::a.b.c.d, deprecated), which includes :: and ::1.
    if s[..6] == [0; 6] {
        return is_public_v4(embedded_v4(s[6], s[7]));
    }
    // NAT64's well-known prefix, 64:ff9b::/96, reaches the IPv4 it carries.
    if s[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
        return is_public_v4(embedded_v4(s[6], s[7]));
    }
    // 6to4, 2002::/16, carries an IPv4 address in its next 32 bits.
    if s[0] == 0x2002 {
        return is_public_v4(embedded_v4(s[1], s[2]));
    }
    let refused = (s[0] == 0x64 && s[1] == 0xff9b) // local-use NAT64, 64:ff9b:1::/48
        || (s[0] == 0x100 && s[1..4] == [0, 0, 0]) // discard-only, 100::/64
        || (s[0] == 0x2001 && s[1] == 0) // Teredo, 2001::/32
        || (s[0] == 0x2001 && s[1] == 0x2) // benchmarking, 2001:2::/48
        || (s[0] == 0x2001 && s[1] == 0xdb8) // documentation
        || (s[0] & 0xfff0) == 0x3ff0 // documentation, 3fff::/20
        || (s[0] & 0xfe00) == 0xfc00 // unique local
        || (s[0] & 0xffc0) == 0xfe80 // link-local
        || (s[0] & 0xffc0) == 0xfec0 // site-local, deprecated
        || (s[0] & 0xff00) == 0xff00; // multicast
    !refused
}

#[cfg(test)]
mod tests {
    use super::*;

    fn public(text: &str) -> bool {
        is_public(text.parse().expect("an address"))
    }

    #[test]
    fn private_and_reserved_ipv4_addresses_are_not_public() {
        for ip in [
            "0.0.0.0",
            "10.1.2.3",
            "100.64.0.1",
            "100.127.255.255",
            "127.0.0.1",
            "127.9.9.9",
            "169.254.169.254",
            "172.16.0.1",
            "172.31.255.255",
            "192.0.0.8",
            "192.0.2.1",
            "192.168.1.20",
            "198.18.0.1",
            "198.51.100.7",
            "203.0.113.9",
            "224.0.0.1",
            "240.0.0.1",
            "255.255.255.255",
        ] {
            assert!(!public(ip), "{ip}");
        }
        for ip in [
            "8.8.8.8",
            "100.63.255.255",
            "100.128.0.1",
            "172.15.0.1",
            "172.32.0.1",
            "41.202.64.1",
        ] {
            assert!(public(ip), "{ip}");
        }
    }

    #[test]
    fn ipv6_addresses_are_judged_by_the_ipv4_they_carry_or_their_block() {
        for ip in [
            "::",
            "::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "::127.0.0.1",
            "64:ff9b::a00:1",
            "64:ff9b:1::1",
            "2002:c0a8:0101::1",
            "2001::1",
            "2001:db8::1",
            "3fff::1",
            "fc00::1",
            "fd12:3456::1",
            "fe80::1",
            "fec0::1",
            "ff02::1",
            "100::1",
        ] {
            assert!(!public(ip), "{ip}");
        }
        for ip in [
            "2606:4700::1111",
            "::ffff:8.8.8.8",
            "64:ff9b::808:808",
            "2002:808:808::1",
            "2a00:1450::1",
        ] {
            assert!(public(ip), "{ip}");
        }
    }

    #[test]
    fn a_webhook_url_is_http_with_a_host_and_no_credentials() {
        for (raw, words) in [
            ("", "est obligatoire"),
            ("ftp://example.com/in", "https:// ou http://"),
            ("not a url", "pas une adresse web"),
            (
                "https://user:pw@example.com/in",
                "pas contenir d'identifiants",
            ),
            ("http://127.0.0.1:9000/in", "127.0.0.1"),
            ("http://[::ffff:192.168.1.1]/in", "192.168.1.1"),
            ("http://0x7f000001/in", "127.0.0.1"),
            ("http://2130706433/in", "127.0.0.1"),
            ("http://localhost:8080/in", "localhost"),
            ("http://api.LOCALHOST./in", "api.localhost"),
            ("http://169.254.169.254/latest/meta-data", "169.254.169.254"),
        ] {
            let refused = WebhookUrl::parse(raw, false).expect_err(raw);
            assert_eq!(refused.field, "url");
            assert!(refused.fr.contains(words), "{raw}: {}", refused.fr);
        }
        let long = format!("https://example.com/{}", "a".repeat(WEBHOOK_URL_CHARS_MAX));
        assert_eq!(
            WebhookUrl::parse(&long, false),
            Err(FieldError::too_long("url", WEBHOOK_URL_CHARS_MAX))
        );
        assert!(WebhookUrl::parse("https://hooks.example.com/in?k=v", false).is_ok());
        assert!(WebhookUrl::parse("http://127.0.0.1:9000/in", true).is_ok());
    }

    #[tokio::test]
    async fn a_resolved_private_address_is_refused_at_send_unless_allowed() {
        let url = Url::parse("http://127.0.0.1:9/in?key=s3cr3t").expect("url");
        let refused = resolve(&url, false).await.expect_err("loopback");
        assert_eq!(
            refused,
            NotifyError::PrivateAddress {
                target: "http://127.0.0.1:9/in".into(),
                address: "127.0.0.1".parse().expect("ip")
            }
        );
        assert!(!refused.to_string().contains("s3cr3t"));
        let allowed = resolve(&url, true).await.expect("allowed");
        assert_eq!(allowed, ["127.0.0.1:9".parse().expect("socket address")]);
        let named = Url::parse("http://localhost:9/in").expect("url");
        let refused = resolve(&named, false)
            .await
            .expect_err("localhost resolves to loopback");
        assert_eq!(refused.kind(), "private_address");
    }

    #[tokio::test]
    async fn creating_a_webhook_checks_the_url_before_any_name_is_resolved() {
        let refused = WebhookUrl::check("http://127.0.0.1:9/in", false)
            .await
            .expect_err("refused");
        assert!(refused.fr.contains("127.0.0.1"));
        assert!(
            WebhookUrl::check("http://127.0.0.1:9/in", true)
                .await
                .is_ok()
        );
        // A name that resolves nowhere is accepted now and checked at each send.
        assert!(
            WebhookUrl::check("https://no-such-host.invalid/in", false)
                .await
                .is_ok()
        );
    }
}
