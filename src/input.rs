//! Reading message text from an argument, a file or stdin: bounded, UTF-8 only, no NULs.
//! One final newline of a file or of stdin is dropped; everything else is kept as is.

use std::io::Read;
use std::path::Path;

use crate::error::{Error, Result};

/// Longest message text accepted (bytes); far beyond any real SMS, small enough to stay fast.
pub(crate) const MAX_TEXT_BYTES: usize = 64 * 1024;

/// The text from exactly one source: `text`, `file`, or stdin.
/// `how` names the command's ways to pass text, for the hint when none was used.
pub(crate) fn message_text(text: Option<&str>, file: Option<&Path>, from_stdin: bool, how: &str) -> Result<String> {
    let bytes = match (text, file) {
        (Some(t), _) => t.as_bytes().to_vec(),
        (None, Some(path)) => strip_final_newline(read_file(path)?),
        (None, None) if from_stdin => strip_final_newline(read_stdin()?),
        (None, None) => {
            return Err(Error::usage("no message text").hint(format!("pass {how}")));
        }
    };
    if bytes.len() > MAX_TEXT_BYTES {
        return Err(Error::usage(format!(
            "message text is {} bytes or more; the limit is {MAX_TEXT_BYTES}",
            bytes.len()
        ))
        .hint("an SMS this long would need hundreds of parts; shorten it"));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        Error::usage(format!(
            "message text is not valid UTF-8 (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        ))
        .hint("save the file as UTF-8")
    })?;
    if text.contains('\0') {
        return Err(Error::usage("message text contains a NUL character").hint("remove control characters from the text"));
    }
    Ok(text)
}

/// Files and pipes end with a newline by convention (`echo`, editors); it is not part of the message.
fn strip_final_newline(mut bytes: Vec<u8>) -> Vec<u8> {
    if bytes.ends_with(b"\n") {
        bytes.pop();
        if bytes.ends_with(b"\r") {
            bytes.pop();
        }
    }
    bytes
}

fn read_file(path: &Path) -> Result<Vec<u8>> {
    let cannot = |e: std::io::Error| {
        Error::usage(format!("cannot read text file {}: {e}", path.display())).hint("check the path and its permissions")
    };
    let file = std::fs::File::open(path).map_err(cannot)?;
    if file.metadata().map(|m| m.is_dir()).unwrap_or(false) {
        return Err(Error::usage(format!("text file {} is a directory", path.display())));
    }
    let mut buf = Vec::new();
    file.take(MAX_TEXT_BYTES as u64 + 1).read_to_end(&mut buf).map_err(cannot)?;
    Ok(buf)
}

fn read_stdin() -> Result<Vec<u8>> {
    let mut buf = Vec::new();
    std::io::stdin()
        .lock()
        .take(MAX_TEXT_BYTES as u64 + 1)
        .read_to_end(&mut buf)
        .map_err(|e| Error::usage(format!("cannot read the text from stdin: {e}")))?;
    Ok(buf)
}
