//! Static facts about a service and its operations, emitted by the generator.

/// The wire protocol a service speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// awsJson 1.0: `POST /`, JSON body, operation named by `X-Amz-Target: <target_prefix>.<Operation>`.
    AwsJson10 {
        /// The prefix of `X-Amz-Target`.
        target_prefix: &'static str,
    },
    /// awsJson 1.1: as 1.0, with its own content type.
    AwsJson11 {
        /// The prefix of `X-Amz-Target`.
        target_prefix: &'static str,
    },
    /// `POST /`, form-encoded body, XML answers (read by local names, as botocore reads them).
    AwsQuery,
    /// AWS restJson1: method, path, query and headers per operation, JSON bodies.
    RestJson1,
    /// Huawei Cloud's REST: restJson1's bindings, Huawei's error envelope and request id.
    #[cfg(feature = "huawei")]
    HuaweiRest,
}

/// How requests to a service are signed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SigningScheme {
    /// AWS Signature Version 4; `name` is the signing name (`codedeploy`, `transfer`, ...).
    SigV4 {
        /// The signing name.
        name: &'static str,
    },
    /// Huawei Cloud's `SDK-HMAC-SHA256` (AK/SK, no key derivation).
    #[cfg(feature = "huawei")]
    HuaweiSdkHmacSha256,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
/// What the runtime needs to know about a service, emitted by the generator.
pub struct ServiceMeta {
    /// Short service name, e.g. `transfer`.
    pub name: &'static str,
    /// The API version (`2018-11-05`, `v1`).
    pub api_version: &'static str,
    /// The wire protocol.
    pub protocol: Protocol,
    /// How requests are signed.
    pub signing: SigningScheme,
    /// Endpoint with a `{region}` placeholder, e.g. `https://transfer.{region}.amazonaws.com`.
    pub endpoint_template: &'static str,
    /// `(region prefix, template)` pairs tried before `endpoint_template`, e.g. `("cn-", "https://….amazonaws.com.cn")`.
    pub endpoint_partitions: &'static [(&'static str, &'static str)],
    /// AWS: the SDKs' service id (`Auto Scaling`), which names the endpoint
    /// settings `AWS_ENDPOINT_URL_<ID>` and a profile's `services` key.
    pub service_id: Option<&'static str>,
}

impl ServiceMeta {
    /// The suffix of `AWS_ENDPOINT_URL_<ID>`, as the SDKs form it: the service
    /// id in upper case with spaces as `_` (`AUTO_SCALING`); the service's
    /// name when its model gives no id.
    pub fn endpoint_env_id(&self) -> String {
        env_id(self.service_id.unwrap_or(self.name))
    }
}

/// `Auto Scaling` -> `AUTO_SCALING`.
pub(crate) fn env_id(service_id: &str) -> String {
    service_id.trim().to_ascii_uppercase().replace([' ', '-'], "_")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
/// What the runtime needs to know about an operation, emitted by the generator.
pub struct OperationMeta {
    /// The operation's wire name, e.g. `SendWorkflowStepState`.
    pub name: &'static str,
    /// HTTP method, upper case.
    pub method: &'static str,
    /// The status the model gives for success (200 for AWS json/query, 204 for the Huawei callback).
    pub success_status: u16,
    /// Safe to send again after an answer that may mean it was applied.
    pub idempotent: bool,
    /// Sent without a signature (e.g. STS `AssumeRoleWithWebIdentity`).
    pub unsigned: bool,
}

impl OperationMeta {
    /// A signed, non-idempotent operation.
    pub const fn new(name: &'static str, method: &'static str, success_status: u16) -> Self {
        Self { name, method, success_status, idempotent: false, unsigned: false }
    }
}
