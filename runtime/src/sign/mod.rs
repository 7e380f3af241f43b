//! Request signers: AWS SigV4 (byte for byte as the `aws-sigv4` crate signs) and Huawei
//! Cloud's SDK-HMAC-SHA256 (a pure function here).

pub mod huawei;
pub(crate) mod sigv4;
