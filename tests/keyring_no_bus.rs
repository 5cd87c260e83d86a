//! Error paths of OsKeyring without a usable Secret Service. Always runs (no
//! keyring needed). Each scenario runs in a child process so the environment
//! can be changed safely; the child is this same binary, filtered to
//! `child_scenario` and told which scenario via SMSCTL_KEYRING_TEST_SCENARIO.

#[path = "keyring_support/mod.rs"]
mod common;

use smsctl::keyring::{KeyringError, OsKeyring, SecretStore, probe};
use std::time::Duration;

const SCENARIO_ENV: &str = "SMSCTL_KEYRING_TEST_SCENARIO";
const SECRET: &str = "s3cret-must-not-leak-7f3a";
/// Variables that would let the child find a bus or a display (libdbus also
/// looks for a bus socket at $XDG_RUNTIME_DIR/bus).
const NO_BUS: &[&str] = &[
    "DBUS_SESSION_BUS_ADDRESS",
    "XDG_RUNTIME_DIR",
    "DISPLAY",
    "WAYLAND_DISPLAY",
    "SMSCTL_KEYRING",
];

fn run(scenario: &str, set: &[(&str, &str)], remove: &[&str]) {
    let mut env = vec![(SCENARIO_ENV, scenario)];
    env.extend_from_slice(set);
    let r = common::run_child("child_scenario", &env, remove, Duration::from_secs(60));
    let marker = format!("SCENARIO-OK {scenario}");
    assert!(
        r.success && r.stdout.contains(&marker),
        "scenario {scenario} failed\n--- stdout\n{}\n--- stderr\n{}",
        r.stdout,
        r.stderr
    );
}

#[test]
fn no_session_bus_is_unavailable() {
    run("no-bus", &[], NO_BUS);
}

#[test]
fn dead_bus_address_is_unavailable() {
    run(
        "dead-bus",
        &[("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/smsctl-test-bus")],
        &["DISPLAY", "WAYLAND_DISPLAY", "SMSCTL_KEYRING"],
    );
}

#[test]
fn keyring_none_disables_even_with_a_bus() {
    // Keeps DBUS_SESSION_BUS_ADDRESS as it is: under scripts/keyring-session.sh
    // this proves `none` wins over a working keyring.
    run("disabled", &[("SMSCTL_KEYRING", "none")], &[]);
}

#[test]
fn keyring_unknown_value_is_rejected() {
    run("bad-mode", &[("SMSCTL_KEYRING", "memory")], &[]);
}

fn expect_unavailable(what: &str, r: Result<(), KeyringError>, detail_has: &str) {
    match r {
        Err(e @ KeyringError::Unavailable { .. }) => {
            let msg = e.to_string();
            let dbg = format!("{e:?}");
            assert!(msg.contains(detail_has), "{what}: {msg}");
            assert!(!msg.contains(SECRET) && !dbg.contains(SECRET), "{what} leaks secret");
            assert!(e.hint().is_some(), "{what}: no hint");
            println!("{what}: {msg}");
        }
        other => panic!("{what}: expected Unavailable, got {other:?}"),
    }
}

fn all_ops_unavailable(detail_has: &str) {
    let s = OsKeyring::new();
    expect_unavailable("set", s.set("smsctl-test-nobus", SECRET), detail_has);
    expect_unavailable("get", s.get("smsctl-test-nobus").map(|_| ()), detail_has);
    expect_unavailable("delete", s.delete("smsctl-test-nobus"), detail_has);
    expect_unavailable("probe", probe(&s), detail_has);
}

/// Not a test on its own: does nothing unless started by `run`.
#[test]
fn child_scenario() {
    let Ok(scenario) = std::env::var(SCENARIO_ENV) else {
        return;
    };
    match scenario.as_str() {
        "no-bus" => all_ops_unavailable("no D-Bus session bus"),
        "dead-bus" => all_ops_unavailable("/nonexistent/smsctl-test-bus"),
        "disabled" => {
            all_ops_unavailable("disabled by SMSCTL_KEYRING=none");
            assert!(OsKeyring::new().describe().contains("disabled"));
        }
        "bad-mode" => {
            let s = OsKeyring::new();
            for r in [
                s.set("smsctl-test-nobus", SECRET),
                s.get("smsctl-test-nobus").map(|_| ()),
                s.delete("smsctl-test-nobus"),
            ] {
                match r {
                    Err(KeyringError::Other(m)) => {
                        assert!(m.contains("SMSCTL_KEYRING"), "{m}");
                        assert!(m.contains("no plaintext"), "{m}");
                    }
                    other => panic!("expected Other, got {other:?}"),
                }
            }
        }
        other => panic!("unknown scenario {other}"),
    }
    println!("SCENARIO-OK {scenario}");
}
