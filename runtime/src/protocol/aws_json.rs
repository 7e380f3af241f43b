//! awsJson 1.1 (CodeDeploy, Transfer).

use serde_json::{Map, Value};

use crate::client::{Request, Response};
use crate::error::ErrorMeta;
use crate::service::{OperationMeta, Protocol, ServiceMeta};

pub const CONTENT_TYPE: &str = "application/x-amz-json-1.1";

/// `POST /` with `X-Amz-Target: <targetPrefix>.<Operation>`. An empty body is sent as `{}`.
pub fn request(service: &ServiceMeta, op: &OperationMeta, body: Vec<u8>) -> Request {
    // Only awsJson services have a target prefix; the service name is the closest stand-in.
    let prefix = match service.protocol {
        Protocol::AwsJson11 { target_prefix } => target_prefix,
        _ => service.name,
    };
    let body = if body.is_empty() { b"{}".to_vec() } else { body };
    Request {
        path: "/".to_owned(),
        query: Vec::new(),
        headers: vec![("Content-Type", CONTENT_TYPE.to_owned()), ("X-Amz-Target", format!("{prefix}.{}", op.name))],
        body,
    }
}

/// Smithy awsJson error rules: the type from the `X-Amzn-Errortype` header,
/// else the body's `code`, else its `__type`, without `namespace#` prefix or
/// `:suffix`; the message from `message`, else `Message`.
pub fn error_meta(resp: &Response) -> ErrorMeta {
    let body = json_object(&resp.body);
    let field = |name: &str| body.as_ref().and_then(|b| b.get(name)).and_then(Value::as_str);
    let code = resp
        .header("x-amzn-errortype")
        .map(sanitize_code)
        .filter(|c| !c.is_empty())
        .or_else(|| field("code").map(sanitize_code).filter(|c| !c.is_empty()))
        .or_else(|| field("__type").map(sanitize_code).filter(|c| !c.is_empty()));
    let message = match &body {
        Some(_) => field("message").or_else(|| field("Message")).map(str::to_owned),
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

/// `x-amzn-RequestId`, any case.
pub fn request_id(resp: &Response) -> Option<String> {
    resp.header("x-amzn-requestid").map(str::to_owned)
}

fn json_object(body: &[u8]) -> Option<Map<String, Value>> {
    match serde_json::from_slice(body) {
        Ok(Value::Object(map)) => Some(map),
        _ => None,
    }
}

/// `aws.protocoltests#FooError:http://internal/...` -> `FooError`.
fn sanitize_code(raw: &str) -> &str {
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
        };
        static OP: OperationMeta = OperationMeta { name: "SendWorkflowStepState", method: "POST", success_status: 200 };
        let req = request(&SVC, &OP, Vec::new());
        assert_eq!(req.body, b"{}");
        assert!(req.headers.contains(&("X-Amz-Target", "TransferService.SendWorkflowStepState".to_owned())));
    }
}
