//! awsQuery (CloudFormation, Auto Scaling): form-encoded requests, XML answers.

use std::ops::Range;

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
    // Bytes, not a `String`: the encoder copies runs of kept bytes at once,
    // and a run may end inside a multi-byte character.
    out: Vec<u8>,
}

impl FormWriter {
    /// A body that starts with `Action` and `Version`.
    pub fn new(action: &str, version: &str) -> Self {
        // Room for a typical call's form, so that writing it rarely grows the buffer.
        let mut w = Self { out: Vec::with_capacity(512) };
        w.param("Action", action);
        w.param("Version", version);
        w
    }

    /// Appends one `key=value` pair, encoded.
    pub fn param(&mut self, key: &str, value: &str) {
        self.member("", key, value);
    }

    /// Appends the pair whose key is `prefix` then `name` (`Parent.member.1.` and
    /// `Name`), encoded, without building the key.
    pub fn member(&mut self, prefix: &str, name: &str, value: &str) {
        if !self.out.is_empty() {
            self.out.push(b'&');
        }
        quote_plus(&mut self.out, prefix);
        quote_plus(&mut self.out, name);
        self.out.push(b'=');
        quote_plus(&mut self.out, value);
    }

    /// The body.
    pub fn finish(self) -> Vec<u8> {
        self.out
    }
}

/// The key `prefix` then `name` (`Parent.member.1.` and `Name`): one call in
/// the generated writers, not a `format!` (its arguments built in each).
pub fn key(prefix: &str, name: &str) -> String {
    let mut key = String::with_capacity(prefix.len() + name.len());
    key.push_str(prefix);
    key.push_str(name);
    key
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

fn quote_plus(out: &mut Vec<u8>, s: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let bytes = s.as_bytes();
    let mut kept = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if matches!(b, b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~') {
            continue;
        }
        out.extend_from_slice(&bytes[kept..i]);
        kept = i + 1;
        if b == b' ' {
            out.push(b'+');
        } else {
            out.extend_from_slice(&[b'%', HEX[usize::from(b >> 4)], HEX[usize::from(b & 15)]]);
        }
    }
    out.extend_from_slice(&bytes[kept..]);
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

/// An error answer, its body read once: the envelope ([`ErrorMeta`], as
/// [`error_meta`] gives it) and where its `<Error>` element is, from which the
/// generated readers take the members of a modeled error.
#[derive(Debug)]
pub struct ErrorAnswer<'a> {
    /// Code, message and request id.
    pub meta: ErrorMeta,
    /// The body's text and the `<Error>` element in it, when it is XML and has one.
    error: Option<(&'a str, Range<usize>)>,
}

impl<'a> ErrorAnswer<'a> {
    /// Reads the envelope of any answer, however broken: a body that is not
    /// XML, or has no `<Error>`, gives the status as the code, a snippet of the
    /// body as the message, and no `<Error>` element.
    pub fn parse(resp: &'a Response) -> Self {
        let mut meta = ErrorMeta::new(super::status_code(resp), resp.status);
        meta.retry_after = super::retry_after(resp);
        meta.request_id = resp.header("x-amzn-requestid").map(str::to_owned);
        let Ok((found, text)) = scan(&resp.body) else {
            meta.message = super::snippet(&resp.body);
            return Self { meta, error: None };
        };
        if let Some(id) = found.request_id.filter(|id| !id.is_empty()) {
            meta.request_id = Some(id);
        }
        let Some(error) = found.error else {
            meta.message = super::snippet(&resp.body);
            return Self { meta, error: None };
        };
        if let Some(code) = error.code.filter(|c| !c.trim().is_empty()) {
            meta.code = code.trim().to_owned();
        }
        meta.message = error.message;
        Self { meta, error: Some((text, error.span)) }
    }

    /// A reader over the `<Error>` element, if the body is XML and has one
    /// (its root is that element; the body was checked whole already).
    pub fn error(&self) -> Option<xml::Reader<'a>> {
        let (text, span) = self.error.as_ref()?;
        Some(xml::Reader::element_at(text, span.clone()))
    }

    /// The envelope.
    pub fn into_meta(self) -> ErrorMeta {
        self.meta
    }
}

/// What [`scan`] finds: the first `<RequestId>` and `<Error>` of a document.
#[derive(Default)]
struct Found {
    request_id: Option<String>,
    error: Option<FoundError>,
}

