//! XML reading for awsQuery answers: a pull reader on `xmlparser`'s tokenizer,
//! with a cursor per element, so that an answer is read into its typed output
//! in one pass. No tree is built: while an answer is read, the heap holds the
//! body and the output, and nothing per element.
//!
//! The reader checks what a tree parser would: one root element, end tags that
//! match their start tags, entity and character references, no text outside the
//! root. DTDs are refused (no entity expansion games), and nesting stops at
//! [`MAX_DEPTH`] levels, so that the generated readers (which recurse for
//! nested shapes) cannot be driven into a deep stack; at most
//! [`MAX_PREFIXES`] namespace prefixes are bound at once, so that checking a
//! prefixed name stays a short search. Every failure is an error, never a panic.

use std::borrow::Cow;
use std::ops::Range;

use xmlparser::{ElementEnd, Token, Tokenizer};

/// The deepest element nesting read: AWS answers nest a dozen levels.
pub const MAX_DEPTH: usize = 128;

/// The most namespace prefixes bound at once (`xmlns:p` declarations of the
/// open elements): AWS answers bind none; without a bound, an answer binding
/// thousands and naming the last on every element costs a search of them all
/// per element (minutes for 10 MiB).
pub const MAX_PREFIXES: usize = 64;

/// Bytes of a name from the answer shown in an error (at most).
const NAME_SHOWN: usize = 64;

/// A pull reader over one XML document (or one element of it).
#[derive(Debug)]
pub struct Reader<'i> {
    text: &'i str,
    tokens: Tokenizer<'i>,
    /// The open elements, outermost first: prefix and local name, for end tags.
    open: Vec<(&'i str, &'i str)>,
    /// The namespace prefixes declared (`xmlns:p`), with the depth of the
    /// element that declares them, innermost last; `None` over an element of a
    /// document already checked whole, whose ancestors' declarations it lacks.
    prefixes: Option<Vec<(&'i str, usize)>>,
    /// The attribute names of the start tag being read (kept for its allocation).
    attributes: Vec<(&'i str, &'i str)>,
    /// Whether the root element has started.
    seen_root: bool,
    /// Where the last element that closed ends (the byte after its `>`).
    last_end: usize,
    /// The first error; every later read fails with it.
    failed: Option<String>,
}

