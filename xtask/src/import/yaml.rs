//! A small YAML writer for models in the house style of `models/*.yaml`:
//! block mappings indented by two, sequences under their key, `|-` blocks for
//! documentation, flow mappings for one-line constraints (`{ min: 1, max: 255 }`).
//!
//! Scalars are written plain only when no YAML reader could take them for
//! anything but that string (no `yes`/`no`/`null`, nothing number-like, no
//! indicator characters); otherwise quoted. The output is deterministic: the
//! same tree gives the same bytes.

/// A YAML value.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Str(String),
    /// A string that is always quoted (patterns, URL templates, versions).
    Quoted(String),
    Int(i64),
    UInt(u64),
    Float(f64),
    Bool(bool),
    Map(Map),
    Seq(Vec<Node>),
}

/// A mapping, in insertion order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Map {
    pub entries: Vec<(String, Node)>,
    /// Written on one line (`{ a: 1, b: 2 }`); only for maps of scalars.
    pub flow: bool,
    /// Entries separated by a blank line (the operations and shapes lists).
    pub spaced: bool,
}

impl Map {
    pub fn new() -> Self {
        Map::default()
    }

    pub fn flow() -> Self {
        Map { flow: true, ..Map::default() }
    }

    pub fn push(&mut self, key: impl Into<String>, value: Node) {
        self.entries.push((key.into(), value));
    }

    pub fn str(&mut self, key: &str, value: impl Into<String>) {
        self.push(key, Node::Str(value.into()));
    }

    pub fn opt_str(&mut self, key: &str, value: Option<impl Into<String>>) {
        if let Some(v) = value {
            self.str(key, v);
        }
    }

    /// `key: true`, only when `value` is true (false is every flag's default).
    pub fn flag(&mut self, key: &str, value: bool) {
        if value {
            self.push(key, Node::Bool(true));
        }
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entries.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }
}

/// Writes a document: `comment` lines (each prefixed `# `), then the top-level
/// map, with a blank line between its entries.
pub fn document(comment: &[String], top: &Map) -> String {
    let mut out = String::new();
    for c in comment {
        if c.is_empty() {
            out.push_str("#\n");
        } else {
            out.push_str("# ");
            out.push_str(c);
            out.push('\n');
        }
    }
    for (i, (k, v)) in top.entries.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        entry(&mut out, 0, k, v);
    }
    out
}

fn pad(out: &mut String, indent: usize) {
    out.extend(std::iter::repeat_n(' ', indent));
}

/// `key: value` at `indent`, and whatever lines the value needs below it.
fn entry(out: &mut String, indent: usize, key: &str, value: &Node) {
    pad(out, indent);
    out.push_str(&scalar_str(key, false));
    out.push(':');
    after_key(out, indent, value);
}

/// The rest of an entry after `key:` (or a sequence item after `-`).
fn after_key(out: &mut String, indent: usize, value: &Node) {
    match value {
        Node::Map(m) if m.entries.is_empty() => out.push_str(" {}\n"),
        Node::Map(m) if m.flow => {
            out.push_str(" { ");
            for (i, (k, v)) in m.entries.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(&scalar_str(k, true));
                out.push_str(": ");
                out.push_str(&inline_scalar(v, true));
            }
            out.push_str(" }\n");
        }
        Node::Map(m) => {
            out.push('\n');
            map_body(out, indent + 2, m);
        }
        Node::Seq(items) if items.is_empty() => out.push_str(" []\n"),
        Node::Seq(items) => {
            out.push('\n');
            for item in items {
                pad(out, indent + 2);
                out.push('-');
                match item {
                    Node::Map(m) if !m.entries.is_empty() && !m.flow => {
                        // The first entry shares the dash's line.
                        let (k, v) = &m.entries[0];
                        out.push(' ');
                        out.push_str(&scalar_str(k, false));
                        out.push(':');
                        after_key(out, indent + 4, v);
                        let rest = Map { entries: m.entries[1..].to_vec(), flow: false, spaced: false };
                        map_body(out, indent + 4, &rest);
                    }
                    other => after_key(out, indent + 2, other),
                }
            }
        }
        Node::Str(s) if s.contains('\n') && literal_ok(s) => {
            out.push_str(" |-\n");
            for line in s.split('\n') {
                if !line.is_empty() {
                    pad(out, indent + 2);
                    out.push_str(line);
                }
                out.push('\n');
            }
        }
        Node::Str(s) if !plain_ok(s, false) && literal_ok(s) && s.len() > 60 => {
            // Long prose that cannot be plain reads better as a block than quoted.
            out.push_str(" |-\n");
            pad(out, indent + 2);
            out.push_str(s);
            out.push('\n');
        }
        scalar => {
            out.push(' ');
            out.push_str(&inline_scalar(scalar, false));
            out.push('\n');
        }
    }
}

