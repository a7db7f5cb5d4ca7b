//! Who is on the other end of a request. Tandem has no TLS listener, so a real deployment sits
//! behind a reverse proxy and every connection comes from the proxy's address. Only from a peer
//! in `TANDEM_TRUSTED_PROXIES` is the forwarding header read, from the right: the right-most hop
//! that is not itself a trusted proxy is the client. From any other peer the header is ignored,
//! since a client could write anything there to dodge the sign-in limits.

use http::HeaderMap;
use ipnet::IpNet;
use std::net::{IpAddr, SocketAddr};

/// The client's address as worked out once per request (by the server's `client_address`
/// layer) and read by whatever keys a limit on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientAddress(pub IpAddr);

/// Which header the proxies in front of Tandem write. One only: a proxy that appends to
/// `X-Forwarded-For` passes a client's own `Forwarded` header on untouched, so reading both would
/// let the client choose its address.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ProxyHeader {
    #[default]
    XForwardedFor,
    Forwarded,
}

impl ProxyHeader {
    pub fn parse(text: &str) -> Option<ProxyHeader> {
        match text.trim().to_ascii_lowercase().as_str() {
            "x-forwarded-for" => Some(ProxyHeader::XForwardedFor),
            "forwarded" => Some(ProxyHeader::Forwarded),
            _ => None,
        }
    }
}

/// Reads a list such as `10.0.0.1, 192.168.0.0/16 ::1` (commas or spaces); a bare address is a
/// range of one. Returns the first entry that does not parse.
pub fn parse_ranges(text: &str) -> Result<Vec<IpNet>, String> {
    text.split(|c: char| c == ',' || c.is_whitespace())
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<IpNet>()
                .or_else(|_| s.parse::<IpAddr>().map(IpNet::from))
                .map(|net| net.trunc())
                .map_err(|_| s.to_string())
        })
        .collect()
}

/// The client's address: `peer` itself unless it is a trusted proxy, else the right-most hop of
/// `header` that is not a trusted proxy. A hop that cannot be read (`unknown`, an obfuscated
/// name) stops the walk at the last proxy that could be, so the client is never guessed.
pub fn resolve(
    peer: IpAddr,
    headers: &HeaderMap,
    trusted: &[IpNet],
    header: ProxyHeader,
) -> IpAddr {
    // A dual-stack listener sees IPv4 clients as `::ffff:a.b.c.d`.
    let peer = peer.to_canonical();
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(&peer) {
        return peer;
    }
    let hops = match header {
        ProxyHeader::XForwardedFor => forwarded_for_hops(headers),
        ProxyHeader::Forwarded => forwarded_hops(headers),
    };
    let mut client = peer;
    for hop in hops.iter().rev() {
        match parse_hop(hop) {
            Some(ip) => {
                client = ip;
                if !is_trusted(&ip) {
                    break;
                }
            }
            None => break,
        }
    }
    client
}

/// Every `X-Forwarded-For` line's entries, in order (several lines read as one list).
fn forwarded_for_hops(headers: &HeaderMap) -> Vec<String> {
    headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|s| s.trim().to_string())
        .collect()
}

/// The `for=` of every element of every `Forwarded` line (RFC 7239), in order.
fn forwarded_hops(headers: &HeaderMap) -> Vec<String> {
    headers
        .get_all(http::header::FORWARDED)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|element| {
            element
                .split(';')
                .filter_map(|pair| pair.split_once('='))
                .find(|(name, _)| name.trim().eq_ignore_ascii_case("for"))
                .map(|(_, value)| value.trim().trim_matches('"').to_string())
                // An element without `for=` is a hop nobody can name.
                .unwrap_or_default()
        })
        .collect()
}

