//! Model patterns are ECMA-262 regular expressions with Smithy's semantics: not
//! implicitly anchored, `\w`/`\d` ASCII only. Each pattern is translated here
//! into an equivalent pattern in the syntax of the `regex` crates (which
//! [`crate::automaton`] compiles into the table the generated crate matches
//! with), or rejected with a message that says which piece of syntax is
//! outside the supported dialect.
//!
//! Supported: literals, `.`, classes with ranges, `\d \D \w \W \s \S \b \B`,
//! `\t \n \r \f \v \0`, `\xHH`, `\uHHHH` (surrogate pairs written as two
//! escapes, as Java-derived models do, are joined into one code point),
//! identity escapes of punctuation, groups `( )`, `(?: )`, `(?<name> )`,
//! quantifiers (greedy and lazy), alternation and the anchors `^ $`.
//! `\D \W \S` inside classes too (`[\s\S]`). Java's `\p{..}`/`\P{..}`, which
//! official AWS models use though ECMA-262 without the `u` flag has none: the
//! POSIX names (`\p{Print}`, `\p{Alpha}`, ...; ASCII, as Java has them) and
//! Unicode general categories (`\p{L}`, `\p{Lu}`, `\p{Z}`, ...).
//! Not supported (rejected): lookaround, backreferences, `\c`, `\u{..}`,
//! other `\p{..}` names.

use std::fmt::Write;

/// ECMA-262 `\s`: WhiteSpace and LineTerminator code points.
const ECMA_SPACE: &str = r"\t\n\x0B\x0C\r\x20\x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}\x{FEFF}";
const WORD: &str = "0-9A-Za-z_";
const DIGIT: &str = "0-9";

/// Translates an ECMA-262 pattern into `regex` syntax with the same meaning.
pub fn translate(ecma: &str) -> Result<String, String> {
    let mut t = Translator { chars: ecma.chars().collect(), pos: 0, out: String::new() };
    t.run()?;
    parse(&t.out).map_err(|why| format!("translated to `{}`, which does not compile: {why}", t.out))?;
    Ok(t.out)
}

/// Parses a translated pattern, with the one syntax configuration the
/// generator uses (here to check a translation, in [`crate::automaton`] to
/// compile it): code points in Unicode mode, but ASCII assertions such as
/// `(?-u:\B)` allowed where they may fall inside a code point. The error is
/// one line (regex-syntax's own message draws the pattern with a caret).
pub fn parse(rust: &str) -> Result<regex_syntax::hir::Hir, String> {
    regex_syntax::ParserBuilder::new().unicode(true).utf8(false).build().parse(rust).map_err(|e| match &e {
        regex_syntax::Error::Parse(e) => e.kind().to_string(),
        regex_syntax::Error::Translate(e) => e.kind().to_string(),
        other => other.to_string().lines().last().unwrap_or_default().to_owned(),
    })
}

struct Translator {
    chars: Vec<char>,
    pos: usize,
    out: String,
}

/// One code point or shorthand inside a character class.
enum ClassAtom {
    Char(u32),
    /// Class items, as they go between `[` and `]`.
    Set(String),
}

/// The class items of Java's `\p{name}` (POSIX names are ASCII in Java).
fn property(name: &str) -> Option<String> {
    let posix = match name {
        "Lower" => "a-z",
        "Upper" => "A-Z",
        "ASCII" => r"\x{0}-\x{7F}",
        "Alpha" => "A-Za-z",
        "Digit" => "0-9",
        "Alnum" => "0-9A-Za-z",
        "Punct" => r##"!-/:-@\[-`{-~"##,
        "Graph" => r"\x{21}-\x{7E}",
        "Print" => r"\x{20}-\x{7E}",
        "Blank" => r" \t",
        "Cntrl" => r"\x{0}-\x{1F}\x{7F}",
        "XDigit" => "0-9A-Fa-f",
        "Space" => r" \t\n\x{0B}\x{0C}\r",
        _ => "",
    };
    if !posix.is_empty() {
        return Some(posix.to_owned());
    }
    const CATEGORIES: &[&str] = &[
        "L", "Lu", "Ll", "Lt", "Lm", "Lo", "M", "Mn", "Mc", "Me", "N", "Nd", "Nl", "No", "P", "Pc", "Pd", "Ps", "Pe",
        "Pi", "Pf", "Po", "S", "Sm", "Sc", "Sk", "So", "Z", "Zs", "Zl", "Zp", "C", "Cc", "Cf", "Co", "Cn",
    ];
    CATEGORIES.contains(&name).then(|| format!(r"\p{{{name}}}"))
}

impl Translator {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn peek_at(&self, offset: usize) -> Option<char> {
        self.chars.get(self.pos + offset).copied()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += 1;
        Some(c)
    }

