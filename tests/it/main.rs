//! The integration tests, one binary (as cargo and ripgrep do): one link, one process start
//! per `cargo test`, the tests of every file run in parallel together. Tests that change their
//! own process stay binaries of their own: the keyring tests that need a real Secret Service or
//! no session bus (`tests/keyring_*.rs`) and the in-process command tests, which set the
//! process environment (`tests/in_process.rs`). One file's tests: `cargo test --test it gateway::`.

#[path = "../common/mod.rs"]
mod common;

mod fuzz_parsers;
mod gateway;
mod key_lifecycle;
mod key_settings;
mod keys_as_code;
mod layering;
mod pg_shared;
mod policy;
mod relay;
mod reliability;
mod sandbox_tools;
mod send;
mod shell_citizen;
mod snapshots;
mod text_cmd;
mod trust_boundary;
mod workflows;