/// `192.0.2.1`, `192.0.2.1:4711`, `2001:db8::1`, `[2001:db8::1]:4711` or `[2001:db8::1]`.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    let hop = hop.trim();
    hop.parse::<IpAddr>()
        .ok()
        .or_else(|| hop.parse::<SocketAddr>().ok().map(|s| s.ip()))
        .or_else(|| {
            hop.strip_prefix('[')
                .and_then(|h| h.strip_suffix(']'))
                .and_then(|h| h.parse::<IpAddr>().ok())
        })
        .map(|ip| ip.to_canonical())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(name: &str, values: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in values {
            h.append(
                http::HeaderName::from_bytes(name.as_bytes()).unwrap(),
                v.parse().unwrap(),
            );
        }
        h
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn the_header_counts_only_from_a_trusted_proxy() {
        let trusted = parse_ranges("10.0.0.0/8, 127.0.0.2").unwrap();
        let h = headers("x-forwarded-for", &["203.0.113.9"]);
        let xff = ProxyHeader::XForwardedFor;
        assert_eq!(
            resolve(ip("10.1.2.3"), &h, &trusted, xff),
            ip("203.0.113.9")
        );
        assert_eq!(
            resolve(ip("127.0.0.2"), &h, &trusted, xff),
            ip("203.0.113.9")
        );
        assert_eq!(resolve(ip("127.0.0.3"), &h, &trusted, xff), ip("127.0.0.3"));
        assert_eq!(resolve(ip("10.1.2.3"), &h, &[], xff), ip("10.1.2.3"));
    }

    #[test]
    fn the_right_most_untrusted_hop_is_the_client() {
        let trusted = parse_ranges("10.0.0.0/8").unwrap();
        let xff = ProxyHeader::XForwardedFor;
        // The client wrote the first entry itself; the proxies appended the rest.
        let h = headers(
            "x-forwarded-for",
            &["198.51.100.1, 203.0.113.9", "10.0.0.7"],
        );
        assert_eq!(
            resolve(ip("10.0.0.1"), &h, &trusted, xff),
            ip("203.0.113.9")
        );
        // Every hop trusted: the left-most is as far as anyone can see.
        let h = headers("x-forwarded-for", &["10.0.0.9, 10.0.0.7"]);
        assert_eq!(resolve(ip("10.0.0.1"), &h, &trusted, xff), ip("10.0.0.9"));
        // No header from a trusted peer: the peer.
        assert_eq!(
            resolve(ip("10.0.0.1"), &HeaderMap::new(), &trusted, xff),
            ip("10.0.0.1")
        );
        // A hop that is not an address stops the walk before it.
        let h = headers("x-forwarded-for", &["203.0.113.9, unknown"]);
        assert_eq!(resolve(ip("10.0.0.1"), &h, &trusted, xff), ip("10.0.0.1"));
    }

    #[test]
    fn forwarded_is_read_only_when_chosen() {
        let trusted = parse_ranges("10.0.0.1").unwrap();
        let mut h = headers(
            "forwarded",
            &[r#"for=198.51.100.1, for="[2001:db8:cafe::17]:4711";proto=https"#],
        );
        h.append("x-forwarded-for", "192.0.2.5".parse().unwrap());
        assert_eq!(
            resolve(ip("10.0.0.1"), &h, &trusted, ProxyHeader::Forwarded),
            ip("2001:db8:cafe::17")
        );
        assert_eq!(
            resolve(ip("10.0.0.1"), &h, &trusted, ProxyHeader::XForwardedFor),
            ip("192.0.2.5")
        );
        let h = headers("forwarded", &["for=192.0.2.60:8080;by=10.0.0.1"]);
        assert_eq!(
            resolve(ip("10.0.0.1"), &h, &trusted, ProxyHeader::Forwarded),
            ip("192.0.2.60")
        );
        let h = headers("forwarded", &["for=_hidden"]);
        assert_eq!(
            resolve(ip("10.0.0.1"), &h, &trusted, ProxyHeader::Forwarded),
            ip("10.0.0.1")
        );
    }

    #[test]
    fn ranges_parse_or_name_the_bad_entry() {
        assert_eq!(parse_ranges("127.0.0.1 ::1,10.0.0.0/8").unwrap().len(), 3);
        assert_eq!(parse_ranges("10.0.0.0/33").unwrap_err(), "10.0.0.0/33");
        assert_eq!(parse_ranges("proxy.local").unwrap_err(), "proxy.local");
        // A range written with host bits set covers its whole network.
        let nets = parse_ranges("10.1.2.3/8").unwrap();
        assert!(nets[0].contains(&ip("10.200.0.1")));
    }
}