    fn starts_with(&self, s: &str) -> bool {
        s.chars().enumerate().all(|(i, c)| self.peek_at(i) == Some(c))
    }

    fn run(&mut self) -> Result<(), String> {
        while let Some(c) = self.bump() {
            match c {
                '\\' => self.escape_outside_class()?,
                '.' => self.out.push_str(r"[^\n\r\x{2028}\x{2029}]"),
                '[' => self.class()?,
                '(' => self.group_open()?,
                ')' | '|' | '*' | '+' | '?' | '^' | '$' => self.out.push(c),
                '{' => self.brace(),
                '}' | ']' => {
                    // Annex B: a lone `}` or `]` is a literal.
                    self.out.push('\\');
                    self.out.push(c);
                }
                _ => push_literal(&mut self.out, c as u32),
            }
        }
        Ok(())
    }

    /// `{n}`, `{n,}`, `{n,m}` are quantifiers; any other `{` is a literal (Annex B).
    fn brace(&mut self) {
        let start = self.pos;
        let mut j = start;
        let digits = |j: &mut usize, chars: &[char]| {
            let s = *j;
            while chars.get(*j).is_some_and(|c| c.is_ascii_digit()) {
                *j += 1;
            }
            *j > s
        };
        let mut ok = digits(&mut j, &self.chars);
        if ok && self.chars.get(j) == Some(&',') {
            j += 1;
            digits(&mut j, &self.chars);
        }
        ok = ok && self.chars.get(j) == Some(&'}');
        if ok {
            self.out.push('{');
            self.out.extend(&self.chars[start..=j]);
            self.pos = j + 1;
        } else {
            self.out.push_str(r"\{");
        }
    }

    fn group_open(&mut self) -> Result<(), String> {
        if self.peek() != Some('?') {
            self.out.push('(');
            return Ok(());
        }
        if self.starts_with("?:") {
            self.pos += 2;
            self.out.push_str("(?:");
        } else if self.starts_with("?=") || self.starts_with("?!") {
            return Err("lookahead `(?=`/`(?!` is not supported".into());
        } else if self.starts_with("?<=") || self.starts_with("?<!") {
            return Err("lookbehind `(?<=`/`(?<!` is not supported".into());
        } else if self.starts_with("?<") {
            self.pos += 2;
            let mut name = String::new();
            while let Some(c) = self.bump() {
                if c == '>' {
                    break;
                }
                if !(c.is_ascii_alphanumeric() || c == '_') {
                    return Err(format!("group name character {c:?} is not supported"));
                }
                name.push(c);
            }
            write!(self.out, "(?P<{name}>").ok();
        } else {
            return Err("`(?` must be followed by `:`, `=`, `!` or `<name>`".into());
        }
        Ok(())
    }

    /// After `\p` or `\P`: `{name}`, as class items.
    fn property(&mut self, negated: bool) -> Result<String, String> {
        if self.peek() != Some('{') {
            return Err("`\\p` needs a `{name}`".into());
        }
        let close = self.chars[self.pos..].iter().position(|&c| c == '}').ok_or("unterminated `\\p{`")?;
        let name: String = self.chars[self.pos + 1..self.pos + close].iter().collect();
        self.pos += close + 1;
        let items = property(&name).ok_or_else(|| format!("`\\p{{{name}}}` is not a supported class name"))?;
        Ok(if negated { format!("[^{items}]") } else { items })
    }

    fn escape_outside_class(&mut self) -> Result<(), String> {
        let c = self.bump().ok_or("pattern ends with a lone `\\`")?;
        match c {
            'p' | 'P' => {
                let items = self.property(c == 'P')?;
                write!(self.out, "[{items}]").ok()
            }
            'd' => write!(self.out, "[{DIGIT}]").ok(),
            'D' => write!(self.out, "[^{DIGIT}]").ok(),
            'w' => write!(self.out, "[{WORD}]").ok(),
            'W' => write!(self.out, "[^{WORD}]").ok(),
            's' => write!(self.out, "[{ECMA_SPACE}]").ok(),
            'S' => write!(self.out, "[^{ECMA_SPACE}]").ok(),
            // ECMA-262's word boundaries are ASCII ones.
            'b' => write!(self.out, r"(?-u:\b)").ok(),
            'B' => write!(self.out, r"(?-u:\B)").ok(),
            _ => {
                let cp = self.char_escape(c)?;
                push_literal(&mut self.out, cp);
                Some(())
            }
        };
        Ok(())
    }

