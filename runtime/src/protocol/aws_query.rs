//! awsQuery (CloudFormation, Auto Scaling): form-encoded requests, XML answers.

use roxmltree::{Document, Node, NodeId};

use crate::client::{Request, Response};
use crate::error::ErrorMeta;
use crate::service::{OperationMeta, ServiceMeta};
use crate::xml;

/// The `Content-Type` of awsQuery requests.
pub const CONTENT_TYPE: &str = "application/x-www-form-urlencoded; charset=utf-8";

/// A query body: `Action=…&Version=…` first, then members in call order,
/// encoded like Python's `urlencode` (space as `+`, `A-Za-z0-9-._~` kept).
#[derive(Debug, Clone)]
pub struct FormWriter {
    out: String,
}

impl FormWriter {
    /// A body that starts with `Action` and `Version`.
    pub fn new(action: &str, version: &str) -> Self {
        let mut w = Self { out: String::new() };
        w.param("Action", action);
        w.param("Version", version);
        w
    }

    /// Appends one `name=value` pair, encoded.
    pub fn param(&mut self, name: &str, value: &str) {
        if !self.out.is_empty() {
            self.out.push('&');
        }
        quote_plus(&mut self.out, name);
        self.out.push('=');
        quote_plus(&mut self.out, value);
    }

    /// The body.
    pub fn finish(self) -> Vec<u8> {
        self.out.into_bytes()
    }
}

/// The key of list item `index` (from 1) under `base`: `base.member.1`, or with
/// the list's own item name `base.item.1`; flattened lists leave out the
/// wrapper (`base.1`), and one with an item name replaces the last part of
/// `base` with it (`Parent.item.1`), as botocore writes them.
pub fn list_key(base: &str, member_name: Option<&str>, flattened: bool, index: usize) -> String {
    match (flattened, member_name) {
        (false, name) => format!("{base}.{}.{index}", name.unwrap_or("member")),
        (true, None) => format!("{base}.{index}"),
        (true, Some(name)) => match base.rsplit_once('.') {
            Some((parent, _)) => format!("{parent}.{name}.{index}"),
            None => format!("{name}.{index}"),
        },
    }
}

/// The keys of map entry `index` (from 1) under `base`: `base.entry.1.key` and
/// `base.entry.1.value` (`base.1.key` when flattened), with the map's own names.
pub fn map_keys(base: &str, flattened: bool, index: usize, key_name: &str, value_name: &str) -> (String, String) {
    let entry = if flattened { format!("{base}.{index}") } else { format!("{base}.entry.{index}") };
    (format!("{entry}.{key_name}"), format!("{entry}.{value_name}"))
}

fn quote_plus(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in s.as_bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => out.push(b as char),
            b' ' => out.push('+'),
            _ => {
                out.push('%');
                out.push(HEX[usize::from(b >> 4)] as char);
                out.push(HEX[usize::from(b & 15)] as char);
            }
        }
    }
}

/// `POST /` with the form body.
pub fn request(_service: &ServiceMeta, _op: &OperationMeta, body: Vec<u8>) -> Request {
    Request::new("/".to_owned(), Vec::new(), vec![("Content-Type".to_owned(), CONTENT_TYPE.to_owned())], body)
}

/// `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>`,
/// namespace optional. Anything else yields the status as the code.
pub fn error_meta(resp: &Response) -> ErrorMeta {
    ErrorAnswer::parse(resp).into_meta()
}

/// An error answer, its body parsed once: the envelope ([`ErrorMeta`], as
/// [`error_meta`] gives it) and the `<Error>` element, from which the generated
/// readers take the members of a modeled error.
#[derive(Debug)]
pub struct ErrorAnswer<'a> {
    /// Code, message and request id.
    pub meta: ErrorMeta,
    /// The document, kept only when it has an `<Error>` element, and that element.
    error: Option<(Document<'a>, NodeId)>,
}

impl<'a> ErrorAnswer<'a> {
    /// Reads the envelope of any answer, however broken: a body that is not
    /// XML, or has no `<Error>`, gives the status as the code, a snippet of the
    /// body as the message, and no `<Error>` element.
    pub fn parse(resp: &'a Response) -> Self {
        let mut meta = ErrorMeta::new(super::status_code(resp), resp.status);
        meta.retry_after = super::retry_after(resp);
        meta.request_id = resp.header("x-amzn-requestid").map(str::to_owned);
        let Ok(doc) = xml::parse_document(&resp.body) else {
            meta.message = super::snippet(&resp.body);
            return Self { meta, error: None };
        };
        if let Some(id) = request_id_in(&doc) {
            meta.request_id = Some(id);
        }
        let Some(error) = find(&doc, "Error") else {
            meta.message = super::snippet(&resp.body);
            return Self { meta, error: None };
        };
        if let Some(code) = xml::child(error, "Code").map(xml::text).filter(|c| !c.trim().is_empty()) {
            meta.code = code.trim().to_owned();
        }
        meta.message = xml::child(error, "Message").map(xml::text);
        let id = error.id();
        Self { meta, error: Some((doc, id)) }
    }

