//! botocore's documentation HTML to the Markdown of rustdoc comments.
//!
//! botocore's `documentation` strings are HTML fragments written for the AWS
//! API reference: `<p>`, `<ul>/<ol>/<li>` (nested), `<code>`, `<a href>`,
//! `<b>/<strong>`, `<i>/<em>`, `<note>`/`<important>`, `<dl>/<dt>/<dd>`,
//! `<pre>`, `<br>`, entities, and now and then a tag of the documentation
//! toolchain (`<fullname>`, `<zonbook>`, `<replaceable>`, `<link linkend>`) or
//! an unclosed `<p>`. [`to_markdown`] parses such a fragment leniently (as a
//! browser would: an unclosed `<p>` ends where the next block starts) and
//! writes Markdown that rustdoc renders as intended:
//!
//! - blocks are separated by a blank line; lists are tight (no blank line
//!   inside), nested lists indented under their item;
//! - `<pre>` becomes a ```` ```text ```` fence (an unlabelled fence or an
//!   indented block would be compiled as a doctest), and no line is ever
//!   indented outside a list;
//! - literal text never turns into markup: `<` is written `\<` (so
//!   `List<String>` is no HTML tag), `*` is `\*`, a backtick is `&#96;`, an
//!   `&` that would read as an entity is `&amp;`, and a line that would start
//!   a heading, quote, list or fence has its first character escaped. `[` and
//!   `]` are left to the generator, which escapes them outside code spans;
//! - bare URLs become autolinks (`<https://...>`), which rustdoc's `bare_urls`
//!   lint asks for;
//! - a tag it does not know is dropped and its text kept; an unknown tag that
//!   is never closed is text, not markup (`arn:aws:x:<region>:<account-id>`).

/// Converts one botocore documentation string. The result has no leading or
/// trailing whitespace and no raw HTML.
pub fn to_markdown(html: &str) -> String {
    let tokens = tokenize(html);
    let tree = build_tree(tokens);
    let mut r = Renderer::default();
    let blocks = r.blocks(&tree);
    blocks.join("\n\n").trim().to_owned()
}

// ---------------------------------------------------------------- tokens

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Text(String),
    Start { name: String, attrs: Vec<(String, String)>, raw: String, self_closing: bool },
    End { name: String },
}

/// Splits HTML into text (entities decoded) and tags. A `<` that does not
/// begin a well-formed tag is text.
fn tokenize(s: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut text = String::new();
    let mut rest = s;
    while let Some(lt) = rest.find('<') {
        text.push_str(&rest[..lt]);
        let after = &rest[lt..];
        if let Some(end) = after.strip_prefix("<!--").and_then(|a| a.find("-->")) {
            rest = &after[4 + end + 3..];
            continue;
        }
        match parse_tag(after) {
            Some((token, len)) => {
                if !text.is_empty() {
                    out.push(Token::Text(decode_entities(&std::mem::take(&mut text))));
                }
                out.push(token);
                rest = &after[len..];
            }
            None => {
                text.push('<');
                rest = &after[1..];
            }
        }
    }
    text.push_str(rest);
    if !text.is_empty() {
        out.push(Token::Text(decode_entities(&text)));
    }
    out
}

/// A tag at the start of `s` (which starts with `<`): the token and its length.
fn parse_tag(s: &str) -> Option<(Token, usize)> {
    let bytes = s.as_bytes();
    let mut i = 1;
    let closing = bytes.get(i) == Some(&b'/');
    if closing {
        i += 1;
    }
    let name_start = i;
    if !bytes.get(i)?.is_ascii_alphabetic() {
        return None;
    }
    while bytes.get(i).is_some_and(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':')) {
        i += 1;
    }
    let name = s[name_start..i].to_ascii_lowercase();
    let mut attrs = Vec::new();
    let mut self_closing = false;
    loop {
        while bytes.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        match bytes.get(i)? {
            b'>' => {
                i += 1;
                break;
            }
            b'/' if bytes.get(i + 1) == Some(&b'>') => {
                self_closing = true;
                i += 2;
                break;
            }
            b'<' => return None,
            _ => {}
        }
        let a_start = i;
        while bytes.get(i).is_some_and(|b| !b.is_ascii_whitespace() && !matches!(b, b'=' | b'>' | b'<' | b'/')) {
            i += 1;
        }
        if i == a_start {
            // A stray character such as `/` or `=`: skip it.
            i += 1;
            continue;
        }
        let a_name = s[a_start..i].to_ascii_lowercase();
        while bytes.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        let mut value = String::new();
        if bytes.get(i) == Some(&b'=') {
            i += 1;
            while bytes.get(i).is_some_and(u8::is_ascii_whitespace) {
                i += 1;
            }
            match bytes.get(i)? {
                q @ (b'"' | b'\'') => {
                    let close = s[i + 1..].find(*q as char)?;
                    value = decode_entities(&s[i + 1..i + 1 + close]);
                    i += close + 2;
                }
                _ => {
                    let v_start = i;
                    while bytes.get(i).is_some_and(|b| !b.is_ascii_whitespace() && *b != b'>') {
                        i += 1;
                    }
                    value = decode_entities(&s[v_start..i]);
                }
            }
        }
        attrs.push((a_name, value));
    }
    let raw = s[..i].to_owned();
    let token = if closing { Token::End { name } } else { Token::Start { name, attrs, raw, self_closing } };
    Some((token, i))
}

