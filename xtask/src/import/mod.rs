//! `cargo xtask import botocore <service> [--operations A,B,...] [--from PATH] [--out PATH]`:
//! a botocore service model as a YAML model of this project's format.
//!
//! - [`botocore::convert`] does the conversion (a library function: the
//!   conformance harness feeds it botocore's protocol-test models, built by
//!   [`botocore::protocol_test_service`]);
//! - [`pinned_botocore`] finds the botocore that `scripts/setup-python`
//!   installed into `.venv` (the version pinned in `scripts/requirements.txt`);
//! - [`read_json_file`] reads a `.json` or `.json.gz` model;
//! - [`run`] is the command.

pub mod botocore;
pub mod error;
pub mod html;
pub mod json;
pub mod yaml;

use std::io::Read;
use std::path::{Path, PathBuf};

pub use botocore::{ImportOptions, convert};
pub use error::{ImportError, Place, Problem, ProblemKind};
pub use json::Json;

pub const USAGE: &str = "usage: cargo xtask import botocore <service> [--operations A,B,...] [--from PATH] [--out PATH] [--unenforced-patterns]";

/// A decompressed model larger than this is refused (the largest botocore
/// model, ec2, is about 5 MiB).
const MAX_MODEL_BYTES: u64 = 256 << 20;

/// The command's arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Args {
    /// botocore's folder name (`autoscaling`, `cognito-idp`).
    pub service: String,
    pub operations: Option<Vec<String>>,
    pub from: Option<PathBuf>,
    pub out: Option<PathBuf>,
    /// See [`ImportOptions::unenforced_patterns`].
    pub unenforced_patterns: bool,
}

/// Parses the arguments after `import`.
pub fn parse_args(args: &[&str]) -> Result<Args, ImportError> {
    let usage = |why: &str| ImportError::Usage(format!("{why}\n{USAGE}"));
    let mut it = args.iter();
    match it.next() {
        Some(&"botocore") => {}
        Some(other) => return Err(usage(&format!("unknown source `{other}`; only `botocore` is supported"))),
        None => return Err(usage("missing `botocore`")),
    }
    let (mut service, mut operations, mut from, mut out) = (None, None, None, None);
    let mut unenforced_patterns = false;
    while let Some(a) = it.next() {
        let mut value =
            |flag: &str| it.next().map(|v| (*v).to_owned()).ok_or_else(|| usage(&format!("`{flag}` needs a value")));
        match *a {
            "--operations" => {
                let v = value("--operations")?;
                let list: Vec<String> =
                    v.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect();
                if list.is_empty() {
                    return Err(usage("`--operations` needs at least one operation name"));
                }
                operations = Some(list);
            }
            "--from" => from = Some(PathBuf::from(value("--from")?)),
            "--out" => out = Some(PathBuf::from(value("--out")?)),
            "--unenforced-patterns" => unenforced_patterns = true,
            flag if flag.starts_with("--") => return Err(usage(&format!("unknown option `{flag}`"))),
            name if service.is_none() => service = Some(name.to_owned()),
            extra => return Err(usage(&format!("unexpected argument `{extra}`"))),
        }
    }
    let service = service.ok_or_else(|| usage("missing the service name"))?;
    Ok(Args { service, operations, from, out, unenforced_patterns })
}

/// The installed botocore package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Botocore {
    /// Its version (`__version__`).
    pub version: String,
    /// The package folder (`.../site-packages/botocore`).
    pub package: PathBuf,
}

/// The botocore that `scripts/setup-python` installs into `root/.venv`, which
/// must be the version pinned in `scripts/requirements.txt`.
pub fn pinned_botocore(root: &Path) -> Result<Botocore, ImportError> {
    let setup = "run scripts/setup-python first (it installs the pinned botocore into .venv)";
    let pinned = std::fs::read_to_string(root.join("scripts/requirements.txt"))
        .ok()
        .and_then(|r| r.lines().find_map(|l| l.trim().strip_prefix("botocore==").map(|v| v.trim().to_owned())));
    let lib = root.join(".venv/lib");
    let mut found: Vec<PathBuf> = std::fs::read_dir(&lib)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.path().join("site-packages/botocore"))
                .filter(|p| p.join("__init__.py").is_file())
                .collect()
        })
        .unwrap_or_default();
    found.sort();
    let Some(package) = found.pop() else {
        return Err(ImportError::NoBotocore { message: format!("no botocore under {}; {setup}", lib.display()) });
    };
    let version = package_version(&package).ok_or_else(|| ImportError::NoBotocore {
        message: format!("cannot read the version of {}; {setup}", package.display()),
    })?;
    if let Some(p) = pinned
        && p != version
    {
        return Err(ImportError::NoBotocore {
            message: format!(
                "{} holds botocore {version}, but scripts/requirements.txt pins {p}; {setup}",
                package.display()
            ),
        });
    }
    Ok(Botocore { version, package })
}

