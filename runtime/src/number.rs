//! Numbers as the protocols write them: floats in their shortest exact form
//! (and as Python prints them, for query bodies), the three special floats by
//! name, and big integers and decimals kept digit for digit.

use std::fmt;

/// `"NaN"`, `"Infinity"` or `"-Infinity"` for the floats JSON has no number for.
pub fn special_float(x: f64) -> Option<&'static str> {
    if x.is_nan() {
        Some("NaN")
    } else if x == f64::INFINITY {
        Some("Infinity")
    } else if x == f64::NEG_INFINITY {
        Some("-Infinity")
    } else {
        None
    }
}

/// The float `"NaN"`, `"Infinity"` or `"-Infinity"` names.
pub fn parse_special_float(text: &str) -> Option<f64> {
    match text {
        "NaN" => Some(f64::NAN),
        "Infinity" => Some(f64::INFINITY),
        "-Infinity" => Some(f64::NEG_INFINITY),
        _ => None,
    }
}

/// A float from text: a number, or `NaN`, `Infinity`, `-Infinity`.
pub fn parse_float(text: &str) -> Result<f64, String> {
    let t = text.trim();
    parse_special_float(t)
        .or_else(|| t.parse::<f64>().ok().filter(|_| !t.is_empty() && !t.eq_ignore_ascii_case("nan") && !t.to_ascii_lowercase().contains("inf")))
        .ok_or_else(|| format!("{:?} is not a number", cut(t)))
}

/// A 32-bit float widened through its shortest decimal form, so that `4.1f32`
/// becomes `4.1`, not `4.099999904632568`: the value a model's `float` was written as.
pub fn widen(x: f32) -> f64 {
    if x.is_finite() { format!("{x}").parse().unwrap_or(f64::from(x)) } else { f64::from(x) }
}

/// A finite float in its shortest round-trip form (`1.5`, `1`, `1e-7`).
pub fn shortest(x: f64) -> String {
    let text = format!("{x}");
    // Rust writes very large and very small magnitudes in full; JSON takes either.
    if text.len() > 24 { format!("{x:e}") } else { text }
}

/// A float as Python's `repr` writes it, which is what botocore puts in query
/// bodies and headers: `1.0`, `1.5`, `1e+16`, `1e-05`, `nan`→`NaN`.
pub fn python_repr(x: f64) -> String {
    if let Some(name) = special_float(x) {
        return name.to_owned();
    }
    if x == 0.0 {
        return if x.is_sign_negative() { "-0.0".into() } else { "0.0".into() };
    }
    // The shortest digits and decimal exponent: d.ddd e exp.
    let sci = format!("{x:e}");
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let negative = mantissa.starts_with('-');
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let sign = if negative { "-" } else { "" };
    if (-4..16).contains(&exp) {
        // Positional: place the point `exp + 1` digits in.
        let point = exp + 1;
        let text = if point <= 0 {
            format!("0.{}{digits}", "0".repeat((-point) as usize))
        } else if (point as usize) >= digits.len() {
            format!("{digits}{}.0", "0".repeat(point as usize - digits.len()))
        } else {
            format!("{}.{}", &digits[..point as usize], &digits[point as usize..])
        };
        format!("{sign}{text}")
    } else {
        let (head, tail) = digits.split_at(1);
        let frac = if tail.is_empty() { String::new() } else { format!(".{tail}") };
        let esign = if exp < 0 { '-' } else { '+' };
        format!("{sign}{head}{frac}e{esign}{:02}", exp.unsigned_abs())
    }
}

/// An arbitrary-precision whole number (Smithy `bigInteger`), as its digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BigInteger(String);

/// An arbitrary-precision decimal (Smithy `bigDecimal`), as its text.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BigDecimal(String);

