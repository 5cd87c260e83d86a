//! The one place that decides how results reach the user: a table for people, JSON for
//! scripts, a bare value with `--quiet`. Commands hand over data; this module prints it.

use std::io::{IsTerminal, Write};

use comfy_table::{ContentArrangement, Table, presets};
use serde::Serialize;

use crate::error::{Error, Result};

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
        // `tty` picks box-drawing tables: never on a dumb terminal, which cannot draw them.
        let tty = std::io::stdout().is_terminal() && !dumb_terminal();
        let color = color_on_stderr();
        Output { format, quiet, color, tty }
    }

    pub fn json(&self) -> bool {
        self.format == Format::Json
    }

    pub fn emit<R: Report>(&self, report: &R) -> Result<()> {
        match write_stdout(self.render(report)?.as_bytes()) {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
            other => other.map_err(|e| Error::failure(format!("cannot write output: {e}"))),
        }
    }

    /// Like [`Output::emit`] for a report that carries a new secret: the output must reach
    /// its reader (written and flushed), a closed pipe included, or the caller rolls back.
    pub fn deliver<R: Report>(&self, report: &R) -> Result<()> {
        write_stdout(self.render(report)?.as_bytes()).map_err(|e| {
            let why = if e.kind() == std::io::ErrorKind::BrokenPipe {
                "stdout is closed".to_owned()
            } else {
                e.to_string()
            };
            Error::failure(format!("cannot deliver the new secret ({why}); nothing was changed"))
                .hint("write the output somewhere that accepts it (a file, a terminal), or use --save-secret")
        })
    }

    fn render<R: Report>(&self, report: &R) -> Result<String> {
        Ok(match self.format {
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
                None => String::new(),
            },
            Format::Table => {
                let mut human = Human {
                    buf: String::new(),
                    tty: self.tty,
                };
                report.human(&mut human);
                human.buf
            }
        })
    }

    /// The human rendering of `report` on stderr: a preview shown before a prompt, kept
    /// apart from the command's result on stdout.
    pub fn preview<R: Report>(&self, report: &R) {
        let mut human = Human {
            buf: String::new(),
            tty: std::io::stderr().is_terminal(),
        };
        report.human(&mut human);
        eprint!("{}", human.buf);
    }

    /// A non-fatal finding, on stderr (suppressed by `--quiet`); under `--json` one line
    /// `{"warning": {"message"}}`, so stderr stays machine-readable.
    pub fn warn(&self, message: &str) {
        if !self.quiet && self.json() {
            eprintln!("{}", serde_json::json!({ "warning": { "message": message } }));
        } else if !self.quiet {
            let prefix = if self.color {
                "\x1b[33msmsctl: warning:\x1b[0m"
            } else {
                "smsctl: warning:"
            };
            eprintln!("{prefix} {}", escape_controls(message));
        }
    }
}

/// `TERM=dumb`: no colour, no box drawing, no cursor movement.
pub(crate) fn dumb_terminal() -> bool {
    std::env::var_os("TERM").is_some_and(|t| t == "dumb")
}

/// Colour on stderr only on a terminal that can show it, and never with `NO_COLOR`.
pub(crate) fn color_on_stderr() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && !dumb_terminal()
}

/// Writes raw bytes to stdout; a closed pipe is not an error.
pub(crate) fn print_raw(bytes: &[u8]) -> Result<()> {
    match write_stdout(bytes) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Error::failure(format!("cannot write output: {e}"))),
        _ => Ok(()),
    }
}

/// Writes and flushes stdout. Callers decide whether a closed pipe (`smsctl key list | head -1`)
/// is an error: for ordinary output it is not, for a new secret it is.
fn write_stdout(bytes: &[u8]) -> std::io::Result<()> {
    if bytes.is_empty() {
        return Ok(());
    }
    let mut out = std::io::stdout().lock();
    out.write_all(bytes).and_then(|_| out.flush())
}

/// Accumulates the human rendering of a report.
pub struct Human {
    buf: String,
    tty: bool,
}

impl Human {
    /// A line, or several: a text with newlines (a pretty-printed JSON body) keeps them, and
    /// every other control character is escaped.
    pub fn line(&mut self, s: impl AsRef<str>) {
        for (i, part) in s.as_ref().split('\n').enumerate() {
            if i > 0 {
                self.buf.push('\n');
            }
            self.buf.push_str(&escape_controls(part));
        }
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
            t.add_row(
                row.into_iter()
                    .map(|c| escape_controls(&c.to_string()).into_owned())
                    .collect::<Vec<_>>(),
            );
        }
        self.push_table(t);
    }

    /// A two-column field/value table.
    pub fn fields(&mut self, rows: &[(&str, String)]) {
        let mut t = self.new_table();
        for (k, v) in rows {
            t.add_row(vec![k.to_string(), escape_controls(v).into_owned()]);
        }
        self.push_table(t);
    }

    fn push_table(&mut self, t: Table) {
        for line in t.to_string().lines() {
            self.line(line.trim_end());
        }
    }
}

pub(crate) use crate::printable::escape_controls;
pub(crate) use crate::time::{iso, iso_opt};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::printable::is_terminal_control;

    #[test]
    fn controls_are_escaped_and_text_is_not() {
        assert_eq!(escape_controls("plain é ✓"), "plain é ✓");
        assert_eq!(escape_controls("a\x1b[2Jb"), "a\\u{1b}[2Jb");
        assert_eq!(escape_controls("x\ry\n"), "x\\ry\\n");
        assert_eq!(escape_controls("\u{9b}31m"), "\\u{9b}31m");
        assert_eq!(escape_controls("\u{7f}"), "\\u{7f}");
        assert_eq!(escape_controls("abc\u{202e}fed"), "abc\\u{202e}fed");
        assert_eq!(escape_controls("\u{2067}x"), "\\u{2067}x");
    }

    #[test]
    fn table_cells_and_lines_cannot_carry_escapes() {
        let mut h = Human {
            buf: String::new(),
            tty: false,
        };
        h.table(&["actor"], [vec!["evil\x1b]0;title\x07\rforged".to_owned()]]);
        h.fields(&[("description", "a\u{202e}b".to_owned())]);
        h.line("x\x1b[1A");
        h.line("{\n  \"a\": 1\n}");
        assert!(!h.buf.chars().any(is_terminal_control_but_newline), "{:?}", h.buf);
        assert!(
            h.buf.ends_with("{\n  \"a\": 1\n}\n"),
            "a multi-line body keeps its lines: {:?}",
            h.buf
        );
    }

    fn is_terminal_control_but_newline(c: char) -> bool {
        c != '\n' && is_terminal_control(c)
    }
}
