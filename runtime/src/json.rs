//! JSON as the protocols write it: a writer for request bodies and a pull
//! reader for answers, both used by generated code shape by shape.
//!
//! Why not `serde_json`'s `Value`: an answer read into a tree costs many times
//! its size (a 9 MiB error body took 160 MiB), and the protocols need forms a
//! tree loses or serde does not give: `"NaN"` and `"Infinity"` as floats, big
//! numbers kept digit for digit, base64 blobs, timestamps as numbers or text.
//! The reader borrows from the answer, skips what the model does not name
//! without building it, and stops at a nesting depth of [`MAX_DEPTH`].

use std::borrow::Cow;
use std::fmt;

use crate::blob::Blob;
use crate::datetime::DateTime;
use crate::document::{Document, Number};
use crate::number;

/// Nesting deeper than this is refused (documents and skipped values included).
pub const MAX_DEPTH: usize = 128;

/// Why an answer could not be read, with the byte offset where reading stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    /// Where in the input.
    pub offset: usize,
    /// What was wrong.
    pub message: String,
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid JSON at byte {}: {}", self.offset, self.message)
    }
}

impl std::error::Error for JsonError {}

impl From<JsonError> for String {
    fn from(e: JsonError) -> String {
        e.to_string()
    }
}

/// Where the writer is: in an object (after a key or not) or an array.
#[derive(Debug, Clone, Copy)]
enum Frame {
    Object { first: bool },
    Array { first: bool },
}

/// Writes one JSON value, compactly; commas are the writer's business.
#[derive(Debug, Default)]
pub struct JsonWriter {
    out: Vec<u8>,
    stack: Vec<Frame>,
}

impl JsonWriter {
    /// An empty writer.
    pub fn new() -> Self {
        Self::default()
    }

    /// A comma before an array element that is not the first.
    fn before_value(&mut self) {
        if let Some(Frame::Array { first }) = self.stack.last_mut() {
            if !*first {
                self.out.push(b',');
            }
            *first = false;
        }
    }

    /// `{`.
    pub fn begin_object(&mut self) {
        self.before_value();
        self.out.push(b'{');
        self.stack.push(Frame::Object { first: true });
    }

    /// `}`.
    pub fn end_object(&mut self) {
        self.stack.pop();
        self.out.push(b'}');
    }

    /// `[`.
    pub fn begin_array(&mut self) {
        self.before_value();
        self.out.push(b'[');
        self.stack.push(Frame::Array { first: true });
    }

    /// `]`.
    pub fn end_array(&mut self) {
        self.stack.pop();
        self.out.push(b']');
    }

    /// An object key; the next call writes its value.
    pub fn key(&mut self, key: &str) {
        if let Some(Frame::Object { first }) = self.stack.last_mut() {
            if !*first {
                self.out.push(b',');
            }
            *first = false;
        }
        write_escaped(&mut self.out, key);
        self.out.push(b':');
    }

    /// A string, escaped.
    pub fn string(&mut self, value: &str) {
        self.before_value();
        write_escaped(&mut self.out, value);
    }

    /// `true` or `false`.
    pub fn bool(&mut self, value: bool) {
        self.before_value();
        self.out.extend_from_slice(if value { b"true" } else { b"false" });
    }

    /// `null`.
    pub fn null(&mut self) {
        self.before_value();
        self.out.extend_from_slice(b"null");
    }

    /// A whole number.
    pub fn integer(&mut self, value: i64) {
        self.before_value();
        self.out.extend_from_slice(value.to_string().as_bytes());
    }

    /// A float; NaN and the infinities as the strings `"NaN"`, `"Infinity"`, `"-Infinity"`.
    pub fn float(&mut self, value: f64) {
        self.before_value();
        match number::special_float(value) {
            Some(name) => write_escaped(&mut self.out, name),
            None => self.out.extend_from_slice(number::shortest(value).as_bytes()),
        }
    }

    /// A number given as text (big integers and decimals), written as is.
    pub fn number_text(&mut self, digits: &str) {
        self.before_value();
        self.out.extend_from_slice(digits.as_bytes());
    }

    /// Bytes as a base64 string.
    pub fn blob(&mut self, value: &Blob) {
        self.string(&crate::blob::encode(value.as_ref()));
    }

