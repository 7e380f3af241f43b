//! Timestamps, as the services send them: ISO-8601 with optional fractions
//! (query XML) or epoch seconds (JSON protocols).

use std::fmt;

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// A point in time, always in UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DateTime(OffsetDateTime);

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

impl serde::Serialize for DateTime {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for DateTime {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = DateTime;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an RFC 3339 timestamp or epoch seconds")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<DateTime, E> {
                DateTime::parse_iso8601(v).map_err(E::custom)
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
