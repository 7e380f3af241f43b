//! Each `tests/broken-models/<name>.yaml` must be rejected with exactly the
//! diagnostics in `<name>.expected` (file, line, model path, what is wrong).
//! Set `UPDATE_EXPECTED=1` to rewrite the expectations after reviewing them.

use std::path::Path;

#[test]
fn broken_models_get_their_exact_errors() {
    let dir = tests::repo_root().join("tests/broken-models");
    let mut models: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    models.sort();
    assert!(models.len() >= 10, "expected the whole folder of broken models");
    let mut failures = Vec::new();
    for model in &models {
        let name = model.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(model).unwrap();
        let actual = match codegen::load_model(&text, &format!("tests/broken-models/{name}")) {
            Ok(_) => "accepted\n".to_owned(),
            Err(d) => format!("{d}\n"),
        };
        let expected_path = model.with_extension("expected");
        if std::env::var_os("UPDATE_EXPECTED").is_some() {
            std::fs::write(&expected_path, &actual).unwrap();
            continue;
        }
        let expected = read(&expected_path);
        if actual != expected {
            failures.push(format!("{name}:\n--- expected\n{expected}--- actual\n{actual}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|_| format!("(missing {})\n", p.display()))
}

#[test]
fn a_good_model_is_accepted() {
    let text = std::fs::read_to_string(tests::repo_root().join("tests/broken-models/base.yml")).unwrap();
    codegen::load_model(&text, "base.yml").unwrap();
}
