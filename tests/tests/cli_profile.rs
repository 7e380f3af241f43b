//! `hookctl --profile`: the named profile of the shared files, its role
//! assumed through STS (our fake, on loopback) before `--dry-run` signs, and
//! the environment's keys not used; without `--profile`, `AWS_PROFILE` and
//! the environment's keys as the SDKs order them.

use std::time::Duration;

use tests::support::cli::Run;
use tests::support::metadata::{FakeSts, TempHome, derived};

const CONFIG: &str = "[profile base]\naws_access_key_id = AKIDPROFILEBASE\naws_secret_access_key = base-secret\n\n\
[profile deploy]\nrole_arn = arn:aws:iam::123456789012:role/deploy\nsource_profile = base\nrole_session_name = hookctl\nregion = eu-west-1\n";

fn dry_run(home: &TempHome, sts: &FakeSts) -> Run {
    let config = home.write(".aws/config", CONFIG);
    Run::hookctl([
        "transfer",
        "send-workflow-step-state",
        "--dry-run",
        "--workflow-id",
        "w-0123456789abcdefg",
        "--execution-id",
        "0123abcd-0000-1111-2222-333344445555",
        "--token",
        "t",
        "--status",
        "SUCCESS",
    ])
    .env("AWS_CONFIG_FILE", Some(&config.display().to_string()))
    .env("AWS_ENDPOINT_URL_STS", Some(&sts.server.url()))
    .env("AWS_REGION", None)
}

fn signer(out: &tests::support::cli::Output) -> String {
    let auth = out.json()["headers"]["Authorization"].as_str().unwrap_or_else(|| panic!("{out}")).to_owned();
    auth.split("Credential=").nth(1).unwrap().split('/').next().unwrap().to_owned()
}

#[tokio::test]
async fn profile_roles_are_assumed_before_a_dry_run_signs() {
    let home = TempHome::new();
    let sts = FakeSts::start(Duration::from_secs(3600)).await;
    // The harness's environment has keys of its own: --profile skips them.
    let out = dry_run(&home, &sts).args(["--profile", "deploy"]).run_async().await;
    out.assert_code(0);
    assert_eq!(signer(&out), derived(&["arn:aws:iam::123456789012:role/deploy", "AKIDPROFILEBASE"]).0);
    assert_eq!(out.json()["url"], "https://transfer.eu-west-1.amazonaws.com/", "the profile's region");
    assert_eq!(out.json()["headers"]["X-Amz-Security-Token"], "** redacted **");
    let calls = sts.calls();
    assert_eq!(
        (calls.len(), calls[0].session_name.as_str(), calls[0].signed_by.as_deref()),
        (1, "hookctl", Some("AKIDPROFILEBASE"))
    );
    // AWS_PROFILE names the profile too, but the environment's keys come first.
    let out = dry_run(&home, &sts).env("AWS_PROFILE", Some("deploy")).run_async().await;
    out.assert_code(0);
    assert_eq!(signer(&out), "AKIDEXAMPLE");
    // A profile that is not there: a configuration error naming it.
    let out = dry_run(&home, &sts).args(["--profile", "nope", "--region", "us-east-1"]).run_async().await;
    out.assert_code(5);
    assert_eq!(out.error()["kind"], "Config");
    assert!(out.error()["message"].as_str().unwrap().contains("profile \"nope\": the profile is not in"), "{out}");
    assert!(!out.stderr.contains("base-secret"));
}
