//! Where requests go: the configured override, or the service's template for
//! the region (a partition's template when the region has its prefix).

use crate::config::{Config, ConfigError};
use crate::path;
use crate::service::ServiceMeta;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Endpoint {
    /// `scheme://host[:port]`.
    origin: String,
    /// The same, parsed (what the transport connects to).
    uri: hyper::Uri,
    /// The override's own path as written (empty when it is just `/`).
    base_path: String,
    /// The `Host` header: host, plus the port when it is not the scheme's default.
    host: String,
}

impl Endpoint {
    /// The endpoint for `service`, and its region (checked to be a plain DNS label).
    pub(crate) fn resolve(service: &ServiceMeta, config: &Config) -> Result<(Endpoint, Option<String>), ConfigError> {
        let region = config.region(service).map(str::to_owned);
        if let Some(r) = &region {
            let plain = r.len() <= 63 && r.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
            if r.is_empty() || !plain {
                return Err(ConfigError::InvalidRegion { region: r.clone() });
            }
        }
        let endpoint = match config.endpoint_url(service) {
            Some(url) => Self::parse(url, true)?,
            None => {
                let r = region.as_deref().ok_or(ConfigError::MissingRegion { service: service.name })?;
                let template = service
                    .endpoint_partitions
                    .iter()
                    .find(|(prefix, _)| r.starts_with(prefix))
                    .map_or(service.endpoint_template, |(_, t)| t);
                Self::parse(&template.replace("{region}", r), false)?
            }
        };
        Ok((endpoint, region))
    }

    /// `http` is accepted only for an explicit override (local test servers).
    fn parse(raw: &str, explicit: bool) -> Result<Endpoint, ConfigError> {
        let invalid = |reason: &str| ConfigError::InvalidEndpoint {
            // A URL with user info may carry a password: never echo it.
            endpoint: if raw.contains('@') { "(hidden: contains '@')".to_owned() } else { raw.to_owned() },
            reason: reason.to_owned(),
        };
        // hyper's `Uri`, plus what it lets through: user info, queries, fragments.
        if raw.contains('@') {
            return Err(invalid("user info is not allowed"));
        }
        if raw.contains(['?', '#']) {
            return Err(invalid("a query or fragment is not allowed"));
        }
        let url: hyper::Uri = raw.trim().parse().map_err(|e: hyper::http::uri::InvalidUri| invalid(&e.to_string()))?;
        let scheme = url.scheme_str().map(str::to_ascii_lowercase);
        match scheme.as_deref() {
            Some("https") => {}
            Some("http") if explicit => {}
            Some("http") => return Err(invalid("https is required")),
            _ => return Err(invalid("the scheme must be http or https")),
        }
        let name = url.host().filter(|h| !h.is_empty()).ok_or_else(|| invalid("no host"))?.to_ascii_lowercase();
        let default_port = if scheme.as_deref() == Some("https") { 443 } else { 80 };
        let host = match url.port_u16() {
            Some(port) if port != default_port => format!("{name}:{port}"),
            _ => name,
        };
        let origin = format!("{}://{host}", scheme.unwrap_or_default());
        let uri = origin.parse().map_err(|e: hyper::http::uri::InvalidUri| invalid(&e.to_string()))?;
        let base_path = if url.path() == "/" { String::new() } else { url.path().to_owned() };
        let trimmed = base_path.trim_end_matches('/');
        if !trimmed.is_empty() {
            path::check(trimmed).map_err(|e| invalid(&e))?;
        }
        Ok(Endpoint { origin, uri, base_path, host })
    }

    pub(crate) fn host(&self) -> &str {
        &self.host
    }

    pub(crate) fn uri(&self) -> &hyper::Uri {
        &self.uri
    }

    /// The path as sent, joined as botocore joins it: an operation bound to `/`
    /// goes to the override's path exactly as written (`/base` or `/base/`);
    /// any other path follows the override's path without doubling the `/`.
    pub(crate) fn path(&self, request_path: &str) -> String {
        if request_path == "/" && !self.base_path.is_empty() {
            return self.base_path.clone();
        }
        format!("{}{request_path}", self.base_path.trim_end_matches('/'))
    }

