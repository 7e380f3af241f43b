//! XML reading for awsQuery answers, on top of `roxmltree`.

use roxmltree::{Document, Node, ParsingOptions};

pub use roxmltree;

/// Upper bound on the nodes of one answer: AWS answers have a few hundred.
const MAX_NODES: u32 = 1_000_000;

/// Parses an answer. DTDs are refused (no entity expansion games); invalid
/// UTF-8 and malformed XML are errors, never panics.
pub fn parse_document(body: &[u8]) -> Result<Document<'_>, String> {
    let text = std::str::from_utf8(body).map_err(|e| format!("answer is not UTF-8: {e}"))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let options = ParsingOptions { allow_dtd: false, nodes_limit: MAX_NODES, ..ParsingOptions::default() };
    Document::parse_with_options(text, options).map_err(|e| format!("answer is not well-formed XML: {e}"))
}

/// The element's text, entities and CDATA decoded; `""` for an empty element.
pub fn text(node: Node<'_, '_>) -> String {
    node.children().filter(|n| n.is_text()).filter_map(|n| n.text()).collect()
}

/// The element children, skipping text, comments and processing instructions.
pub fn children<'a, 'i>(node: Node<'a, 'i>) -> impl Iterator<Item = Node<'a, 'i>> {
    node.children().filter(|n| n.is_element())
}

/// The first element child with this local name (namespaces ignored).
pub fn child<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    children(node).find(|n| n.tag_name().name() == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_entities_and_cdata() {
        let doc =
            parse_document(b"<a xmlns=\"urn:x\"><b>x &amp; &lt;y&gt; &#x1F680;</b><c/><d><![CDATA[<raw>]]></d></a>")
                .unwrap();
        let root = doc.root_element();
        assert_eq!(text(child(root, "b").unwrap()), "x & <y> 🚀");
        assert_eq!(text(child(root, "c").unwrap()), "");
        assert_eq!(text(child(root, "d").unwrap()), "<raw>");
        assert_eq!(children(root).count(), 3);
    }

    #[test]
    fn refuses_dtds_and_garbage() {
        let bomb = b"<?xml version=\"1.0\"?><!DOCTYPE l [<!ENTITY a \"aaaa\"><!ENTITY b \"&a;&a;&a;\">]><l>&b;</l>";
        assert!(parse_document(bomb).is_err());
        assert!(parse_document(b"<!doctype html><html><body>500</body></html>").is_err());
        assert!(parse_document(b"<a><b></a>").is_err());
        assert!(parse_document(b"\xff\xfe<a/>").is_err());
        assert!(parse_document(b"").is_err());
    }
}
