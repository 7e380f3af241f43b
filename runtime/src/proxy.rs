//! HTTP proxies: which requests go through which proxy, as curl decides.
//!
//! - `https_proxy`/`HTTPS_PROXY` for `https://` endpoints (tunnelled with
//!   `CONNECT host:port`), `http_proxy`/`HTTP_PROXY` for `http://` ones (sent to
//!   the proxy in absolute form, `POST http://host:port/path HTTP/1.1`); the
//!   lower-case name wins when both are set.
//! - `no_proxy`/`NO_PROXY`: a comma-separated list of hosts that are reached
//!   directly. `*` alone matches every host; a name matches itself and its
//!   subdomains (`example.com` and `.example.com` both match `a.example.com`
//!   and `example.com`); an IP address matches itself, a CIDR block
//!   (`10.0.0.0/8`, `fd00::/8`) its addresses. Matching ignores case and the
//!   entry's port. Loopback addresses and `localhost` are proxied like any
//!   other host unless listed.
//! - A proxy URL is `http://[user:password@]host[:port]` (the scheme may be
//!   left out; port 80 by default). Its user and password (percent-decoded)
//!   become `Proxy-Authorization: Basic ...`; they never appear in `Debug`
//!   output, errors or logs.
//!
//! Instance metadata and container credential endpoints are never proxied
//! (they are link-local or loopback addresses of the machine itself).

use std::fmt;
use std::net::IpAddr;

use percent_encoding::percent_decode_str;

use crate::credentials::{Env, Secret};

/// A proxy server: where it is, and the credentials it wants.
#[derive(Clone, PartialEq, Eq)]
pub struct Proxy {
    host: String,
    port: u16,
    /// `Basic base64(user:password)`, when the URL has user info.
    authorization: Option<Secret>,
}

impl Proxy {
    /// Parses `http://[user:password@]host[:port][/]`. Other schemes
    /// (`https://`, `socks5://`) are refused: the proxy is spoken to in plain
    /// HTTP/1.1, and tunnels TLS with `CONNECT`.
    pub fn parse(url: &str) -> Result<Proxy, String> {
        let url = url.trim();
        let rest = match url.split_once("://") {
            Some((scheme, rest)) if scheme.eq_ignore_ascii_case("http") => rest,
            Some((scheme, _)) => {
                let scheme: String = scheme.chars().take(20).collect();
                return Err(format!("the proxy scheme {scheme:?} is not supported (only http://)"));
            }
            None => url,
        };
        let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
        let tail = &rest[authority.len()..];
        if !(tail.is_empty() || tail == "/") {
            return Err("a proxy URL has no path, query or fragment".to_owned());
        }
        let (user_info, host_port) = match authority.rsplit_once('@') {
            Some((info, host)) => (Some(info), host),
            None => (None, authority),
        };
        let (host, port) = split_host_port(host_port)?;
        let authorization = match user_info {
            None => None,
            Some(info) => {
                let (user, password) = info.split_once(':').unwrap_or((info, ""));
                let decode = |s: &str| {
                    percent_decode_str(s)
                        .decode_utf8()
                        .map(|c| c.into_owned())
                        .map_err(|_| "the proxy's user info is not UTF-8 once percent-decoded".to_owned())
                };
                let pair = format!("{}:{}", decode(user)?, decode(password)?);
                Some(Secret::new(format!("Basic {}", aws_smithy_types::base64::encode(pair))))
            }
        };
        Ok(Proxy { host, port: port.unwrap_or(80), authorization })
    }

    /// The proxy's host name or address (without brackets).
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The proxy's port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Whether requests through it carry `Proxy-Authorization`.
    pub fn has_credentials(&self) -> bool {
        self.authorization.is_some()
    }

    pub(crate) fn authorization(&self) -> Option<&str> {
        self.authorization.as_ref().map(Secret::expose)
    }
}

impl fmt::Debug for Proxy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let auth = if self.authorization.is_some() { "** redacted **@" } else { "" };
        write!(f, "Proxy(http://{auth}{}:{})", self.host, self.port)
    }
}

/// `host[:port]`, `[v6][:port]`; the host checked to be a plain name or address.
fn split_host_port(text: &str) -> Result<(String, Option<u16>), String> {
    let (host, port) = if let Some(v6) = text.strip_prefix('[') {
        let (host, after) = v6.split_once(']').ok_or("an IPv6 proxy address without its closing `]`")?;
        host.parse::<std::net::Ipv6Addr>().map_err(|_| "not an IPv6 address in `[...]`".to_owned())?;
        match after {
            "" => (host, None),
            p => (host, Some(p.strip_prefix(':').ok_or("expected `:port` after `]`")?)),
        }
    } else {
        match text.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (text, None),
        }
    };
    if host.is_empty() {
        return Err("the proxy URL has no host".to_owned());
    }
    let plain = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b':');
    if !host.bytes().all(plain) {
        return Err("the proxy host has characters a host name cannot have".to_owned());
    }
    let port = match port {
        None => None,
        Some(p) => match p.parse::<u16>() {
            Ok(0) | Err(_) => return Err("the proxy port is not a number in 1..=65535".to_owned()),
            Ok(p) => Some(p),
        },
    };
    Ok((host.to_ascii_lowercase(), port))
}

