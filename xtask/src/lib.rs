//! Repository tasks, as a library so that tests can run them in-process.
//!
//! `regenerate` writes `generated/` from `models/`, touching only files whose
//! content changed and deleting files no model produces any more. With
//! `check` it writes nothing and fails, naming each file, when `generated/`
//! is not exactly what the models produce.
//!
//! `import` converts botocore service models into YAML models (`cargo xtask
//! import botocore`, see [`import`]); `crosscheck` compares every model with
//! its official counterpart (`cargo xtask crosscheck`, see [`crosscheck`]).
#![forbid(unsafe_code)]

pub mod bench;
pub mod conformance;
pub mod crosscheck;
pub mod import;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The repository root (the parent of this crate).
pub fn repo_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(Path::to_path_buf).unwrap_or(manifest)
}

/// Regenerates (or, with `check`, verifies) `generated/` from `models/`, and the
/// test fixtures in `tests/src/fixtures/` from `tests/models/` when that folder exists.
pub fn regenerate(root: &Path, check: bool) -> Result<(), String> {
    let files = codegen::generate(&root.join("models")).map_err(|d| d.to_string())?;
    let mut stale = sync_dir(root, "generated", &files, check)?;
    let fixtures = root.join("tests/models");
    if fixtures.is_dir() {
        let files = codegen::generate_fixtures(&fixtures, "tests/models").map_err(|d| d.to_string())?;
        stale.extend(sync_dir(root, "tests/src/fixtures", &files, check)?);
    }
    if check && !stale.is_empty() {
        return Err(format!(
            "generated code is stale; run `cargo xtask regenerate` and commit the result:\n  {}",
            stale.join("\n  ")
        ));
    }
    Ok(())
}

/// Makes `root/dir` hold exactly `files`; returns what differs (check mode) or rewrites it.
fn sync_dir(root: &Path, dir: &str, files: &[codegen::GeneratedFile], check: bool) -> Result<Vec<String>, String> {
    let out_dir = root.join(dir);
    let mut stale = Vec::new();
    let mut wanted = BTreeSet::new();
    for file in files {
        let path = out_dir.join(&file.path);
        wanted.insert(path.clone());
        if let Some(problem) = ensure_file_contents(&path, &file.contents, check)? {
            stale.push(format!("{dir}/{}: {problem}", file.path));
        }
    }
    for path in existing_files(&out_dir) {
        if !wanted.contains(&path) {
            let rel = path.strip_prefix(root).unwrap_or(&path).display().to_string();
            if check {
                stale.push(format!("{rel}: no model produces it"));
            } else {
                std::fs::remove_file(&path).map_err(|e| format!("cannot delete {rel}: {e}"))?;
            }
        }
    }
    Ok(stale)
}

/// Makes `path` hold `contents`; in check mode only reports what differs.
fn ensure_file_contents(path: &Path, contents: &str, check: bool) -> Result<Option<&'static str>, String> {
    let problem = match std::fs::read_to_string(path) {
        Ok(old) if old == contents => return Ok(None),
        Ok(_) => "out of date",
        Err(_) => "missing",
    };
    if check {
        return Ok(Some(problem));
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    std::fs::write(path, contents).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    eprintln!("updated {}", path.display());
    Ok(None)
}

fn existing_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else { continue };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}
