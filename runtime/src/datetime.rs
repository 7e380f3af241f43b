//! Timestamps, as the services send them: RFC 3339 date-times with optional
//! fractions, epoch seconds (with fractions), and HTTP dates (IMF-fixdate).

use std::fmt;

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// How a timestamp is written on the wire (Smithy `timestampFormat`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TimestampFormat {
    /// Seconds since the Unix epoch, with an optional fraction.
    EpochSeconds,
    /// RFC 3339 (`2014-04-29T18:30:38Z`).
    DateTime,
    /// IMF-fixdate (`Tue, 29 Apr 2014 18:30:38 GMT`).
    HttpDate,
}

/// A point in time, always in UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DateTime(OffsetDateTime);

impl Default for DateTime {
    /// The Unix epoch: the zero value Smithy's client error correction fills in.
    fn default() -> Self {
        DateTime::UNIX_EPOCH
    }
}

impl DateTime {
    /// Parses `2024-11-05T12:34:51.789Z` and other RFC 3339 forms.
    /// A time whose UTC form falls outside years -9999..=9999
    /// (`9999-12-31T23:59:59-01:00`) is an error, not a panic.
    pub fn parse_iso8601(text: &str) -> Result<Self, String> {
        let shown = Shown(text);
        let t = OffsetDateTime::parse(text.trim(), &Rfc3339).map_err(|e| format!("invalid timestamp {shown}: {e}"))?;
        t.checked_to_offset(time::UtcOffset::UTC)
            .map(Self)
            .ok_or_else(|| format!("invalid timestamp {shown}: out of range in UTC"))
    }

    /// Seconds since the Unix epoch, with fractions.
    pub fn from_epoch_seconds(secs: f64) -> Result<Self, String> {
        if !secs.is_finite() {
            return Err(format!("invalid epoch timestamp {secs}"));
        }
        let nanos = (secs * 1e9).round() as i128;
        OffsetDateTime::from_unix_timestamp_nanos(nanos)
            .map(Self)
            .map_err(|e| format!("invalid epoch timestamp {secs}: {e}"))
    }

    /// Epoch seconds written as a decimal (`1398796238`, `1398796238.123`,
    /// `-1.5`, `1.4e9`), exactly for plain decimals.
    pub fn parse_epoch_seconds(text: &str) -> Result<Self, String> {
        let shown = Shown(text);
        let t = text.trim();
        let invalid = || format!("invalid epoch timestamp {shown}");
        if t.contains(['e', 'E']) {
            let x: f64 = t.parse().map_err(|_| invalid())?;
            return Self::from_epoch_seconds(x);
        }
        let (negative, digits) = match t.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, t),
        };
        let (whole, frac) = digits.split_once('.').unwrap_or((digits, ""));
        if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
            return Err(invalid());
        }
        let secs: i128 = whole.parse().map_err(|_| invalid())?;
        let mut nanos: i128 = 0;
        for (i, b) in frac.bytes().take(9).enumerate() {
            nanos += i128::from(b - b'0') * 10i128.pow(8 - i as u32);
        }
        let total = secs.checked_mul(1_000_000_000).and_then(|s| s.checked_add(nanos)).ok_or_else(invalid)?;
        let total = if negative { -total } else { total };
        OffsetDateTime::from_unix_timestamp_nanos(total).map(Self).map_err(|_| format!("{}: out of range", invalid()))
    }

    /// An HTTP date: IMF-fixdate (`Tue, 29 Apr 2014 18:30:38 GMT`), as RFC 9110 requires servers to send.
    pub fn parse_http_date(text: &str) -> Result<Self, String> {
        let shown = Shown(text);
        let t = aws_smithy_types::DateTime::from_str(text.trim(), aws_smithy_types::date_time::Format::HttpDate)
            .map_err(|_| format!("invalid HTTP date {shown}"))?;
        let nanos = i128::from(t.secs()) * 1_000_000_000 + i128::from(t.subsec_nanos());
        OffsetDateTime::from_unix_timestamp_nanos(nanos).map(Self).map_err(|_| format!("invalid HTTP date {shown}: out of range"))
    }

    /// A timestamp in `format`.
    pub fn parse(text: &str, format: TimestampFormat) -> Result<Self, String> {
        match format {
            TimestampFormat::DateTime => Self::parse_iso8601(text),
            TimestampFormat::HttpDate => Self::parse_http_date(text),
            TimestampFormat::EpochSeconds => Self::parse_epoch_seconds(text),
        }
    }

    /// A timestamp in `format`, else in any of the three (see [`DateTime::parse_any`]).
    pub fn parse_or_any(text: &str, format: TimestampFormat) -> Result<Self, String> {
        Self::parse(text, format).or_else(|_| Self::parse_any(text))
    }

    /// A timestamp in any of the three formats: answers do not always use the one modeled.
    pub fn parse_any(text: &str) -> Result<Self, String> {
        let t = text.trim();
        if t.starts_with(|c: char| c.is_ascii_alphabetic()) {
            return Self::parse_http_date(t);
        }
        if t.contains('T') || t.contains('t') {
            return Self::parse_iso8601(t);
        }
        Self::parse_epoch_seconds(t)
    }

    /// The timestamp as `format` writes it, to millisecond precision (Smithy's):
    /// `2014-04-29T18:30:38Z` or `…38.123Z`; `1398796238` or `1398796238.123`;
    /// `Tue, 29 Apr 2014 18:30:38 GMT` (whole seconds).
    pub fn format(&self, format: TimestampFormat) -> String {
        let t = self.0;
        let millis = t.nanosecond() / 1_000_000;
        match format {
            TimestampFormat::EpochSeconds => self.to_epoch_seconds_text(),
            TimestampFormat::DateTime => {
                if !(0..=9999).contains(&t.year()) {
                    return self.to_epoch_seconds_text();
                }
                let mut out = String::with_capacity(24);
                let _ = write_date_time(&mut out, t, "-", ":");
                if millis != 0 {
                    out.push_str(&format!(".{millis:03}"));
                }
                out.push('Z');
                out
            }
            TimestampFormat::HttpDate => {
                let secs = t.unix_timestamp();
                aws_smithy_types::DateTime::from_secs(secs)
                    .fmt(aws_smithy_types::date_time::Format::HttpDate)
                    .unwrap_or_else(|_| secs.to_string())
            }
        }
    }

    /// Epoch seconds, with a millisecond fraction when there is one.
    pub fn to_epoch_seconds_text(&self) -> String {
        let secs = self.0.unix_timestamp();
        let millis = self.0.nanosecond() / 1_000_000;
        if millis == 0 {
            return secs.to_string();
        }
        // A negative instant with a fraction: -1.5 is 1.5 s before the epoch.
        let total = i128::from(secs) * 1000 + i128::from(millis);
        let (sign, abs) = if total < 0 { ("-", -total) } else { ("", total) };
        let text = format!("{sign}{}.{:03}", abs / 1000, abs % 1000);
        text.trim_end_matches('0').to_owned()
    }

    /// The Unix epoch (the zero value of a timestamp).
    pub const UNIX_EPOCH: DateTime = DateTime(OffsetDateTime::UNIX_EPOCH);

    /// Nanoseconds since the Unix epoch.
    pub fn unix_timestamp_nanos(&self) -> i128 {
        self.0.unix_timestamp_nanos()
    }

    /// The same instant as a `time::OffsetDateTime` (UTC).
    pub fn as_offset_date_time(&self) -> OffsetDateTime {
        self.0
    }
}