    /// Epoch seconds as a number; the other formats as strings.
    pub fn timestamp(&mut self, value: &DateTime, format: crate::TimestampFormat) {
        match format {
            crate::TimestampFormat::EpochSeconds => {
                self.before_value();
                self.out.extend_from_slice(value.to_epoch_seconds_text().as_bytes());
            }
            other => self.string(&value.format(other)),
        }
    }

    /// Any JSON value.
    pub fn document(&mut self, value: &Document) {
        match value {
            Document::Null => self.null(),
            Document::Bool(b) => self.bool(*b),
            Document::Number(Number::PosInt(n)) => self.number_text(&n.to_string()),
            Document::Number(Number::NegInt(n)) => self.integer(*n),
            Document::Number(Number::Float(x)) => self.float(*x),
            Document::String(s) => self.string(s),
            Document::Array(items) => {
                self.begin_array();
                for item in items {
                    self.document(item);
                }
                self.end_array();
            }
            Document::Object(map) => {
                self.begin_object();
                for (k, v) in map {
                    self.key(k);
                    self.document(v);
                }
                self.end_object();
            }
        }
    }

    /// The text written.
    pub fn finish(self) -> Vec<u8> {
        self.out
    }
}

fn write_escaped(out: &mut Vec<u8>, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push(b'"');
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let escape: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x08 => b"\\b",
            0x0c => b"\\f",
            0..=0x1f => b"",
            _ => continue,
        };
        out.extend_from_slice(&bytes[start..i]);
        if escape.is_empty() {
            out.extend_from_slice(&[b'\\', b'u', b'0', b'0', HEX[usize::from(b >> 4)], HEX[usize::from(b & 15)]]);
        } else {
            out.extend_from_slice(escape);
        }
        start = i + 1;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

/// What the next value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool,
    /// A number.
    Number,
    /// A string.
    String,
    /// An array.
    Array,
    /// An object.
    Object,
}

/// Reads one JSON value from borrowed bytes, on demand.
///
/// Generated parsers call, per shape: `begin_object` then `next_key` until
/// `None`; `begin_array` then `next_element` until `false`; the scalar
/// readers; `skip` for whatever the model does not name. `null` where a value
/// may stand is seen with `take_null`.
#[derive(Debug)]
pub struct JsonReader<'a> {
    bytes: &'a [u8],
    pos: usize,
    /// Open containers: whether each is an object, and whether its first entry was read.
    stack: Vec<(bool, bool)>,
}

impl<'a> JsonReader<'a> {
    /// A reader of `bytes` (a UTF-8 byte order mark is skipped).
    pub fn new(bytes: &'a [u8]) -> Self {
        // A UTF-8 byte order mark is not JSON, but some servers send one.
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        Self { bytes, pos: 0, stack: Vec::new() }
    }

    fn error(&self, message: impl Into<String>) -> JsonError {
        JsonError { offset: self.pos, message: message.into() }
    }