/// Decodes character references; one it does not know stays as written.
pub fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let end = after.find(';').filter(|&e| e > 0 && e <= 32);
        let decoded = end.and_then(|e| entity(&after[..e]));
        match (end, decoded) {
            (Some(e), Some(c)) => {
                out.push(c);
                rest = &after[e + 1..];
            }
            _ => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let n = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse::<u32>().ok()?,
        };
        // As browsers do: references to 0x80..0x9F mean Windows-1252 characters.
        let n = match n {
            0x80 => 0x20AC,
            0x85 => 0x2026,
            0x91 => 0x2018,
            0x92 => 0x2019,
            0x93 => 0x201C,
            0x94 => 0x201D,
            0x95 => 0x2022,
            0x96 => 0x2013,
            0x97 => 0x2014,
            0x99 => 0x2122,
            n => n,
        };
        return char::from_u32(n).filter(|c| *c != '\0');
    }
    Some(match name {
        "lt" => '<',
        "gt" => '>',
        "amp" => '&',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{A0}',
        "ndash" => '\u{2013}',
        "mdash" => '\u{2014}',
        "lsquo" => '\u{2018}',
        "rsquo" => '\u{2019}',
        "ldquo" => '\u{201C}',
        "rdquo" => '\u{201D}',
        "hellip" => '\u{2026}',
        "bull" => '\u{2022}',
        "middot" => '\u{B7}',
        "copy" => '\u{A9}',
        "reg" => '\u{AE}',
        "trade" => '\u{2122}',
        "times" => '\u{D7}',
        "deg" => '\u{B0}',
        "plusmn" => '\u{B1}',
        "laquo" => '\u{AB}',
        "raquo" => '\u{BB}',
        "sect" => '\u{A7}',
        "para" => '\u{B6}',
        "euro" => '\u{20AC}',
        "pound" => '\u{A3}',
        "yen" => '\u{A5}',
        "cent" => '\u{A2}',
        "larr" => '\u{2190}',
        "rarr" => '\u{2192}',
        "le" => '\u{2264}',
        "ge" => '\u{2265}',
        _ => return None,
    })
}

// ---------------------------------------------------------------- tree

#[derive(Debug, Clone)]
enum Node {
    Text(String),
    Element { name: String, attrs: Vec<(String, String)>, children: Vec<Node> },
}

/// Tags rendered as their own blocks.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "para",
    "note",
    "important",
    "fullname",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "pre",
    "table",
    "tr",
    "td",
    "th",
    "thead",
    "tbody",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "title",
    "section",
];
/// Tags that never have content.
const VOID: &[&str] = &["br", "hr", "img", "wbr"];
/// Tags with a meaning here; any other tag is dropped (its text kept), or is
/// text itself when it is never closed.
const KNOWN: &[&str] = &[
    "a",
    "b",
    "strong",
    "i",
    "em",
    "emphasis",
    "replaceable",
    "code",
    "filename",
    "u",
    "sup",
    "sub",
    "span",
    "link",
    "ulink",
    "zonbook",
    "xhtml",
    "br",
    "hr",
    "img",
    "wbr",
];

fn is_known(name: &str) -> bool {
    BLOCKS.contains(&name) || KNOWN.contains(&name)
}

