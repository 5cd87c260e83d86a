//! Text shown on a terminal: every control character (C0, C1, DEL) and every bidirectional
//! override or isolate is shown as an escape, so values read from the store (an actor, a
//! description, an object name) cannot move the cursor, recolour or reorder what follows.
//! Used by the output layer and by messages that quote user data; JSON is never escaped.

/// Whether `c` would act on a terminal instead of showing: C0 and C1 controls, DEL, and the
/// bidirectional overrides and isolates that reorder what follows them.
pub(crate) fn is_terminal_control(c: char) -> bool {
    c.is_control() || matches!(c, '\u{200e}' | '\u{200f}' | '\u{061c}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Shows every terminal control as an escape (`\u{1b}`, `\r`), so a value taken from the store
/// (an actor, a description) cannot move the cursor, recolour or forge rows in a table. JSON
/// output is not escaped: serde encodes it exactly.
pub(crate) fn escape_controls(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(is_terminal_control) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_terminal_control(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}