struct FoundError {
    code: Option<String>,
    message: Option<String>,
    span: Range<usize>,
}

/// Reads a whole document (it must be well-formed) for the first `RequestId`
/// element and the first `Error` element anywhere, in document order, with the
/// `Code` and `Message` children of that `Error`.
fn scan(body: &[u8]) -> Result<(Found, &str), String> {
    let mut reader = xml::Reader::new(body)?;
    let mut found = Found::default();
    visit(&mut reader.root()?, &mut found)?;
    reader.finish()?;
    Ok((found, reader.text()))
}

fn visit(element: &mut xml::Element<'_, '_>, found: &mut Found) -> Result<(), String> {
    match element.name() {
        "RequestId" if found.request_id.is_none() => {
            // An empty first one still counts as the first: later ones are not looked for.
            found.request_id = Some(element.text()?.trim().to_owned());
        }
        "Error" if found.error.is_none() => {
            let (mut code, mut message) = (None, None);
            while let Some(mut child) = element.next_child()? {
                match child.name() {
                    "Code" if code.is_none() => code = Some(child.string()?),
                    "Message" if message.is_none() => message = Some(child.string()?),
                    _ => visit(&mut child, found)?,
                }
            }
            let span = element.span()?;
            found.error = Some(FoundError { code, message, span });
        }
        _ => {
            while let Some(mut child) = element.next_child()? {
                visit(&mut child, found)?;
            }
        }
    }
    Ok(())
}

/// Reads a success answer: `<OpResponse><OpResult>` (the `resultWrapper`) read
/// by `read`, or with no wrapper the root itself; and the request id of
/// `<ResponseMetadata><RequestId>`. The whole body must be well-formed.
pub fn read_answer<T>(
    body: &[u8],
    result_wrapper: Option<&str>,
    read: fn(&mut xml::Element<'_, '_>) -> Result<T, String>,
) -> Result<(T, Option<String>), String> {
    let mut output = None;
    let request_id = read_answer_into(body, result_wrapper, read, &mut output)?;
    output.map(|value| (value, request_id)).ok_or_else(output_not_read)
}

/// [`read_answer`] for generated code: what `read` read is left in `output`
/// (always set when this returns `Ok`), and the request id is returned.
///
/// Only this call is compiled per output type (`read` is a function pointer and
/// the output's slot the caller's): the walk is `read_answer_with`, compiled
/// once. Monomorphised per operation, the walk was a quarter of a service's
/// code; a shell that returned the value with the request id was still 118
/// LLVM lines per operation.
pub fn read_answer_into<T>(
    body: &[u8],
    result_wrapper: Option<&str>,
    read: fn(&mut xml::Element<'_, '_>) -> Result<T, String>,
    output: &mut Option<T>,
) -> Result<Option<String>, String> {
    read_answer_with(body, result_wrapper, &mut Output { read, value: output })
}

/// The output's reader and where what it read goes. [`read_answer_with`] takes
/// it as a trait object of one method, not as a closure: a closure's vtable
/// would also carry a `call_once` shim, compiled once per output type.
struct Output<'a, T> {
    read: fn(&mut xml::Element<'_, '_>) -> Result<T, String>,
    value: &'a mut Option<T>,
}

trait ReadOutput {
    fn read(&mut self, element: &mut xml::Element<'_, '_>) -> Result<(), String>;
}

impl<T> ReadOutput for Output<'_, T> {
    fn read(&mut self, element: &mut xml::Element<'_, '_>) -> Result<(), String> {
        super::store((self.read)(element), self.value)
    }
}

/// The error of an answer whose output [`read_answer_into`] did not read (it
/// never returns `Ok` then). Out of line: a message built in generated code
/// would be compiled once per operation.
#[inline(never)]
pub fn output_not_read() -> String {
    "the answer's output was not read".to_owned()
}