    fn skip_space(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.pos) {
            self.pos += 1;
        }
    }

    fn byte(&mut self) -> Option<u8> {
        self.skip_space();
        self.bytes.get(self.pos).copied()
    }

    /// The byte offset of the next value (after whitespace).
    pub fn offset(&mut self) -> usize {
        self.skip_space();
        self.pos
    }

    /// Whether only whitespace is left (an empty body counts as no value).
    pub fn at_end(&mut self) -> bool {
        self.byte().is_none()
    }

    /// Fails unless only whitespace follows the value.
    pub fn finish(&mut self) -> Result<(), JsonError> {
        match self.byte() {
            None => Ok(()),
            Some(_) => Err(self.error("unexpected data after the value")),
        }
    }

    /// The kind of the next value, without reading it.
    pub fn peek(&mut self) -> Result<Kind, JsonError> {
        Ok(match self.byte() {
            Some(b'n') => Kind::Null,
            Some(b't' | b'f') => Kind::Bool,
            Some(b'"') => Kind::String,
            Some(b'[') => Kind::Array,
            Some(b'{') => Kind::Object,
            Some(b'-' | b'0'..=b'9') => Kind::Number,
            Some(_) => return Err(self.error("expected a value")),
            None => return Err(self.error("unexpected end of input")),
        })
    }

    fn literal(&mut self, word: &[u8]) -> Result<(), JsonError> {
        self.skip_space();
        if self.bytes[self.pos..].starts_with(word) {
            self.pos += word.len();
            Ok(())
        } else {
            Err(self.error(format!("expected `{}`", String::from_utf8_lossy(word))))
        }
    }

    /// Consumes a `null` if one is next.
    pub fn take_null(&mut self) -> Result<bool, JsonError> {
        if self.peek()? == Kind::Null {
            self.literal(b"null")?;
            return Ok(true);
        }
        Ok(false)
    }

    fn open(&mut self, byte: u8, what: &str) -> Result<(), JsonError> {
        if self.byte() != Some(byte) {
            return Err(self.error(format!("expected {what}")));
        }
        if self.stack.len() >= MAX_DEPTH {
            return Err(self.error(format!("nested deeper than {MAX_DEPTH} levels")));
        }
        self.pos += 1;
        self.stack.push((byte == b'{', false));
        Ok(())
    }

    /// Reads `{`; then `next_key` until `None`.
    pub fn begin_object(&mut self) -> Result<(), JsonError> {
        self.open(b'{', "an object")
    }

    /// Reads `[`; then `next_element` until `false`.
    pub fn begin_array(&mut self) -> Result<(), JsonError> {
        self.open(b'[', "an array")
    }

    /// Moves past the comma before the next entry, or the closing bracket:
    /// whether an entry follows.
    fn next_entry(&mut self, close: u8) -> Result<bool, JsonError> {
        let Some((object, first_done)) = self.stack.last().copied() else {
            return Err(self.error("not inside a container"));
        };
        if object != (close == b'}') {
            return Err(self.error("read as the wrong kind of container"));
        }
        match self.byte() {
            Some(b) if b == close => {
                self.pos += 1;
                self.stack.pop();
                Ok(false)
            }
            Some(b',') if first_done => {
                self.pos += 1;
                Ok(true)
            }
            Some(_) if !first_done => {
                if let Some(top) = self.stack.last_mut() {
                    top.1 = true;
                }
                Ok(true)
            }
            Some(_) => Err(self.error("expected `,` or the end of the container")),
            None => Err(self.error("unexpected end of input")),
        }
    }

    /// The next key of the current object (its value is read next), or `None` at its end.
    pub fn next_key(&mut self) -> Result<Option<Cow<'a, str>>, JsonError> {
        if !self.next_entry(b'}')? {
            return Ok(None);
        }
        if self.byte() != Some(b'"') {
            return Err(self.error("expected a key"));
        }
        let key = self.string()?;
        if self.byte() != Some(b':') {
            return Err(self.error("expected `:`"));
        }
        self.pos += 1;
        Ok(Some(key))
    }

    /// Whether the current array has another element (read it next).
    pub fn next_element(&mut self) -> Result<bool, JsonError> {
        self.next_entry(b']')
    }

    /// A string, unescaped (borrowed when it holds no escapes).
    pub fn string(&mut self) -> Result<Cow<'a, str>, JsonError> {
        if self.byte() != Some(b'"') {
            return Err(self.error("expected a string"));
        }
        self.pos += 1;
        let start = self.pos;
        // Fast path: no escapes, borrow.
        while let Some(&b) = self.bytes.get(self.pos) {
            match b {
                b'"' => {
                    let raw = &self.bytes[start..self.pos];
                    self.pos += 1;
                    return std::str::from_utf8(raw)
                        .map(Cow::Borrowed)
                        .map_err(|_| JsonError { offset: start, message: "a string is not UTF-8".into() });
                }
                b'\\' => break,
                0..=0x1f => return Err(self.error("a control character in a string")),
                _ => self.pos += 1,
            }
        }
        let mut out: Vec<u8> = self.bytes[start..self.pos].to_vec();
        loop {
            let Some(&b) = self.bytes.get(self.pos) else {
                return Err(self.error("unterminated string"));
            };
            self.pos += 1;
            match b {
                b'"' => break,
                b'\\' => {
                    let Some(&e) = self.bytes.get(self.pos) else {
                        return Err(self.error("unterminated escape"));
                    };
                    self.pos += 1;
                    match e {
                        b'"' => out.push(b'"'),
                        b'\\' => out.push(b'\\'),
                        b'/' => out.push(b'/'),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'n' => out.push(b'\n'),
                        b'r' => out.push(b'\r'),
                        b't' => out.push(b'\t'),
                        b'u' => {
                            let c = self.unicode_escape()?;
                            let mut buf = [0u8; 4];
                            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                        }
                        _ => return Err(self.error("invalid escape")),
                    }
                }
                0..=0x1f => return Err(self.error("a control character in a string")),
                _ => out.push(b),
            }
        }
        String::from_utf8(out).map(Cow::Owned).map_err(|_| JsonError { offset: start, message: "a string is not UTF-8".into() })
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let digits = self.bytes.get(self.pos..self.pos + 4).ok_or_else(|| self.error("short \\u escape"))?;
        let text = std::str::from_utf8(digits).map_err(|_| self.error("invalid \\u escape"))?;
        let n = u32::from_str_radix(text, 16).map_err(|_| self.error("invalid \\u escape"))?;
        self.pos += 4;
        Ok(n)
    }

    /// After `\u`: one code point, joining a surrogate pair (a lone surrogate becomes U+FFFD).
    fn unicode_escape(&mut self) -> Result<char, JsonError> {
        let first = self.hex4()?;
        if (0xD800..0xDC00).contains(&first) && self.bytes[self.pos..].starts_with(b"\\u") {
            let save = self.pos;
            self.pos += 2;
            let second = self.hex4()?;
            if (0xDC00..0xE000).contains(&second) {
                let c = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
                return Ok(char::from_u32(c).unwrap_or('\u{FFFD}'));
            }
            self.pos = save;
        }
        Ok(char::from_u32(first).unwrap_or('\u{FFFD}'))
    }

    /// `true` or `false`.
    pub fn bool(&mut self) -> Result<bool, JsonError> {
        match self.byte() {
            Some(b't') => self.literal(b"true").map(|()| true),
            Some(b'f') => self.literal(b"false").map(|()| false),
            _ => Err(self.error("expected a boolean")),
        }
    }

    /// A number's text as written (JSON's grammar checked).
    pub fn number_text(&mut self) -> Result<&'a str, JsonError> {
        self.skip_space();
        let start = self.pos;
        let b = self.bytes;
        let mut i = self.pos;
        if b.get(i) == Some(&b'-') {
            i += 1;
        }
        let digits = |i: &mut usize| {
            let s = *i;
            while b.get(*i).is_some_and(u8::is_ascii_digit) {
                *i += 1;
            }
            *i > s
        };
        let int_start = i;
        if !digits(&mut i) {
            return Err(self.error("expected a number"));
        }
        // JSON forbids leading zeros (`01`, `-00`): only `0` itself starts with one.
        if b[int_start] == b'0' && i - int_start > 1 {
            return Err(JsonError { offset: int_start, message: "a number with a leading zero".into() });
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            if !digits(&mut i) {
                return Err(JsonError { offset: i, message: "expected digits after `.`".into() });
            }
        }
        if matches!(b.get(i), Some(b'e' | b'E')) {
            i += 1;
            if matches!(b.get(i), Some(b'+' | b'-')) {
                i += 1;
            }
            if !digits(&mut i) {
                return Err(JsonError { offset: i, message: "expected an exponent".into() });
            }
        }
        self.pos = i;
        // Only ASCII was accepted above.
        Ok(std::str::from_utf8(&b[start..i]).unwrap_or_default())
    }

    /// A whole number in `min..=max`.
    pub fn integer(&mut self, min: i64, max: i64) -> Result<i64, JsonError> {
        let start = self.pos;
        let text = self.number_text()?;
        match text.parse::<i64>() {
            Ok(n) if (min..=max).contains(&n) => Ok(n),
            _ => Err(JsonError { offset: start, message: format!("{} is not a whole number in {min}..={max}", cut(text)) }),
        }
    }

    /// A float: a number, or the strings `"NaN"`, `"Infinity"`, `"-Infinity"`.
    pub fn float(&mut self) -> Result<f64, JsonError> {
        let start = self.pos;
        if self.peek()? == Kind::String {
            let text = self.string()?;
            return number::parse_special_float(&text)
                .ok_or_else(|| JsonError { offset: start, message: format!("{:?} is not a number", cut(&text)) });
        }
        let text = self.number_text()?;
        text.parse::<f64>().map_err(|_| JsonError { offset: start, message: format!("{} is not a number", cut(text)) })
    }

    /// A number's text, or a string's content (big numbers arrive as either).
    pub fn number_or_string(&mut self) -> Result<Cow<'a, str>, JsonError> {
        match self.peek()? {
            Kind::String => self.string(),
            _ => self.number_text().map(Cow::Borrowed),
        }
    }

    /// A base64 string as bytes.
    pub fn blob(&mut self) -> Result<Blob, JsonError> {
        let start = self.pos;
        let text = self.string()?;
        crate::blob::decode(&text).map(Blob::new).map_err(|why| JsonError { offset: start, message: why })
    }

    /// A timestamp: epoch seconds as a number, or a date-time or HTTP date as a string.
    pub fn timestamp(&mut self) -> Result<DateTime, JsonError> {
        let start = self.pos;
        let at = |message: String| JsonError { offset: start, message };
        match self.peek()? {
            Kind::Number => {
                let text = self.number_text()?;
                DateTime::parse_epoch_seconds(text).map_err(at)
            }
            Kind::String => {
                let text = self.string()?;
                DateTime::parse_any(&text).map_err(at)
            }
            _ => Err(self.error("expected a timestamp")),
        }
    }

    /// A value read by `read`, or `None` for a `null`: how generated code reads
    /// a member in one call. `read` is a function pointer, so this is compiled
    /// once per value type, not once per member.
    pub fn nullable<T, E>(&mut self, read: fn(&mut Self) -> Result<T, E>) -> Result<Option<T>, String>
    where
        String: From<E>,
    {
        // No `?` here: each would be compiled once per value type.
        match self.take_null() {
            Ok(false) => {}
            Ok(true) => return Ok(None),
            Err(e) => return Err(e.into()),
        }
        match read(self) {
            Ok(value) => Ok(Some(value)),
            Err(e) => Err(e.into()),
        }
    }

    /// Reads a member's value into its slot (`None` for a `null`), as
    /// [`JsonReader::nullable`] then [`crate::protocol::store_nullable`] would,
    /// in one function compiled once per value type instead of two.
    #[inline(never)]
    pub fn member<T, E>(&mut self, read: fn(&mut Self) -> Result<T, E>, slot: &mut Option<T>) -> Result<(), String>
    where
        String: From<E>,
    {
        // The old value is taken out and dropped, not dropped in place by an
        // assignment: that one also writes the new value on the unwinding path.
        match self.take_null() {
            Ok(false) => {}
            Ok(true) => {
                drop(slot.take());
                return Ok(());
            }
            Err(e) => return Err(e.into()),
        }
        match read(self) {
            Ok(value) => {
                drop(slot.replace(value));
                Ok(())
            }
            Err(e) => Err(e.into()),
        }
    }

    /// A string, owned.
    pub fn owned_string(&mut self) -> Result<String, JsonError> {
        self.string().map(Cow::into_owned)
    }

    /// A string as an enum (unknown values kept by the enum's `From<&str>`).
    pub fn enumeration<T: for<'s> From<&'s str>>(&mut self) -> Result<T, JsonError> {
        match self.string() {
            Ok(text) => Ok(T::from(&*text)),
            Err(e) => Err(e),
        }
    }

    /// A whole number as an int enum (unknown values kept by the enum's `From<i32>`).
    pub fn int_enum<T: From<i32>>(&mut self) -> Result<T, JsonError> {
        self.i32().map(T::from)
    }

    /// A whole number in `i8`'s range.
    pub fn i8(&mut self) -> Result<i8, JsonError> {
        self.integer(i8::MIN.into(), i8::MAX.into()).map(|n| n as i8)
    }

    /// A whole number in `i16`'s range.
    pub fn i16(&mut self) -> Result<i16, JsonError> {
        self.integer(i16::MIN.into(), i16::MAX.into()).map(|n| n as i16)
    }

    /// A whole number in `i32`'s range.
    pub fn i32(&mut self) -> Result<i32, JsonError> {
        self.integer(i32::MIN.into(), i32::MAX.into()).map(|n| n as i32)
    }

    /// A whole number in `i64`'s range.
    pub fn i64(&mut self) -> Result<i64, JsonError> {
        self.integer(i64::MIN, i64::MAX)
    }

    /// A float, narrowed to `f32` (Smithy `float`).
    pub fn f32(&mut self) -> Result<f32, JsonError> {
        self.float().map(|x| x as f32)
    }

    /// A big integer, from a number or a string.
    pub fn big_integer(&mut self) -> Result<crate::BigInteger, String> {
        crate::BigInteger::parse(&self.number_or_string()?)
    }

    /// A big decimal, from a number or a string.
    pub fn big_decimal(&mut self) -> Result<crate::BigDecimal, String> {
        crate::BigDecimal::parse(&self.number_or_string()?)
    }

    /// Any JSON value, as a document (nesting bounded by [`MAX_DEPTH`]).
    pub fn document(&mut self) -> Result<Document, JsonError> {
        Ok(match self.peek()? {
            Kind::Null => {
                self.literal(b"null")?;
                Document::Null
            }
            Kind::Bool => Document::Bool(self.bool()?),
            Kind::String => Document::String(self.string()?.into_owned()),
            Kind::Number => {
                let start = self.pos;
                let text = self.number_text()?;
                Document::Number(
                    Number::parse(text).ok_or_else(|| JsonError { offset: start, message: "a number out of range".into() })?,
                )
            }
            Kind::Array => {
                self.begin_array()?;
                let mut items = Vec::new();
                while self.next_element()? {
                    items.push(self.document()?);
                }
                Document::Array(items)
            }
            Kind::Object => {
                self.begin_object()?;
                let mut map = std::collections::BTreeMap::new();
                while let Some(k) = self.next_key()? {
                    let v = self.document()?;
                    map.insert(k.into_owned(), v);
                }
                Document::Object(map)
            }
        })
    }

    /// Reads past one value of any kind without keeping it.
    pub fn skip(&mut self) -> Result<(), JsonError> {
        let depth = self.stack.len();
        loop {
            match self.peek()? {
                Kind::Null => self.literal(b"null")?,
                Kind::Bool => {
                    self.bool()?;
                }
                Kind::Number => {
                    self.number_text()?;
                }
                Kind::String => {
                    self.string()?;
                }
                Kind::Array => {
                    self.begin_array()?;
                    if self.next_element()? {
                        continue;
                    }
                }
                Kind::Object => {
                    self.begin_object()?;
                    if self.next_key()?.is_some() {
                        continue;
                    }
                }
            }
            // A value is done: close every container it left finished, then take the next entry.
            loop {
                if self.stack.len() <= depth {
                    return Ok(());
                }
                let in_object = self.stack.last().is_some_and(|&(object, _)| object);
                let more = if in_object { self.next_key()?.is_some() } else { self.next_element()? };
                if more {
                    break;
                }
            }
        }
    }
}

