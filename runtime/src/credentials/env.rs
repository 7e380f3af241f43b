//! The environment the configuration is read from: a snapshot of the
//! variables, so that credentials resolved later (a refresh an hour on) see
//! what the configuration saw, and tests can hand in their own.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

/// Variables read by name when the environment is given as a function
/// (every `AWS_*` and `HUAWEICLOUD_*` variable is taken from the process's).
const KNOWN: &[&str] = &[
    "HOME",
    "USERPROFILE",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_PROFILE",
    "AWS_CONFIG_FILE",
    "AWS_SHARED_CREDENTIALS_FILE",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_ROLE_ARN",
    "AWS_ROLE_SESSION_NAME",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
    "AWS_EC2_METADATA_DISABLED",
    "AWS_EC2_METADATA_SERVICE_ENDPOINT",
    "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE",
    "AWS_EC2_METADATA_V1_DISABLED",
    "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT_URL_STS",
    "AWS_ENDPOINT_URL_CODEDEPLOY",
    "AWS_ENDPOINT_URL_CLOUDFORMATION",
    "AWS_ENDPOINT_URL_AUTO_SCALING",
    "AWS_ENDPOINT_URL_TRANSFER",
    "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
    "AWS_MAX_ATTEMPTS",
    "HUAWEICLOUD_SDK_AK",
    "HUAWEICLOUD_SDK_SK",
    "HUAWEICLOUD_SDK_PROJECT_ID",
    "HUAWEICLOUD_SDK_SECURITY_TOKEN",
    "HUAWEICLOUD_SDK_REGION",
    "HUAWEICLOUD_SDK_ENDPOINT",
    "HUAWEICLOUD_SDK_CREDENTIALS_FILE",
    "HUAWEICLOUD_SDK_METADATA_ENDPOINT",
    "HUAWEICLOUD_SDK_METADATA_DISABLED",
    "HTTPS_PROXY",
    "https_proxy",
    "HTTP_PROXY",
    "http_proxy",
    "NO_PROXY",
    "no_proxy",
];

/// A snapshot of environment variables. Empty values count as unset. Its
/// `Debug` lists the names only: values may be secrets.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Env {
    vars: Arc<BTreeMap<String, String>>,
}

impl Env {
    /// The process's variables that the runtime reads.
    pub fn from_process() -> Env {
        let mut vars = BTreeMap::new();
        for (k, v) in std::env::vars_os() {
            let (Some(k), Some(v)) = (k.to_str(), v.to_str()) else { continue };
            if k.starts_with("AWS_") || k.starts_with("HUAWEICLOUD_") || KNOWN.contains(&k) {
                vars.insert(k.to_owned(), v.to_owned());
            }
        }
        Env { vars: Arc::new(vars) }
    }

    /// The variables `var` gives for the names the runtime reads (the
    /// per-service `AWS_ENDPOINT_URL_<SERVICE>` of this crate's services included).
    pub fn from_fn(var: impl Fn(&str) -> Option<String>) -> Env {
        let vars = KNOWN.iter().filter_map(|k| Some(((*k).to_owned(), var(k)?))).collect();
        Env { vars: Arc::new(vars) }
    }

    /// Exactly these variables, nothing from the process.
    pub fn from_pairs<K: Into<String>, V: Into<String>>(pairs: impl IntoIterator<Item = (K, V)>) -> Env {
        Env { vars: Arc::new(pairs.into_iter().map(|(k, v)| (k.into(), v.into())).collect()) }
    }

    /// The rest of each set variable's name that starts with `prefix`.
    pub(crate) fn names_with_prefix<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.vars.iter().filter(|(_, v)| !v.is_empty()).filter_map(move |(k, _)| k.strip_prefix(prefix))
    }

    /// A variable's value; `None` when unset or empty.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.vars.get(name).map(String::as_str).filter(|v| !v.is_empty())
    }

    /// Whether a variable says `true` (any case), as `AWS_EC2_METADATA_DISABLED` does.
    pub(crate) fn is_true(&self, name: &str) -> bool {
        self.get(name).is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
    }

    /// The home directory: `HOME`, else `USERPROFILE`.
    pub(crate) fn home(&self) -> Option<PathBuf> {
        self.get("HOME").or_else(|| self.get("USERPROFILE")).map(PathBuf::from)
    }

    /// `path` with a leading `~` (`~/x`, `~`) replaced by the home directory.
    pub(crate) fn expand_home(&self, path: &str) -> Option<PathBuf> {
        match path.strip_prefix('~') {
            Some(rest) if rest.is_empty() || rest.starts_with('/') || rest.starts_with('\\') => {
                let rest = rest.trim_start_matches(['/', '\\']);
                Some(if rest.is_empty() { self.home()? } else { self.home()?.join(rest) })
            }
            _ => Some(PathBuf::from(path)),
        }
    }
}

impl fmt::Debug for Env {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.vars.iter().filter(|(_, v)| !v.is_empty()).map(|(k, _)| k)).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_is_unset_and_debug_shows_names_only() {
        let env = Env::from_pairs([("AWS_REGION", ""), ("AWS_SECRET_ACCESS_KEY", "s3cr3t"), ("HOME", "/h")]);
        assert_eq!(env.get("AWS_REGION"), None);
        assert_eq!(env.get("AWS_SECRET_ACCESS_KEY"), Some("s3cr3t"));
        let shown = format!("{env:?}");
        assert!(shown.contains("AWS_SECRET_ACCESS_KEY") && !shown.contains("s3cr3t"), "{shown}");
        assert_eq!(env.expand_home("~/.aws/config"), Some(PathBuf::from("/h/.aws/config")));
        assert_eq!(env.expand_home("~"), Some(PathBuf::from("/h")));
        assert_eq!(env.expand_home("/etc/x"), Some(PathBuf::from("/etc/x")));
        assert_eq!(env.expand_home("~other/x"), Some(PathBuf::from("~other/x")));
        assert_eq!(Env::default().expand_home("~/x"), None);
    }

    #[test]
    fn from_fn_reads_the_known_names() {
        let env = Env::from_fn(|k| (k == "AWS_ENDPOINT_URL_AUTO_SCALING" || k == "UNKNOWN").then(|| "v".to_owned()));
        assert_eq!(env.get("AWS_ENDPOINT_URL_AUTO_SCALING"), Some("v"));
        assert_eq!(env.get("UNKNOWN"), None);
    }
}
