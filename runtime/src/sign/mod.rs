//! Request signers: AWS SigV4 (through the `aws-sigv4` crate) and Huawei
//! Cloud's SDK-HMAC-SHA256 (a pure function here, with the `huawei` feature).

#[cfg(feature = "huawei")]
pub mod huawei;
pub(crate) mod sigv4;