    /// The endpoint with `prefix` put before its host (an operation's host
    /// prefix, labels already checked); the same endpoint when there is none or
    /// the host is an IP address, which has no subdomains to prefix.
    pub(crate) fn with_host_prefix(&self, prefix: Option<&str>) -> std::borrow::Cow<'_, Endpoint> {
        let Some(prefix) = prefix.filter(|p| !p.is_empty()) else { return std::borrow::Cow::Borrowed(self) };
        let name = self.uri.host().unwrap_or_default();
        if name.starts_with('[') || name.parse::<std::net::IpAddr>().is_ok() {
            return std::borrow::Cow::Borrowed(self);
        }
        let scheme = self.uri.scheme_str().unwrap_or("https");
        let host = format!("{prefix}{}", self.host);
        let origin = format!("{scheme}://{host}");
        match origin.parse() {
            Ok(uri) => std::borrow::Cow::Owned(Endpoint { origin, uri, base_path: self.base_path.clone(), host }),
            Err(_) => std::borrow::Cow::Borrowed(self),
        }
    }

    pub(crate) fn url(&self, full_path: &str, query: &str) -> String {
        if query.is_empty() {
            format!("{}{full_path}", self.origin)
        } else {
            format!("{}{full_path}?{query}", self.origin)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::service::{Protocol, SigningScheme};

    static SVC: ServiceMeta = ServiceMeta {
        name: "transfer",
        api_version: "2018-11-05",
        protocol: Protocol::AwsJson11 { target_prefix: "TransferService" },
        signing: SigningScheme::SigV4 { name: "transfer" },
        endpoint_template: "https://transfer.{region}.amazonaws.com",
        endpoint_partitions: &[("cn-", "https://transfer.{region}.amazonaws.com.cn")],
        service_id: Some("Transfer"),
    };

    fn resolve(config: Config) -> Result<Endpoint, ConfigError> {
        Endpoint::resolve(&SVC, &config).map(|(e, _)| e)
    }

    #[test]
    fn templates_and_partitions() {
        let e = resolve(Config::builder().region("us-east-1").build()).unwrap();
        assert_eq!(e.url(&e.path("/"), ""), "https://transfer.us-east-1.amazonaws.com/");
        assert_eq!(e.host(), "transfer.us-east-1.amazonaws.com");
        let e = resolve(Config::builder().region("cn-north-1").build()).unwrap();
        assert_eq!(e.host(), "transfer.cn-north-1.amazonaws.com.cn");
    }

    #[test]
    fn overrides_keep_ports_and_paths() {
        let e = resolve(Config::builder().endpoint_url("http://127.0.0.1:5000/base/").build()).unwrap();
        assert_eq!(e.host(), "127.0.0.1:5000");
        assert_eq!(e.url(&e.path("/x"), "a=b"), "http://127.0.0.1:5000/base/x?a=b");
        assert_eq!(e.url(&e.path("/"), ""), "http://127.0.0.1:5000/base/", "botocore keeps the override's path for `/`");
        let bare = Endpoint::parse("http://127.0.0.1:5000/base", true).unwrap();
        assert_eq!(bare.path("/"), "/base");
        let slash = Endpoint::parse("https://example.com/prefix/", true).unwrap();
        assert_eq!(slash.path("/"), "/prefix/");
        assert_eq!(slash.path("/x"), "/prefix/x");
        let e = resolve(Config::builder().endpoint_url("https://example.com:443").build()).unwrap();
        assert_eq!(e.host(), "example.com");
    }

    #[test]
    fn refuses_bad_regions_and_endpoints() {
        assert!(matches!(resolve(Config::default()), Err(ConfigError::MissingRegion { .. })));
        for region in ["", "us-east-1.evil.com/", "us east", "a/b"] {
            assert!(matches!(
                resolve(Config::builder().region(region).build()),
                Err(ConfigError::InvalidRegion { .. })
            ));
        }
        for url in ["ftp://x", "http://u:hunter2@host", "https://h/?q=1", "https://h/#f", "not a url"] {
            let err = resolve(Config::builder().endpoint_url(url).build()).unwrap_err();
            assert!(matches!(err, ConfigError::InvalidEndpoint { .. }), "{url}");
            assert!(!err.to_string().contains("hunter2"));
        }
    }
}
