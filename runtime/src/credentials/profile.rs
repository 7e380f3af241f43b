//! The shared config and credentials files (`~/.aws/config`,
//! `~/.aws/credentials`), read as botocore reads them: Python's
//! `configparser` syntax (`key = value` or `key: value`, `#`/`;` comment
//! lines, indented continuation lines, keys in any case), `[profile name]`
//! or `[default]` sections in the config file, `[name]` in the credentials
//! file, whose values win over the config file's for the same profile.
//! Indented `key = value` lines under an empty value form a sub-section
//! (`[services x]` blocks, `s3 =` settings).

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use super::env::Env;

/// Files larger than this are refused (a profile file is a few KiB).
const MAX_FILE: u64 = 1024 * 1024;

/// A profile's settings: lower-case keys.
pub(crate) type Properties = BTreeMap<String, String>;

/// A file that cannot be read as a profile file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileError {
    /// The file.
    pub path: PathBuf,
    /// Its line (1-based), when the problem is on one.
    pub line: Option<usize>,
    /// What is wrong.
    pub reason: String,
}

impl fmt::Display for ProfileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.path.display(), self.reason),
            None => write!(f, "{}: {}", self.path.display(), self.reason),
        }
    }
}

impl std::error::Error for ProfileError {}

/// One INI file's sections, in order of appearance.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Ini {
    sections: Vec<(String, Properties)>,
}

fn parse_ini(path: &Path, text: &str) -> Result<Ini, ProfileError> {
    let error = |line: usize, reason: String| ProfileError { path: path.to_owned(), line: Some(line), reason };
    let mut ini = Ini::default();
    let mut seen = Properties::new();
    // The key the last value line belongs to, for continuation lines.
    let mut last_key: Option<String> = None;
    for (i, raw) in text.lines().enumerate() {
        let n = i + 1;
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        let trimmed = line.trim();
        if trimmed.starts_with('#') || trimmed.starts_with(';') {
            continue;
        }
        if trimmed.is_empty() {
            // configparser keeps blank lines inside a value; they change nothing here.
            continue;
        }
        let indented = line.starts_with([' ', '\t']);
        if indented && let Some(key) = &last_key {
            let (_, props) = ini.sections.last_mut().expect("a key belongs to a section");
            let value = props.get_mut(key).expect("the last key is there");
            value.push('\n');
            value.push_str(trimmed);
            continue;
        }
        if trimmed.starts_with('[') {
            let Some(name) = trimmed.strip_prefix('[').and_then(|t| t.rfind(']').map(|end| &t[..end])) else {
                return Err(error(n, "a section header without its closing `]`".to_owned()));
            };
            if name.is_empty() {
                return Err(error(n, "an empty section name".to_owned()));
            }
            // A set of the names so far (the settings' map type, already compiled),
            // so that a file of many sections is not read in quadratic time.
            if seen.insert(name.to_owned(), String::new()).is_some() {
                return Err(error(n, format!("section {name:?} appears twice")));
            }
            ini.sections.push((name.to_owned(), Properties::new()));
            last_key = None;
            continue;
        }
        let Some((_, props)) = ini.sections.last_mut() else {
            return Err(error(n, "a setting before any `[section]` header".to_owned()));
        };
        let Some(split) = line.find(['=', ':']) else {
            return Err(error(n, "expected `key = value`".to_owned()));
        };
        let key = line[..split].trim().to_ascii_lowercase();
        if key.is_empty() {
            return Err(error(n, "a setting without a name".to_owned()));
        }
        if props.contains_key(&key) {
            return Err(error(n, format!("setting {key:?} appears twice in its section")));
        }
        props.insert(key.clone(), line[split + 1..].trim().to_owned());
        last_key = Some(key);
    }
    Ok(ini)
}

/// The sections of an INI file (the Huawei credentials file), in order.
#[cfg(feature = "huawei")]
pub(crate) fn parse_sections(path: &Path, text: &str) -> Result<Vec<(String, Properties)>, ProfileError> {
    parse_ini(path, text).map(|ini| ini.sections)
}

/// `[profile "a b"]`-style names: the words of a header, quotes as in a shell.
fn words(header: &str) -> Option<Vec<String>> {
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    let mut quote: Option<char> = None;
    for c in header.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => current.get_or_insert_default().push(c),
            (None, '"' | '\'') => {
                quote = Some(c);
                current.get_or_insert_default();
            }
            (None, c) if c.is_whitespace() => out.extend(current.take()),
            (None, c) => current.get_or_insert_default().push(c),
        }
    }
    if quote.is_some() {
        return None;
    }
    out.extend(current);
    Some(out)
}

