//! The layering rule of ARCHITECTURE.md, checked by reading the sources:
//! cli → commands → domain → store; gateway → domain → store; nothing below the commands
//! imports the output layer or the commands, and only the store speaks SQL.

use std::path::{Path, PathBuf};

fn sources(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "rs") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn src(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join(rel)
}

/// Lines of `files` (outside `#[cfg(test)]` modules, which sit at the end of each file) that
/// contain any of `needles`.
fn offenders(files: &[PathBuf], needles: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(f).unwrap();
        let body = text.split("#[cfg(test)]").next().unwrap_or("");
        for (i, line) in body.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            if let Some(n) = needles.iter().find(|n| code.contains(*n)) {
                found.push(format!("{}:{}: {n}: {}", f.display(), i + 1, line.trim()));
            }
        }
    }
    found
}

/// The domain's files (a directory entry stands for every file under it).
fn domain() -> Vec<PathBuf> {
    DOMAIN
        .iter()
        .flat_map(|f| {
            let p = src(f);
            if p.is_dir() { sources(&p) } else { vec![p] }
        })
        .collect()
}

/// The domain: pure modules the commands and the gateway both build on.
const DOMAIN: &[&str] = &[
    "address.rs",
    "auth.rs",
    "keys",
    "policy.rs",
    "printable.rs",
    "resolve.rs",
    "settings.rs",
    "text",
    "time.rs",
    "token.rs",
    "whitelist.rs",
];

/// The Omnimessage model and the HTTP client, which the commands and the gateway share.
fn omni() -> Vec<PathBuf> {
    sources(&src("omni"))
}