fn map_body(out: &mut String, indent: usize, m: &Map) {
    for (i, (k, v)) in m.entries.iter().enumerate() {
        if i > 0 && m.spaced {
            out.push('\n');
        }
        entry(out, indent, k, v);
    }
}

fn inline_scalar(v: &Node, in_flow: bool) -> String {
    match v {
        Node::Str(s) => scalar_str(s, in_flow),
        Node::Quoted(s) => quoted(s),
        Node::Int(i) => i.to_string(),
        Node::UInt(u) => u.to_string(),
        Node::Float(f) => float(*f),
        Node::Bool(b) => b.to_string(),
        // Not reached for the trees the importer builds; written as flow JSON-like text.
        Node::Map(_) | Node::Seq(_) => "{}".to_owned(),
    }
}

/// A float that reads back as a float (`1.0e-7`, not `1e-7`).
fn float(f: f64) -> String {
    let s = format!("{f:?}");
    match s.find('e') {
        Some(e) if !s[..e].contains('.') => format!("{}.0{}", &s[..e], &s[e..]),
        _ => s,
    }
}

fn printable(c: char) -> bool {
    !c.is_control() && !matches!(c, '\u{2028}' | '\u{2029}' | '\u{FEFF}' | '\u{FFFE}' | '\u{FFFF}' | '\u{85}')
}

/// Whether `s` can be a `|-` block: printable lines without edge whitespace
/// that would be lost or misread, not starting with a blank line.
fn literal_ok(s: &str) -> bool {
    let first = s.split('\n').next().unwrap_or_default();
    !first.is_empty()
        && !first.starts_with(' ')
        && !s.ends_with('\n')
        && s.split('\n').all(|l| l.chars().all(printable) && !l.ends_with([' ', '\t']) && !l.contains('\t'))
}

/// Words a YAML 1.1 or 1.2 reader may take for a boolean or null.
const SPECIAL: &[&str] = &["y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"];

/// Whether `s` can be written plain (conservatively).
fn plain_ok(s: &str, in_flow: bool) -> bool {
    let Some(first) = s.chars().next() else { return false };
    if !(first.is_ascii_alphanumeric() || first == '_' || first == '/' || first == '(' || first == '$' || first == '^')
    {
        return false;
    }
    if SPECIAL.contains(&s.to_ascii_lowercase().as_str()) {
        return false;
    }
    // Anything that might read as a number, a date or a sexagesimal.
    if (first.is_ascii_digit() || first == '.')
        && s.chars().all(|c| {
            c.is_ascii_hexdigit()
                || matches!(
                    c,
                    '.' | '_'
                        | ':'
                        | '-'
                        | '+'
                        | 'x'
                        | 'X'
                        | 'o'
                        | 'O'
                        | ' '
                        | 'T'
                        | 'Z'
                        | 'n'
                        | 'N'
                        | 'i'
                        | 'I'
                        | 'f'
                        | 'F'
                )
        })
    {
        return false;
    }
    if s.ends_with([' ', ':']) || s.contains(": ") || s.contains(" #") || s.contains('\t') {
        return false;
    }
    if in_flow && s.contains([',', '[', ']', '{', '}']) {
        return false;
    }
    s.chars().all(printable)
}

fn scalar_str(s: &str, in_flow: bool) -> String {
    if plain_ok(s, in_flow) { s.to_owned() } else { quoted(s) }
}