/// One `no_proxy` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
enum NoProxyEntry {
    /// `*`: every host.
    All,
    /// A name: itself and its subdomains.
    Domain(String),
    /// An address, or a block of them (prefix length).
    Ip(IpAddr, u8),
}

/// The hosts reached without a proxy.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NoProxy {
    entries: Vec<NoProxyEntry>,
}

impl NoProxy {
    /// Parses a `no_proxy` value (entries that cannot match anything are ignored, as by curl).
    pub fn parse(list: &str) -> NoProxy {
        let mut entries = Vec::new();
        for entry in list.split(',').map(str::trim).filter(|e| !e.is_empty()) {
            if entry == "*" {
                entries.push(NoProxyEntry::All);
                continue;
            }
            if let Some((ip, bits)) = entry.split_once('/') {
                let ip = ip.trim_start_matches('[').trim_end_matches(']');
                if let (Ok(ip), Ok(bits)) = (ip.parse::<IpAddr>(), bits.parse::<u8>()) {
                    let max = if ip.is_ipv4() { 32 } else { 128 };
                    if bits <= max {
                        entries.push(NoProxyEntry::Ip(ip, bits));
                    }
                }
                continue;
            }
            let unbracketed = entry.strip_prefix('[').and_then(|e| e.split_once(']')).map(|(h, _)| h);
            if let Some(ip) = unbracketed.and_then(|h| h.parse::<IpAddr>().ok()).or_else(|| entry.parse().ok()) {
                let bits = if ip.is_ipv4() { 32 } else { 128 };
                entries.push(NoProxyEntry::Ip(ip, bits));
                continue;
            }
            // A name, perhaps with a port (ignored) and a leading dot.
            let name =
                entry.rsplit_once(':').filter(|(_, p)| p.bytes().all(|b| b.is_ascii_digit())).map_or(entry, |(h, _)| h);
            let name = name.trim_start_matches('.').trim_end_matches('.').to_ascii_lowercase();
            if !name.is_empty() {
                entries.push(NoProxyEntry::Domain(name));
            }
        }
        NoProxy { entries }
    }

    /// Whether `host` (a name, or an address with or without brackets) is reached directly.
    pub fn matches(&self, host: &str) -> bool {
        let host = host.trim_start_matches('[').trim_end_matches(']').trim_end_matches('.').to_ascii_lowercase();
        let ip = host.parse::<IpAddr>().ok();
        self.entries.iter().any(|entry| match entry {
            NoProxyEntry::All => true,
            NoProxyEntry::Domain(name) => {
                host == *name
                    || (host.len() > name.len()
                        && host.ends_with(name.as_str())
                        && host.as_bytes()[host.len() - name.len() - 1] == b'.')
            }
            NoProxyEntry::Ip(net, bits) => ip.is_some_and(|ip| in_block(ip, *net, *bits)),
        })
    }
}

fn in_block(ip: IpAddr, net: IpAddr, bits: u8) -> bool {
    match (ip, net) {
        (IpAddr::V4(a), IpAddr::V4(b)) => {
            let mask = if bits == 0 { 0 } else { u32::MAX << (32 - u32::from(bits)) };
            u32::from(a) & mask == u32::from(b) & mask
        }
        (IpAddr::V6(a), IpAddr::V6(b)) => {
            let mask = if bits == 0 { 0 } else { u128::MAX << (128 - u32::from(bits)) };
            u128::from(a) & mask == u128::from(b) & mask
        }
        _ => false,
    }
}

/// Which proxy, if any, each request goes through.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProxyConfig {
    http: Option<Proxy>,
    https: Option<Proxy>,
    no_proxy: NoProxy,
}

impl ProxyConfig {
    /// No proxy at all (the default of [`crate::Config::builder`]).
    pub fn none() -> ProxyConfig {
        ProxyConfig::default()
    }

    /// `https_proxy`/`HTTPS_PROXY`, `http_proxy`/`HTTP_PROXY` and `no_proxy`/`NO_PROXY`.
    /// A malformed proxy URL is an error naming the variable (never its password).
    pub fn from_env(env: &Env) -> Result<ProxyConfig, (&'static str, String)> {
        let pick = |lower: &'static str, upper: &'static str| {
            env.get(lower).map(|v| (lower, v)).or_else(|| env.get(upper).map(|v| (upper, v)))
        };
        let parse = |found: Option<(&'static str, &str)>| -> Result<Option<Proxy>, (&'static str, String)> {
            found.map(|(var, url)| Proxy::parse(url).map_err(|e| (var, e))).transpose()
        };
        Ok(ProxyConfig {
            https: parse(pick("https_proxy", "HTTPS_PROXY"))?,
            http: parse(pick("http_proxy", "HTTP_PROXY"))?,
            no_proxy: pick("no_proxy", "NO_PROXY").map(|(_, list)| NoProxy::parse(list)).unwrap_or_default(),
        })
    }

