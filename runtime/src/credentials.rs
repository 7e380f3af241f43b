//! Credentials. Secrets live in [`Secret`], whose `Debug` prints a placeholder
//! and which has no `Display`, so they cannot leak through logs or errors.

use std::fmt;

/// A secret string. Only the signers read it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("** redacted **")
    }
}

/// AWS access key, with an optional session token (temporary credentials).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwsCredentials {
    access_key_id: String,
    secret_access_key: Secret,
    session_token: Option<Secret>,
}

impl AwsCredentials {
    pub fn new(
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
        session_token: Option<String>,
    ) -> Self {
        Self {
            access_key_id: access_key_id.into(),
            secret_access_key: Secret::new(secret_access_key),
            session_token: session_token.map(Secret::new),
        }
    }

    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    pub(crate) fn secret_access_key(&self) -> &Secret {
        &self.secret_access_key
    }

    pub(crate) fn session_token(&self) -> Option<&Secret> {
        self.session_token.as_ref()
    }
}

/// Huawei Cloud AK/SK and the project the calls act in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HuaweiCredentials {
    ak: String,
    sk: Secret,
    project_id: String,
}

impl HuaweiCredentials {
    pub fn new(ak: impl Into<String>, sk: impl Into<String>, project_id: impl Into<String>) -> Self {
        Self { ak: ak.into(), sk: Secret::new(sk), project_id: project_id.into() }
    }

    pub fn ak(&self) -> &str {
        &self.ak
    }

    pub(crate) fn sk(&self) -> &Secret {
        &self.sk
    }

    pub fn project_id(&self) -> &str {
        &self.project_id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_secrets() {
        let aws = AwsCredentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG", Some("FwoGZXIvYXdzEJr".into()));
        let hw = HuaweiCredentials::new("HPUAEXAMPLEAK", "ExampleSecretKey0123", "proj");
        let text = format!("{aws:?} {aws:#?} {hw:?} {hw:#?}");
        for secret in ["wJalrXUtnFEMI", "FwoGZXIvYXdzEJr", "ExampleSecretKey0123"] {
            assert!(!text.contains(secret), "{text}");
        }
        assert!(text.contains("AKIDEXAMPLE") && text.contains("HPUAEXAMPLEAK") && text.contains("redacted"));
    }
}
