//! What generated code needs for HTTP bindings (restJson1, Huawei REST, host
//! prefixes): header values as Smithy writes and reads them, host labels
//! checked before they reach a host name, idempotency tokens.

use crate::datetime::{DateTime, TimestampFormat};

/// Joins list items into one header value as Smithy does (`a, b, "c,d"`):
/// an item holding a comma or a double quote is quoted, inner quotes escaped.
/// HTTP dates, which hold a comma themselves, are never quoted.
pub fn join_header_list<'a>(items: impl IntoIterator<Item = &'a str>, quote_items: bool) -> String {
    let mut out = String::new();
    for item in items {
        if !out.is_empty() {
            out.push_str(", ");
        }
        if quote_items && (item.contains(',') || item.contains('"')) {
            out.push('"');
            out.push_str(&item.replace('\\', "\\\\").replace('"', "\\\""));
            out.push('"');
        } else {
            out.push_str(item);
        }
    }
    out
}

/// Splits a list header into its items: commas separate, outside quoted strings;
/// items are trimmed and unquoted.
pub fn split_header_list(value: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    let mut was_quoted = false;
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted => quoted = false,
            '"' if current.trim().is_empty() => {
                current.clear();
                quoted = true;
                was_quoted = true;
            }
            '\\' if quoted => {
                if let Some(next) = chars.next() {
                    current.push(next);
                }
            }
            ',' if !quoted => {
                items.push(finish_item(&current, was_quoted));
                current.clear();
                was_quoted = false;
            }
            c => current.push(c),
        }
    }
    if !current.trim().is_empty() || was_quoted || !items.is_empty() {
        items.push(finish_item(&current, was_quoted));
    }
    items
}

fn finish_item(item: &str, was_quoted: bool) -> String {
    if was_quoted { item.to_owned() } else { item.trim().to_owned() }
}

/// Splits a header holding a list of HTTP dates: each date has one comma of its own.
pub fn split_http_dates(value: &str) -> Result<Vec<DateTime>, String> {
    let parts: Vec<&str> = value.split(',').collect();
    if !parts.len().is_multiple_of(2) {
        return Err(format!("{:?} is not a list of HTTP dates", crate::protocol::cut(value, 64)));
    }
    parts.chunks(2).map(|pair| DateTime::parse_http_date(&format!("{},{}", pair[0].trim(), pair[1]))).collect()
}

/// A timestamp as a header value: an HTTP date unless the model names another format.
pub fn header_timestamp(value: &DateTime, format: TimestampFormat) -> String {
    value.format(format)
}

/// A value bound into a host prefix: one DNS label, `[A-Za-z0-9-]{1,63}`, not
/// starting or ending with `-`, so that no value can change the host the
/// request goes to (`a.evil.com`, `..`, `@`, `:`, `/` are all refused).
pub fn check_host_label<'a>(member: &str, value: &'a str) -> Result<&'a str, String> {
    let ok = !value.is_empty()
        && value.len() <= 63
        && value.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !value.starts_with('-')
        && !value.ends_with('-');
    if ok {
        Ok(value)
    } else {
        Err(format!("{member} cannot be part of a host name: expected 1 to 63 letters, digits or inner '-'"))
    }
}

/// A fresh UUID version 4 (RFC 9562), for idempotency tokens the caller left unset.
pub fn idempotency_token() -> String {
    let mut b = [0u8; 16];
    if getrandom::getrandom(&mut b).is_err() {
        // No system randomness (practically unreachable): the clock and a counter keep tokens distinct.
        use std::sync::atomic::{AtomicU64, Ordering};
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
        b[..8].copy_from_slice(&(now.as_nanos() as u64).to_le_bytes());
        b[8..].copy_from_slice(&COUNTER.fetch_add(1, Ordering::Relaxed).to_le_bytes());
    }
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_lists_quote_and_split() {
        let joined = join_header_list(["a", "b,c", "say \"hi\""], true);
        assert_eq!(joined, r#"a, "b,c", "say \"hi\"""#);
        assert_eq!(split_header_list(&joined), vec!["a", "b,c", "say \"hi\""]);
        assert_eq!(split_header_list("a,b, c"), vec!["a", "b", "c"]);
        assert_eq!(split_header_list(""), Vec::<String>::new());
        assert_eq!(split_header_list(r#""""#), vec![""]);
    }

    #[test]
    fn http_date_lists() {
        let dates = split_http_dates("Mon, 16 Dec 2019 23:48:18 GMT, Mon, 16 Dec 2019 23:48:18 GMT").unwrap();
        assert_eq!(dates.len(), 2);
        assert!(split_http_dates("Mon, 16 Dec 2019 23:48:18 GMT, Mon").is_err());
    }

    #[test]
    fn host_labels_cannot_change_the_host() {
        for bad in ["", "a.evil.com", "..", "a@b", "a:1", "a/b", "-a", "a-", &"x".repeat(64), "é"] {
            assert!(check_host_label("Label", bad).is_err(), "{bad:?}");
        }
        for good in ["a", "bar", "a-b", &"x".repeat(63), "0"] {
            assert!(check_host_label("Label", good).is_ok(), "{good:?}");
        }
    }

    #[test]
    fn idempotency_tokens_are_uuid_v4() {
        let a = idempotency_token();
        let b = idempotency_token();
        assert_ne!(a, b);
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "4");
        assert!(matches!(&a[19..20], "8" | "9" | "a" | "b"));
    }
}
