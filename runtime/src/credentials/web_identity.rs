//! Web identity (EKS IRSA and other OIDC providers): the token file's
//! content exchanged for role credentials with STS `AssumeRoleWithWebIdentity`.

use super::sts::Sts;
use super::{AwsCredentials, Secret};

/// Token files larger than this are refused (an OIDC token is a few KiB).
const MAX_TOKEN: u64 = 64 * 1024;

/// What a web identity exchange needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct WebIdentity {
    pub(crate) token_file: String,
    pub(crate) role_arn: String,
    pub(crate) session_name: Option<String>,
}

impl WebIdentity {
    /// Reads the token (at each refresh: it is rotated) and asks STS.
    pub(crate) async fn credentials(&self, sts: &Sts) -> Result<AwsCredentials, String> {
        let path = &self.token_file;
        let meta = std::fs::metadata(path).map_err(|e| format!("web identity token file {path}: {e}"))?;
        if meta.len() > MAX_TOKEN {
            return Err(format!("web identity token file {path}: larger than {MAX_TOKEN} bytes"));
        }
        let token = std::fs::read_to_string(path).map_err(|e| format!("web identity token file {path}: {e}"))?;
        if token.trim().is_empty() {
            return Err(format!("web identity token file {path} is empty"));
        }
        let session = self.session_name.clone().unwrap_or_else(super::chain::default_session_name);
        sts.assume_role_with_web_identity(&self.role_arn, &session, &Secret::new(token)).await
    }
}
