//! AWS restJson1: HTTP bindings (path labels, query, headers, payload, status
//! code) with JSON bodies. The request is built by generated code; this module
//! holds what is the same for every operation.

use crate::client::Response;
use crate::error::ErrorMeta;

/// The `Content-Type` of a JSON body (a structure or document payload, or body members).
pub const CONTENT_TYPE: &str = "application/json";

/// Smithy restJson1 error rules, the same as awsJson's: the type from
/// `X-Amzn-Errortype`, else the body's `code`, else `__type`, cleaned of a
/// `namespace#` prefix and a `:suffix`.
pub fn error_meta(resp: &Response) -> ErrorMeta {
    super::aws_json::error_meta(resp)
}

/// `x-amzn-RequestId`, any case.
pub fn request_id(resp: &Response) -> Option<String> {
    resp.header("x-amzn-requestid").map(str::to_owned)
}
