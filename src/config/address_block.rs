//! An address or a CIDR block, as `--trusted-proxies` takes them: a value
//! of the configuration, read by the rate limit to know whom to believe.

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

/// An address or a CIDR block (`::1`, `10.0.0.0/8`), as `--trusted-proxies` takes them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AddressBlock {
    network: IpAddr,
    prefix_len: u8,
}

impl AddressBlock {
    pub fn contains(&self, address: IpAddr) -> bool {
        let (network, address, width) = match (self.network, address.to_canonical()) {
            (IpAddr::V4(n), IpAddr::V4(a)) => {
                (u128::from(u32::from(n)), u128::from(u32::from(a)), 32)
            }
            (IpAddr::V6(n), IpAddr::V6(a)) => (u128::from(n), u128::from(a), 128),
            _ => return false,
        };
        // `checked_shr` because a /0 shifts the whole width away: every address matches.
        let shift = u32::from(width - self.prefix_len);
        network.checked_shr(shift).unwrap_or(0) == address.checked_shr(shift).unwrap_or(0)
    }
}

impl FromStr for AddressBlock {
    type Err = String;

    fn from_str(text: &str) -> Result<AddressBlock, String> {
        let text = text.trim();
        let (address, prefix) = text
            .split_once('/')
            .map_or((text, None), |(a, p)| (a, Some(p)));
        let network = IpAddr::from_str(address)
            .map_err(|_| {
                format!("`{text}` is not an IP address or a CIDR block such as 10.0.0.0/8")
            })?
            .to_canonical();
        let width = if network.is_ipv4() { 32 } else { 128 };
        let prefix_len = match prefix {
            None => width,
            Some(p) => p
                .parse::<u8>()
                .ok()
                .filter(|&len| len <= width)
                .ok_or_else(|| format!("`{text}`: the prefix length must be 0 to {width}"))?,
        };
        Ok(AddressBlock {
            network,
            prefix_len,
        })
    }
}

impl fmt::Display for AddressBlock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let full = if self.network.is_ipv4() { 32 } else { 128 };
        if self.prefix_len == full {
            write!(f, "{}", self.network)
        } else {
            write!(f, "{}/{}", self.network, self.prefix_len)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().expect("an address")
    }

    #[test]
    fn blocks_parse_match_and_print_as_given() {
        let block: AddressBlock = "10.0.0.0/8".parse().expect("a block");
        assert!(block.contains(ip("10.200.1.1")));
        assert!(!block.contains(ip("11.0.0.1")));
        assert!(!block.contains(ip("::1")));
        assert_eq!(block.to_string(), "10.0.0.0/8");
        assert_eq!(
            "::1".parse::<AddressBlock>().expect("a block").to_string(),
            "::1"
        );
        assert!(
            "0.0.0.0/0"
                .parse::<AddressBlock>()
                .expect("a block")
                .contains(ip("8.8.8.8"))
        );
        assert!("10.0.0.0/33".parse::<AddressBlock>().is_err());
        assert!("proxy.local".parse::<AddressBlock>().is_err());
    }
}
