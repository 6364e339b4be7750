//! The shop's own address (`--public-url`) and the host names a request may
//! name in its `Host` (`--allowed-hosts`).

use std::fmt;
use std::str::FromStr;

/// The address buyers and staff use to reach the shop, as they type it:
/// `http` or `https`, a host, maybe a port and a path; no query, fragment
/// or credentials.
#[derive(Clone, PartialEq, Eq)]
pub struct PublicUrl(url::Url);

impl PublicUrl {
    pub const DEFAULT: &str = "http://127.0.0.1:8080";

    /// The address a server listening on `listen` is reached at from this
    /// machine: what `--public-url` means when it is not given.
    pub fn for_listen(listen: std::net::SocketAddr) -> PublicUrl {
        let host = match listen.ip() {
            ip if ip.is_unspecified() && ip.is_ipv4() => "127.0.0.1".to_owned(),
            ip if ip.is_unspecified() => "[::1]".to_owned(),
            std::net::IpAddr::V6(ip) => format!("[{ip}]"),
            ip => ip.to_string(),
        };
        format!("http://{host}:{}", listen.port())
            .parse()
            .expect("a socket address makes a url")
    }

    /// Whether buyers and staff reach the shop over HTTPS: the session
    /// cookie is then marked `Secure`.
    pub fn is_https(&self) -> bool {
        self.0.scheme() == "https"
    }

    /// The origin a browser sends in `Origin` from the shop's own pages:
    /// `https://shop.example`, `http://127.0.0.1:8080`.
    pub fn origin(&self) -> String {
        self.0.origin().ascii_serialization()
    }

    /// Whether `origin` (an `Origin` header) is the shop's own. On a
    /// loopback address, `localhost`, `127.0.0.1` and `[::1]` with the
    /// same scheme and port are one machine, so one shop.
    pub fn is_own_origin(&self, origin: &str) -> bool {
        if origin == self.origin() {
            return true;
        }
        let Ok(other) = url::Url::parse(origin) else {
            return false;
        };
        let loopback = |url: &url::Url| match url.host() {
            Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
            Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
            Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
            None => false,
        };
        loopback(&self.0)
            && loopback(&other)
            && other.scheme() == self.0.scheme()
            && other.port_or_known_default() == self.0.port_or_known_default()
    }

    /// The link that lets someone choose a password with `token`.
    pub fn setup_url(&self, token: &str) -> String {
        format!("{self}/admin/setup#{token}")
    }

    /// The host the shop answers for (no port), as [`HostName`] compares it.
    pub fn host(&self) -> HostName {
        // A url of this type always has a host: `from_str` checks it.
        HostName(self.0.host_str().unwrap_or_default().to_ascii_lowercase())
    }
}

impl Default for PublicUrl {
    fn default() -> Self {
        PublicUrl(url::Url::parse(PublicUrl::DEFAULT).expect("the default is a url"))
    }
}

impl FromStr for PublicUrl {
    type Err = String;

    fn from_str(value: &str) -> Result<PublicUrl, String> {
        let url = url::Url::parse(value.trim())
            .map_err(|e| format!("`{value}` is not a url ({e}); e.g. https://shop.example"))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(format!("`{value}` must start with http:// or https://"));
        }
        if url.host_str().is_none_or(str::is_empty) {
            return Err(format!("`{value}` names no host"));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(format!("`{value}` must not hold a user name or password"));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(format!("`{value}` must not hold a query or a fragment"));
        }
        Ok(PublicUrl(url))
    }
}

impl fmt::Display for PublicUrl {
    /// Without the trailing `/` of an empty path: `https://shop.example`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.as_str().trim_end_matches('/'))
    }
}

impl fmt::Debug for PublicUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.to_string())
    }
}

/// A host name or address without a port, normalised as browsers do it
/// (lower case, IDNA, `127.1` read as `127.0.0.1`, IPv6 in brackets), so
/// that two spellings of one host compare equal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HostName(String);

impl HostName {
    /// The host of a `Host` header or an `:authority` (`shop.example:8080`,
    /// `[::1]:8080`), port dropped; `None` when it names no valid host.
    pub fn from_authority(authority: &str) -> Option<HostName> {
        let host = match authority.strip_prefix('[') {
            Some(rest) => &authority[..rest.find(']')? + 2],
            None => match authority.rsplit_once(':') {
                Some((host, port)) if port.bytes().all(|b| b.is_ascii_digit()) => host,
                _ => authority,
            },
        };
        host.parse().ok()
    }
}