impl BigInteger {
    /// `-?[0-9]+`.
    pub fn parse(text: &str) -> Result<Self, String> {
        let digits = text.strip_prefix('-').unwrap_or(text);
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!("{:?} is not a whole number", cut(text)));
        }
        Ok(BigInteger(text.to_owned()))
    }

    /// The digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl BigDecimal {
    /// JSON's number grammar.
    pub fn parse(text: &str) -> Result<Self, String> {
        let ok = {
            let t = text.strip_prefix('-').unwrap_or(text);
            let (mantissa, exp) = match t.find(['e', 'E']) {
                Some(i) => (&t[..i], Some(&t[i + 1..])),
                None => (t, None),
            };
            let (int, frac) = match mantissa.split_once('.') {
                Some((a, b)) => (a, Some(b)),
                None => (mantissa, None),
            };
            let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
            digits(int)
                && frac.is_none_or(digits)
                && exp.is_none_or(|e| digits(e.strip_prefix(['+', '-']).unwrap_or(e)))
        };
        if !ok {
            return Err(format!("{:?} is not a number", cut(text)));
        }
        Ok(BigDecimal(text.to_owned()))
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<i64> for BigInteger {
    fn from(n: i64) -> Self {
        BigInteger(n.to_string())
    }
}

impl From<i64> for BigDecimal {
    fn from(n: i64) -> Self {
        BigDecimal(n.to_string())
    }
}

impl From<f64> for BigDecimal {
    /// A finite float's shortest form; NaN and infinities become `0`.
    fn from(x: f64) -> Self {
        BigDecimal(if x.is_finite() { shortest(x) } else { "0".into() })
    }
}

impl fmt::Display for BigInteger {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Display for BigDecimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn cut(text: &str) -> &str {
    match text.char_indices().nth(40) {
        Some((i, _)) => &text[..i],
        None => text,
    }
}

#[cfg(feature = "serde")]
mod serde_impls {
    use super::{BigDecimal, BigInteger};

    /// The CLI's JSON form: a string of digits (JSON numbers would lose them).
    macro_rules! as_string {
        ($t:ty) => {
            impl serde::Serialize for $t {
                fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                    s.serialize_str(self.as_str())
                }
            }
            impl<'de> serde::Deserialize<'de> for $t {
                fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                    struct V;
                    impl serde::de::Visitor<'_> for V {
                        type Value = $t;
                        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                            f.write_str("a number or a string of digits")
                        }
                        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<$t, E> {
                            <$t>::parse(v).map_err(E::custom)
                        }
                        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<$t, E> {
                            <$t>::parse(&v.to_string()).map_err(E::custom)
                        }
                        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<$t, E> {
                            <$t>::parse(&v.to_string()).map_err(E::custom)
                        }
                        fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<$t, E> {
                            <$t>::parse(&super::shortest(v)).map_err(E::custom)
                        }
                    }
                    d.deserialize_any(V)
                }
            }
        };
    }
    as_string!(BigInteger);
    as_string!(BigDecimal);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_repr_of_floats() {
        for (x, text) in [
            (1.0, "1.0"),
            (1.5, "1.5"),
            (-2.25, "-2.25"),
            (0.1, "0.1"),
            (1e16, "1e+16"),
            (1e15, "1000000000000000.0"),
            (123456789.125, "123456789.125"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (1.5e-10, "1.5e-10"),
            (f64::NAN, "NaN"),
            (f64::INFINITY, "Infinity"),
            (0.0, "0.0"),
        ] {
            assert_eq!(python_repr(x), text, "{x}");
        }
    }

    #[test]
    fn big_numbers_keep_their_digits() {
        assert_eq!(BigInteger::parse("-123456789012345678901234567890").unwrap().as_str(), "-123456789012345678901234567890");
        assert!(BigInteger::parse("1.5").is_err() && BigInteger::parse("").is_err() && BigInteger::parse("-").is_err());
        assert!(BigDecimal::parse("1.5e-3").is_ok() && BigDecimal::parse("1.").is_err() && BigDecimal::parse("e5").is_err());
    }
}