impl From<OffsetDateTime> for DateTime {
    /// In UTC when that is representable; otherwise the same instant keeps its offset.
    fn from(t: OffsetDateTime) -> Self {
        Self(t.checked_to_offset(time::UtcOffset::UTC).unwrap_or(t))
    }
}

/// A value echoed in an error message: quoted, and cut after 64 characters, so
/// that a hostile answer cannot balloon the message.
struct Shown<'a>(&'a str);

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const MAX: usize = 64;
        match self.0.char_indices().nth(MAX) {
            Some((cut, _)) => write!(f, "{:?}…", &self.0[..cut]),
            None => write!(f, "{:?}", self.0),
        }
    }
}

/// `YYYY<d>MM<d>DDTHH<t>MM<t>SS` of `t` as it is (no offset, no fraction): the
/// common part of RFC 3339 (`-`, `:`) and the basic form Huawei signs (``, ``).
/// The year must be in 0..=9999.
pub(crate) fn write_date_time(out: &mut impl fmt::Write, t: OffsetDateTime, date_sep: &str, time_sep: &str) -> fmt::Result {
    let (date, clock) = (t.date(), t.time());
    let (year, month, day) = (date.year(), u8::from(date.month()), date.day());
    let (hour, minute, second) = (clock.hour(), clock.minute(), clock.second());
    write!(out, "{year:04}{date_sep}{month:02}{date_sep}{day:02}T{hour:02}{time_sep}{minute:02}{time_sep}{second:02}")
}

