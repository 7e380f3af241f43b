//! Shared by the integration tests: the five services' metadata, the vectors'
//! clock and credentials, and reading the reference material.
#![allow(dead_code)] // each test binary uses a different part

use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use lifecycle_hooks_runtime::protocol::aws_json;
use lifecycle_hooks_runtime::{
    AwsCredentials, Config, ConfigBuilder, ErrorMeta, HuaweiCredentials, OperationMeta, Protocol, Response,
    ServiceError, ServiceMeta, SigningScheme, UnhandledError,
};
use serde_json::Value;

pub static CODEDEPLOY: ServiceMeta = ServiceMeta {
    name: "codedeploy",
    api_version: "2014-10-06",
    protocol: Protocol::AwsJson11 { target_prefix: "CodeDeploy_20141006" },
    signing: SigningScheme::SigV4 { name: "codedeploy" },
    endpoint_template: "https://codedeploy.{region}.amazonaws.com",
    endpoint_partitions: &[("cn-", "https://codedeploy.{region}.amazonaws.com.cn")],
    service_id: Some("CodeDeploy"),
};
pub static TRANSFER: ServiceMeta = ServiceMeta {
    name: "transfer",
    api_version: "2018-11-05",
    protocol: Protocol::AwsJson11 { target_prefix: "TransferService" },
    signing: SigningScheme::SigV4 { name: "transfer" },
    endpoint_template: "https://transfer.{region}.amazonaws.com",
    endpoint_partitions: &[("cn-", "https://transfer.{region}.amazonaws.com.cn")],
    service_id: Some("Transfer"),
};
pub static CLOUDFORMATION: ServiceMeta = ServiceMeta {
    name: "cloudformation",
    api_version: "2010-05-15",
    protocol: Protocol::AwsQuery,
    signing: SigningScheme::SigV4 { name: "cloudformation" },
    endpoint_template: "https://cloudformation.{region}.amazonaws.com",
    endpoint_partitions: &[("cn-", "https://cloudformation.{region}.amazonaws.com.cn")],
    service_id: Some("CloudFormation"),
};
pub static AUTOSCALING: ServiceMeta = ServiceMeta {
    name: "autoscaling",
    api_version: "2011-01-01",
    protocol: Protocol::AwsQuery,
    signing: SigningScheme::SigV4 { name: "autoscaling" },
    endpoint_template: "https://autoscaling.{region}.amazonaws.com",
    endpoint_partitions: &[("cn-", "https://autoscaling.{region}.amazonaws.com.cn")],
    service_id: Some("Auto Scaling"),
};
pub static HUAWEI_AS: ServiceMeta = ServiceMeta {
    name: "as",
    api_version: "v1",
    protocol: Protocol::HuaweiRest,
    signing: SigningScheme::HuaweiSdkHmacSha256,
    endpoint_template: "https://as.{region}.myhuaweicloud.com",
    endpoint_partitions: &[],
    service_id: None,
};
pub static HUAWEI_CALLBACK: OperationMeta =
    OperationMeta::new("CallbackLifecycleHook", "PUT", 204);

/// 2024-01-02T03:04:05Z, the vectors' clock.
pub fn vector_time() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_704_164_645)
}

pub const AWS_KEY: &str = "AKIDEXAMPLE";
pub const AWS_SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
pub const HUAWEI_AK: &str = "HPUAEXAMPLEAK0000001";
pub const HUAWEI_SK: &str = "ExampleSecretKey0123456789abcdefghijklmn";
pub const PROJECT: &str = "0123456789abcdef0123456789abcdef";

/// The vectors' credentials and clock, region us-east-1, no retries.
pub fn vector_config() -> ConfigBuilder {
    Config::builder()
        .region("us-east-1")
        .aws_credentials(AwsCredentials::new(AWS_KEY, AWS_SECRET, None))
        .huawei_credentials(HuaweiCredentials::new(HUAWEI_AK, HUAWEI_SK, PROJECT))
        .signing_time(Some(vector_time()))
        .retry(lifecycle_hooks_runtime::RetryConfig::disabled())
}

/// `shared/reference/` beside the repository.
pub fn reference(rel: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/reference").join(rel);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reference file {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

pub fn str_of<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key].as_str().unwrap_or_else(|| panic!("{key} is not a string in {v}"))
}

/// The error type of the calls these tests make: whatever the protocol's envelope says.
#[derive(Debug)]
pub struct TestError(pub UnhandledError);

impl std::fmt::Display for TestError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for TestError {}

impl ServiceError for TestError {
    fn meta(&self) -> &ErrorMeta {
        self.0.meta()
    }
    fn is_retryable(&self) -> bool {
        self.0.is_retryable()
    }
    fn is_throttling(&self) -> bool {
        self.0.is_throttling()
    }
}

/// An awsJson error answer, read by the runtime's envelope parser.
pub fn json_err(r: &Response) -> TestError {
    TestError(UnhandledError::new(aws_json::error_meta(r), &r.body))
}
