//! `smsctl text`: the text engine's analysis of a message, or all three modes side by side.

use serde::Serialize;

use crate::cli::TextArgs;
use crate::context::Ctx;
use crate::error::Result;
use crate::output::{Human, Report};
use crate::resolve::{self, Requested};
use crate::store::keys::{self, Settings};
use crate::store::replacements;
use crate::text::{self, Analysis, AutoConvert};

#[derive(Serialize)]
struct Single {
    #[serde(flatten)]
    analysis: Analysis,
    autoconvert: AutoConvert,
}

impl Report for Single {
    fn human(&self, out: &mut Human) {
        out.line(format!("autoconvert: {}", self.autoconvert));
        super::send::describe_message(out, &self.analysis, None);
    }
}

#[derive(Serialize)]
struct Compare {
    off: Analysis,
    on: Analysis,
    full: Analysis,
}

impl Report for Compare {
    fn human(&self, out: &mut Human) {
        out.table(
            &["mode", "encoding", "units", "parts", "changes", "text"],
            [("off", &self.off), ("on", &self.on), ("full", &self.full)]
                .into_iter()
                .map(|(name, a)| {
                    vec![
                        name.to_owned(),
                        a.encoding.as_str().to_owned(),
                        format!("{} {}", a.units, a.encoding.unit_label()),
                        a.segments.to_string(),
                        a.replaced.len().to_string(),
                        a.text.clone(),
                    ]
                }),
        );
        let saved = self.off.segments.saturating_sub(self.full.segments);
        if saved > 0 {
            out.line(format!("full saves {saved} part(s) per message compared with off."));
        }
    }
}

pub fn exec(ctx: &Ctx, args: TextArgs) -> Result<()> {
    let from_stdin = args.text.as_deref() == Some("-");
    let inline = args.text.as_deref().filter(|t| *t != "-");
    let input = crate::input::message_text(
        inline,
        args.text_file.as_deref(),
        from_stdin,
        "the text as an argument, --text-file FILE, or '-' to read stdin",
    )?;
    let store = ctx.store_for_reading()?;
    let settings = match &args.key {
        Some(k) => keys::find(store.conn(), k)?.settings,
        None => Settings::default(),
    };
    // `on` applies the account's table, with the key's own entries (with --key) overriding it.
    let table = replacements::effective(store.conn(), &settings.replace)?;
    if args.compare {
        let run = |mode| text::analyze_with(&input, mode, &table);
        return ctx.out.emit(&Compare {
            off: run(AutoConvert::Off),
            on: run(AutoConvert::On),
            full: run(AutoConvert::Full),
        });
    }
    // Same precedence as send: --autoconvert beats the key's mode, which beats on.
    let mode = resolve::resolve(
        &Requested {
            autoconvert: args.autoconvert,
            ..Requested::default()
        },
        &settings,
    )
    .autoconvert
    .value;
    ctx.out.emit(&Single {
        analysis: text::analyze_with(&input, mode, &table),
        autoconvert: mode,
    })
}
