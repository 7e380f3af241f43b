//! AWS Signature Version 4, delegated to the `aws-sigv4` crate.

use std::time::SystemTime;

use aws_sigv4::http_request::{SignableBody, SignableRequest, SigningSettings, sign as sigv4_sign};
use aws_sigv4::sign::v4;

use crate::credentials::AwsCredentials;

/// The credentials in the form `aws-sigv4` signs with; made once per client.
pub(crate) struct SigningIdentity(aws_smithy_runtime_api::client::identity::Identity);

impl SigningIdentity {
    pub(crate) fn new(credentials: &AwsCredentials) -> Self {
        let credentials = aws_credential_types::Credentials::new(
            credentials.access_key_id(),
            credentials.secret_access_key().expose(),
            credentials.session_token().map(|t| t.expose().to_owned()),
            None,
            "lifecycle-hooks-runtime",
        );
        Self(credentials.into())
    }
}

impl std::fmt::Debug for SigningIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SigningIdentity(** redacted **)")
    }
}

/// What SigV4 adds to a request.
pub(crate) struct Signature {
    /// `X-Amz-Date`, `Authorization` and, with a session token, `X-Amz-Security-Token`.
    pub headers: Vec<(String, String)>,
}

/// Signs `headers` (every one of them: pass only those meant to be signed) and the body.
/// `url` must be absolute; `Host` should be among `headers` as it goes on the wire.
#[allow(clippy::too_many_arguments)]
pub(crate) fn sign(
    identity: &SigningIdentity,
    region: &str,
    signing_name: &str,
    time: SystemTime,
    method: &str,
    url: &str,
    headers: &[(String, String)],
    body: &[u8],
) -> Result<Signature, String> {
    let params = v4::SigningParams::builder()
        .identity(&identity.0)
        .region(region)
        .name(signing_name)
        .time(time)
        .settings(SigningSettings::default())
        .build()
        .map_err(|e| format!("SigV4 parameters: {e}"))?
        .into();
    let signable = SignableRequest::new(
        method,
        url,
        headers.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        SignableBody::Bytes(body),
    )
    .map_err(|e| format!("SigV4 cannot sign this request: {e}"))?;
    let (instructions, _) =
        sigv4_sign(signable, &params).map_err(|e| format!("SigV4 signing failed: {e}"))?.into_parts();
    let (added, _) = instructions.into_parts();
    Ok(Signature { headers: added.iter().map(|h| (title_case(h.name()), h.value().to_owned())).collect() })
}

/// `x-amz-date` -> `X-Amz-Date`, as botocore writes it.
fn title_case(name: &str) -> String {
    // The names aws-sigv4 adds, without building them piece by piece on every request.
    match name {
        "x-amz-date" => return "X-Amz-Date".to_owned(),
        "authorization" => return "Authorization".to_owned(),
        "x-amz-security-token" => return "X-Amz-Security-Token".to_owned(),
        _ => {}
    }
    name.split('-')
        .map(|part| {
            let mut chars = part.chars();
            chars.next().map(|c| c.to_ascii_uppercase().to_string() + chars.as_str()).unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join("-")
}