    /// Escapes that stand for one code point (the same inside and outside classes).
    fn char_escape(&mut self, c: char) -> Result<u32, String> {
        match c {
            't' => Ok(0x09),
            'n' => Ok(0x0A),
            'v' => Ok(0x0B),
            'f' => Ok(0x0C),
            'r' => Ok(0x0D),
            '0' if !self.peek().is_some_and(|d| d.is_ascii_digit()) => Ok(0),
            'x' => self.hex(2).ok_or_else(|| "`\\x` needs two hex digits".to_owned()),
            'u' => self.unicode_escape(),
            '1'..='9' | '0' => Err(format!("backreference `\\{c}` is not supported")),
            'k' => Err("named backreference `\\k` is not supported".into()),
            'c' => Err("control escape `\\c` is not supported".into()),
            'p' | 'P' => Err(format!("`\\{c}{{..}}` is supported as a class, not here")),
            c if c.is_ascii_alphanumeric() => Err(format!("unknown escape `\\{c}`")),
            c => Ok(c as u32),
        }
    }

    fn hex(&mut self, n: usize) -> Option<u32> {
        let s: String = self.chars.get(self.pos..self.pos + n)?.iter().collect();
        if !s.chars().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        self.pos += n;
        u32::from_str_radix(&s, 16).ok()
    }

    /// `\uHHHH`, joining a high surrogate with a following `\uHHHH` low surrogate.
    fn unicode_escape(&mut self) -> Result<u32, String> {
        if self.peek() == Some('{') {
            return Err("`\\u{..}` needs the ECMA-262 `u` flag, which model patterns do not have".into());
        }
        let hi = self.hex(4).ok_or("`\\u` needs four hex digits")?;
        if (0xD800..0xDC00).contains(&hi) {
            if self.starts_with("\\u") {
                let save = self.pos;
                self.pos += 2;
                if let Some(lo) = self.hex(4).filter(|lo| (0xDC00..0xE000).contains(lo)) {
                    return Ok(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00));
                }
                self.pos = save;
            }
            return Err(format!("lone surrogate `\\u{hi:04X}` cannot be matched in UTF-8 text"));
        }
        if (0xDC00..0xE000).contains(&hi) {
            return Err(format!("lone surrogate `\\u{hi:04X}` cannot be matched in UTF-8 text"));
        }
        Ok(hi)
    }

    fn class_atom(&mut self) -> Result<ClassAtom, String> {
        let c = self.bump().ok_or("unterminated character class")?;
        if c != '\\' {
            return Ok(ClassAtom::Char(c as u32));
        }
        let e = self.bump().ok_or("unterminated character class")?;
        Ok(match e {
            'd' => ClassAtom::Set(DIGIT.to_owned()),
            'w' => ClassAtom::Set(WORD.to_owned()),
            's' => ClassAtom::Set(ECMA_SPACE.to_owned()),
            // A nested class: regex-syntax unites it with the rest (`[\s\S]` is any code point).
            'D' => ClassAtom::Set(format!("[^{DIGIT}]")),
            'W' => ClassAtom::Set(format!("[^{WORD}]")),
            'S' => ClassAtom::Set(format!("[^{ECMA_SPACE}]")),
            'p' | 'P' => ClassAtom::Set(self.property(e == 'P')?),
            'b' => ClassAtom::Char(0x08),
            '-' => ClassAtom::Char('-' as u32),
            other => ClassAtom::Char(self.char_escape(other)?),
        })
    }

    fn class(&mut self) -> Result<(), String> {
        let negated = self.peek() == Some('^');
        if negated {
            self.pos += 1;
        }
        if self.peek() == Some(']') {
            self.pos += 1;
            // `[]` matches nothing and `[^]` anything, in ECMA-262.
            self.out.push_str(if negated { r"[\x{0}-\x{10FFFF}]" } else { r"[^\x{0}-\x{10FFFF}]" });
            return Ok(());
        }
        let mut body = String::new();
        loop {
            match self.peek() {
                None => return Err("unterminated character class `[`".into()),
                Some(']') => {
                    self.pos += 1;
                    break;
                }
                _ => {}
            }
            let first = self.class_atom()?;
            let is_range = self.peek() == Some('-') && self.peek_at(1).is_some_and(|c| c != ']');
            match first {
                ClassAtom::Set(s) => body.push_str(&s),
                ClassAtom::Char(lo) if is_range => {
                    self.pos += 1;
                    let hi = match self.class_atom()? {
                        ClassAtom::Char(hi) => hi,
                        ClassAtom::Set(_) => return Err("a class range cannot end in a shorthand like `\\d`".into()),
                    };
                    if lo > hi {
                        return Err(format!("class range out of order: {lo:#X} > {hi:#X}"));
                    }
                    push_class_literal(&mut body, lo);
                    body.push('-');
                    push_class_literal(&mut body, hi);
                }
                ClassAtom::Char(c) => push_class_literal(&mut body, c),
            }
        }
        self.out.push('[');
        if negated {
            self.out.push('^');
        }
        self.out.push_str(&body);
        self.out.push(']');
        Ok(())
    }
}