/// Builds the element tree, closing what HTML closes implicitly (`<p>` before
/// a block, `<li>` before the next `<li>`, `<dt>`/`<dd>` before the next).
fn build_tree(tokens: Vec<Token>) -> Vec<Node> {
    // Unknown tags that are never closed are text (`<region>` in an ARN).
    let mut open_unknown: Vec<usize> = Vec::new();
    let mut literal = vec![false; tokens.len()];
    for (i, t) in tokens.iter().enumerate() {
        match t {
            Token::Start { name, self_closing: false, .. } if !is_known(name) => open_unknown.push(i),
            Token::End { name } if !is_known(name) => {
                if let Some(pos) =
                    open_unknown.iter().rposition(|&j| matches!(&tokens[j], Token::Start { name: n, .. } if n == name))
                {
                    open_unknown.remove(pos);
                } else {
                    literal[i] = true;
                }
            }
            _ => {}
        }
    }
    for j in open_unknown {
        literal[j] = true;
    }

    struct Open {
        name: String,
        attrs: Vec<(String, String)>,
        children: Vec<Node>,
    }
    let mut stack: Vec<Open> = vec![Open { name: String::new(), attrs: Vec::new(), children: Vec::new() }];
    fn close_top(stack: &mut Vec<Open>) {
        if stack.len() > 1 {
            let top = stack.pop().expect("stack has a root");
            let node = Node::Element { name: top.name, attrs: top.attrs, children: top.children };
            stack.last_mut().expect("stack has a root").children.push(node);
        }
    }
    fn close_to(stack: &mut Vec<Open>, name: &str) -> bool {
        match stack.iter().skip(1).rposition(|o| o.name == name) {
            Some(pos) => {
                while stack.len() > pos + 1 {
                    close_top(stack);
                }
                true
            }
            None => false,
        }
    }
    fn push_text(stack: &mut [Open], text: String) {
        let children = &mut stack.last_mut().expect("stack has a root").children;
        match children.last_mut() {
            Some(Node::Text(t)) => t.push_str(&text),
            _ => children.push(Node::Text(text)),
        }
    }
    for (i, token) in tokens.into_iter().enumerate() {
        if literal[i] {
            let raw = match token {
                Token::Start { raw, .. } => decode_entities(&raw),
                Token::End { name } => format!("</{name}>"),
                Token::Text(t) => t,
            };
            push_text(&mut stack, raw);
            continue;
        }
        match token {
            Token::Text(t) => push_text(&mut stack, t),
            Token::Start { name, attrs, self_closing, .. } => {
                let top = stack.last().map(|o| o.name.as_str()).unwrap_or_default();
                if BLOCKS.contains(&name.as_str()) && top == "p" {
                    close_top(&mut stack);
                }
                match name.as_str() {
                    "li" => {
                        // A new item closes the open one of the same list.
                        let list = stack.iter().rposition(|o| matches!(o.name.as_str(), "ul" | "ol"));
                        let item = stack.iter().rposition(|o| o.name == "li");
                        if let (Some(l), Some(it)) = (list, item)
                            && it > l
                        {
                            close_to(&mut stack, "li");
                        }
                    }
                    "dt" | "dd" => {
                        let list = stack.iter().rposition(|o| o.name == "dl");
                        let item = stack.iter().rposition(|o| matches!(o.name.as_str(), "dt" | "dd"));
                        if let Some(it) = item
                            && list.is_none_or(|l| it > l)
                        {
                            while stack.len() > it {
                                close_top(&mut stack);
                            }
                        }
                    }
                    _ => {}
                }
                if self_closing || VOID.contains(&name.as_str()) {
                    stack.last_mut().expect("stack has a root").children.push(Node::Element {
                        name,
                        attrs,
                        children: Vec::new(),
                    });
                } else {
                    stack.push(Open { name, attrs, children: Vec::new() });
                }
            }
            Token::End { name } => {
                // A stray end tag (`</p>` with no `<p>`) is dropped.
                close_to(&mut stack, &name);
            }
        }
    }
    while stack.len() > 1 {
        close_top(&mut stack);
    }
    stack.pop().map(|root| root.children).unwrap_or_default()
}

// ---------------------------------------------------------------- rendering

fn attr<'a>(attrs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    attrs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// All the text under `nodes`, tags dropped.
fn plain_text(nodes: &[Node], out: &mut String) {
    for n in nodes {
        match n {
            Node::Text(t) => out.push_str(t),
            Node::Element { name, .. } if name == "br" => out.push(' '),
            Node::Element { children, .. } => plain_text(children, out),
        }
    }
}

fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{A0}' || c == '\u{FEFF}'
}

