//! awsJson 1.0 and 1.1 (CodeDeploy, Transfer): `POST /`, the operation named
//! by `X-Amz-Target`, JSON bodies; and the JSON error envelope restJson1 shares.

use crate::client::{Request, Response};
use crate::error::ErrorMeta;
use crate::json::{JsonError, JsonReader, Kind};
use crate::service::{OperationMeta, Protocol, ServiceMeta};

/// The `Content-Type` of awsJson 1.1 requests.
pub const CONTENT_TYPE: &str = "application/x-amz-json-1.1";
/// The `Content-Type` of awsJson 1.0 requests.
pub const CONTENT_TYPE_1_0: &str = "application/x-amz-json-1.0";

/// `POST /` with `X-Amz-Target: <targetPrefix>.<Operation>`. An empty body is sent as `{}`.
pub fn request(service: &ServiceMeta, op: &OperationMeta, body: Vec<u8>) -> Request {
    // Only awsJson services have a target prefix; the service name is the closest stand-in.
    let (prefix, content_type) = match service.protocol {
        Protocol::AwsJson11 { target_prefix } => (target_prefix, CONTENT_TYPE),
        Protocol::AwsJson10 { target_prefix } => (target_prefix, CONTENT_TYPE_1_0),
        #[cfg(feature = "huawei")]
        Protocol::HuaweiRest => (service.name, CONTENT_TYPE),
        Protocol::AwsQuery | Protocol::RestJson1 => (service.name, CONTENT_TYPE),
    };
    let body = if body.is_empty() { b"{}".to_vec() } else { body };
    let headers = vec![
        ("Content-Type".to_owned(), content_type.to_owned()),
        ("X-Amz-Target".to_owned(), format!("{prefix}.{}", op.name)),
    ];
    Request::new("/".to_owned(), Vec::new(), headers, body)
}

/// Smithy awsJson error rules: the type from the `X-Amzn-Errortype` header,
/// else the body's `code`, else its `__type`, without `namespace#` prefix or
/// `:suffix`; the message from `message`, else `Message`, else `errorMessage`.
/// The body's top level is read in place; nested values are skipped unread.
pub fn error_meta(resp: &Response) -> ErrorMeta {
    let fields = top_level_fields(&resp.body).ok();
    let field = |i: usize| fields.as_ref().and_then(|f| f[i].as_deref());
    let code = resp
        .header("x-amzn-errortype")
        .map(sanitize_code)
        .filter(|c| !c.is_empty())
        .or_else(|| field(1).map(sanitize_code).filter(|c| !c.is_empty()))
        .or_else(|| field(0).map(sanitize_code).filter(|c| !c.is_empty()));
    let message = match &fields {
        Some(_) => field(2).or_else(|| field(3)).or_else(|| field(4)).map(str::to_owned),
        None => super::snippet(&resp.body),
    };
    ErrorMeta {
        code: code.map(str::to_owned).unwrap_or_else(|| super::status_code(resp)),
        message,
        http_status: resp.status,
        request_id: request_id(resp),
        retry_after: super::retry_after(resp),
    }
}

const FIELDS: [&str; 5] = ["__type", "code", "message", "Message", "errorMessage"];

/// The string values of [`FIELDS`] at the top of a JSON object (last one wins,
/// as with any JSON reader); `Err` when the body is not a JSON object.
fn top_level_fields(body: &[u8]) -> Result<[Option<String>; 5], JsonError> {
    let mut r = JsonReader::new(body);
    if r.peek()? != Kind::Object {
        return Err(JsonError { offset: 0, message: "not an object".into() });
    }
    r.begin_object()?;
    let mut out: [Option<String>; 5] = Default::default();
    while let Some(key) = r.next_key()? {
        match FIELDS.iter().position(|f| key == *f) {
            Some(i) if r.peek()? == Kind::String => out[i] = Some(r.string()?.into_owned()),
            _ => r.skip()?,
        }
    }
    r.finish()?;
    Ok(out)
}

/// `x-amzn-RequestId`, any case.
pub fn request_id(resp: &Response) -> Option<String> {
    resp.header("x-amzn-requestid").map(str::to_owned)
}

/// `aws.protocoltests#FooError:http://internal/...` -> `FooError`.
pub(crate) fn sanitize_code(raw: &str) -> &str {
    let raw = raw.split(':').next().unwrap_or(raw);
    let raw = raw.split_once('#').map_or(raw, |(_, name)| name);
    raw.trim()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resp(status: u16, headers: &[(&str, &str)], body: &[u8]) -> Response {
        Response {
            status,
            headers: headers.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            body: body.to_vec(),
        }
    }

    #[test]
    fn type_sources_in_smithy_order() {
        let body = br#"{"__type":"ns#FromType","code":"FromCode","message":"m"}"#;
        assert_eq!(error_meta(&resp(400, &[("X-Amzn-Errortype", "Hdr:http://x")], body)).code, "Hdr");
        assert_eq!(error_meta(&resp(400, &[], body)).code, "FromCode");
        let meta = error_meta(&resp(400, &[], br#"{"__type":"aws.protocoltests.restjson#FooError:http://internal.amazon.com/coral/com.amazon.coral.validate/"}"#));
        assert_eq!(meta.code, "FooError");
        assert_eq!(meta.message, None);
    }

    #[test]
    fn lowercase_message_wins() {
        let meta = error_meta(&resp(400, &[], br#"{"__type":"X","Message":"upper","message":"lower"}"#));
        assert_eq!(meta.message.as_deref(), Some("lower"));
        let meta = error_meta(&resp(400, &[], br#"{"__type":"X","Message":"upper"}"#));
        assert_eq!(meta.message.as_deref(), Some("upper"));
    }

    #[test]
    fn request_builds_target_and_empty_object() {
        static SVC: ServiceMeta = ServiceMeta {
            name: "transfer",
            api_version: "2018-11-05",
            protocol: Protocol::AwsJson11 { target_prefix: "TransferService" },
            signing: crate::service::SigningScheme::SigV4 { name: "transfer" },
            endpoint_template: "https://transfer.{region}.amazonaws.com",
            endpoint_partitions: &[],
            service_id: None,
        };
        static OP: OperationMeta = OperationMeta::new("SendWorkflowStepState", "POST", 200);
        let req = request(&SVC, &OP, Vec::new());
        assert_eq!(req.body, b"{}");
        assert!(req.headers.contains(&("X-Amz-Target".to_owned(), "TransferService.SendWorkflowStepState".to_owned())));
    }
}
