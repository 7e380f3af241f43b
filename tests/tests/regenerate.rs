//! `cargo xtask regenerate --check`, run in-process: the suite fails when a
//! model changes without `generated/` being regenerated.

#[test]
fn generated_crate_matches_the_models() {
    if let Err(stale) = xtask::regenerate(&tests::repo_root(), true) {
        panic!("{stale}");
    }
}

#[test]
fn check_mode_names_stale_and_missing_files_and_writes_nothing() {
    let dir = std::env::temp_dir().join(format!("hooks-regen-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("models")).unwrap();
    std::fs::copy(tests::repo_root().join("models/transfer.yaml"), dir.join("models/transfer.yaml")).unwrap();

    let err = xtask::regenerate(&dir, true).unwrap_err();
    assert!(err.contains("generated/services/transfer/src/types.rs: missing"), "{err}");
    assert!(!dir.join("generated").exists(), "check mode must not write");

    xtask::regenerate(&dir, false).unwrap();
    xtask::regenerate(&dir, true).unwrap();

    let types = dir.join("generated/services/transfer/src/types.rs");
    std::fs::write(&types, "// edited by hand\n").unwrap();
    std::fs::write(dir.join("generated/src/leftover.rs"), "").unwrap();
    let err = xtask::regenerate(&dir, true).unwrap_err();
    assert!(err.contains("generated/services/transfer/src/types.rs: out of date"), "{err}");
    assert!(err.contains("generated/src/leftover.rs: no model produces it"), "{err}");

    xtask::regenerate(&dir, false).unwrap();
    assert!(!dir.join("generated/src/leftover.rs").exists());
    xtask::regenerate(&dir, true).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
}