    /// The `<Error>` element, if the body is XML and has one.
    pub fn error(&self) -> Option<Node<'_, 'a>> {
        let (doc, id) = self.error.as_ref()?;
        doc.get_node(*id)
    }

    /// The envelope; the document is freed.
    pub fn into_meta(self) -> ErrorMeta {
        self.meta
    }
}

/// Descends from `<OpResponse>` into its `<OpResult>` (the `resultWrapper`).
pub fn parse_result<'a, 'i>(doc: &'a Document<'i>, result_wrapper: &str) -> Result<Node<'a, 'i>, String> {
    let root = doc.root_element();
    xml::child(root, result_wrapper).ok_or_else(|| {
        // The root's name comes from the answer: cut it, so a hostile one cannot balloon the error.
        let name = root.tag_name().name();
        let name = name.char_indices().nth(64).map_or(name, |(cut, _)| &name[..cut]);
        format!("expected <{result_wrapper}> in <{name}>")
    })
}

/// `<ResponseMetadata><RequestId>` (or `<ErrorResponse><RequestId>`), else the `x-amzn-RequestId` header.
pub fn request_id(resp: &Response) -> Option<String> {
    xml::parse_document(&resp.body)
        .ok()
        .and_then(|doc| request_id_in(&doc))
        .or_else(|| resp.header("x-amzn-requestid").map(str::to_owned))
}

/// The `RequestId` element of an already parsed answer.
pub fn request_id_in(doc: &Document<'_>) -> Option<String> {
    find(doc, "RequestId").map(xml::text).map(|t| t.trim().to_owned()).filter(|t| !t.is_empty())
}

fn find<'a, 'i>(doc: &'a Document<'i>, name: &str) -> Option<Node<'a, 'i>> {
    doc.descendants().find(|n| n.is_element() && n.tag_name().name() == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_encoding_matches_python_urlencode() {
        let mut w = FormWriter::new("ListHookResults", "2010-05-15");
        w.param("TargetId", "a b*c~d-e_f.g%h'i(j)k!l");
        w.param("NextToken", " ");
        w.param("X", "Ünïcødé-🚀/:=&+\n");
        w.param("Empty", "");
        assert_eq!(
            String::from_utf8(w.finish()).unwrap(),
            "Action=ListHookResults&Version=2010-05-15&TargetId=a+b%2Ac~d-e_f.g%25h%27i%28j%29k%21l&NextToken=+\
             &X=%C3%9Cn%C3%AFc%C3%B8d%C3%A9-%F0%9F%9A%80%2F%3A%3D%26%2B%0A&Empty="
        );
    }

    fn answer(body: &[u8]) -> Response {
        Response { status: 400, headers: vec![("x-amzn-RequestId".into(), "header-id".into())], body: body.to_vec() }
    }

    #[test]
    fn error_answer_gives_the_envelope_and_the_error_element() {
        let resp = answer(
            b"<ErrorResponse xmlns=\"urn:x\"><Error><Type>Sender</Type><Code> Throttling </Code>\
              <Message>a &amp; b</Message><Extra>1</Extra></Error><RequestId>rid</RequestId></ErrorResponse>",
        );
        let parsed = ErrorAnswer::parse(&resp);
        assert_eq!(parsed.meta.code, "Throttling");
        assert_eq!(parsed.meta.message.as_deref(), Some("a & b"));
        assert_eq!(parsed.meta.request_id.as_deref(), Some("rid"));
        assert_eq!(parsed.error().and_then(|e| xml::child(e, "Extra")).map(xml::text).as_deref(), Some("1"));
        assert_eq!(parsed.into_meta(), error_meta(&resp));
    }

    #[test]
    fn error_answer_without_an_error_element_has_a_snippet_and_no_element() {
        for body in [&b"<html>oops</html>"[..], b"not xml at all", b""] {
            let resp = answer(body);
            let parsed = ErrorAnswer::parse(&resp);
            assert!(parsed.error().is_none());
            assert_eq!(parsed.meta.code, "400");
            assert_eq!(parsed.meta.message, super::super::snippet(body));
            assert_eq!(parsed.meta.request_id.as_deref(), Some("header-id"));
        }
    }

    #[test]
    fn parse_result_finds_the_wrapper() {
        let doc = xml::parse_document(b"<R xmlns=\"urn:x\"><OpResult><A>1</A></OpResult></R>").unwrap();
        assert_eq!(xml::text(xml::child(parse_result(&doc, "OpResult").unwrap(), "A").unwrap()), "1");
        assert!(parse_result(&doc, "Other").is_err());
    }
}
