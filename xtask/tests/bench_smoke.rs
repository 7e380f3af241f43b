//! The generator benchmark (`cargo xtask bench-codegen`) still runs: one
//! iteration over `models/` and a 3-operation synthetic model. No timing is
//! asserted; BENCHMARKS.md has the figures.

use xtask::bench;

#[test]
fn generator_bench_runs_in_tiny_mode() {
    let root = xtask::repo_root();
    let models = bench::time_generate(&root.join("models"), 1).unwrap();
    assert!(models.files > 0 && models.bytes > 0);
    assert_eq!(models.total.runs.len(), 1);

    let work = std::env::temp_dir().join(format!("xtask-bench-smoke-{}", std::process::id()));
    let points = bench::time_sizes(&work, &[3], 1).unwrap();
    let _ = std::fs::remove_dir_all(&work);
    assert_eq!(points.len(), 1);
    assert!(points[0].times.files > 0);
}

#[test]
fn synthetic_models_are_valid_and_grow_with_their_operations() {
    for n in [1, 7] {
        let text = bench::synth_model("synth", n);
        let service = codegen::load_model(&text, "synth.yaml").unwrap_or_else(|d| panic!("{n} operations: {d}"));
        assert_eq!(service.operations.len(), n);
    }
}

#[test]
fn whole_services_import_and_generate_with_a_feature_per_operation() {
    let root = xtask::repo_root();
    let out = std::env::temp_dir().join(format!("xtask-bench-whole-{}", std::process::id()));
    let report = bench::whole_services(&root, &out, true, 1).unwrap();
    for service in bench::WHOLE_SERVICES {
        assert!(report.contains(&format!("{service}: 1 operations")), "{report}");
    }
    assert!(report.contains("generated 4 operations into"), "{report}");
    let models: Vec<_> = std::fs::read_dir(out.join("models")).unwrap().flatten().map(|e| e.file_name()).collect();
    assert_eq!(models.len(), 4, "{models:?}");
    let runtime_dep = format!("path = {:?}", root.join("runtime").display().to_string());
    let manifest = std::fs::read_to_string(out.join("generated/Cargo.toml")).unwrap();
    assert!(manifest.contains("\nautoscaling = [\"autoscaling-put-lifecycle-hook\"]\n"), "{manifest}");
    assert!(manifest.contains(&runtime_dep), "{manifest}");
    for service in bench::WHOLE_SERVICES {
        let path = out.join(format!("generated/services/{service}/Cargo.toml"));
        let manifest = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(manifest.contains(&runtime_dep), "{manifest}");
    }
    assert!(!out.join("generated/cli").exists(), "the benchmark crate has no CLI");
    std::fs::remove_dir_all(&out).unwrap();
}