/// What the reader meets next, comments, processing instructions and the
/// declaration left out.
enum Event<'i> {
    /// A start tag (`empty` for `<a/>`), its local name and where it starts.
    Start { name: &'i str, empty: bool, at: usize },
    /// Character data as written (`cdata`: from a CDATA section).
    Text { raw: &'i str, cdata: bool },
    /// An end tag.
    End,
    /// The end of the document, everything closed.
    Eof,
}

impl<'i> Reader<'i> {
    /// A reader over an answer's body. A body that is not UTF-8 is an error; a
    /// byte order mark is skipped.
    pub fn new(body: &'i [u8]) -> Result<Self, String> {
        let text = std::str::from_utf8(body).map_err(|e| format!("answer is not UTF-8: {e}"))?;
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        Ok(Self { prefixes: Some(Vec::new()), ..Self::over(text, Tokenizer::from(text)) })
    }

    /// A reader over the element at `range` of `text`, an element an earlier
    /// reader of the same text met (see [`Element::span`]); namespace prefixes
    /// are not checked again.
    pub fn element_at(text: &'i str, range: Range<usize>) -> Self {
        Self::over(text, Tokenizer::from_fragment(text, range))
    }

    fn over(text: &'i str, tokens: Tokenizer<'i>) -> Self {
        let (open, attributes) = (Vec::new(), Vec::new());
        Self { text, tokens, open, prefixes: None, attributes, seen_root: false, last_end: 0, failed: None }
    }

    /// The document's text (the body without its byte order mark).
    pub fn text(&self) -> &'i str {
        self.text
    }

    /// The root element (or the element of [`Reader::element_at`]).
    pub fn root(&mut self) -> Result<Element<'_, 'i>, String> {
        if self.seen_root {
            return Err("the root element was already read".to_owned());
        }
        loop {
            match self.next_event()? {
                Event::Start { name, empty, at } => {
                    let depth = self.open.len();
                    return Ok(Element { reader: self, name, at, depth, open: !empty });
                }
                Event::Text { .. } | Event::End => {}
                Event::Eof => return Err(self.fail("answer is not well-formed XML: no root element".to_owned())),
            }
        }
    }

    /// Reads what is left of the document, which must be well-formed: an
    /// answer is accepted whole or not at all, as a tree parser accepts it.
    pub fn finish(&mut self) -> Result<(), String> {
        self.skip_to(0)?;
        match self.next_event()? {
            Event::Eof => Ok(()),
            _ => Err(self.fail("answer is not well-formed XML: more than one root element".to_owned())),
        }
    }

    /// Reads on until only `depth` elements are open.
    fn skip_to(&mut self, depth: usize) -> Result<(), String> {
        while self.open.len() > depth {
            if let Event::Eof = self.next_event()? {
                return Err(self.fail("answer is not well-formed XML: it ends inside an element".to_owned()));
            }
        }
        Ok(())
    }

    fn fail(&mut self, message: String) -> String {
        self.failed.get_or_insert(message).clone()
    }

    fn next_event(&mut self) -> Result<Event<'i>, String> {
        if let Some(message) = &self.failed {
            return Err(message.clone());
        }
        self.event().map_err(|message| self.fail(message))
    }

    fn event(&mut self) -> Result<Event<'i>, String> {
        loop {
            let token = match self.tokens.next() {
                None if !self.seen_root => return Err("answer is not well-formed XML: no root element".to_owned()),
                None => match self.open.last() {
                    None => return Ok(Event::Eof),
                    Some(&(_, name)) => return Err(format!("answer is not well-formed XML: <{}> is not closed", cut(name))),
                },
                Some(Err(e)) => return Err(format!("answer is not well-formed XML: {e}")),
                Some(Ok(token)) => token,
            };
            match token {
                Token::Declaration { .. } | Token::ProcessingInstruction { .. } | Token::Comment { .. } => {}
                Token::DtdStart { .. } | Token::EmptyDtd { .. } | Token::EntityDeclaration { .. } | Token::DtdEnd { .. } => {
                    return Err("answer has a DTD, which is refused".to_owned());
                }
                Token::ElementStart { prefix, local, span } => {
                    if self.open.is_empty() && self.seen_root {
                        return Err("answer is not well-formed XML: more than one root element".to_owned());
                    }
                    self.seen_root = true;
                    let empty_end = self.start_tag_end()?;
                    self.check_prefix(prefix.as_str())?;
                    if let Some(end) = empty_end {
                        self.last_end = end;
                        self.unbind_below(self.open.len());
                    } else {
                        if self.open.len() >= MAX_DEPTH {
                            return Err(format!("answer nests elements deeper than {MAX_DEPTH} levels"));
                        }
                        self.open.push((prefix.as_str(), local.as_str()));
                    }
                    return Ok(Event::Start { name: local.as_str(), empty: empty_end.is_some(), at: span.start() });
                }
                Token::ElementEnd { end: ElementEnd::Close(prefix, local), span } => {
                    let closed = (prefix.as_str(), local.as_str());
                    return match self.open.pop() {
                        Some(open) if open == closed => {
                            self.last_end = span.end();
                            self.unbind_below(self.open.len());
                            Ok(Event::End)
                        }
                        Some((_, open)) => Err(format!(
                            "answer is not well-formed XML: </{}> closes <{}>",
                            cut(closed.1),
                            cut(open)
                        )),
                        None => Err(format!("answer is not well-formed XML: </{}> closes nothing", cut(closed.1))),
                    };
                }
                Token::ElementEnd { .. } | Token::Attribute { .. } => {
                    return Err("answer is not well-formed XML: a tag out of place".to_owned());
                }
                Token::Text { text } => {
                    if !self.open.is_empty() {
                        return Ok(Event::Text { raw: text.as_str(), cdata: false });
                    }
                    if !text.as_str().trim_matches(is_xml_space).is_empty() {
                        return Err("answer is not well-formed XML: text outside the root element".to_owned());
                    }
                }
                Token::Cdata { text, .. } => {
                    if self.open.is_empty() {
                        return Err("answer is not well-formed XML: text outside the root element".to_owned());
                    }
                    return Ok(Event::Text { raw: text.as_str(), cdata: true });
                }
            }
        }
    }

    /// Reads a start tag's attributes up to its end; for `/>`, where the
    /// element ends. No protocol read here uses an attribute, but they are
    /// checked as a tree parser (or expat, botocore's) checks them: references
    /// in values, no `<`, no name twice, and prefixes declared.
    fn start_tag_end(&mut self) -> Result<Option<usize>, String> {
        let depth = self.open.len() + 1;
        self.attributes.clear();
        let empty_end = loop {
            match self.tokens.next() {
                Some(Ok(Token::Attribute { prefix, local, value, .. })) => {
                    if value.as_str().contains('<') {
                        return Err("answer is not well-formed XML: a `<` in an attribute value".to_owned());
                    }
                    decode(value.as_str(), false)?;
                    if let Some(prefixes) = &mut self.prefixes
                        && prefix.as_str() == "xmlns"
                    {
                        if prefixes.len() >= MAX_PREFIXES {
                            return Err(format!(
                                "answer binds more than {MAX_PREFIXES} namespace prefixes at once (xmlns:{})",
                                cut(local.as_str())
                            ));
                        }
                        prefixes.push((local.as_str(), depth));
                    }
                    self.attributes.push((prefix.as_str(), local.as_str()));
                }
                Some(Ok(Token::ElementEnd { end: ElementEnd::Open, .. })) => break None,
                Some(Ok(Token::ElementEnd { end: ElementEnd::Empty, span })) => break Some(span.end()),
                Some(Err(e)) => return Err(format!("answer is not well-formed XML: {e}")),
                Some(Ok(_)) | None => return Err("answer is not well-formed XML: a start tag is not closed".to_owned()),
            }
        };
        let mut names = std::mem::take(&mut self.attributes);
        names.sort_unstable();
        let checked = match names.windows(2).find(|pair| pair[0] == pair[1]) {
            Some(pair) => Err(format!("answer is not well-formed XML: the attribute {} twice", cut(pair[0].1))),
            None => names.iter().filter(|(prefix, _)| *prefix != "xmlns").try_for_each(|(p, _)| self.check_prefix(p)),
        };
        self.attributes = names;
        checked.map(|()| empty_end)
    }

    fn is_bound(&self, prefix: &str) -> bool {
        match &self.prefixes {
            Some(prefixes) => prefix.is_empty() || prefix == "xml" || prefixes.iter().any(|(p, _)| *p == prefix),
            None => true,
        }
    }

    fn check_prefix(&self, prefix: &str) -> Result<(), String> {
        match self.is_bound(prefix) {
            true => Ok(()),
            false => Err(format!("answer is not well-formed XML: the prefix {} is not declared", cut(prefix))),
        }
    }

    /// Forgets the prefixes declared by elements deeper than `depth` (closed).
    fn unbind_below(&mut self, depth: usize) {
        if let Some(prefixes) = &mut self.prefixes {
            while prefixes.last().is_some_and(|&(_, at)| at > depth) {
                prefixes.pop();
            }
        }
    }
}

