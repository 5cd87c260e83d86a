//! Snapshots of what users see: `--help` of every command, the human views of the common
//! commands, errors with their hints, and the `--json` shapes scripts rely on. Ids, secrets,
//! times, hashes and paths are redacted so the snapshots pin the shape, not the run.
//!
//! After an intended change: `INSTA_UPDATE=always cargo test --test it snapshots::`, then review
//! the diff of `tests/snapshots/` like code.

use crate::common::TestEnv;
use clap::CommandFactory;

/// Replacements that make one run's output comparable with another's.
fn filters(env: &TestEnv) -> Vec<(String, String)> {
    let dir = env.dir.path().display().to_string();
    vec![
        (regex_escape(&dir), "[TMP]".to_owned()),
        (r"smsk_[0-9A-Za-z]{36}".to_owned(), "[SECRET]".to_owned()),
        (r"key_[0-9a-z]{8}".to_owned(), "[KEY_ID]".to_owned()),
        (r"st_[0-9a-f]{24}".to_owned(), "[STORE_ID]".to_owned()),
        (r"\b[0-9a-f]{64}\b".to_owned(), "[HASH]".to_owned()),
        (r"\b[0-9a-f]{32}\b".to_owned(), "[FINGERPRINT]".to_owned()),
        (r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z".to_owned(), "[TIME]".to_owned()),
        (r"in \d+d \d+h|in \d+h \d+m|in \d+m \d+s|in \d+s".to_owned(), "in [SPAN]".to_owned()),
        (r"…[0-9A-Za-z]{4}".to_owned(), "…[LAST4]".to_owned()),
        (r#""last4": "[0-9A-Za-z]{4}""#.to_owned(), r#""last4": "[LAST4]""#.to_owned()),
    ]
}

fn regex_escape(s: &str) -> String {
    s.chars()
        .flat_map(|c| if "\\.+*?()|[]{}^$".contains(c) { vec!['\\', c] } else { vec![c] })
        .collect()
}

fn settings(env: &TestEnv) -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    for (pattern, with) in filters(env) {
        s.add_filter(&pattern, with);
    }
    s.set_prepend_module_to_snapshot(false);
    s
}

/// stdout and stderr of one run, with its exit code.
fn run(env: &TestEnv, args: &[&str]) -> String {
    let out = env.cmd().args(args).output().unwrap();
    format!(
        "exit: {}\n--- stdout\n{}--- stderr\n{}",
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Every visible command's path below `smsctl`, from the clap definition.
fn walk(cmd: &clap::Command, path: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    out.push(path.clone());
    for sub in cmd.get_subcommands() {
        if sub.is_hide_set() || sub.get_name() == "help" {
            continue;
        }
        path.push(sub.get_name().to_owned());
        walk(sub, path, out);
        path.pop();
    }
}

/// `--help` as the binary prints it, in a clean environment (no SMSCTL_* values shown) at a
/// fixed width.
#[test]
fn help_of_every_command() {
    let env = TestEnv::new();
    let mut cmd = smsctl::cli::Cli::command();
    cmd.build();
    let mut all = Vec::new();
    walk(&cmd, &mut Vec::new(), &mut all);
    assert!(all.len() > 30, "only {} commands found", all.len());
    let s = settings(&env);
    s.bind(|| {
        for path in all {
            let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
            args.push("--help");
            let out = env.cmd().args(&args).env("COLUMNS", "100").output().unwrap();
            assert!(out.status.success(), "{args:?}");
            let snap = format!("help__smsctl{}", path.iter().map(|p| format!("__{p}")).collect::<String>());
            insta::assert_snapshot!(snap, String::from_utf8_lossy(&out.stdout));
        }
    });
}

fn populated() -> TestEnv {
    let env = TestEnv::new();
    env.create_key(
        "checkout",
        &[
            "--sender",
            "ACME",
            "--allow-ip",
            "127.0.0.1",
            "--allow-ip",
            "2001:db8::/32",
            "--dlr-url",
            "https://hooks.example.com/dlr",
            "--description",
            "Checkout service",
            "--owner",
            "payments",
            "--quota",
            "1000/day",
            "--expires",
            "2099-12-31",
        ],
    );
    env.create_key("alerts", &["--sender", "OPS", "--allow-ip", "10.0.0.0/8", "--purpose", "alerts"]);
    env
}

#[test]
fn human_views() {
    if crate::common::sqlite_only("the views pinned for a SQLite store (doctor shows the file's checks)") {
        return;
    }
    let env = populated();
    let s = settings(&env);
    s.bind(|| {
        insta::assert_snapshot!("key_show", run(&env, &["key", "show", "checkout"]));
        insta::assert_snapshot!("key_list", run(&env, &["key", "list"]));
        insta::assert_snapshot!(
            "send_dry_run",
            run(
                &env,
                &[
                    "send",
                    "--key",
                    "checkout",
                    "--to",
                    "+37255512345",
                    "--text",
                    "Łódź “quotes” …",
                    "--from",
                    "SHOP",
                    "--no-dlr",
                    "--dry-run"
                ]
            )
        );
        insta::assert_snapshot!("audit", run(&env, &["audit"]));
        insta::assert_snapshot!("audit_verify", run(&env, &["audit", "verify"]));
        insta::assert_snapshot!("doctor", run(&env, &["doctor"]));
    });
}

#[test]
fn errors_with_hints() {
    let env = populated();
    let s = settings(&env);
    s.bind(|| {
        insta::assert_snapshot!("error_unknown_key", run(&env, &["key", "show", "ghost"]));
        insta::assert_snapshot!("error_bad_name", run(&env, &["key", "create", "has space"]));
        insta::assert_snapshot!("error_revoke_without_yes", run(&env, &["key", "revoke", "alerts"]));
        insta::assert_snapshot!("error_bad_duration", run(&env, &["key", "rotate", "alerts", "--grace", "5x"]));
        insta::assert_snapshot!(
            "error_no_sender",
            run(
                &env,
                &["send", "--key", "alerts", "--to", "+1", "--text", "x", "--dry-run", "--from", ""]
            )
        );
        insta::assert_snapshot!("error_json_shape", run(&env, &["key", "show", "ghost", "--json"]));
    });
}

#[test]
fn json_shapes() {
    let env = populated();
    let s = settings(&env);
    s.bind(|| {
        insta::assert_snapshot!("json_key_show", run(&env, &["key", "show", "checkout", "--json"]));
        insta::assert_snapshot!("json_key_list", run(&env, &["key", "list", "--json"]));
        insta::assert_snapshot!(
            "json_send_dry_run",
            run(
                &env,
                &[
                    "send",
                    "--key",
                    "checkout",
                    "--to",
                    "+37255512345",
                    "--text",
                    "Hi",
                    "--dry-run",
                    "--json"
                ]
            )
        );
        insta::assert_snapshot!("json_audit_verify", run(&env, &["audit", "verify", "--json"]));
        insta::assert_snapshot!("json_export", run(&env, &["export"]));
    });
}

/// The `--json` shapes of what is done to and with a key, its parts and its records: one run
/// of each, so a renamed or dropped field shows up as a diff (docs/precedence.md's naming rule).
#[test]
fn json_shapes_of_actions_parts_and_records() {
    let env = TestEnv::new();
    let s = settings(&env);
    s.bind(|| {
        let create = [
            "key",
            "create",
            "checkout",
            "--sender",
            "ACME",
            "--allow-ip",
            "127.0.0.1",
            "--quota",
            "1000/day",
            "--json",
        ];
        insta::assert_snapshot!("json_key_create", run(&env, &create));
        insta::assert_snapshot!(
            "json_key_rotate",
            run(&env, &["key", "rotate", "checkout", "--grace", "1h", "--json"])
        );
        insta::assert_snapshot!(
            "json_whitelist_add",
            run(&env, &["key", "whitelist", "checkout", "add", "10.0.0.0/8", "--json"])
        );
        insta::assert_snapshot!(
            "json_whitelist_test",
            run(&env, &["key", "whitelist", "checkout", "test", "10.1.2.3", "--json"])
        );
        insta::assert_snapshot!(
            "json_replace_add",
            run(&env, &["key", "replace", "checkout", "add", "ä", "a", "--json"])
        );
        let (_, secret) = env.create_key("alerts", &["--allow-ip", "10.0.0.0/8"]);
        let verify = env
            .cmd()
            .args(["key", "verify", "--key", "alerts", "--no-record", "--json"])
            .env("SMSCTL_KEY_SECRET", &secret)
            .output()
            .unwrap();
        assert!(verify.status.success());
        insta::assert_snapshot!("json_key_verify", String::from_utf8_lossy(&verify.stdout));
        insta::assert_snapshot!("json_usage", run(&env, &["usage", "--json"]));
        insta::assert_snapshot!("json_key_revoke", run(&env, &["key", "revoke", "alerts", "--yes", "--json"]));
        insta::assert_snapshot!("json_audit", run(&env, &["audit", "--json"]));
    });
}