    /// This proxy for every request, http and https (unless excluded with [`Self::no_proxy`]).
    pub fn all(url: &str) -> Result<ProxyConfig, String> {
        let proxy = Proxy::parse(url)?;
        Ok(ProxyConfig { http: Some(proxy.clone()), https: Some(proxy), no_proxy: NoProxy::default() })
    }

    /// The proxy for `http://` endpoints.
    pub fn http(mut self, url: &str) -> Result<ProxyConfig, String> {
        self.http = Some(Proxy::parse(url)?);
        Ok(self)
    }

    /// The proxy for `https://` endpoints.
    pub fn https(mut self, url: &str) -> Result<ProxyConfig, String> {
        self.https = Some(Proxy::parse(url)?);
        Ok(self)
    }

    /// Hosts reached directly, in `no_proxy`'s syntax.
    pub fn no_proxy(mut self, list: &str) -> ProxyConfig {
        self.no_proxy = NoProxy::parse(list);
        self
    }

    /// The proxy for a request to `host` over https (`true`) or http.
    pub fn for_host(&self, https: bool, host: &str) -> Option<&Proxy> {
        let proxy = if https { self.https.as_ref() } else { self.http.as_ref() }?;
        (!self.no_proxy.matches(host)).then_some(proxy)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proxy_urls() {
        let p = Proxy::parse("http://alice:p%40ss@Proxy.example:3128/").unwrap();
        assert_eq!((p.host(), p.port()), ("proxy.example", 3128));
        assert_eq!(p.authorization(), Some("Basic YWxpY2U6cEBzcw=="));
        assert!(!format!("{p:?}").contains("p@ss") && !format!("{p:?}").contains("YWxp"));
        let p = Proxy::parse("10.0.0.1").unwrap();
        assert_eq!((p.host(), p.port(), p.has_credentials()), ("10.0.0.1", 80, false));
        let p = Proxy::parse("http://[::1]:8080").unwrap();
        assert_eq!((p.host(), p.port()), ("::1", 8080));
        for bad in [
            "https://p:1",
            "socks5://p:1",
            "http://p:0",
            "http://p:99999",
            "http://p:x",
            "http://",
            "http://p/x",
            "http://a b",
            "http://[::1",
            "http://u:s3cret@",
        ] {
            let e = Proxy::parse(bad).unwrap_err();
            assert!(!e.contains("s3cret"), "{bad}: {e}");
        }
    }

    #[test]
    fn no_proxy_follows_curl() {
        let n = NoProxy::parse(" example.com, .internal ,10.0.0.0/8, 192.168.1.5, [::1], fd00::/8, host:8080,bad/99");
        for direct in [
            "example.com",
            "a.example.com",
            "EXAMPLE.com.",
            "x.y.internal",
            "internal",
            "10.1.2.3",
            "192.168.1.5",
            "::1",
            "[::1]",
            "fd00:ec2::254",
            "host",
        ] {
            assert!(n.matches(direct), "{direct}");
        }
        for proxied in [
            "notexample.com",
            "example.com.evil",
            "11.0.0.1",
            "192.168.1.6",
            "127.0.0.1",
            "localhost",
            "fe80::1",
            "hostx",
        ] {
            assert!(!n.matches(proxied), "{proxied}");
        }
        assert!(NoProxy::parse("*").matches("anything"));
        assert!(!NoProxy::parse("").matches("anything"));
        assert!(!NoProxy::parse("*.example.com").matches("a.example.com"), "curl takes no wildcard but `*` alone");
    }

    #[test]
    fn from_env_lower_case_first_and_errors_name_the_variable() {
        let env = Env::from_pairs([
            ("HTTPS_PROXY", "http://upper:1"),
            ("https_proxy", "http://lower:2"),
            ("HTTP_PROXY", "p:3"),
            ("NO_PROXY", "skip.me"),
        ]);
        let c = ProxyConfig::from_env(&env).unwrap();
        assert_eq!(c.for_host(true, "x").map(Proxy::host), Some("lower"));
        assert_eq!(c.for_host(false, "x").map(Proxy::port), Some(3));
        assert_eq!(c.for_host(true, "a.skip.me"), None);
        let env = Env::from_pairs([("HTTP_PROXY", "ftp://u:topsecret@h")]);
        let (var, e) = ProxyConfig::from_env(&env).unwrap_err();
        assert_eq!(var, "HTTP_PROXY");
        assert!(!e.contains("topsecret"));
        assert_eq!(ProxyConfig::none().for_host(true, "x"), None);
    }
}
