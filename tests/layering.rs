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

#[test]
fn only_the_store_speaks_sql() {
    let sql = [
        ".execute(",
        ".execute_batch(",
        ".query_row(",
        ".prepare(",
        ".query_map(",
        "\"SELECT ",
        "\"INSERT ",
        "\"UPDATE ",
        "\"DELETE ",
        "PRAGMA ",
    ];
    let mut files = sources(&src("commands"));
    files.extend(sources(&src("gateway")));
    files.extend(domain());
    files.extend(omni());
    let found = offenders(&files, &sql);
    assert!(found.is_empty(), "SQL outside src/store:\n{}", found.join("\n"));
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