/// One element of a document being read: its name, then either its text or
/// its child elements, in order. A child left unread (or half read) is skipped
/// when the next one is asked for.
#[derive(Debug)]
pub struct Element<'r, 'i> {
    reader: &'r mut Reader<'i>,
    name: &'i str,
    /// Where its start tag begins.
    at: usize,
    /// The open elements while inside it (it included).
    depth: usize,
    /// Whether its end tag is still to be read.
    open: bool,
}

impl<'i> Element<'_, 'i> {
    /// The local name (a namespace prefix left out).
    pub fn name(&self) -> &'i str {
        self.name
    }

    /// The next child element, skipping text, comments and what is left of
    /// the previous child; `None` once the element is closed.
    pub fn next_child(&mut self) -> Result<Option<Element<'_, 'i>>, String> {
        if !self.open {
            return Ok(None);
        }
        self.reader.skip_to(self.depth)?;
        loop {
            match self.reader.next_event()? {
                Event::Start { name, empty, at } => {
                    let depth = self.reader.open.len();
                    return Ok(Some(Element { reader: &mut *self.reader, name, at, depth, open: !empty }));
                }
                Event::Text { .. } => {}
                Event::End => {
                    self.open = false;
                    return Ok(None);
                }
                Event::Eof => return Err(self.reader.fail("answer is not well-formed XML: it ends early".to_owned())),
            }
        }
    }

    /// The text directly inside the element, references and CDATA decoded and
    /// line ends normalized as XML reads them (child elements are skipped);
    /// `""` for an empty element. Reads the element to its end.
    pub fn text(&mut self) -> Result<Cow<'i, str>, String> {
        let mut text = Cow::Borrowed("");
        if !self.open {
            return Ok(text);
        }
        self.reader.skip_to(self.depth)?;
        loop {
            match self.reader.next_event()? {
                Event::Text { raw, cdata } => {
                    let piece = decode(raw, cdata).map_err(|e| self.reader.fail(e))?;
                    if text.is_empty() {
                        text = piece;
                    } else {
                        text.to_mut().push_str(&piece);
                    }
                }
                Event::Start { empty: false, .. } => self.reader.skip_to(self.depth)?,
                Event::Start { .. } => {}
                Event::End => {
                    self.open = false;
                    return Ok(text);
                }
                Event::Eof => return Err(self.reader.fail("answer is not well-formed XML: it ends early".to_owned())),
            }
        }
    }

    /// [`Element::text`], owned.
    pub fn string(&mut self) -> Result<String, String> {
        self.text().map(Cow::into_owned)
    }

    /// Reads the element to its end; where it is in the document, from its
    /// `<` to after its `>`, for [`Reader::element_at`]. Asked for before
    /// anything after the element is read.
    pub fn span(&mut self) -> Result<Range<usize>, String> {
        if self.open {
            self.reader.skip_to(self.depth - 1)?;
            self.open = false;
        }
        Ok(self.at..self.reader.last_end)
    }
}

