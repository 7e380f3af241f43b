//! The generator: YAML models in `models/` to the Rust crate in `generated/`.
//!
//! The pipeline flows one way:
//! `load` (YAML text to the raw [`model`]) -> `check` (every problem, with
//! file, line and model path; resolves into the [`ir`]) -> `emit` (tokens via
//! `quote`, formatted by `prettyplease`) -> files, which `xtask` writes.
#![forbid(unsafe_code)]

pub mod automaton;
pub mod check;
pub mod diagnostics;
pub mod emit;
pub mod ir;
pub mod load;
pub mod model;
pub mod naming;
pub mod pattern;

use std::path::Path;

pub use diagnostics::{Diagnostic, Diagnostics};
pub use emit::GeneratedFile;

/// Loads and checks one model from its text. `display_path` names the file in diagnostics.
pub fn load_model(text: &str, display_path: &str) -> Result<ir::Service, Diagnostics> {
    let mut sink = diagnostics::Sink::new(display_path);
    let service = load::parse(text, &mut sink).and_then(|model| check::check(&model, display_path, &mut sink));
    match service {
        Some(s) if sink.found.is_empty() => Ok(s),
        _ => {
            let mut found = sink.found;
            found.sort();
            Err(Diagnostics(found))
        }
    }
}

/// Loads every `*.yaml` model in `dir` (sorted by file name). Paths in diagnostics and
/// in generated headers are `models/<file>`.
pub fn load_models(dir: &Path) -> Result<Vec<ir::Service>, Diagnostics> {
    let prefix = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    load_models_as(dir, &prefix)
}

/// Like [`load_models`], naming files `<display_dir>/<file>` in diagnostics and headers.
pub fn load_models_as(dir: &Path, display_dir: &str) -> Result<Vec<ir::Service>, Diagnostics> {
    let mut entries: Vec<_> = match std::fs::read_dir(dir) {
        Ok(rd) => rd.filter_map(Result::ok).map(|e| e.path()).filter(|p| p.extension().is_some_and(|e| e == "yaml")).collect(),
        Err(e) => return Err(io_error(dir, &e)),
    };
    entries.sort();
    if entries.is_empty() {
        return Err(Diagnostics(vec![Diagnostic {
            file: dir.display().to_string(),
            line: None,
            path: String::new(),
            message: "no *.yaml models found".into(),
        }]));
    }
    let mut services = Vec::new();
    let mut all = Vec::new();
    for path in entries {
        let name = format!("{display_dir}/{}", path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default());
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) => {
                all.extend(io_error(&path, &e).0);
                continue;
            }
        };
        match load_model(&text, &name) {
            Ok(s) => services.push(s),
            Err(d) => all.extend(d.0),
        }
    }
    let mut modules: Vec<(&str, &str)> = services.iter().map(|s| (s.module.as_str(), s.model_path.as_str())).collect();
    modules.sort();
    for pair in modules.windows(2) {
        if pair[0].0 == pair[1].0 {
            all.push(Diagnostic {
                file: pair[1].1.to_owned(),
                line: None,
                path: "service.name".into(),
                message: format!("service name `{}` is also used by {}", pair[0].0, pair[0].1),
            });
        }
    }
    if all.is_empty() { Ok(services) } else { Err(Diagnostics(all)) }
}

fn io_error(path: &Path, e: &std::io::Error) -> Diagnostics {
    Diagnostics(vec![Diagnostic { file: path.display().to_string(), line: None, path: String::new(), message: format!("cannot read: {e}") }])
}

/// Every file of the generated crate, from the models in `models_dir`.
pub fn generate(models_dir: &Path) -> Result<Vec<GeneratedFile>, Diagnostics> {
    Ok(emit::crate_files(&load_models_as(models_dir, "models")?))
}

/// Fixture modules from the test-only models in `models_dir` (shown as `display_dir`).
pub fn generate_fixtures(models_dir: &Path, display_dir: &str) -> Result<Vec<GeneratedFile>, Diagnostics> {
    Ok(emit::fixture_files(&load_models_as(models_dir, display_dir)?, &format!("{display_dir}/*.yaml")))
}