/// Sections by name, in the files' order; of two with the same name the later
/// one counts (as with a map's insert). Looked up from the end: adding is a
/// push (a hostile file of many sections stays linear), lookups are a few per
/// resolution, and no second map type is compiled for it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Sections(Vec<(String, Properties)>);

impl Sections {
    fn insert(&mut self, name: String, props: Properties) {
        self.0.push((name, props));
    }

    fn get(&self, name: &str) -> Option<&Properties> {
        self.0.iter().rev().find(|(n, _)| n == name).map(|(_, props)| props)
    }
}

/// The profiles of both files, as botocore's `full_config` holds them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Profiles {
    /// From the config file, by profile name.
    config: Sections,
    /// From the credentials file, by profile name.
    credentials: Sections,
    /// `[services name]` sections of the config file.
    services: Sections,
    /// The files read (for messages).
    pub(crate) files: Vec<PathBuf>,
}

impl Profiles {
    /// Reads `AWS_CONFIG_FILE` (default `~/.aws/config`) and
    /// `AWS_SHARED_CREDENTIALS_FILE` (default `~/.aws/credentials`); a file
    /// that does not exist has no profiles.
    pub fn load(env: &Env) -> Result<Profiles, ProfileError> {
        let mut profiles = Profiles::default();
        let path = |var: &str, default: &str| env.expand_home(env.get(var).unwrap_or(default));
        if let Some(path) = path("AWS_CONFIG_FILE", "~/.aws/config")
            && let Some(ini) = read(&path)?
        {
            profiles.files.push(path);
            for (name, props) in ini.sections {
                if name == "default" {
                    profiles.config.insert(name, props);
                } else if name.starts_with("profile") || name.starts_with("services") {
                    // `[profile x]` (and `[profile default]`); anything else is not a profile.
                    if let Some([kind, profile]) = words(&name).as_deref() {
                        let map =
                            if kind.starts_with("profile") { &mut profiles.config } else { &mut profiles.services };
                        map.insert(profile.clone(), props);
                    }
                }
            }
        }
        if let Some(path) = path("AWS_SHARED_CREDENTIALS_FILE", "~/.aws/credentials")
            && let Some(ini) = read(&path)?
        {
            profiles.files.push(path);
            profiles.credentials = Sections(ini.sections);
        }
        Ok(profiles)
    }

    /// Whether either file has this profile.
    pub fn contains(&self, name: &str) -> bool {
        self.config.get(name).is_some() || self.credentials.get(name).is_some()
    }