/// The string literals of `text` before its `#[cfg(test)]` module, each with the line it
/// starts on: plain, raw (`r#"..."#`) and byte strings, however many lines they span.
/// Comments and char literals are skipped, so a `'"'` does not open a string.
fn string_literals(text: &str) -> Vec<(usize, String)> {
    let body = text.split("#[cfg(test)]").next().unwrap_or("");
    let b = body.as_bytes();
    let (mut i, mut line, mut out) = (0, 1, Vec::new());
    while i < b.len() {
        match b[i] {
            b'\n' => line += 1,
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let end = body[i + 2..].find("*/").map_or(b.len(), |e| i + 2 + e + 2);
                line += body[i..end].matches('\n').count();
                i = end;
                continue;
            }
            // A char literal ('"', '\'', '\u{..}'); anything else after `'` is a lifetime.
            b'\'' if b.get(i + 1) == Some(&b'\\') => {
                i += 2;
                while i < b.len() && b[i] != b'\'' {
                    i += 1;
                }
            }
            b'\'' if b.get(i + 2) == Some(&b'\'') => i += 2,
            b'r' if matches!(b.get(i + 1), Some(b'"' | b'#'))
                && (i == 0 || !b[i - 1].is_ascii_alphanumeric() && b[i - 1] != b'_' || b[i - 1] == b'b') =>
            {
                let hashes = b[i + 1..].iter().take_while(|c| **c == b'#').count();
                if b.get(i + 1 + hashes) == Some(&b'"') {
                    let start = i + 2 + hashes;
                    let close = format!("\"{}", "#".repeat(hashes));
                    let end = body[start..].find(&close).map_or(b.len(), |e| start + e);
                    out.push((line, body[start..end].to_owned()));
                    line += body[start..end].matches('\n').count();
                    i = end + close.len();
                    continue;
                }
            }
            b'"' => {
                let start = i + 1;
                let mut j = start;
                while j < b.len() && b[j] != b'"' {
                    j += if b[j] == b'\\' { 2 } else { 1 };
                }
                let end = j.min(b.len());
                out.push((line, body[start..end].to_owned()));
                line += body[start..end].matches('\n').count();
                i = end + 1;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// How SQL statements begin (the store writes its SQL in capitals).
const SQL_STATEMENTS: &[&str] = &[
    "SELECT",
    "INSERT",
    "UPDATE",
    "DELETE",
    "WITH",
    "CREATE",
    "DROP",
    "ALTER",
    "PRAGMA",
    "BEGIN",
    "COMMIT",
    "ROLLBACK",
    "SAVEPOINT",
    "VACUUM",
    "ATTACH",
    "REPLACE INTO",
];

/// String literals in `files` that are SQL statements (or begin one on a line of their own).
fn sql_literals(files: &[PathBuf]) -> Vec<String> {
    let mut found = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(f).unwrap();
        for (line, lit) in string_literals(&text) {
            // A keyword alone is not a statement (`"DELETE"` is also an HTTP method).
            let starts_sql = |s: &&str| {
                let s = s.trim_start();
                SQL_STATEMENTS.iter().any(|k| {
                    s.strip_prefix(k)
                        .is_some_and(|rest| rest.starts_with(char::is_whitespace) || rest.starts_with('('))
                })
            };
            if let Some(sql) = lit.lines().find(starts_sql) {
                found.push(format!("{}:{line}: {}", f.display(), sql.trim()));
            }
        }
    }
    found
}

#[test]
fn only_the_store_speaks_sql() {
    let sql = [
        ".execute(",
        ".execute_batch(",
        ".query_row(",
        ".prepare(",
        ".prepare_cached(",
        ".query_map(",
        "PRAGMA ",
    ];
    let mut files = sources(&src("commands"));
    files.extend(sources(&src("gateway")));
    files.extend(domain());
    files.extend(omni());
    let mut found = offenders(&files, &sql);
    found.extend(sql_literals(&files));
    assert!(found.is_empty(), "SQL outside src/store:\n{}", found.join("\n"));
}

#[test]
fn the_sql_check_sees_every_kind_of_literal() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("x.rs");
    let planted = concat!(
        "fn a() -> &'static str { \"SELECT id FROM keys\" }\n",
        "fn b() { run(\"\n    DELETE FROM audit WHERE seq = 1\"); }\n",
        "fn c() { run(r#\"UPDATE keys SET name = \"x\"\"#); }\n",
        "fn d() { let q = '\"'; run(\"with this text, nothing\"); }\n",
        "// \"INSERT INTO keys\" in a comment\n",
        "fn e() { hint(\"FROM is one character; Delete it\"); route(\"DELETE\"); }\n",
        "fn f() { run(format!(\"INSERT INTO t VALUES ({})\", 1)); }\n",
    );
    std::fs::write(&f, planted).unwrap();
    let found = sql_literals(&[f]);
    assert_eq!(found.len(), 4, "{found:#?}");
    // A literal is reported at the line it opens on; the one in `b` spans two.
    for (n, at) in [(0, ":1: SELECT"), (1, ":2: DELETE"), (2, ":4: UPDATE"), (3, ":8: INSERT")] {
        assert!(found[n].contains(at), "{found:#?}");
    }
}

#[test]
fn nothing_below_the_commands_imports_output_or_commands() {
    let mut files = sources(&src("store"));
    files.extend(sources(&src("gateway")));
    files.extend(domain());
    files.extend(omni());
    let found = offenders(&files, &["crate::output", "crate::commands", "crate::cli"]);
    assert!(found.is_empty(), "layering broken:\n{}", found.join("\n"));
}

#[test]
fn the_store_the_domain_and_omni_know_nothing_of_the_gateway() {
    let mut files = sources(&src("store"));
    files.extend(domain());
    files.extend(omni());
    assert!(!omni().is_empty(), "src/omni/ moved: update this test");
    let found = offenders(&files, &["crate::gateway"]);
    assert!(found.is_empty(), "layering broken:\n{}", found.join("\n"));
}

#[test]
fn the_checks_would_see_a_violation() {
    // The scanner itself: a planted line is found, a comment is not.
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("x.rs");
    std::fs::write(&f, "use crate::output::Human;\n// crate::commands in a comment\n").unwrap();
    let found = offenders(&[f], &["crate::output", "crate::commands"]);
    assert_eq!(found.len(), 1, "{found:?}");
}

/// Every `SMSCTL_*` name the code and the documentation mention is in the registry
/// (`src/env.rs`), which generates README's table and the man pages' ENVIRONMENT section.
#[test]
fn every_environment_variable_is_in_the_registry() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = sources(&root.join("src"));
    files.push(root.join("README.md"));
    files.extend(
        std::fs::read_dir(root.join("docs"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "md")),
    );
    let known: Vec<&str> = smsctl::env::VARS.iter().map(|v| v.name).collect();
    let mut unknown = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        for (at, _) in text.match_indices("SMSCTL_") {
            let name: String = text[at..]
                .chars()
                .take_while(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == '_')
                .collect();
            // `SMSCTL_UPSTREAM_*` and a bare `SMSCTL_` prefix name a family, not a variable.
            let name = name.trim_end_matches('_');
            if name != "SMSCTL" && !known.contains(&name) {
                unknown.push(format!("{}: {name}", f.display()));
            }
        }
    }
    assert!(unknown.is_empty(), "not in src/env.rs:\n{}", unknown.join("\n"));
}