/// [`read_answer`]'s walk: `output` reads the output's element (at most once; the
/// answer is refused when it never does), and the request id is returned.
fn read_answer_with(
    body: &[u8],
    result_wrapper: Option<&str>,
    output: &mut dyn ReadOutput,
) -> Result<Option<String>, String> {
    let mut reader = xml::Reader::new(body)?;
    let mut root = reader.root()?;
    let (mut read_done, mut request_id) = (false, None);
    if result_wrapper.is_none() {
        output.read(&mut root)?;
        read_done = true;
    }
    // What the output's reader left of the root's children.
    while let Some(mut child) = root.next_child()? {
        match child.name() {
            name if Some(name) == result_wrapper && !read_done => {
                output.read(&mut child)?;
                read_done = true;
            }
            "ResponseMetadata" if request_id.is_none() => {
                while let Some(mut meta) = child.next_child()? {
                    if meta.name() == "RequestId" {
                        request_id = Some(meta.text()?.trim().to_owned());
                        break;
                    }
                }
            }
            _ => {}
        }
    }
    let name = root.name();
    reader.finish()?;
    if !read_done {
        return Err(format!("expected <{}> in <{}>", result_wrapper.unwrap_or(""), xml::cut(name)));
    }
    if request_id.is_none() && result_wrapper.is_none() {
        // The output's reader may have read the root's children: look again.
        request_id = request_id_of(body);
    }
    Ok(request_id.filter(|id| !id.is_empty()))
}

/// The request id [`read_answer`] found in the body, else the `x-amzn-RequestId`
/// header's (one function, not a closure compiled per operation).
pub fn request_id_or_header(found: Option<String>, resp: &Response) -> Option<String> {
    found.or_else(|| resp.header("x-amzn-requestid").map(str::to_owned))
}

/// `<ResponseMetadata><RequestId>` (or `<ErrorResponse><RequestId>`), else the `x-amzn-RequestId` header.
pub fn request_id(resp: &Response) -> Option<String> {
    request_id_or_header(request_id_of(&resp.body), resp)
}

/// The first `RequestId` element of a well-formed body.
fn request_id_of(body: &[u8]) -> Option<String> {
    scan(body).ok().and_then(|(found, _)| found.request_id).filter(|id| !id.is_empty())
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
        let mut reader = parsed.error().unwrap();
        let mut error = reader.root().unwrap();
        let mut extra = None;
        while let Some(mut child) = error.next_child().unwrap() {
            if child.name() == "Extra" {
                extra = Some(child.string().unwrap());
            }
        }
        assert_eq!(extra.as_deref(), Some("1"));
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

    fn first_child_text(e: &mut xml::Element<'_, '_>) -> Result<String, String> {
        e.next_child()?.ok_or("no child")?.string()
    }

    #[test]
    fn read_answer_finds_the_wrapper_and_the_request_id() {
        let body = b"<R xmlns=\"urn:x\"><RequestId>no</RequestId><OpResult><A>1</A></OpResult><OpResult><A>2</A></OpResult>\
                     <ResponseMetadata><RequestId> rid </RequestId></ResponseMetadata></R>";
        let (a, id) = read_answer(body, Some("OpResult"), first_child_text).unwrap();
        assert_eq!((a.as_str(), id.as_deref()), ("1", Some("rid")));
        let err = read_answer(body, Some("Other"), first_child_text).unwrap_err();
        assert_eq!(err, "expected <Other> in <R>");
        // Without a wrapper the root is the output; the request id is in what its reader left.
        let (a, id) = read_answer(body, None, first_child_text).unwrap();
        assert_eq!((a.as_str(), id.as_deref()), ("no", Some("rid")));
        // When that reader read the whole root, the request id is looked for again (the first one).
        let (_, id) = read_answer(body, None, |root: &mut xml::Element<'_, '_>| root.string()).unwrap();
        assert_eq!(id.as_deref(), Some("no"));
        // The whole body must be well-formed, after the result too.
        assert!(read_answer(b"<R><OpResult><A>1</A></OpResult><x></R>", Some("OpResult"), first_child_text).is_err());
        assert!(read_answer(b"<R><OpResult><A>1</A></OpResult></R><R/>", Some("OpResult"), first_child_text).is_err());
        // With no request id in the body, the header's (any case).
        let mut resp = Response { status: 200, headers: vec![], body: vec![] };
        assert_eq!(request_id_or_header(Some("rid".into()), &resp).as_deref(), Some("rid"));
        assert_eq!(request_id_or_header(None, &resp), None);
        resp.headers.push(("X-Amzn-RequestId".into(), "hid".into()));
        assert_eq!(request_id_or_header(None, &resp).as_deref(), Some("hid"));
        assert_eq!(request_id_or_header(Some("rid".into()), &resp).as_deref(), Some("rid"));
    }
}