/// A code point as a literal outside a class.
fn push_literal(out: &mut String, cp: u32) {
    match char::from_u32(cp) {
        Some(c) if r"\.+*?()|[]{}^$".contains(c) => {
            out.push('\\');
            out.push(c);
        }
        Some(c) if c.is_ascii_graphic() || c == ' ' => out.push(c),
        _ => {
            write!(out, r"\x{{{cp:X}}}").ok();
        }
    }
}

/// A code point as a literal inside a class, where `- ^ ] [ \ & ~` are special.
fn push_class_literal(out: &mut String, cp: u32) {
    match char::from_u32(cp) {
        Some(c) if c.is_ascii_alphanumeric() || c == '_' || c == ' ' => out.push(c),
        _ => {
            write!(out, r"\x{{{cp:X}}}").ok();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(ecma: &str, text: &str) -> bool {
        crate::automaton::compile(&translate(ecma).unwrap()).unwrap().is_match(text)
    }

    #[test]
    fn smithy_semantics() {
        assert!(matches(r"\w+", "!hello!"));
        assert!(!matches(r"\w+", "日本"));
        assert!(matches(r"w-([a-z0-9]{17})", "xw-0123456789abcdefgx"));
        assert!(matches(r"[A-Za-z0-9\-_\/]+", "a/b-c_d"));
        assert!(!matches(r"^[A-Za-z0-9\-_\/]+$", "a b"));
        assert!(matches(r"\d", "x٣1") && !matches(r"^\d$", "٣"));
    }

    #[test]
    fn java_surrogate_pairs_become_code_points() {
        let p = r"[\u0020-\uD7FF\uE000-\uFFFD\uD800\uDC00-\uDBFF\uDFFF\r\n\t]*";
        assert_eq!(translate(p).unwrap(), r"[ -\x{D7FF}\x{E000}-\x{FFFD}\x{10000}-\x{10FFFF}\x{D}\x{A}\x{9}]*");
        assert!(matches(&format!("^{p}$"), "🚀 ok\n"));
        assert!(!matches(&format!("^{p}$"), "\u{1}"));
        assert!(matches(r"^\uD83D\uDE80$", "🚀"));
    }

    #[test]
    fn dot_and_space_follow_ecma() {
        assert!(!matches("^.$", "\n"));
        assert!(matches("^.$", "é"));
        assert!(matches(r"^\s$", "\u{3000}"));
        assert!(!matches(r"^\s$", "\u{85}"));
    }

    #[test]
    fn anchors_inside_alternation() {
        let p = r"[a-zA-Z][-a-zA-Z0-9]*|arn:[-a-zA-Z0-9:/]*|^[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}$";
        assert!(matches(p, "0123abcd-0000-1111-2222-333344445555"));
        assert!(matches(p, "1a"));
        assert!(!matches(p, "1-2"));
    }

    #[test]
    fn annex_b_literal_braces() {
        assert!(matches(r"a{", "a{"));
        assert!(matches(r"^x{2,3}$", "xxx"));
        assert!(matches(r"^a{b}$", "a{b}"));
    }

    #[test]
    fn negated_shorthands_in_classes_and_java_properties() {
        // CloudFormation's `[\s\S]+`: any code point.
        assert!(matches(r"^[\s\S]+$", "a \n\té🚀") && !matches(r"^[\s\S]+$", ""));
        assert!(matches(r"^[\W]$", "!") && !matches(r"^[\W]$", "a") && matches(r"^[^\D]$", "7"));
        // Transfer's Java-style classes.
        assert!(matches(r"^[\p{Print}]*$", "ssh-rsa AAAA key ~") && !matches(r"^[\p{Print}]*$", "tab\t"));
        assert!(matches(r"^[\P{M}\p{M}]*$", "e\u{301}🚀"));
        assert!(matches(r"^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$", "Ünïcode 42 a:b") && !matches(r"^[\p{L}]$", "4"));
        assert!(matches(r"^\p{Lu}\P{Lu}$", "Ab") && !matches(r"^\p{Lu}$", "a"));
    }

    #[test]
    fn unsupported_syntax_is_named() {
        for (p, want) in [
            ("a(?=b)", "lookahead"),
            ("(?<=a)b", "lookbehind"),
            (r"(a)\1", "backreference"),
            (r"\p{Klingon}", "not a supported class name"),
            (r"\u{1F600}", "`u` flag"),
            (r"\uD800", "lone surrogate"),
            (r"[z-a]", "out of order"),
            (r"\q", "unknown escape"),
            ("(a", "does not compile"),
            ("[abc", "unterminated"),
        ] {
            let err = translate(p).unwrap_err();
            assert!(err.contains(want), "{p}: {err}");
        }
    }
}