/// Character data as XML reads it: `&lt;`, `&gt;`, `&amp;`, `&apos;`, `&quot;`
/// and character references decoded (not in CDATA), CR LF and lone CR read as LF.
fn decode(raw: &str, cdata: bool) -> Result<Cow<'_, str>, String> {
    let special = |b: &u8| *b == b'\r' || (!cdata && *b == b'&');
    if !raw.as_bytes().iter().any(special) {
        return Ok(Cow::Borrowed(raw));
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(at) = rest.bytes().position(|b| special(&b)) {
        out.push_str(&rest[..at]);
        if rest.as_bytes()[at] == b'\r' {
            out.push('\n');
            rest = &rest[at + 1..];
            rest = rest.strip_prefix('\n').unwrap_or(rest);
            continue;
        }
        let after = &rest[at + 1..];
        let end = after.find(';').filter(|&end| end <= 10).ok_or_else(|| "an `&` that starts no reference".to_owned())?;
        out.push(reference(&after[..end])?);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(Cow::Owned(out))
}

/// The character a reference (between `&` and `;`) stands for.
fn reference(name: &str) -> Result<char, String> {
    let code = match name {
        "lt" => return Ok('<'),
        "gt" => return Ok('>'),
        "amp" => return Ok('&'),
        "apos" => return Ok('\''),
        "quot" => return Ok('"'),
        _ => match name.strip_prefix("#x") {
            Some(hex) if !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit()) => u32::from_str_radix(hex, 16).ok(),
            Some(_) => None,
            None => name
                .strip_prefix('#')
                .filter(|dec| !dec.is_empty() && dec.bytes().all(|b| b.is_ascii_digit()))
                .and_then(|dec| dec.parse().ok()),
        },
    };
    code.and_then(char::from_u32)
        .filter(|&c| is_xml_char(c))
        .ok_or_else(|| format!("answer is not well-formed XML: unknown reference &{};", cut(name)))
}