impl FromStr for HostName {
    type Err = String;

    fn from_str(value: &str) -> Result<HostName, String> {
        let trimmed = value.trim();
        let name = trimmed.strip_suffix('.').unwrap_or(trimmed);
        if name.is_empty() || name.contains(['/', '@', '?', '#', '*']) {
            return Err(format!(
                "`{value}` is not a host name (e.g. shop.example, 203.0.113.9, [2001:db8::1])"
            ));
        }
        let host =
            url::Host::parse(name).map_err(|e| format!("`{value}` is not a host name: {e}"))?;
        Ok(HostName(host.to_string().to_ascii_lowercase()))
    }
}

impl fmt::Display for HostName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn host(text: &str) -> HostName {
        text.parse().expect("a host name")
    }

    #[test]
    fn the_public_url_is_an_http_address_with_a_host_and_nothing_secret() {
        let url: PublicUrl = "https://Shop.Example/".parse().expect("a url");
        assert_eq!(url.to_string(), "https://shop.example");
        assert_eq!(url.host(), host("shop.example"));
        assert_eq!(PublicUrl::default().host(), host("127.0.0.1"));
        assert_eq!(PublicUrl::default().to_string(), "http://127.0.0.1:8080");
        for bad in [
            "shop.example",
            "ftp://shop.example",
            "https://user:pw@shop.example",
            "https://shop.example/?x=1",
            "https://shop.example/#top",
        ] {
            assert!(bad.parse::<PublicUrl>().is_err(), "{bad}");
        }
    }

    #[test]
    fn the_shops_own_origin_is_its_public_urls_and_loopback_spellings_of_it() {
        let local: PublicUrl = "http://127.0.0.1:8080".parse().expect("a url");
        assert!(local.is_own_origin("http://127.0.0.1:8080"));
        assert!(local.is_own_origin("http://localhost:8080"));
        assert!(local.is_own_origin("http://[::1]:8080"));
        assert!(!local.is_own_origin("http://localhost:8081"));
        assert!(!local.is_own_origin("https://localhost:8080"));
        assert!(!local.is_own_origin("http://evil.example:8080"));
        assert!(!local.is_own_origin("null"));
        let shop: PublicUrl = "https://shop.example/boutique".parse().expect("a url");
        assert_eq!(shop.origin(), "https://shop.example");
        assert!(shop.is_own_origin("https://shop.example"));
        assert!(!shop.is_own_origin("https://evil.example"));
        assert!(!shop.is_own_origin("http://shop.example"));
        assert!(shop.is_https() && !local.is_https());
        assert_eq!(
            shop.setup_url("sru_x"),
            "https://shop.example/boutique/admin/setup#sru_x"
        );
    }

    #[test]
    fn without_a_public_url_the_shop_is_where_it_listens() {
        let at = |listen: &str| PublicUrl::for_listen(listen.parse().expect("an address"));
        assert_eq!(at("127.0.0.1:9000").to_string(), "http://127.0.0.1:9000");
        assert_eq!(at("0.0.0.0:8080").to_string(), "http://127.0.0.1:8080");
        assert_eq!(at("[::]:8080").to_string(), "http://[::1]:8080");
    }

    #[test]
    fn host_names_compare_as_browsers_spell_them() {
        assert_eq!(host("Shop.Example."), host("shop.example"));
        assert_eq!(host("127.1"), host("127.0.0.1"));
        assert_eq!(host("[2001:DB8::1]"), host("[2001:db8::1]"));
        for bad in ["", "shop.example/x", "*.example", "user@shop.example"] {
            assert!(bad.parse::<HostName>().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn an_authority_gives_its_host_without_the_port() {
        for (authority, expected) in [
            ("shop.example", "shop.example"),
            ("SHOP.example:8080", "shop.example"),
            ("127.0.0.1:8080", "127.0.0.1"),
            ("[::1]:8080", "[::1]"),
            ("[::1]", "[::1]"),
        ] {
            assert_eq!(
                HostName::from_authority(authority),
                Some(host(expected)),
                "{authority}"
            );
        }
        for bad in ["", "[::1", "shop example", "a/b:80"] {
            assert_eq!(HostName::from_authority(bad), None, "{bad:?}");
        }
    }
}