/// RFC 3339 with as many fraction digits as needed (`2024-11-05T12:34:51.789Z`);
/// a time RFC 3339 cannot show (a year outside 0..=9999) as epoch seconds.
impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (t, offset) = (self.0, self.0.offset());
        if !(0..=9999).contains(&t.year()) || offset.seconds_past_minute() != 0 {
            return write!(f, "{}", t.unix_timestamp());
        }
        write_date_time(f, t, "-", ":")?;
        let nanos = t.nanosecond();
        if nanos != 0 {
            let digits = format!("{nanos:09}");
            write!(f, ".{}", digits.trim_end_matches('0'))?;
        }
        if offset.is_utc() {
            return f.write_str("Z");
        }
        let sign = if offset.is_negative() { '-' } else { '+' };
        write!(f, "{sign}{:02}:{:02}", offset.whole_hours().unsigned_abs(), offset.minutes_past_hour().unsigned_abs())
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for DateTime {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for DateTime {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = DateTime;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an RFC 3339 timestamp or epoch seconds")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<DateTime, E> {
                DateTime::parse_any(v).map_err(E::custom)
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<DateTime, E> {
                DateTime::from_epoch_seconds(v).map_err(E::custom)
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<DateTime, E> {
                DateTime::from_epoch_seconds(v as f64).map_err(E::custom)
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<DateTime, E> {
                DateTime::from_epoch_seconds(v as f64).map_err(E::custom)
            }
        }
        d.deserialize_any(Visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_fractions_and_round_trips() {
        let t = DateTime::parse_iso8601("2024-11-05T12:34:51.789Z").unwrap();
        assert_eq!(t.unix_timestamp_nanos() % 1_000_000_000, 789_000_000);
        assert_eq!(t.to_string(), "2024-11-05T12:34:51.789Z");
        assert_eq!(DateTime::from_epoch_seconds(1.5).unwrap().to_string(), "1970-01-01T00:00:01.5Z");
        assert_eq!(DateTime::from_epoch_seconds(0.000_000_001).unwrap().to_string(), "1970-01-01T00:00:00.000000001Z");
        assert_eq!(DateTime::parse_iso8601("0001-02-03T04:05:06Z").unwrap().to_string(), "0001-02-03T04:05:06Z");
    }

    #[test]
    fn shows_what_rfc_3339_cannot_as_epoch_seconds_and_keeps_offsets() {
        let bc = time::OffsetDateTime::from_unix_timestamp(-62_180_000_000).unwrap(); // in the year -1
        assert_eq!(bc.year(), -1);
        assert_eq!(DateTime::from(bc).to_string(), "-62180000000");
        // An instant whose UTC form is out of range keeps its own offset.
        let edge = time::PrimitiveDateTime::new(
            time::Date::from_calendar_date(9999, time::Month::December, 31).unwrap(),
            time::Time::from_hms(23, 30, 0).unwrap(),
        )
        .assume_offset(time::UtcOffset::from_hms(-1, -30, 0).unwrap());
        assert_eq!(DateTime::from(edge).to_string(), "9999-12-31T23:30:00-01:30");
    }

    mod against_time {
        use proptest::prelude::*;
        use time::OffsetDateTime;
        use time::format_description::well_known::Rfc3339;

        use super::DateTime;

        proptest! {
            #![proptest_config(ProptestConfig {
                rng_seed: prop::test_runner::RngSeed::Fixed(0x6461_7465),
                ..ProptestConfig::default()
            })]

            /// Display is RFC 3339 exactly as time's own formatter writes it, for every
            /// instant it can write (offsets included), epoch seconds otherwise.
            #[test]
            fn display_is_time_s_rfc_3339(
                secs in -377_705_116_800i64..=253_402_300_799,
                nanos in prop_oneof![0u32..1_000_000_000, Just(0), (0u32..1000).prop_map(|m| m * 1_000_000)],
                offset_minutes in prop_oneof![Just(0i32), -1439i32..=1439],
            ) {
                let utc = OffsetDateTime::from_unix_timestamp(secs).unwrap().replace_nanosecond(nanos).unwrap();
                let offset = time::UtcOffset::from_whole_seconds(offset_minutes * 60).unwrap();
                for t in [utc, utc.checked_to_offset(offset).unwrap_or(utc)] {
                    let ours = DateTime(t).to_string();
                    match t.format(&Rfc3339) {
                        Ok(theirs) => prop_assert_eq!(ours, theirs),
                        Err(_) => prop_assert_eq!(ours, t.unix_timestamp().to_string()),
                    }
                }
            }
        }
    }

    #[test]
    fn rejects_garbage() {
        assert!(DateTime::parse_iso8601("yesterday").is_err());
        assert!(DateTime::from_epoch_seconds(f64::NAN).is_err());
        assert!(DateTime::from_epoch_seconds(1e300).is_err());
    }

    #[test]
    fn out_of_range_in_utc_is_an_error_not_a_panic() {
        // Regression (reliability proptest): `to_offset` panicked on these.
        for text in ["9999-12-31T23:59:59-01:00", "9999-12-31T23:00:00-23:59", "0000-01-01T00:00:00+23:59"] {
            let result = std::panic::catch_unwind(|| DateTime::parse_iso8601(text));
            assert!(result.is_ok(), "{text} panicked");
        }
        assert!(DateTime::parse_iso8601("9999-12-31T23:59:59-01:00").is_err());
        assert!(DateTime::parse_iso8601("9999-12-31T22:59:59-01:00").is_ok());
    }

    #[test]
    fn error_messages_do_not_echo_huge_values() {
        let huge = "9".repeat(100_000);
        let message = DateTime::parse_iso8601(&huge).unwrap_err();
        assert!(message.len() < 300, "{} bytes", message.len());
    }
}
