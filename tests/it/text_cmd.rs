//! `smsctl text` through the real binary.

use crate::common::TestEnv;

#[test]
fn json_has_the_documented_shape() {
    let env = TestEnv::new();
    let v = env.json(&["text", "Hi “you” 😀"]);
    for field in ["text", "encoding", "units", "segments", "parts", "replaced", "non_gsm"] {
        assert!(v.get(field).is_some(), "{field} missing in {v}");
    }
    assert_eq!(v["encoding"], "UCS-2");
    assert_eq!(v["non_gsm"], serde_json::json!(["“", "”", "😀"]));
    assert_eq!(v["units"], 11);
    assert_eq!(v["parts"][0]["text"], "Hi “you” 😀");
}

#[test]
fn full_mode_transliterates_and_reports_replacements() {
    let env = TestEnv::new();
    let v = env.json(&["text", "--autoconvert", "full", "Łódź — “ok”"]);
    assert_eq!(v["encoding"], "GSM-7");
    assert_eq!(v["text"], "Lodz - \"ok\"");
    assert!(v["replaced"].as_array().unwrap().iter().any(|r| r["from"] == "Ł" && r["to"] == "L"));
    assert_eq!(v["non_gsm"], serde_json::json!([]));
}

#[test]
fn reads_stdin_and_files() {
    let env = TestEnv::new();
    let out = env.cmd().args(["text", "-", "--json"]).write_stdin("from stdin").output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["text"], "from stdin");
    let f = env.dir.path().join("m.txt");
    std::fs::write(&f, "line one\r\nline two").unwrap();
    let v = env.json(&["text", "--file", f.to_str().unwrap()]);
    assert_eq!(v["units"], 18, "CR and LF are one septet each");
}

#[test]
fn invalid_utf8_and_missing_input_are_usage_errors() {
    let env = TestEnv::new();
    let f = env.dir.path().join("latin1.txt");
    std::fs::write(&f, b"caf\xe9").unwrap();
    env.fails(
        &["text", "--file", f.to_str().unwrap()],
        2,
        "not valid UTF-8 (invalid byte at offset 3)",
    );
    env.fails(&["text"], 2, "no message text");
    env.fails(&["text", "--file", "/no/such/file"], 2, "cannot read text file");
    let big = env.dir.path().join("big.txt");
    std::fs::write(&big, "a".repeat(10 * 1024 * 1024)).unwrap();
    env.fails(&["text", "--file", big.to_str().unwrap()], 2, "the limit is 65536");
    env.fails(&["text", "x", "--autoconvert", "loud"], 2, "");
}

#[test]
fn key_table_is_used_in_on_mode_and_compare_shows_all_modes() {
    let env = TestEnv::new();
    env.create_key("ci", &["--auto-replace", "on", "--replace", "ł=l", "--replace", "€=EUR"]);
    let v = env.json(&["text", "--key", "ci", "złoty €5"]);
    assert_eq!(v["autoconvert"], "on");
    assert_eq!(v["text"], "zloty EUR5");
    // A flag beats the key's mode.
    let v = env.json(&["text", "--key", "ci", "--autoconvert", "off", "złoty"]);
    assert_eq!(v["text"], "złoty");
    let v = env.json(&["text", "--key", "ci", "--compare", "złoty"]);
    assert_eq!(v["off"]["encoding"], "UCS-2");
    assert_eq!(v["on"]["text"], "zloty");
    assert_eq!(v["full"]["encoding"], "GSM-7");
    let table = env.ok(&["text", "--compare", &"ą".repeat(100)]);
    assert!(table.contains("full saves 1 part(s)"), "{table}");
    env.fails(&["text", "--key", "ghost", "x"], 3, "no key named");
}

#[test]
fn multipart_text_lists_each_part() {
    let env = TestEnv::new();
    let v = env.json(&["text", &"a".repeat(161)]);
    assert_eq!(v["segments"], 2);
    assert_eq!(v["parts"][0]["units"], 153);
    assert_eq!(v["parts"][1]["units"], 8);
    let table = env.ok(&["text", &"a".repeat(161)]);
    assert!(table.contains("153"), "{table}");
}
