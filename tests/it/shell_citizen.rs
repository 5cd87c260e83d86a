//! Completions, man pages, `paths` and `doctor`; old flag spellings that scripts still use.

use std::process::Command;

use crate::common::TestEnv;

fn root() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn bash_completion_parses_and_matches_the_committed_file() {
    let env = TestEnv::new();
    let script = env.ok(&["completions", "bash"]);
    assert!(script.contains("smsctl"));
    let file = env.dir.path().join("smsctl.bash");
    std::fs::write(&file, &script).unwrap();
    let status = Command::new("bash").arg("-n").arg(&file).status().expect("bash");
    assert!(status.success(), "bash -n rejected the completion script");
    let committed = std::fs::read_to_string(root().join("completions/smsctl.bash")).unwrap();
    assert!(script == committed, "completions/ is stale: run `cargo run --example generate`");
}

#[test]
fn every_shell_has_a_committed_completion() {
    let env = TestEnv::new();
    for (shell, file) in [
        ("zsh", "_smsctl"),
        ("fish", "smsctl.fish"),
        ("powershell", "_smsctl.ps1"),
        ("elvish", "smsctl.elv"),
    ] {
        let printed = env.ok(&["completions", shell]);
        let committed = std::fs::read_to_string(root().join("completions").join(file)).unwrap();
        assert!(
            printed == committed,
            "completions/{file} is stale for {shell}: run `cargo run --example generate`"
        );
    }
    env.fails(&["completions", "tcsh"], 2, "");
}

