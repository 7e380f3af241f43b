//! The expiry of temporary credentials, as the services that hand them out write it.

use std::time::SystemTime;

/// Parses the RFC 3339 `Expiration` of an STS, container, IMDS or Huawei answer.
pub(crate) fn parse_expiration(text: &str) -> Result<SystemTime, String> {
    use aws_smithy_types::date_time::{DateTime, Format};
    let shown: String = text.chars().take(40).collect();
    let at = DateTime::from_str(text.trim(), Format::DateTime)
        .map_err(|_| format!("the expiration {shown:?} is not an RFC 3339 date-time"))?;
    SystemTime::try_from(at).map_err(|_| format!("the expiration {shown:?} is out of range"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expirations_are_rfc3339_or_an_error() {
        let t = parse_expiration("2024-01-02T03:04:05Z").unwrap();
        assert_eq!(t, SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_704_164_645));
        assert!(parse_expiration("2024-01-02T03:04:05.123Z").is_ok());
        for bad in ["", "tomorrow", "2024-13-02T03:04:05Z", &"9".repeat(500)] {
            let e = parse_expiration(bad).unwrap_err();
            assert!(e.len() < 120, "{e}");
        }
    }
}
