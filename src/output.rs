//! The one place that decides how results reach the user: a table for people, JSON for
//! scripts, a bare value with `--quiet`. Commands hand over data; this module prints it.

use std::io::{IsTerminal, Write};

use comfy_table::{ContentArrangement, Table, presets};
use serde::Serialize;

use crate::error::{Error, Result};
use crate::time::Millis;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Json,
}

/// What a command returns: serialisable for `--json`, renderable for people.
pub trait Report: Serialize {
    /// Human-readable rendering (tables and sentences).
    fn human(&self, out: &mut Human);
    /// The single value `--quiet` prints, if the command has one (e.g. a new secret).
    fn quiet(&self) -> Option<String> {
        None
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Output {
    pub format: Format,
    pub quiet: bool,
    pub color: bool,
    tty: bool,
}

impl Output {
    pub fn new(format: Format, quiet: bool) -> Output {
        let tty = std::io::stdout().is_terminal();
        let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
        Output { format, quiet, color, tty }
    }

    pub fn json(&self) -> bool {
        self.format == Format::Json
    }

    pub fn emit<R: Report>(&self, report: &R) -> Result<()> {
        let text = match self.format {
            Format::Json => {
                let mut s = serde_json::to_string_pretty(report).map_err(|e| Error::failure(format!("cannot encode JSON: {e}")))?;
                s.push('\n');
                s
            }
            Format::Table if self.quiet => match report.quiet() {
                Some(mut v) => {
                    v.push('\n');
                    v
                }
                None => return Ok(()),
            },
            Format::Table => {
                let mut human = Human {
                    buf: String::new(),
                    tty: self.tty,
                };
                report.human(&mut human);
                human.buf
            }
        };
        write_stdout(text.as_bytes())
    }

    /// A non-fatal finding, on stderr (suppressed by `--quiet`).
    pub fn warn(&self, message: &str) {
        if !self.quiet {
            let prefix = if self.color {
                "\x1b[33msmsctl: warning:\x1b[0m"
            } else {
                "smsctl: warning:"
            };
            eprintln!("{prefix} {message}");
        }
    }
}

/// Writes to stdout; a closed pipe (`smsctl key list | head -1`) is not an error.
pub fn write_stdout(bytes: &[u8]) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|_| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Error::failure(format!("cannot write output: {e}"))),
    }
}

/// Accumulates the human rendering of a report.
pub struct Human {
    buf: String,
    tty: bool,
}

impl Human {
    pub fn line(&mut self, s: impl AsRef<str>) {
        self.buf.push_str(s.as_ref());
        self.buf.push('\n');
    }

    pub fn blank(&mut self) {
        self.buf.push('\n');
    }

    fn new_table(&self) -> Table {
        let mut t = Table::new();
        if self.tty {
            t.load_style(presets::UTF8_FULL_CONDENSED);
            // Wrap to the terminal only when its width is known and usable (a pty may report 0).
            if t.width().is_some_and(|w| w >= 40) {
                t.set_content_arrangement(ContentArrangement::Dynamic);
            }
        } else {
            // Plain, stable columns for pipes and logs.
            t.load_style(presets::NOTHING);
            t.set_content_arrangement(ContentArrangement::Disabled);
        }
        t
    }

    pub fn table<S: ToString>(&mut self, header: &[&str], rows: impl IntoIterator<Item = Vec<S>>) {
        let mut t = self.new_table();
        t.set_header(header.iter().map(|h| h.to_string()).collect::<Vec<_>>());
        for row in rows {
            t.add_row(row.into_iter().map(|c| c.to_string()).collect::<Vec<_>>());
        }
        self.push_table(t);
    }

    /// A two-column field/value table.
    pub fn fields(&mut self, rows: &[(&str, String)]) {
        let mut t = self.new_table();
        for (k, v) in rows {
            t.add_row(vec![k.to_string(), v.clone()]);
        }
        self.push_table(t);
    }

    fn push_table(&mut self, t: Table) {
        for line in t.to_string().lines() {
            self.line(line.trim_end());
        }
    }
}

/// Serialises a millisecond timestamp as ISO-8601.
pub fn iso<S: serde::Serializer>(ms: &Millis, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_str(&crate::time::format(*ms))
}

pub fn iso_opt<S: serde::Serializer>(ms: &Option<Millis>, s: S) -> std::result::Result<S::Ok, S::Error> {
    match ms {
        Some(ms) => s.serialize_str(&crate::time::format(*ms)),
        None => s.serialize_none(),
    }
}