#[test]
fn man_pages_exist_for_every_command_and_render() {
    let man_dir = root().join("docs/man");
    for page in [
        "smsctl.1",
        "smsctl-key-create.1",
        "smsctl-key-rotate.1",
        "smsctl-send.1",
        "smsctl-doctor.1",
        "smsctl-key-whitelist-add.1",
    ] {
        assert!(man_dir.join(page).exists(), "{page} missing");
    }
    if Command::new("groff").arg("--version").output().is_err() {
        eprintln!("groff not installed; render check skipped");
        return;
    }
    // Every page renders without warnings (-ww); -k runs preconv for the UTF-8 in examples.
    for entry in std::fs::read_dir(&man_dir).unwrap() {
        let page = entry.unwrap().path();
        let out = Command::new("groff")
            .args(["-k", "-man", "-Tutf8", "-ww", "-z"])
            .arg(&page)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", page.display());
        assert!(
            out.stderr.is_empty(),
            "{}: groff warnings: {}",
            page.display(),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn paths_reports_the_store() {
    let env = TestEnv::new();
    let v = env.json(&["paths"]);
    assert_eq!(v["store"], smsctl::store::display_location(&env.db));
    assert_eq!(v["store_source"], "SMSCTL_DB");
    assert_eq!(v["store_exists"], false, "paths does not create the store");
    assert_eq!(v["keyring_service"], "smsctl");
    let v = env.json(&["paths", "--db", "/tmp/other.db"]);
    assert_eq!(v["store_source"], "--db");
}

#[test]
fn paths_lists_the_audit_key_places_that_are_looked_up() {
    let env = TestEnv::new();
    // The test environment has SMSCTL_KEYRING=none: the keyring is not one of the places.
    let places = env.json(&["paths"])["audit_key"].clone();
    let places: Vec<&str> = places.as_array().unwrap().iter().map(|p| p.as_str().unwrap()).collect();
    assert_eq!(places.len(), 2, "{places:?}");
    assert_eq!(places[0], "SMSCTL_AUDIT_KEY");
    assert!(places[1].ends_with("audit-keys/<store id>.key"), "{places:?}");
    assert!(env.ok(&["paths"]).contains("disabled (SMSCTL_KEYRING=none)"));
    assert_eq!(env.json(&["paths"])["keyring_enabled"], false);
    let out = env.cmd().args(["paths", "--json"]).env("SMSCTL_KEYRING", "os").output().unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let with_keyring = v["audit_key"].as_array().unwrap();
    assert_eq!(with_keyring.len(), 3, "{with_keyring:?}");
    assert!(with_keyring[1].as_str().unwrap().contains("OS keyring"), "{with_keyring:?}");
    assert_eq!(v["keyring_enabled"], true);
}

#[test]
fn doctor_is_clean_on_a_healthy_store() {
    let env = TestEnv::new();
    env.create_key("ok", &["--allow-ip", "203.0.113.0/24"]);
    let v = env.json(&["doctor"]);
    assert_eq!(v["healthy"], true, "{v}");
    assert!(v["findings"].as_array().unwrap().is_empty());
}

#[test]
fn doctor_finds_each_planted_problem() {
    let env = TestEnv::new();
    env.create_key("empty", &[]);
    env.create_key("open", &["--allow-ip", "0.0.0.0/0", "--allow-ip", "::/0"]);
    env.create_key("soon", &["--allow-ip", "203.0.113.1", "--expires", "3d"]);
    env.create_key("rotated", &["--allow-ip", "203.0.113.2"]);
    env.ok(&["key", "rotate", "rotated", "--grace", "1h"]);
    // Tamper with the audit trail.
    {
        let conn = crate::common::open_store(&env.db);
        conn.execute("UPDATE audit SET actor = 'mallory' WHERE seq = 2", ()).unwrap();
    }
    let out = env.cmd().args(["doctor", "--json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["healthy"], false);
    let findings = v["findings"].as_array().unwrap();
    let has = |check: &str, key: Option<&str>| findings.iter().any(|f| f["check"] == check && key.is_none_or(|k| f["key"] == k));
    assert!(has("empty whitelists", Some("empty")), "{v}");
    assert!(has("allow-all whitelists", Some("open")), "{v}");
    assert!(has("expiring soon", Some("soon")), "{v}");
    // A rotation in progress is information, not a finding.
    assert!(!has("secrets in grace", Some("rotated")), "{v}");
    assert!(v["notes"].as_array().unwrap().iter().any(|n| n["key"] == "rotated"), "{v}");
    assert!(has("audit trail", None), "{v}");
    assert!(!has("empty whitelists", Some("open")));
    let human = String::from_utf8(env.cmd().args(["doctor"]).output().unwrap().stdout).unwrap();
    assert!(human.contains("finding(s):"), "{human}");
}

#[test]
fn doctor_reports_an_unreachable_keyring() {
    let env = TestEnv::new();
    let out = env
        .cmd()
        .env_remove("SMSCTL_KEYRING")
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .env("XDG_RUNTIME_DIR", env.dir.path())
        .args(["doctor", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["findings"].as_array().unwrap().iter().any(|f| f["check"] == "keyring"), "{v}");
}

#[test]
fn every_command_has_examples_in_help() {
    let env = TestEnv::new();
    let commands: &[&[&str]] = &[
        &[],
        &["key", "create"],
        &["key", "list"],
        &["key", "show"],
        &["key", "rename"],
        &["key", "rotate"],
        &["key", "revoke"],
        &["key", "set"],
        &["key", "replace"],
        &["key", "whitelist"],
        &["key", "verify"],
        &["send"],
        &["text"],
        &["messages"],
        &["audit"],
        &["completions"],
        &["paths"],
        &["doctor"],
        &["gateway", "serve"],
        &["backup"],
        &["restore"],
        &["key", "edit"],
    ];
    for cmd in commands {
        let mut args = cmd.to_vec();
        args.push("--help");
        let out = env.ok(&args);
        assert!(out.contains("Example"), "`smsctl {}` --help has no examples", cmd.join(" "));
    }
}

#[test]
fn dynamic_completion_offers_key_names() {
    let env = TestEnv::new();
    env.create_key("alpha", &["--description", "CI runner"]);
    env.create_key("beta", &[]);
    env.create_key("gone", &[]);
    env.ok(&["key", "revoke", "gone", "--yes"]);
    let complete = |words: &[&str]| {
        let out = env.cmd().env("SMSCTL_COMPLETE", "fish").arg("--").args(words).output().unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };
    let shown = complete(&["smsctl", "key", "show", ""]);
    assert!(shown.contains("alpha\tactive — CI runner"), "{shown}");
    assert!(shown.contains("beta\tactive"), "{shown}");
    assert!(!shown.contains("gone"), "revoked keys are not offered: {shown}");
    let send = complete(&["smsctl", "send", "--key", "b"]);
    assert_eq!(send.trim(), "beta\tactive");
    // The registration script for bash parses.
    let script = env.cmd().env("SMSCTL_COMPLETE", "bash").output().unwrap().stdout;
    let file = env.dir.path().join("dyn.bash");
    std::fs::write(&file, script).unwrap();
    assert!(Command::new("bash").arg("-n").arg(&file).status().unwrap().success());
}

#[test]
fn an_unrelated_complete_variable_changes_nothing() {
    let env = TestEnv::new();
    env.cmd()
        .args(["key", "list", "--json"])
        .env("COMPLETE", "1")
        .assert()
        .success()
        .stdout("[]\n");
}

/// `SMSCTL_KEYRING=none` in any spelling the keyring accepts is a deliberate choice: doctor
/// says the keyring is disabled and finds nothing wrong with it (it once took `None` for a
/// broken keyring while the keyring itself obeyed it).
#[test]
fn doctor_reports_a_disabled_keyring_as_disabled_not_as_a_finding() {
    let env = TestEnv::new();
    env.create_key("ci", &["--allow-ip", "127.0.0.1"]);
    for value in ["none", "None", " NONE "] {
        let out = env.cmd().args(["doctor", "--json"]).env("SMSCTL_KEYRING", value).output().unwrap();
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let keyring = report["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == "keyring")
            .cloned()
            .unwrap();
        assert_eq!(keyring["ok"], true, "{value:?}: {keyring}");
        assert_eq!(keyring["detail"], "disabled by SMSCTL_KEYRING=none", "{value:?}");
        let findings = report["findings"].as_array().unwrap();
        assert!(findings.iter().all(|f| f["check"] != "keyring"), "{value:?}: {findings:?}");
        assert_eq!(out.status.code(), Some(0), "{value:?}: {report}");
    }
    // A value the keyring does not accept is a finding that names the variable.
    let out = env
        .cmd()
        .args(["doctor", "--json"])
        .env("SMSCTL_KEYRING", "memory")
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let findings = report["findings"].as_array().unwrap();
    assert!(
        findings
            .iter()
            .any(|f| f["check"] == "keyring" && f["message"].as_str().unwrap().contains("unsupported SMSCTL_KEYRING")),
        "{findings:?}"
    );
}

/// Whether `help` names `flag` as a flag (`--no-dlr` is not named by `--no-dlr-url`).
fn names_flag(help: &str, flag: &str) -> bool {
    help.match_indices(flag)
        .any(|(i, _)| !help[i + flag.len()..].starts_with(|c: char| c == '-' || c.is_ascii_alphanumeric()))
}

/// Renamed flags: (command, old spelling, its one name). The old spellings are hidden
/// aliases, so scripts written against them keep working.
const RENAMED: &[(&[&str], &str, &str)] = &[
    (&["key", "create"], "--auto-replace", "--autoconvert"),
    (&["key", "set"], "--auto-replace", "--autoconvert"),
    (&["key", "set"], "--no-auto-replace", "--no-autoconvert"),
    (&["send"], "--no-dlr", "--no-dlr-url"),
    (&["send"], "--max-segments", "--max-parts"),
    (&["text"], "--file", "--text-file"),
];

#[test]
fn old_flag_spellings_are_hidden_from_help() {
    let env = TestEnv::new();
    for (command, old, new) in RENAMED {
        let mut args = command.to_vec();
        args.push("--help");
        let help = env.ok(&args);
        assert!(names_flag(&help, new), "{command:?} --help lacks {new}:\n{help}");
        assert!(!names_flag(&help, old), "{command:?} --help shows the old {old}:\n{help}");
    }
    // `--from` stays visible on `send`, once, as an alias of `--sender`.
    let help = env.ok(&["send", "--help"]);
    assert!(names_flag(&help, "--sender <S>"), "{help}");
    let words = help.split_whitespace().collect::<Vec<_>>().join(" ");
    assert_eq!(words.matches("[alias: --from]").count(), 1, "{help}");
    assert!(!names_flag(&help, "--from <S>"), "{help}");
}

#[test]
fn old_flag_spellings_still_work() {
    let env = TestEnv::new();
    env.create_key(
        "old",
        &[
            "--sender",
            "ACME",
            "--auto-replace",
            "full",
            "--dlr-url",
            "https://hooks.example.com/dlr",
        ],
    );
    env.create_key(
        "new",
        &[
            "--sender",
            "ACME",
            "--autoconvert",
            "full",
            "--dlr-url",
            "https://hooks.example.com/dlr",
        ],
    );
    let mode = |name: &str| env.json(&["key", "show", name])["auto_replace"].clone();
    assert_eq!((mode("old"), mode("new")), (serde_json::json!("full"), serde_json::json!("full")));
    env.ok(&["key", "set", "old", "--auto-replace", "off"]);
    assert_eq!(mode("old"), "off");
    env.ok(&["key", "set", "old", "--no-auto-replace"]);
    env.ok(&["key", "set", "new", "--no-autoconvert"]);
    assert_eq!((mode("old"), mode("new")), (serde_json::Value::Null, serde_json::Value::Null));

    // send: each old spelling gives exactly the new spelling's plan.
    let send = |text: &str, extra: &[&str]| -> Vec<String> {
        let base = ["send", "--key", "new", "--to", "+37255512345", "--text", text, "--dry-run"];
        base.iter().chain(extra).map(|a| a.to_string()).collect()
    };
    let dry = |extra: &[&str]| env.json(&send("Hello", extra).iter().map(String::as_str).collect::<Vec<_>>());
    for (old, new) in [
        (&["--no-dlr"][..], &["--no-dlr-url"][..]),
        (&["--from", "SHOP"], &["--sender", "SHOP"]),
        (&["--max-segments", "1"], &["--max-parts", "1"]),
    ] {
        assert_eq!(dry(old), dry(new), "{old:?} vs {new:?}");
    }
    let v = dry(&["--no-dlr", "--from", "SHOP"]);
    assert_eq!(v["settings"]["dlr_url"]["source"], "flag");
    assert_eq!(v["settings"]["sender"]["value"], "SHOP");
    let fails = |text: &str, extra: &[&str], code: i32, message: &str| {
        env.fails(&send(text, extra).iter().map(String::as_str).collect::<Vec<_>>(), code, message);
    };
    let long = "a".repeat(161);
    for flag in ["--max-segments", "--max-parts"] {
        fails(&long, &[flag, "1"], 1, "--max-parts 1: the message needs 2 parts");
    }
    fails("hi", &["--dlr-url", "https://x.example/d", "--no-dlr"], 2, "--no-dlr-url");

    // text: --file reads the same file as --text-file.
    let f = env.dir.path().join("m.txt");
    std::fs::write(&f, "Café").unwrap();
    let path = f.to_str().unwrap();
    assert_eq!(env.json(&["text", "--file", path]), env.json(&["text", "--text-file", path]));
}