/// `__version__` of a botocore package folder.
fn package_version(package: &Path) -> Option<String> {
    let init = std::fs::read_to_string(package.join("__init__.py")).ok()?;
    init.lines().find_map(|l| {
        let v = l.trim().strip_prefix("__version__")?.trim_start().strip_prefix('=')?.trim();
        Some(v.trim_matches(['\'', '"']).to_owned())
    })
}

/// The model file of `service` in botocore's `data/`: the newest API version
/// folder's `service-2.json.gz` (or `.json`).
pub fn service_file(bc: &Botocore, service: &str) -> Result<PathBuf, ImportError> {
    let data = bc.package.join("data");
    let mut names: Vec<String> = std::fs::read_dir(&data)
        .map_err(|e| ImportError::Read { path: data.display().to_string(), message: e.to_string() })?
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .filter_map(|e| e.file_name().into_string().ok())
        .collect();
    names.sort();
    if !names.iter().any(|n| n == service) {
        return Err(ImportError::UnknownService {
            service: service.to_owned(),
            close: error::close_matches(service, names.iter().map(String::as_str)),
        });
    }
    let dir = data.join(service);
    let mut versions: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| ImportError::Read { path: dir.display().to_string(), message: e.to_string() })?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir() && model_in(p).is_some())
        .collect();
    versions.sort();
    let newest = versions.pop().ok_or_else(|| ImportError::Read {
        path: dir.display().to_string(),
        message: "no API version folder with a service-2.json".to_owned(),
    })?;
    model_in(&newest)
        .ok_or_else(|| ImportError::Read { path: newest.display().to_string(), message: "no service-2.json".into() })
}

fn model_in(dir: &Path) -> Option<PathBuf> {
    ["service-2.json.gz", "service-2.json"].iter().map(|f| dir.join(f)).find(|p| p.is_file())
}

/// `paginators-1.json` (or `.json.gz`) beside a model file, if there is one.
pub fn paginators_beside(model: &Path) -> Option<PathBuf> {
    let dir = model.parent()?;
    ["paginators-1.json", "paginators-1.json.gz"].iter().map(|f| dir.join(f)).find(|p| p.is_file())
}

/// Reads a `.json` or gzip-compressed `.json.gz` file as JSON.
pub fn read_json_file(path: &Path) -> Result<Json, ImportError> {
    let shown = path.display().to_string();
    let read_err = |message: String| ImportError::Read { path: shown.clone(), message };
    let file = std::fs::File::open(path).map_err(|e| read_err(e.to_string()))?;
    let mut bytes = Vec::new();
    let gzip = path.extension().is_some_and(|e| e == "gz");
    let result = if gzip {
        flate2::read::GzDecoder::new(file).take(MAX_MODEL_BYTES + 1).read_to_end(&mut bytes)
    } else {
        file.take(MAX_MODEL_BYTES + 1).read_to_end(&mut bytes)
    };
    result.map_err(|e| read_err(if gzip { format!("not a readable gzip file: {e}") } else { e.to_string() }))?;
    if bytes.len() as u64 > MAX_MODEL_BYTES {
        return Err(read_err(format!("larger than {} MiB", MAX_MODEL_BYTES >> 20)));
    }
    let text = String::from_utf8(bytes).map_err(|e| read_err(format!("not UTF-8 text: {e}")))?;
    Json::parse(&text).map_err(|message| ImportError::NotJson { path: shown, message })
}

/// botocore's folder name as a Rust module and feature name.
pub fn module_name(service: &str) -> String {
    let mut s: String =
        service.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' }).collect();
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, '_');
    }
    s
}

