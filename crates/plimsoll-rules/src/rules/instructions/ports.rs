//! EXPOSE port specs, split the way BuildKit's `parsePort` splits them
//! (`frontend/dockerfile/dockerfile2llb/convert_expose.go`):
//! `[ip:][host-port:]port[-end][/proto]`.

/// The parts of one port spec, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct PortSpec<'a> {
    /// Everything before the host port (an IP address, brackets and all).
    pub ip: String,
    pub host: &'a str,
    /// The container port or range, without the protocol.
    pub port: &'a str,
    /// The protocol after `/`, as written; empty when there is none.
    pub proto: &'a str,
}

impl<'a> PortSpec<'a> {
    pub fn parse(raw: &'a str) -> PortSpec<'a> {
        let parts: Vec<&str> = raw.split(':').collect();
        let (ip, host, container) = match parts.as_slice() {
            [] => (String::new(), "", ""),
            [c] => (String::new(), "", *c),
            [h, c] => (String::new(), *h, *c),
            [rest @ .., h, c] => (rest.join(":"), *h, *c),
        };
        let (port, proto) = container.split_once('/').unwrap_or((container, ""));
        PortSpec {
            ip,
            host,
            port,
            proto,
        }
    }

    /// A protocol BuildKit accepts (in any case) or none at all.
    pub fn proto_is_known(&self) -> bool {
        matches!(
            self.proto.to_ascii_lowercase().as_str(),
            "" | "tcp" | "udp" | "sctp"
        )
    }

    /// BuildKit reports casing and format only for specs whose port and
    /// protocol it could split.
    pub fn is_splittable(&self) -> bool {
        !self.port.is_empty() && self.proto_is_known()
    }
}

/// Whether a port or `start-end` range consists of valid port numbers
/// (0–65535), as Go's `strconv.ParseInt` reads them.
pub(super) fn is_valid_range(range: &str) -> bool {
    let (start, end) = range.split_once('-').unwrap_or((range, range));
    is_valid_number(start) && is_valid_number(end)
}

fn is_valid_number(n: &str) -> bool {
    let digits = n.strip_prefix('+').unwrap_or(n);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let significant = digits.trim_start_matches('0');
    significant.len() <= 5 && significant.parse::<u32>().map_or(true, |v| v <= 65535)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_like_buildkit() {
        let p = PortSpec::parse("80/TcP");
        assert_eq!(
            (p.ip.as_str(), p.host, p.port, p.proto),
            ("", "", "80", "TcP")
        );
        let p = PortSpec::parse("127.0.0.1:8080:80");
        assert_eq!(
            (p.ip.as_str(), p.host, p.port, p.proto),
            ("127.0.0.1", "8080", "80", "")
        );
        let p = PortSpec::parse("[::1]:80:80/udp");
        assert_eq!(
            (p.ip.as_str(), p.host, p.port, p.proto),
            ("[::1]", "80", "80", "udp")
        );
        let p = PortSpec::parse("80:80");
        assert_eq!((p.host, p.port), ("80", "80"));
        assert!(!PortSpec::parse("80/foo").proto_is_known());
        assert!(!PortSpec::parse("/tcp").is_splittable());
    }

    #[test]
    fn port_numbers() {
        assert!(is_valid_range("0"));
        assert!(is_valid_range("65535"));
        assert!(is_valid_range("8000-8100"));
        assert!(is_valid_range("+80"));
        assert!(is_valid_range("0000080"));
        assert!(!is_valid_range("65536"));
        assert!(!is_valid_range("80000"));
        assert!(!is_valid_range("8000-70000"));
        assert!(!is_valid_range("99999999999999999999999"));
        assert!(!is_valid_range("abc"));
        assert!(!is_valid_range("-1"));
        assert!(!is_valid_range(""));
    }
}