/// Collapses whitespace runs to one space and drops control characters.
fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if is_space(c) {
            space = true;
        } else if c.is_control() {
            continue;
        } else {
            if space {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    if space && !out.is_empty() {
        out.push(' ');
    }
    out
}

/// Marker of a hard line break inside inline text, resolved when a block is finished.
const BREAK: char = '\u{E000}';

#[derive(Default)]
struct Renderer {
    /// The paragraph being built (inline Markdown).
    inline: String,
}

impl Renderer {
    /// Renders `nodes` as a sequence of blocks.
    fn blocks(&mut self, nodes: &[Node]) -> Vec<String> {
        let mut out = Vec::new();
        let saved = std::mem::take(&mut self.inline);
        for n in nodes {
            self.node(n, &mut out);
        }
        self.flush(&mut out);
        self.inline = saved;
        out
    }

    fn flush(&mut self, out: &mut Vec<String>) {
        let text = std::mem::take(&mut self.inline);
        if let Some(block) = finish_paragraph(&text) {
            out.push(block);
        }
    }

    fn node(&mut self, n: &Node, out: &mut Vec<String>) {
        match n {
            Node::Text(t) => self.text(t),
            Node::Element { name, attrs, children } => match name.as_str() {
                "ul" | "ol" => {
                    self.flush(out);
                    if let Some(list) = self.list(children, name == "ol") {
                        out.push(list);
                    }
                }
                "dt" => {
                    self.flush(out);
                    let mut sub = Renderer::default();
                    sub.strong(children);
                    sub.flush(out);
                }
                "pre" => {
                    self.flush(out);
                    let mut code = String::new();
                    plain_text(children, &mut code);
                    if let Some(block) = fence(&code) {
                        out.push(block);
                    }
                }
                "br" => self.inline.push(BREAK),
                "zonbook" | "xhtml" => {}
                b if BLOCKS.contains(&b) => {
                    self.flush(out);
                    out.extend(self.blocks(children));
                }
                _ => self.inline_element(name, attrs, children),
            },
        }
    }

    fn list(&mut self, items: &[Node], ordered: bool) -> Option<String> {
        // Content outside any `<li>` is treated as an item of its own.
        let mut groups: Vec<Vec<Node>> = Vec::new();
        let mut loose: Vec<Node> = Vec::new();
        for n in items {
            match n {
                Node::Element { name, children, .. } if name == "li" => {
                    if !loose.is_empty() {
                        groups.push(std::mem::take(&mut loose));
                    }
                    groups.push(children.clone());
                }
                Node::Text(t) if t.chars().all(is_space) => {}
                other => loose.push(other.clone()),
            }
        }
        if !loose.is_empty() {
            groups.push(loose);
        }
        let mut lines: Vec<String> = Vec::new();
        let mut number = 0;
        for g in groups {
            let blocks = Renderer::default().blocks(&g);
            if blocks.is_empty() {
                continue;
            }
            number += 1;
            let marker = if ordered { format!("{number}. ") } else { "- ".to_owned() };
            let indent = " ".repeat(marker.len());
            let mut first = true;
            for (bi, block) in blocks.iter().enumerate() {
                if bi > 0 {
                    let prev = block_kind(&blocks[bi - 1]);
                    match (prev, block_kind(block)) {
                        // Paragraphs of one item are kept apart by a hard break: the list stays tight.
                        (Block::Paragraph, Block::Paragraph) => {
                            if let Some(last) = lines.last_mut() {
                                last.push('\\');
                            }
                        }
                        // A list or a fence may follow a paragraph's line directly.
                        (Block::Paragraph, _) => {}
                        // After a nested list or a fence, only a blank line keeps what follows in this item.
                        _ => lines.push(String::new()),
                    }
                }
                for line in block.lines() {
                    if first {
                        lines.push(format!("{marker}{line}"));
                        first = false;
                    } else if line.is_empty() {
                        lines.push(String::new());
                    } else {
                        lines.push(format!("{indent}{line}"));
                    }
                }
            }
        }
        (!lines.is_empty()).then(|| lines.join("\n"))
    }

    fn strong(&mut self, children: &[Node]) {
        self.wrap("**", children);
    }

    /// Renders `children` inline between `marker`s, with the whitespace at
    /// their edges moved outside (`** a **` would not be emphasis).
    fn wrap(&mut self, marker: &str, children: &[Node]) {
        let saved = std::mem::take(&mut self.inline);
        let mut sink = Vec::new();
        for c in children {
            self.node(c, &mut sink);
        }
        let inner = std::mem::replace(&mut self.inline, saved);
        // Blocks inside inline markup (rare) are flattened into the text.
        let mut inner = inner;
        for b in sink {
            inner.push(' ');
            inner.push_str(&b);
        }
        let trimmed = inner.trim_matches(|c: char| c == ' ' || c == BREAK);
        if trimmed.is_empty() {
            self.inline.push_str(&inner);
            return;
        }
        let lead = &inner[..inner.len() - inner.trim_start_matches([' ', BREAK]).len()];
        let tail = &inner[inner.trim_end_matches([' ', BREAK]).len()..];
        // Nested emphasis of the same kind would close early; drop the inner marker.
        let body = if trimmed.starts_with(marker) && trimmed.ends_with(marker) && trimmed.len() > 2 * marker.len() {
            trimmed.to_owned()
        } else {
            format!("{marker}{trimmed}{marker}")
        };
        self.inline.push_str(lead);
        self.inline.push_str(&body);
        self.inline.push_str(tail);
    }

    fn inline_element(&mut self, name: &str, attrs: &[(String, String)], children: &[Node]) {
        match name {
            "code" | "filename" => {
                let mut text = String::new();
                plain_text(children, &mut text);
                let lead = text.starts_with(is_space);
                let tail = text.ends_with(is_space);
                let code = collapse(&text);
                let code = code.trim();
                if lead {
                    self.inline.push(' ');
                }
                if !code.is_empty() {
                    self.inline.push_str(&code_span(code));
                }
                if tail {
                    self.inline.push(' ');
                }
            }
            "b" | "strong" => self.wrap("**", children),
            "i" | "em" | "emphasis" | "replaceable" => self.wrap("*", children),
            "a" | "ulink" => {
                let href = attr(attrs, "href").or_else(|| attr(attrs, "url")).map(str::trim).unwrap_or_default();
                let absolute =
                    href.starts_with("https://") || href.starts_with("http://") || href.starts_with("mailto:");
                if !absolute {
                    for c in children {
                        self.node(c, &mut Vec::new());
                    }
                    return;
                }
                let url = link_url(href);
                let saved = std::mem::take(&mut self.inline);
                for c in children {
                    self.node(c, &mut Vec::new());
                }
                let inner = std::mem::replace(&mut self.inline, saved);
                let label = inner.trim_matches(|c: char| c == ' ' || c == BREAK);
                if inner.starts_with(' ') {
                    self.inline.push(' ');
                }
                let mut plain = String::new();
                plain_text(children, &mut plain);
                if label.is_empty() || collapse(&plain).trim() == href {
                    self.inline.push_str(&autolink(href));
                } else {
                    self.inline.push_str(&format!("[{label}]({url})"));
                }
                if inner.ends_with(' ') && !label.is_empty() {
                    self.inline.push(' ');
                }
            }
            _ => {
                for c in children {
                    self.node(c, &mut Vec::new());
                }
            }
        }
    }

    fn text(&mut self, t: &str) {
        let collapsed = collapse(t);
        // One space between pieces, never two, never at a paragraph's start.
        let collapsed = if self.inline.is_empty() || self.inline.ends_with(' ') || self.inline.ends_with(BREAK) {
            collapsed.trim_start().to_owned()
        } else {
            collapsed
        };
        self.inline.push_str(&escape_text(&collapsed));
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Block {
    Paragraph,
    List,
    Fence,
}

fn block_kind(block: &str) -> Block {
    if block.starts_with("```") {
        Block::Fence
    } else if is_list_line(block) {
        Block::List
    } else {
        Block::Paragraph
    }
}

fn is_list_line(block: &str) -> bool {
    block.starts_with("- ")
        || block.split_once(". ").is_some_and(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
}

/// A code span around `code` (no backtick inside may close it).
fn code_span(code: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    for c in code.chars() {
        if c == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    if longest == 0 {
        return format!("`{code}`");
    }
    let fence = "`".repeat(longest + 1);
    format!("{fence} {code} {fence}")
}

/// A fenced `text` block (not a doctest) around preformatted `code`.
fn fence(code: &str) -> Option<String> {
    let lines: Vec<String> = code
        .replace("\r\n", "\n")
        .lines()
        .map(|l| {
            l.chars()
                .filter(|c| !c.is_control() || *c == '\t')
                .collect::<String>()
                .replace('\t', "    ")
                .trim_end()
                .to_owned()
        })
        .collect();
    let start = lines.iter().position(|l| !l.is_empty())?;
    let end = lines.iter().rposition(|l| !l.is_empty())?;
    let body = &lines[start..=end];
    let mut ticks = 3;
    while body.iter().any(|l| l.trim_start().starts_with(&"`".repeat(ticks))) {
        ticks += 1;
    }
    let f = "`".repeat(ticks);
    Some(format!("{f}text\n{}\n{f}", body.join("\n")))
}

/// Percent-encodes what would end or break a Markdown link destination.
fn link_url(href: &str) -> String {
    let mut out = String::with_capacity(href.len());
    for c in href.chars() {
        match c {
            ' ' => out.push_str("%20"),
            '(' => out.push_str("%28"),
            ')' => out.push_str("%29"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            '`' => out.push_str("%60"),
            c if c.is_control() || is_space(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// `<url>`, with what may not stand in an autolink percent-encoded.
fn autolink(url: &str) -> String {
    let mut out = String::from("<");
    for c in url.chars() {
        match c {
            ' ' => out.push_str("%20"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            '`' => out.push_str("%60"),
            c if c.is_control() || is_space(c) => {}
            c => out.push(c),
        }
    }
    out.push('>');
    out
}

/// Escapes Markdown in plain text, and turns bare URLs into autolinks.
fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let mut i = 0;
    let b = s.as_bytes();
    while i < s.len() {
        let rest = &s[i..];
        let at_word_start = i == 0 || !b[i - 1].is_ascii_alphanumeric();
        if at_word_start && (rest.starts_with("https://") || rest.starts_with("http://")) {
            let len = url_len(rest);
            if len > rest.find("://").unwrap_or(0) + 3 {
                out.push_str(&autolink(&rest[..len]));
                i += len;
                continue;
            }
        }
        let c = rest.chars().next().expect("i is inside s");
        match c {
            '<' => out.push_str("\\<"),
            '*' => out.push_str("\\*"),
            '`' => out.push_str("&#96;"),
            '\\' if rest[1..].starts_with(|n: char| n.is_ascii_punctuation()) => out.push_str("\\\\"),
            '&' if looks_like_entity(&rest[1..]) => out.push_str("&amp;"),
            c => out.push(c),
        }
        i += c.len_utf8();
    }
    out
}

fn looks_like_entity(after_amp: &str) -> bool {
    match after_amp.find(';') {
        Some(e) if e > 0 && e <= 32 => {
            let name = &after_amp[..e];
            name.strip_prefix('#').map_or(name.chars().all(|c| c.is_ascii_alphanumeric()), |n| {
                !n.is_empty() && n.chars().all(|c| c.is_ascii_hexdigit() || c == 'x' || c == 'X')
            })
        }
        _ => false,
    }
}

/// Length of the URL at the start of `s`: up to whitespace or a character
/// that cannot be in one, without trailing punctuation (or an unbalanced `)`).
fn url_len(s: &str) -> usize {
    let mut end = s.find(|c: char| is_space(c) || matches!(c, '<' | '>' | '"' | '`' | '\'' | BREAK)).unwrap_or(s.len());
    loop {
        let t = &s[..end];
        let Some(last) = t.chars().last() else { return 0 };
        let unbalanced_paren = last == ')' && t.matches('(').count() < t.matches(')').count();
        if matches!(last, '.' | ',' | ';' | ':' | '!' | '?' | ']' | '*') || unbalanced_paren {
            end -= last.len_utf8();
        } else {
            return end;
        }
    }
}

/// Turns inline text into a paragraph block: breaks resolved, lines that
/// would start Markdown blocks escaped. `None` when it is empty.
fn finish_paragraph(text: &str) -> Option<String> {
    let text = text.trim_matches(|c: char| c == ' ' || c == BREAK);
    if text.is_empty() {
        return None;
    }
    let lines: Vec<String> =
        text.split(BREAK).map(|l| l.trim()).filter(|l| !l.is_empty()).map(escape_line_start).collect();
    Some(lines.join("\\\n"))
}

/// Escapes the start of a line that Markdown would read as a block marker.
fn escape_line_start(line: &str) -> String {
    let first = line.chars().next().unwrap_or(' ');
    let second = line.chars().nth(1);
    let marker = match first {
        '#' | '>' | '=' | '|' | '~' => true,
        '-' | '+' => second.is_none_or(|c| c == ' ' || c == first),
        '_' => line.chars().all(|c| c == '_' || c == ' '),
        _ => false,
    };
    if marker {
        return format!("\\{line}");
    }
    // `1. ` or `1) ` would start an ordered list.
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    if (1..=9).contains(&digits) {
        let rest = &line[digits..];
        if (rest.starts_with(". ") || rest.starts_with(") ") || rest == "." || rest == ")")
            && let Some(p) = rest.chars().next()
        {
            return format!("{}\\{p}{}", &line[..digits], &rest[1..]);
        }
    }
    line.to_owned()
}

#[cfg(test)]
mod tests {
    use super::to_markdown as md;

    #[test]
    fn paragraphs_and_whitespace() {
        assert_eq!(md("<p>One.</p> <p>Two\n   lines.</p>"), "One.\n\nTwo lines.");
        assert_eq!(md("plain text"), "plain text");
        assert_eq!(md(""), "");
        assert_eq!(md("<p></p><p>  </p>"), "");
    }

    #[test]
    fn unclosed_paragraphs_end_at_the_next_block() {
        // autoscaling, DescribeAutoScalingGroups: `<p>` left open before a list.
        assert_eq!(md("<p>Gets information.<ul><li><p>a</p></li></ul><p>After."), "Gets information.\n\n- a\n\nAfter.");
        assert_eq!(md("<p>First<p>Second"), "First\n\nSecond");
    }

    #[test]
    fn code_links_and_emphasis_from_codedeploy() {
        let html = "<p>Sets the result of a Lambda validation function. The function validates lifecycle hooks during a deployment that uses the Lambda or Amazon ECS compute platform. For Lambda deployments, the available lifecycle hooks are <code>BeforeAllowTraffic</code> and <code>AfterAllowTraffic</code>. For more information, see <a href=\"https://docs.aws.amazon.com/codedeploy/latest/userguide/reference-appspec-file-structure-hooks.html#appspec-hooks-lambda\">AppSpec 'hooks' Section for a Lambda Deployment </a>.</p>";
        assert_eq!(
            md(html),
            "Sets the result of a Lambda validation function. The function validates lifecycle hooks during a deployment that uses the Lambda or Amazon ECS compute platform. For Lambda deployments, the available lifecycle hooks are `BeforeAllowTraffic` and `AfterAllowTraffic`. For more information, see [AppSpec 'hooks' Section for a Lambda Deployment](https://docs.aws.amazon.com/codedeploy/latest/userguide/reference-appspec-file-structure-hooks.html#appspec-hooks-lambda) ."
        );
        assert_eq!(
            md("<p><b>Bold</b>, <i> italic </i>, <strong>strong</strong>, <em>em</em></p>"),
            "**Bold**, *italic* , **strong**, *em*"
        );
    }

    #[test]
    fn lists_nested_and_ordered_from_autoscaling() {
        // PutLifecycleHook (botocore 1.43.11), shortened.
        let html = "<p>This step is a part of the procedure for adding a lifecycle hook to an Auto Scaling group:</p> <ol> <li> <p>(Optional) Create a launch template or launch configuration with a user data script that runs while an instance is in a wait state due to a lifecycle hook.</p> </li> <li> <p>(Optional) Create a Lambda function and a rule that allows Amazon EventBridge to invoke your Lambda function when an instance is put into a wait state due to a lifecycle hook.</p> </li> <li> <p> <b>Create the lifecycle hook. Specify whether the hook is used when the instances launch or terminate.</b> </p> </li> </ol>";
        assert_eq!(
            md(html),
            "This step is a part of the procedure for adding a lifecycle hook to an Auto Scaling group:\n\n\
             1. (Optional) Create a launch template or launch configuration with a user data script that runs while an instance is in a wait state due to a lifecycle hook.\n\
             2. (Optional) Create a Lambda function and a rule that allows Amazon EventBridge to invoke your Lambda function when an instance is put into a wait state due to a lifecycle hook.\n\
             3. **Create the lifecycle hook. Specify whether the hook is used when the instances launch or terminate.**"
        );
        assert_eq!(
            md("<ul><li><p>a</p><ul><li>b</li><li>c<ol><li>d</li></ol></li></ul></li><li>e</li></ul>"),
            "- a\n  - b\n  - c\n    1. d\n- e"
        );
        // Two paragraphs in one item: a hard break keeps the list tight.
        assert_eq!(md("<ul><li><p>one</p><p>two</p></li></ul>"), "- one\\\n  two");
        // A paragraph after a nested list stays in its item (a blank line, then its indentation).
        assert_eq!(
            md("<ul><li><p>Caps</p><ul><li>a</li><li>b</li></ul><p>After the list.</p></li><li>next</li></ul>"),
            "- Caps\n  - a\n  - b\n\n  After the list.\n- next"
        );
        // Unclosed <li>s close each other.
        assert_eq!(md("<ul><li>x<li>y</ul>"), "- x\n- y");
    }

    #[test]
    fn notes_definition_lists_and_breaks_from_cloudformation() {
        let html = "<p>Returns summaries.</p> <note> <p>This API is deprecated.</p> </note> <dl> <dt>CREATE_IN_PROGRESS</dt> <dd> <p>In progress.</p> </dd> </dl>";
        assert_eq!(md(html), "Returns summaries.\n\nThis API is deprecated.\n\n**CREATE_IN_PROGRESS**\n\nIn progress.");
        assert_eq!(md("<important><p>Careful</p></important>"), "Careful");
        assert_eq!(md("<p>line one<br>line two<br/></p>"), "line one\\\nline two");
    }

    #[test]
    fn entities_are_decoded_and_angle_brackets_escaped() {
        // transfer and cloudformation docs write placeholders with &lt; &gt;.
        assert_eq!(
            md("<p>A &lt;list&gt; of &quot;things&quot; &amp; more&#x2014;done&#150;</p>"),
            "A \\<list> of \"things\" & more\u{2014}done\u{2013}"
        );
        assert_eq!(
            md("<p>Type <code>List&lt;String&gt;</code> or List&lt;String&gt;</p>"),
            "Type `List<String>` or List\\<String>"
        );
        // An entity that stays text is not re-read as one.
        assert_eq!(md("<p>&amp;lt; and &unknown;</p>"), "&amp;lt; and &amp;unknown;");
    }

    #[test]
    fn unknown_tags_keep_their_text_and_unclosed_ones_are_text() {
        assert_eq!(md("<fullname>AWS Transfer Family</fullname> <p>Intro</p>"), "AWS Transfer Family\n\nIntro");
        assert_eq!(md("<p>Use <replaceable>name</replaceable> with <foo>bar</foo></p>"), "Use *name* with bar");
        assert_eq!(
            md("<p>arn:aws:inspector2:<region>:<account-id>:codesecurity-integration/<uuid></p>"),
            "arn:aws:inspector2:\\<region>:\\<account-id>:codesecurity-integration/\\<uuid>"
        );
        assert_eq!(md("<zonbook></zonbook><xhtml></xhtml><p>x</p>"), "x");
        assert_eq!(md("<p>a < b and c > d, x<-y</p>"), "a \\< b and c > d, x\\<-y");
        assert_eq!(md("<p>broken <a href=\"x</p>"), "broken \\<a href=\"x");
    }

    #[test]
    fn links() {
        assert_eq!(md("<a href=\"https://example.com/a b(c)\">text</a>"), "[text](https://example.com/a%20b%28c%29)");
        assert_eq!(md("<a href=\"https://example.com\">https://example.com</a>"), "<https://example.com>");
        // References to other operations have no href: their text is kept.
        assert_eq!(md("<p>Call <a>DescribeLifecycleHooks</a>.</p>"), "Call DescribeLifecycleHooks.");
        assert_eq!(md("<p>see <a href=\"../relative.html\">the guide</a></p>"), "see the guide");
        assert_eq!(md("<p>Go to https://aws.amazon.com/cli/. Then</p>"), "Go to <https://aws.amazon.com/cli/>. Then");
        assert_eq!(md("<p>(see http://x.org/a_(b))</p>"), "(see <http://x.org/a_(b)>)");
    }

    #[test]
    fn markdown_in_text_is_escaped() {
        assert_eq!(md("<p># not a heading</p>"), "\\# not a heading");
        assert_eq!(md("<p>- not a list</p>"), "\\- not a list");
        assert_eq!(md("<p>1. not a list</p>"), "1\\. not a list");
        assert_eq!(md("<p>arn:aws:s3:::bucket/*</p>"), "arn:aws:s3:::bucket/\\*");
        assert_eq!(md("<p>a `tick` here</p>"), "a &#96;tick&#96; here");
        assert_eq!(md("<p>> quote</p>"), "\\> quote");
        assert_eq!(md("<p>C:\\path and \\*</p>"), "C:\\path and \\\\\\*");
    }

    #[test]
    fn code_spans_and_preformatted_blocks() {
        assert_eq!(md("<code>a`b</code>"), "`` a`b ``");
        assert_eq!(md("<p>x<code> y </code>z</p>"), "x `y` z");
        assert_eq!(md("<code></code>"), "");
        assert_eq!(md("<p>Example:</p><pre>{\n  \"a\": 1\n}\n</pre>"), "Example:\n\n```text\n{\n  \"a\": 1\n}\n```");
        // Indentation never makes a doctest: no line outside a list starts with spaces.
        assert!(!md("<p>    indented</p>").starts_with(' '));
    }

    #[test]
    fn never_raw_tags() {
        let odd = [
            "<p><b>unclosed bold",
            "</p></ul></li>text",
            "<ul><p>para in list</p>tail</ul>",
            "<<>><a <b>",
            "<p attr='x' other=y>ok</p>",
            "<!-- comment -->after",
            "<table><tr><th>A</th><td>1</td></tr></table>",
            "<a href=\"https://x.y\"><code>Op</code></a>",
        ];
        for html in odd {
            let out = md(html);
            assert!(
                !out.contains("<p") && !out.contains("</") && !out.contains("<b>") && !out.contains("<!--"),
                "{html:?} -> {out:?}"
            );
        }
        assert_eq!(md("<p><b>unclosed bold"), "**unclosed bold**");
        assert_eq!(md("<ul><p>para in list</p>tail</ul>"), "- para in list\\\n  tail");
        assert_eq!(md("<a href=\"https://x.y\"><code>Op</code></a>"), "[`Op`](https://x.y)");
    }

    #[test]
    fn real_snippets_from_the_four_services() {
        // transfer, As2ConnectorConfig.MdnSigningAlgorithm.
        assert_eq!(
            md(
                "<p>The signing algorithm for the MDN response.</p> <note> <p>If set to DEFAULT (or not set at all), the value for <code>SigningAlgorithm</code> is used.</p> </note>"
            ),
            "The signing algorithm for the MDN response.\n\nIf set to DEFAULT (or not set at all), the value for `SigningAlgorithm` is used."
        );
        // codedeploy, AlarmConfiguration.ignorePollAlarmFailure.
        assert_eq!(
            md(
                "<p>Indicates whether a deployment should continue if information about the current state of alarms cannot be retrieved from Amazon CloudWatch. The default value is false.</p> <ul> <li> <p> <code>true</code>: The deployment proceeds even if alarm status information can't be retrieved from Amazon CloudWatch.</p> </li> <li> <p> <code>false</code>: The deployment stops if alarm status information can't be retrieved from Amazon CloudWatch.</p> </li> </ul>"
            ),
            "Indicates whether a deployment should continue if information about the current state of alarms cannot be retrieved from Amazon CloudWatch. The default value is false.\n\n\
             - `true`: The deployment proceeds even if alarm status information can't be retrieved from Amazon CloudWatch.\n\
             - `false`: The deployment stops if alarm status information can't be retrieved from Amazon CloudWatch."
        );
        // autoscaling, Filter.Name (the start): a link in bold, alone in its paragraph.
        assert_eq!(
            md(
                "<p>The name of the filter.</p> <p> The valid values for <code>Name</code> depend on which API operation you're using with the filter. </p> <p> <b> <a href=\"https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_DescribeAutoScalingGroups.html\">DescribeAutoScalingGroups</a> </b> </p> <p>Valid values for <code>Name</code> include the following: </p> <ul> <li> <p> <code>tag-key</code> - Accepts tag keys. </p> </li> </ul>"
            ),
            "The name of the filter.\n\nThe valid values for `Name` depend on which API operation you're using with the filter.\n\n\
             **[DescribeAutoScalingGroups](https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_DescribeAutoScalingGroups.html)**\n\n\
             Valid values for `Name` include the following:\n\n- `tag-key` - Accepts tag keys."
        );
        // cloudformation, CreateStackInput.Capabilities (shortened): paragraphs and a list inside an item.
        assert_eq!(
            md(
                "<ul> <li> <p> <code>CAPABILITY_IAM</code> and <code>CAPABILITY_NAMED_IAM</code> </p> <p>Some stack templates might include resources.</p> <ul> <li> <p>If you have IAM resources, you can specify either capability.</p> </li> <li> <p>If you have IAM resources with custom names, you <i>must</i> specify <code>CAPABILITY_NAMED_IAM</code>.</p> </li> </ul> <p>If your stack template contains these resources, we suggest that you review all permissions.</p> </li> </ul>"
            ),
            "- `CAPABILITY_IAM` and `CAPABILITY_NAMED_IAM`\\\n  Some stack templates might include resources.\n  \
             - If you have IAM resources, you can specify either capability.\n  \
             - If you have IAM resources with custom names, you *must* specify `CAPABILITY_NAMED_IAM`.\n\n  \
             If your stack template contains these resources, we suggest that you review all permissions."
        );
    }
}