/// A label for a file inside a botocore package: `botocore 1.43.11 data/...`
/// (the version when the package can be found above it), else the path.
fn label(path: &Path, known: Option<&Botocore>) -> String {
    let shown = path.display().to_string().replace('\\', "/");
    let Some(i) = shown.rfind("botocore/data/") else { return shown };
    let rel = &shown[i + "botocore/".len()..];
    let version =
        known.map(|b| b.version.clone()).or_else(|| package_version(Path::new(&shown[..i + "botocore".len()])));
    match version {
        Some(v) => format!("botocore {v} {rel}"),
        None => format!("botocore {rel}"),
    }
}

/// The import as YAML text.
pub fn import(root: &Path, args: &Args) -> Result<String, ImportError> {
    let (model_path, bc) = match &args.from {
        Some(p) => (p.clone(), None),
        None => {
            let bc = pinned_botocore(root)?;
            (service_file(&bc, &args.service)?, Some(bc))
        }
    };
    let model = read_json_file(&model_path)?;
    let pages_path = paginators_beside(&model_path);
    let pages = pages_path.as_deref().map(read_json_file).transpose()?;
    let source = label(&model_path, bc.as_ref());
    let mut command = format!("cargo xtask import botocore {}", args.service);
    if let Some(ops) = &args.operations {
        command.push_str(&format!(" --operations {}", ops.join(",")));
    }
    if args.from.is_some() {
        command.push_str(" --from ...");
    }
    if args.unenforced_patterns {
        command.push_str(" --unenforced-patterns");
    }
    let options = ImportOptions {
        service_name: module_name(&args.service),
        source_path: source.clone(),
        source_title: None,
        paginators_path: pages_path.as_deref().map(|p| label(p, bc.as_ref())),
        operations: args.operations.clone(),
        header: vec![
            format!("Imported from {source} by `{command}`."),
            "Every fact is botocore's (source: botocore); its HTML documentation is converted to Markdown.".to_owned(),
        ],
        unenforced_patterns: args.unenforced_patterns,
    };
    convert(&model, pages.as_ref(), &options)
}

/// `cargo xtask import ...`: writes the YAML to `--out` or standard output.
pub fn run(root: &Path, args: &[&str]) -> Result<(), ImportError> {
    let args = parse_args(args)?;
    let text = import(root, &args)?;
    match &args.out {
        Some(out) => std::fs::write(out, text)
            .map_err(|e| ImportError::Write { path: out.display().to_string(), message: e.to_string() }),
        None => {
            use std::io::Write;
            let mut stdout = std::io::stdout().lock();
            stdout
                .write_all(text.as_bytes())
                .and_then(|()| stdout.flush())
                .map_err(|e| ImportError::Write { path: "standard output".into(), message: e.to_string() })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments() {
        let a = parse_args(&["botocore", "autoscaling", "--operations", "A, B,", "--out", "x.yaml"]).unwrap();
        assert_eq!(a.service, "autoscaling");
        assert_eq!(a.operations, Some(vec!["A".to_owned(), "B".to_owned()]));
        assert_eq!(a.out, Some(PathBuf::from("x.yaml")));
        assert_eq!(a.from, None);
        for bad in [
            &[][..],
            &["aws"],
            &["botocore"],
            &["botocore", "x", "--from"],
            &["botocore", "x", "y"],
            &["botocore", "x", "--what"],
            &["botocore", "x", "--operations", ","],
        ] {
            assert!(matches!(parse_args(bad), Err(ImportError::Usage(m)) if m.ends_with(USAGE)), "{bad:?}");
        }
    }

    #[test]
    fn module_names() {
        assert_eq!(module_name("cognito-idp"), "cognito_idp");
        assert_eq!(module_name("autoscaling"), "autoscaling");
    }

    #[test]
    fn labels_name_the_file_inside_the_package() {
        let bc = Botocore { version: "1.43.11".into(), package: PathBuf::from("/x/botocore") };
        let p = Path::new("/x/site-packages/botocore/data/autoscaling/2011-01-01/service-2.json.gz");
        assert_eq!(label(p, Some(&bc)), "botocore 1.43.11 data/autoscaling/2011-01-01/service-2.json.gz");
        assert_eq!(label(Path::new("tests/m.json"), None), "tests/m.json");
    }
}
