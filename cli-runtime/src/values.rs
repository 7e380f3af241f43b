//! One command-line value into the member's Rust type, once: clap stores the
//! typed value, and [`crate::Args`] hands it to the generated code as is.
//!
//! The generated tables name a [`Parser`] per member: [`flag`] for the types of
//! the runtime and the standard library ([`FlagValue`]), [`choice`] for the
//! model's enumerations and [`json`] for structures, unions and nested lists
//! and maps, given as JSON text.

use clap::builder::ValueParser;
use lifecycle_hooks_runtime::{BigDecimal, BigInteger, Blob, DateTime, Document};
use serde::de::DeserializeOwned;

/// What a parser needs to know about the flag it parses.
#[derive(Clone, Copy, Debug)]
pub struct Flag {
    /// `--no-validate` was not given: enumeration flags take only the model's values.
    pub validate: bool,
    /// The values of an enumeration the model checks.
    pub values: Option<&'static [&'static str]>,
    /// A map's flag: each value is `KEY=VALUE`, parsed into `(String, T)`.
    pub entry: bool,
}

/// Makes the clap parser of one flag.
pub type Parser = fn(&Flag) -> ValueParser;

/// A type a flag's text parses into directly.
pub trait FlagValue: Sized + Clone + Send + Sync + 'static {
    /// The value of `text`, or why it is not one.
    fn parse_flag(text: &str) -> Result<Self, String>;
}

impl FlagValue for String {
    fn parse_flag(text: &str) -> Result<Self, String> {
        Ok(text.to_owned())
    }
}

macro_rules! integers {
    ($($t:ty),*) => {$(
        impl FlagValue for $t {
            fn parse_flag(text: &str) -> Result<Self, String> {
                text.trim().parse().map_err(|e| format!("{e} (a {}-bit integer)", <$t>::BITS))
            }
        }
    )*};
}
integers!(i8, i16, i32, i64);

impl FlagValue for f64 {
    fn parse_flag(text: &str) -> Result<Self, String> {
        lifecycle_hooks_runtime::number::parse_float(text.trim())
    }
}

impl FlagValue for f32 {
    fn parse_flag(text: &str) -> Result<Self, String> {
        // The narrowing the wire readers use: a value beyond f32 is refused, not made infinite.
        let wide = f64::parse_flag(text)?;
        let narrow = wide as f32;
        if narrow.is_infinite() && wide.is_finite() {
            return Err(format!("{wide} is beyond a 32-bit float"));
        }
        Ok(narrow)
    }
}

impl FlagValue for bool {
    fn parse_flag(text: &str) -> Result<Self, String> {
        match text {
            "true" => Ok(true),
            "false" => Ok(false),
            _ => Err("expected true or false".to_owned()),
        }
    }
}

impl FlagValue for DateTime {
    /// RFC 3339, seconds since the epoch, or an HTTP date.
    fn parse_flag(text: &str) -> Result<Self, String> {
        DateTime::parse_any(text).map_err(|e| format!("invalid timestamp: {e}"))
    }
}

impl FlagValue for Blob {
    /// Base64 (standard alphabet, padding optional).
    fn parse_flag(text: &str) -> Result<Self, String> {
        lifecycle_hooks_runtime::blob::decode(text).map(Blob::new)
    }
}

impl FlagValue for Document {
    /// Any JSON value.
    fn parse_flag(text: &str) -> Result<Self, String> {
        serde_json::from_str(text).map_err(|e| format!("invalid JSON: {e}"))
    }
}

impl FlagValue for BigInteger {
    fn parse_flag(text: &str) -> Result<Self, String> {
        BigInteger::parse(text.trim())
    }
}

impl FlagValue for BigDecimal {
    fn parse_flag(text: &str) -> Result<Self, String> {
        BigDecimal::parse(text.trim())
    }
}

/// A value of a [`FlagValue`] type.
pub fn flag<T: FlagValue>(flag: &Flag) -> ValueParser {
    typed(flag, T::parse_flag)
}

/// A value of one of the model's enumerations: one of `values` when the model
/// checks them and validation is on, any text otherwise (kept as the enum's
/// unknown value, sent unchanged).
pub fn choice<T>(flag: &Flag) -> ValueParser
where
    T: for<'a> From<&'a str> + Clone + Send + Sync + 'static,
{
    let values = flag.values.filter(|_| flag.validate);
    typed(flag, move |text| match values {
        Some(values) if !values.contains(&text) => {
            Err(format!("expected one of {} (--no-validate lets other values through)", values.join(", ")))
        }
        _ => Ok(T::from(text)),
    })
}

/// A value given as JSON text, with the API's member names (structures,
/// unions, int enums, nested lists and maps).
pub fn json<T>(flag: &Flag) -> ValueParser
where
    T: DeserializeOwned + Clone + Send + Sync + 'static,
{
    typed(flag, |text| serde_json::from_str::<T>(text).map_err(|e| format!("invalid JSON: {e}")))
}

/// The clap parser of `parse`, or of `KEY=VALUE` entries whose value it parses.
fn typed<T, F>(flag: &Flag, parse: F) -> ValueParser
where
    T: Clone + Send + Sync + 'static,
    F: Fn(&str) -> Result<T, String> + Clone + Send + Sync + 'static,
{
    if flag.entry {
        ValueParser::new(move |text: &str| {
            let (key, value) = text.split_once('=').ok_or("expected KEY=VALUE")?;
            Ok::<_, String>((key.to_owned(), parse(value)?))
        })
    } else {
        ValueParser::new(move |text: &str| parse(text))
    }
}