/// A value echoed in an error message, cut so a hostile answer cannot balloon it.
fn cut(text: &str) -> &str {
    match text.char_indices().nth(40) {
        Some((i, _)) => &text[..i],
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use serde_json::Value;

    use super::*;

    fn same(d: &Document, v: &Value) -> bool {
        match (d, v) {
            (Document::Null, Value::Null) => true,
            (Document::Bool(a), Value::Bool(b)) => a == b,
            (Document::Number(n), Value::Number(m)) => match (n, m.as_u64(), m.as_i64()) {
                (Number::PosInt(a), Some(b), _) => *a == b,
                (Number::NegInt(a), _, Some(b)) => *a == b,
                // Both sides round correctly (serde_json with `float_roundtrip`), so exactly.
                (n, _, _) => m.as_f64().is_some_and(|m| n.as_f64() == m),
            },
            (Document::String(a), Value::String(b)) => a == b,
            (Document::Array(a), Value::Array(b)) => a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same(x, y)),
            (Document::Object(a), Value::Object(b)) => {
                a.len() == b.len() && a.iter().all(|(k, x)| b.get(k).is_some_and(|y| same(x, y)))
            }
            _ => false,
        }
    }

    fn json() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            (-1e300f64..1e300).prop_map(Value::from),
            "\\PC{0,12}".prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 48, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                prop::collection::btree_map("\\PC{0,6}", inner, 0..6).prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    /// Reads a whole value as a document, as generated code reads any value.
    fn read(bytes: &[u8]) -> Result<Document, JsonError> {
        let mut r = JsonReader::new(bytes);
        let d = r.document()?;
        r.finish()?;
        Ok(d)
    }

    proptest! {
        // A fixed seed, as every property of the suite: CI's verdict does not
        // depend on chance (random seeds found the leading-zero defect once;
        // its regression is a plain test below).
        #![proptest_config(ProptestConfig {
            cases: 2000,
            rng_algorithm: prop::test_runner::RngAlgorithm::ChaCha,
            rng_seed: prop::test_runner::RngSeed::Fixed(0x6a73_6f6e),
            ..ProptestConfig::default()
        })]

        /// serde_json is the oracle: what it writes, the reader reads back the same.
        #[test]
        fn reads_what_serde_json_writes(v in json(), pretty in any::<bool>()) {
            let text = if pretty { serde_json::to_vec_pretty(&v).unwrap() } else { serde_json::to_vec(&v).unwrap() };
            let d = read(&text).unwrap();
            prop_assert!(same(&d, &v), "{} read as {d:?}", String::from_utf8_lossy(&text));
            // Skipping it leaves the reader at its end.
            let mut r = JsonReader::new(&text);
            r.skip().unwrap();
            prop_assert!(r.at_end());
        }

        /// Whatever the writer writes, serde_json reads as the same value.
        #[test]
        fn writes_what_serde_json_reads(v in json()) {
            let d = read(&serde_json::to_vec(&v).unwrap()).unwrap();
            let mut w = JsonWriter::new();
            w.document(&d);
            let back: Value = serde_json::from_slice(&w.finish()).unwrap();
            prop_assert!(same(&d, &back));
        }

        /// On bytes serde_json refuses, the reader refuses too (or reads what
        /// serde_json would have read, for the two leniencies it has: a byte
        /// order mark, and a lone surrogate escape, which becomes U+FFFD), and
        /// never panics.
        #[test]
        fn refuses_what_serde_json_refuses(v in json(), cut in any::<prop::sample::Index>(), flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..4)) {
            let mut text = serde_json::to_vec(&v).unwrap();
            text.truncate(cut.index(text.len() + 1));
            for (at, byte) in flips {
                if !text.is_empty() {
                    let i = at.index(text.len());
                    text[i] = byte;
                }
            }
            let ours = read(&text);
            match serde_json::from_slice::<Value>(&text) {
                Ok(theirs) => {
                    let d = ours.unwrap_or_else(|e| panic!("{e} on {:?}", String::from_utf8_lossy(&text)));
                    prop_assert!(same(&d, &theirs));
                }
                Err(_) => {
                    let lenient = text.windows(2).any(|w| w == b"\\u");
                    prop_assert!(ours.is_err() || lenient, "accepted {:?}", String::from_utf8_lossy(&text));
                }
            }
        }
    }

    #[test]
    fn special_floats_big_numbers_and_bounds() {
        let mut r = JsonReader::new(br#"["NaN", "Infinity", "-Infinity", 1e400, 123456789012345678901234567890]"#);
        r.begin_array().unwrap();
        assert!(r.next_element().unwrap() && r.float().unwrap().is_nan());
        assert!(r.next_element().unwrap() && r.float().unwrap() == f64::INFINITY);
        assert!(r.next_element().unwrap() && r.float().unwrap() == f64::NEG_INFINITY);
        assert!(r.next_element().unwrap() && r.float().unwrap() == f64::INFINITY);
        assert!(r.next_element().unwrap() && r.number_or_string().unwrap() == "123456789012345678901234567890");
        assert!(!r.next_element().unwrap());
        for bad in ["00", "-01", "01.5", "[1,007]"] {
            assert!(read(bad.as_bytes()).unwrap_err().message.contains("leading zero"), "{bad}");
        }
        assert!(read(b"-0").is_ok() && read(b"0.01e-01").is_ok());
        let mut r = JsonReader::new(b"300");
        assert!(r.integer(i8::MIN.into(), i8::MAX.into()).unwrap_err().message.contains("-128..=127"));
        let deep = "[".repeat(MAX_DEPTH + 1);
        assert!(read(deep.as_bytes()).unwrap_err().message.contains("nested deeper"));
        let mut w = JsonWriter::new();
        w.begin_array();
        w.float(f64::NAN);
        w.float(f64::NEG_INFINITY);
        w.float(0.1);
        w.end_array();
        assert_eq!(w.finish(), br#"["NaN","-Infinity",0.1]"#);
    }

    #[derive(Debug, PartialEq)]
    struct Color(String);
    impl From<&str> for Color {
        fn from(s: &str) -> Self {
            Color(s.to_owned())
        }
    }

    /// The one-call member readers generated code uses: `null` is `None`,
    /// ranges are the Rust type's, and errors carry the reader's message.
    #[test]
    fn nullable_member_readers() {
        let mut r = JsonReader::new(br#"[null, "a\u00e9", "Red", 127, 128, -32768, 2147483648, 1.5, "12345678901234567890", true]"#);
        r.begin_array().unwrap();
        let next = |r: &mut JsonReader<'_>| assert!(r.next_element().unwrap());
        next(&mut r);
        assert_eq!(r.nullable(JsonReader::owned_string), Ok(None));
        next(&mut r);
        assert_eq!(r.nullable(JsonReader::owned_string), Ok(Some("a\u{e9}".to_owned())));
        next(&mut r);
        assert_eq!(r.nullable(JsonReader::enumeration::<Color>), Ok(Some(Color("Red".into()))));
        next(&mut r);
        assert_eq!(r.nullable(JsonReader::i8), Ok(Some(127)));
        next(&mut r);
        let err = r.nullable(JsonReader::i8).unwrap_err();
        assert!(err.contains("128 is not a whole number in -128..=127"), "{err}");
        next(&mut r);
        assert_eq!(r.nullable(JsonReader::i16), Ok(Some(i16::MIN)));
        next(&mut r);
        assert!(r.nullable(JsonReader::i32).is_err());
        next(&mut r);
        assert_eq!(r.nullable(JsonReader::f32), Ok(Some(1.5)));
        next(&mut r);
        assert_eq!(r.nullable(JsonReader::big_integer).unwrap().unwrap().as_str(), "12345678901234567890");
        next(&mut r);
        assert_eq!(r.nullable(JsonReader::bool), Ok(Some(true)));
        assert!(!r.next_element().unwrap());
    }

    /// `member` fills the slot as `store_nullable(r.nullable(…))` does: a
    /// value replaces an earlier one, `null` clears it, an error leaves it.
    #[test]
    fn member_readers_fill_their_slot() {
        let mut r = JsonReader::new(br#"["a", "b", null, 300, "c"]"#);
        r.begin_array().unwrap();
        let mut slot = None;
        let mut small = Some(1i8);
        let next = |r: &mut JsonReader<'_>| assert!(r.next_element().unwrap());
        next(&mut r);
        assert_eq!(r.member(JsonReader::owned_string, &mut slot), Ok(()));
        assert_eq!(slot.as_deref(), Some("a"));
        next(&mut r);
        assert_eq!(r.member(JsonReader::owned_string, &mut slot), Ok(()));
        assert_eq!(slot.as_deref(), Some("b"));
        next(&mut r);
        assert_eq!(r.member(JsonReader::owned_string, &mut slot), Ok(()));
        assert_eq!(slot, None);
        next(&mut r);
        let err = r.member(JsonReader::i8, &mut small).unwrap_err();
        assert!(err.contains("300 is not a whole number in -128..=127"), "{err}");
        assert_eq!(small, Some(1));
        next(&mut r);
        assert_eq!(r.member(JsonReader::owned_string, &mut slot), Ok(()));
        assert_eq!(slot.as_deref(), Some("c"));
        assert!(!r.next_element().unwrap());
    }
}