/// Double quotes when nothing needs escaping, else single quotes when all is
/// printable, else double quotes with escapes.
fn quoted(s: &str) -> String {
    if s.chars().all(printable) {
        if !s.contains(['"', '\\']) {
            return format!("\"{s}\"");
        }
        return format!("'{}'", s.replace('\'', "''"));
    }
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if !printable(c) => {
                let n = c as u32;
                if n <= 0xFF {
                    out.push_str(&format!("\\x{n:02X}"));
                } else {
                    out.push_str(&format!("\\u{n:04X}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_are_quoted_when_they_could_mean_something_else() {
        for s in [
            "yes",
            "No",
            "null",
            "~",
            "true",
            "1",
            "1.5",
            "2011-01-01",
            "0x1F",
            "1:20",
            ".inf",
            "",
            " x",
            "x ",
            "a: b",
            "a #b",
            "-x",
            "[x]",
            "{x}",
            "*x",
            "&x",
            "!x",
            "%x",
            "@x",
            "`x",
            "'x",
            "\"x",
            "|x",
            ">x",
            "?x",
            "x:",
        ] {
            assert!(!plain_ok(s, false), "{s:?} must be quoted");
        }
        for s in [
            "PutLifecycleHook",
            "/",
            "autoscaling:EC2_INSTANCE_LAUNCHING",
            "a-b.c",
            "2Fast",
            "1st",
            "Hello, world.",
            "w-([a-z0-9]{17})",
        ] {
            assert!(plain_ok(s, false), "{s:?} can be plain");
        }
        assert_eq!(quoted("a'b\\"), "'a''b\\'");
        assert_eq!(quoted("plain"), "\"plain\"");
        assert_eq!(quoted("x\u{1}y\u{2028}"), "\"x\\x01y\\u2028\"");
        assert_eq!(float(1e-7), "1.0e-7");
        assert_eq!(float(0.5), "0.5");
        assert_eq!(float(3.0), "3.0");
    }

    #[test]
    fn house_style_document() {
        let mut len = Map::flow();
        len.push("min", Node::Int(1));
        len.push("max", Node::Int(255));
        let mut shape = Map::new();
        shape.str("type", "string");
        shape.str("documentation", "First.\n\nSecond.");
        shape.push("length", Node::Map(len));
        shape.push(
            "pattern",
            Node::Map({
                let mut p = Map::new();
                p.push("regex", Node::Quoted(r"[\w]+".into()));
                p
            }),
        );
        shape.push("errors", Node::Seq(vec![Node::Str("A".into()), Node::Str("B".into())]));
        let mut part = Map::new();
        part.str("region_prefix", "cn-");
        part.push("template", Node::Quoted("https://x.{region}.amazonaws.com.cn".into()));
        shape.push("partitions", Node::Seq(vec![Node::Map(part)]));
        shape.push("members", Node::Map(Map::new()));
        let mut shapes = Map { spaced: true, ..Map::new() };
        shapes.push("Name", Node::Map(shape));
        shapes.push("Other", Node::Map(Map::new()));
        let mut top = Map::new();
        top.push("shapes", Node::Map(shapes));
        top.push("version", Node::Quoted("2011-01-01".into()));
        let text = document(&["A comment.".into()], &top);
        assert_eq!(
            text,
            "# A comment.\n\
             shapes:\n\
             \x20 Name:\n\
             \x20   type: string\n\
             \x20   documentation: |-\n\
             \x20     First.\n\
             \n\
             \x20     Second.\n\
             \x20   length: { min: 1, max: 255 }\n\
             \x20   pattern:\n\
             \x20     regex: '[\\w]+'\n\
             \x20   errors:\n\
             \x20     - A\n\
             \x20     - B\n\
             \x20   partitions:\n\
             \x20     - region_prefix: cn-\n\
             \x20       template: \"https://x.{region}.amazonaws.com.cn\"\n\
             \x20   members: {}\n\
             \n\
             \x20 Other: {}\n\
             \n\
             version: \"2011-01-01\"\n"
        );
    }
}