/// `Char` of XML 1.0.
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
}

fn is_xml_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

/// A name from the answer, cut to [`NAME_SHOWN`] bytes (on a character
/// boundary), so that a hostile one cannot balloon an error.
pub(crate) fn cut(name: &str) -> &str {
    let mut end = name.len().min(NAME_SHOWN);
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    &name[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each element as `name(text)` or `name[children]`, read with the cursors.
    fn shape(e: &mut Element<'_, '_>) -> Result<String, String> {
        let mut kids = Vec::new();
        let name = e.name();
        while let Some(mut child) = e.next_child()? {
            let leaf = matches!(child.name(), "b" | "c" | "d");
            kids.push(if leaf { format!("{}({})", child.name(), child.text()?) } else { shape(&mut child)? });
        }
        Ok(format!("{name}[{}]", kids.join(",")))
    }

    fn read(doc: &[u8]) -> Result<String, String> {
        let mut reader = Reader::new(doc)?;
        let shown = shape(&mut reader.root()?)?;
        reader.finish()?;
        Ok(shown)
    }

    #[test]
    fn decodes_references_cdata_and_line_ends() {
        let doc = "\u{feff}<?xml version=\"1.0\"?><!-- c --><a xmlns=\"urn:x\" k='v'><b>x &amp; &lt;y&gt; &#x1F680;&#65;</b>\
                   <c/><d><![CDATA[<raw>&amp;]]>\r\n+\r</d><e><f/><?pi x?></e></a>\n";
        assert_eq!(read(doc.as_bytes()).unwrap(), "a[b(x & <y> 🚀A),c(),d(<raw>&amp;\n+\n),e[f[]]]");
    }

    #[test]
    fn skips_what_is_not_read() {
        let doc = b"<a><x><y><z>deep</z></y>tail</x><b>1</b><x/><b>2<q><r/></q>3</b></a>";
        let mut reader = Reader::new(doc).unwrap();
        let mut root = reader.root().unwrap();
        let mut texts = Vec::new();
        while let Some(mut child) = root.next_child().unwrap() {
            if child.name() == "b" {
                texts.push(child.string().unwrap());
            }
        }
        assert_eq!(texts, ["1", "23"]);
        reader.finish().unwrap();
    }

    #[test]
    fn spans_read_again_as_elements() {
        let doc = "<r><p:Error xmlns:p=\"urn:p\"><Code>X</Code></p:Error><RequestId>1</RequestId></r>";
        let mut reader = Reader::new(doc.as_bytes()).unwrap();
        let mut root = reader.root().unwrap();
        let mut child = root.next_child().unwrap().unwrap();
        let span = child.span().unwrap();
        assert_eq!(&doc[span.clone()], "<p:Error xmlns:p=\"urn:p\"><Code>X</Code></p:Error>");
        let mut again = Reader::element_at(doc, span);
        assert_eq!(shape(&mut again.root().unwrap()).unwrap(), "Error[Code[]]");
    }

    #[test]
    fn refuses_dtds_garbage_and_depth() {
        let bomb = b"<?xml version=\"1.0\"?><!DOCTYPE l [<!ENTITY a \"aaaa\"><!ENTITY b \"&a;&a;&a;\">]><l>&b;</l>";
        for bad in [
            &bomb[..],
            b"<!doctype html><html><body>500</body></html>",
            b"<a><b></a>",
            b"<a><b>x</b>",
            b"<a></a><a></a>",
            b"<a></a>text",
            b"text<a></a>",
            b"<a><b>&bogus;</b></a>",
            b"<a><b>&#0;</b></a>",
            b"<a><b>& x</b></a>",
            b"\xff\xfe<a/>",
            b"",
            b"   ",
        ] {
            assert!(read(bad).is_err(), "{:?}", String::from_utf8_lossy(bad));
        }
        let deep = |n: usize| format!("{}{}", "<x>".repeat(n), "</x>".repeat(n));
        assert!(read(deep(MAX_DEPTH).as_bytes()).is_ok());
        let err = read(deep(MAX_DEPTH + 1).as_bytes()).unwrap_err();
        assert!(err.contains("deeper than 128"), "{err}");
    }

    #[test]
    fn namespace_prefixes_bound_at_once_are_limited() {
        let start = |name: &str, k: usize| {
            let mut tag = format!("<{name}");
            for i in 0..k {
                tag.push_str(&format!(" xmlns:p{i}='u'"));
            }
            tag + ">"
        };
        let root = |k: usize| start("a", k);
        // The most there may be, the last used: read, and a prefix not bound is still refused.
        let doc = format!("{}<p{}:b>1</p{}:b></a>", root(MAX_PREFIXES), MAX_PREFIXES - 1, MAX_PREFIXES - 1);
        assert_eq!(read(doc.as_bytes()).unwrap(), "a[b(1)]");
        assert!(read(format!("{}<q:b/></a>", root(MAX_PREFIXES)).as_bytes()).unwrap_err().contains("not declared"));
        // Bound in nested elements, they count together, and are unbound as those close.
        let nested = format!("<a xmlns:x='u'>{}</c></a>", start("c", MAX_PREFIXES));
        assert!(read(nested.as_bytes()).unwrap_err().contains("more than 64"));
        let siblings =
            format!("<a xmlns:x='u'>{}</c>{}</c></a>", start("c", MAX_PREFIXES - 1), start("c", MAX_PREFIXES - 1));
        assert_eq!(read(siblings.as_bytes()).unwrap(), "a[c(),c()]");
        // One more is refused by name, before the document is read further: a
        // root binding 20,000 and 200,000 elements naming the last would
        // otherwise cost a search of them all per element.
        let mut hostile = root(20_000);
        for _ in 0..200_000 {
            hostile.push_str("<p19999:b/>");
        }
        hostile.push_str("</a>");
        let err = read(hostile.as_bytes()).unwrap_err();
        assert!(err.contains("more than 64 namespace prefixes at once (xmlns:p64)"), "{err}");
    }

    #[test]
    fn errors_cut_names_from_the_answer() {
        let long = "é".repeat(1000);
        let err = read(format!("<{long}></x>").as_bytes()).unwrap_err();
        assert!(err.len() < 120, "{} bytes", err.len());
        assert!(err.contains(&format!("<{}>", "é".repeat(32))), "{err}");
    }

    #[test]
    fn checks_attributes_and_prefixes_as_a_tree_parser_does() {
        for bad in [
            &b"<a b='&bogus;'/>"[..],
            b"<a b='x' b='y'/>",
            b"<a b='<'/>",
            b"<p:a/>",
            b"<a p:b='1'/>",
            b"<a><p:b xmlns:p='urn:p'/><p:c/></a>",
        ] {
            assert!(read(bad).is_err(), "{:?}", String::from_utf8_lossy(bad));
        }
        let good = b"<p:a xmlns:p='urn:p' xml:lang='en' b='&amp;'><p:b p:c='1'/><e xmlns:q='urn:q'><q:d/></e></p:a>";
        assert_eq!(read(good).unwrap(), "a[b(),e[d()]]");
    }

    #[test]
    fn an_error_stays() {
        let mut reader = Reader::new(b"<a><b>1</c><d/></a>").unwrap();
        let mut root = reader.root().unwrap();
        let first = root.next_child().unwrap().unwrap().text().unwrap_err();
        assert!(first.contains("</c> closes <b>"), "{first}");
        assert_eq!(root.next_child().unwrap_err(), first);
        assert_eq!(reader.finish().unwrap_err(), first);
    }
}
