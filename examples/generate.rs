//! Regenerates everything under `completions/` and `docs/man/` from the clap definition, and
//! `docs/keys.schema.json` from the key file's types, and README's environment table from
//! `src/env.rs`.
//! Run `cargo run --example generate`; CI runs it and fails on any diff.

use std::path::Path;

use clap::CommandFactory;
use clap_complete::Shell;
use smsctl::cli::Cli;
use smsctl::commands::completions;

/// Exit codes, as docs/exit-codes.md documents them.
const EXIT_STATUS: &[(&str, &str)] = &[
    ("0", "Success."),
    (
        "1",
        "The command ran but the outcome is a failure (a CI gate, doctor findings, a cancelled prompt, a broken audit trail).",
    ),
    (
        "2",
        "Usage or invalid input; a confirmation needed without a terminal (pass --yes).",
    ),
    ("3", "The named key or message does not exist."),
    (
        "4",
        "Conflict with the current state (name taken, grace in progress, nothing to finish).",
    ),
    ("5", "Rejected: authentication, whitelist, revoked, expired, wrong key, policy."),
    ("6", "Network or remote API failure."),
    ("7", "The store is locked, corrupt, unreadable, too new or has a foreign schema."),
    ("130", "Interrupted (Ctrl-C)."),
];

fn roff_escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('-', "\\-")
}

fn capitalized(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// README.md with its environment table regenerated between the `<!-- env` markers.
fn readme_with_env_table(readme: &str) -> std::io::Result<String> {
    let missing = || std::io::Error::other("README.md lacks the <!-- env ... --> and <!-- /env --> markers");
    let start = readme.find("<!-- env:").ok_or_else(missing)?;
    let body = start + readme[start..].find("-->\n").ok_or_else(missing)? + 4;
    let end = readme.find("<!-- /env -->").filter(|&e| e >= body).ok_or_else(missing)?;
    Ok(format!("{}{}{}", &readme[..body], smsctl::env::markdown_table(), &readme[end..]))
}

/// clap_mangen's page, then ENVIRONMENT and EXIT STATUS.
fn generate_man(cmd: clap::Command, dir: &Path) -> std::io::Result<()> {
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()).cloned() {
        generate_man(sub, dir)?;
    }
    let man = clap_mangen::Man::new(cmd);
    let mut page = Vec::new();
    man.render(&mut page)?;
    let mut extra = String::from(".SH ENVIRONMENT\n");
    for var in smsctl::env::VARS.iter().chain(smsctl::env::OTHERS).filter(|v| !v.testing) {
        let what = match var.flag {
            Some(flag) => format!("As {flag}: {}.", var.meaning),
            None => format!("{}.", capitalized(var.meaning)),
        };
        extra.push_str(&format!(
            ".TP\n\\fB{}\\fR\n{}\n",
            roff_escape(var.name),
            roff_escape(&what.replace('`', ""))
        ));
    }
    extra.push_str(".SH \"EXIT STATUS\"\n");
    for (code, what) in EXIT_STATUS {
        extra.push_str(&format!(".TP\n\\fB{code}\\fR\n{}\n", roff_escape(what)));
    }
    page.extend_from_slice(extra.as_bytes());
    std::fs::write(dir.join(man.get_filename()), page)
}

fn main() -> std::io::Result<()> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));

    let comp_dir = root.join("completions");
    std::fs::create_dir_all(&comp_dir)?;
    for shell in [Shell::Bash, Shell::Zsh, Shell::Fish, Shell::PowerShell, Shell::Elvish] {
        std::fs::write(comp_dir.join(completions::file_name(shell)), completions::render(shell))?;
    }

    // Start from an empty directory so pages of removed commands disappear.
    let man_dir = root.join("docs").join("man");
    if man_dir.exists() {
        std::fs::remove_dir_all(&man_dir)?;
    }
    std::fs::create_dir_all(&man_dir)?;
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    generate_man(cmd, &man_dir)?;
    // The key file's JSON Schema, generated from its types (see docs/keys-as-code.md).
    let schema = root.join("docs").join("keys.schema.json");
    std::fs::write(&schema, smsctl::keyfile::schema_json())?;
    // The current store schema every open compares with (src/store/schema.rs).
    std::fs::write(
        root.join("src/store/schema_current.txt"),
        smsctl::store::schema::current_canonical().map_err(|e| std::io::Error::other(e.message))?,
    )?;
    // And the PostgreSQL schema's description (src/store/pg.rs), which needs a server:
    // scripts/check-generated.sh runs this inside scripts/pg-session.sh.
    match std::env::var("SMSCTL_TEST_PG_URL") {
        Ok(url) => {
            std::fs::write(
                root.join("src/store/pg_schema_current.txt"),
                smsctl::store::pg::describe_fresh(&url).map_err(|e| std::io::Error::other(e.message))?,
            )?;
            // The frozen v6 base, which an older store must match before it is upgraded.
            std::fs::write(
                root.join("src/store/pg_schema_v6.txt"),
                smsctl::store::pg::describe_fresh_at(&url, smsctl::store::pg::FIRST_VERSION)
                    .map_err(|e| std::io::Error::other(e.message))?,
            )?;
        }
        Err(_) => eprintln!("SMSCTL_TEST_PG_URL is not set: src/store/pg_schema_current.txt left as it is"),
    }
    let readme = root.join("README.md");
    std::fs::write(&readme, readme_with_env_table(&std::fs::read_to_string(&readme)?)?)?;
    println!("wrote {}, {} and {}", comp_dir.display(), man_dir.display(), schema.display());
    Ok(())
}