    /// The profile's settings, the credentials file's over the config file's.
    pub fn merged(&self, name: &str) -> Properties {
        let mut merged = self.config.get(name).cloned().unwrap_or_default();
        if let Some(creds) = self.credentials.get(name) {
            merged.extend(creds.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
        merged
    }

    /// A setting of the profile (both files), e.g. `region`.
    pub fn get(&self, profile: &str, key: &str) -> Option<String> {
        self.merged(profile).remove(key).filter(|v| !v.is_empty())
    }

    /// The profile's settings in the credentials file alone.
    pub(crate) fn in_credentials_file(&self, name: &str) -> Option<&Properties> {
        self.credentials.get(name)
    }

    /// The profile's settings in the config file alone.
    pub(crate) fn in_config_file(&self, name: &str) -> Option<&Properties> {
        self.config.get(name)
    }

    /// The `[services name]` section the profile names with `services = name`.
    fn services_section(&self, merged: &Properties) -> Option<&Properties> {
        merged.get("services").and_then(|section| self.services.get(section))
    }

    /// `endpoint_url` for the service whose config key is `service_key`
    /// (`auto_scaling`, `sts`): the profile's `services` section first, then
    /// the profile's own `endpoint_url`.
    pub(crate) fn endpoint_url(&self, profile: &str, service_key: &str) -> Option<String> {
        let merged = self.merged(profile);
        let from_services = self
            .services_section(&merged)
            .and_then(|s| s.get(service_key))
            .and_then(|block| sub_settings(block).remove("endpoint_url"));
        from_services.or_else(|| merged.get("endpoint_url").cloned()).filter(|v| !v.is_empty())
    }

    /// The service keys (`auto_scaling`) of the profile's `services` section.
    pub(crate) fn service_keys(&self, profile: &str) -> Vec<String> {
        self.services_section(&self.merged(profile)).map(|s| s.keys().cloned().collect()).unwrap_or_default()
    }

    /// A configured AWS endpoint, in the SDKs' order: `AWS_ENDPOINT_URL_<SERVICE_ID>`
    /// (for `service_id` such as `AUTO_SCALING`, `STS`), `AWS_ENDPOINT_URL`, the
    /// profile's `services` section for the service (key `auto_scaling`), then its
    /// own `endpoint_url`; none with `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` (or the
    /// profile's `ignore_configured_endpoint_urls`) true. `None` for the service
    /// gives the global one.
    pub(crate) fn configured_endpoint(&self, env: &Env, profile: &str, service_id: Option<&str>) -> Option<String> {
        let ignore = env.is_true("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")
            || self.get(profile, "ignore_configured_endpoint_urls").is_some_and(|v| v.eq_ignore_ascii_case("true"));
        if ignore {
            return None;
        }
        let from_env = service_id.and_then(|id| env.get(&format!("AWS_ENDPOINT_URL_{id}")));
        from_env
            .or_else(|| env.get("AWS_ENDPOINT_URL"))
            .map(str::to_owned)
            .or_else(|| self.endpoint_url(profile, &service_id.unwrap_or_default().to_ascii_lowercase()))
    }

    /// The files that were read, for messages.
    pub(crate) fn describe_files(&self) -> String {
        if self.files.is_empty() {
            "no config or credentials file".to_owned()
        } else {
            self.files.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(" and ")
        }
    }
}

/// The `key = value` lines of an indented block (a value that starts with a newline).
fn sub_settings(block: &str) -> Properties {
    block
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect()
}

fn read(path: &Path) -> Result<Option<Ini>, ProfileError> {
    let error = |reason: String| ProfileError { path: path.to_owned(), line: None, reason };
    let meta = match std::fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(error(format!("cannot read it: {e}"))),
    };
    if !meta.is_file() {
        // `/dev/null` and other non-files hold no profiles, as for botocore.
        return Ok(None);
    }
    if meta.len() > MAX_FILE {
        return Err(error(format!("larger than {MAX_FILE} bytes")));
    }
    let bytes = std::fs::read(path).map_err(|e| error(format!("cannot read it: {e}")))?;
    let text = String::from_utf8(bytes).map_err(|_| error("not UTF-8".to_owned()))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    parse_ini(path, text).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ini(text: &str) -> Result<Ini, ProfileError> {
        parse_ini(Path::new("f"), text)
    }

    #[test]
    fn configparser_syntax() {
        let parsed = ini(
            "# c\n[default]\nRegion = us-west-2\n; c\nx: a = b\ns3 =\n  max = 1\n  y = 2\n\n[profile  \"a b\"]\nk=\n",
        )
        .unwrap();
        let (name, props) = &parsed.sections[0];
        assert_eq!(name, "default");
        assert_eq!(props["region"], "us-west-2");
        assert_eq!(props["x"], "a = b");
        assert_eq!(props["s3"], "\nmax = 1\ny = 2");
        assert_eq!(sub_settings(&props["s3"])["y"], "2");
        assert_eq!(parsed.sections[1].0, "profile  \"a b\"");
        assert_eq!(words("profile  \"a b\""), Some(vec!["profile".to_owned(), "a b".to_owned()]));
        assert_eq!(words("profile 'x"), None);
    }

    #[test]
    fn malformed_files_are_errors_with_their_line() {
        for (text, line, reason) in [
            ("key = v\n", 1, "before any"),
            ("[default]\nnot a setting\n", 2, "expected `key = value`"),
            ("[default]\n[default]\n", 2, "appears twice"),
            ("[default]\na = 1\nA = 2\n", 3, "appears twice"),
            ("[default\n", 1, "closing"),
            ("[]\n", 1, "empty section"),
            ("[x]\n = v\n", 2, "without a name"),
        ] {
            let e = ini(text).unwrap_err();
            assert_eq!(e.line, Some(line), "{text:?}: {e}");
            assert!(e.reason.contains(reason), "{text:?}: {e}");
        }
    }

    #[test]
    fn a_file_of_many_sections_is_read_in_one_pass() {
        // 1 MiB of distinct headers, the most a file may hold: looking each
        // name up among all the earlier ones would take minutes.
        let mut text = String::new();
        let mut n = 0;
        while text.len() < MAX_FILE as usize - 16 {
            text.push_str(&format!("[s{n}]\n"));
            n += 1;
        }
        text.push_str("[s7]\n");
        let e = ini(&text).unwrap_err();
        assert_eq!(e.line, Some(n + 1));
        assert!(e.reason.contains("appears twice"), "{e}");
        text.truncate(text.len() - "[s7]\n".len());
        assert_eq!(ini(&text).unwrap().sections.len(), n);
    }

    #[test]
    fn of_two_sections_with_one_name_the_later_counts() {
        let mut sections = Sections::default();
        for (name, value) in [("a", "1"), ("b", "2"), ("a", "3")] {
            sections.insert(name.to_owned(), Properties::from([("k".to_owned(), value.to_owned())]));
        }
        assert_eq!(sections.get("a").map(|p| p["k"].as_str()), Some("3"));
        assert_eq!(sections.get("b").map(|p| p["k"].as_str()), Some("2"));
        assert_eq!(sections.get("c"), None);
    }
}
