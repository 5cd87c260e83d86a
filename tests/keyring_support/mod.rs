//! Re-running this test binary as a child process with a changed environment
//! (env vars cannot be changed safely inside a multi-threaded test process).
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

pub struct ChildResult {
    pub success: bool,
    pub stdout: String,
    pub stderr: String,
}

/// Runs the test `test_name` of the current test binary in a child process,
/// with `set` env vars set and `remove` removed, killed after `timeout`.
pub fn run_child(test_name: &str, set: &[(&str, &str)], remove: &[&str], timeout: Duration) -> ChildResult {
    let exe = std::env::current_exe().expect("current_exe");
    let tag = format!("smsctl-child-{}-{test_name}-{:x}", std::process::id(), rand_u64());
    let out_path: PathBuf = std::env::temp_dir().join(format!("{tag}.out"));
    let err_path: PathBuf = std::env::temp_dir().join(format!("{tag}.err"));
    let mut cmd = Command::new(exe);
    cmd.args(["--exact", test_name, "--nocapture", "--test-threads=1"])
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out_path).unwrap())
        .stderr(std::fs::File::create(&err_path).unwrap());
    for k in remove {
        cmd.env_remove(k);
    }
    for (k, v) in set {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("spawn child test");
    let start = Instant::now();
    let status = loop {
        if let Some(st) = child.try_wait().unwrap() {
            break st;
        }
        if start.elapsed() > timeout {
            let _ = child.kill();
            let _ = child.wait();
            let stdout = std::fs::read_to_string(&out_path).unwrap_or_default();
            let stderr = std::fs::read_to_string(&err_path).unwrap_or_default();
            panic!("child {test_name} timed out after {timeout:?}\n{stdout}\n{stderr}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let stdout = std::fs::read_to_string(&out_path).unwrap_or_default();
    let stderr = std::fs::read_to_string(&err_path).unwrap_or_default();
    let _ = std::fs::remove_file(&out_path);
    let _ = std::fs::remove_file(&err_path);
    ChildResult {
        success: status.success(),
        stdout,
        stderr,
    }
}

/// A unique-enough suffix for account names (pid + time + counter).
pub fn unique(prefix: &str) -> String {
    format!(
        "{prefix}-{}-{:x}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
            ^ u128::from(rand_u64())
    )
}

fn rand_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(0);
    h.finish()
}
