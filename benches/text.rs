//! Throughput of the SMS text engine on 1 MB inputs.

use divan::counter::BytesCount;
use divan::{Bencher, black_box};
use smsctl::text::{AutoConvert, ReplaceTable};

fn main() {
    divan::main();
}

const MB: usize = 1 << 20;

/// Repeats `unit` up to `MB` bytes, cut at a char boundary.
fn repeat_to_mb(unit: &str) -> String {
    let mut s = String::with_capacity(MB + unit.len());
    while s.len() < MB {
        s.push_str(unit);
    }
    let mut end = MB;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s.truncate(end);
    s
}

/// GSM-7 text: mostly ASCII with some basic-table accents and extension chars.
fn gsm_text() -> String {
    repeat_to_mb("Your code is 481516. Valid 10 min; don't share it {ref: A-23}. Prix: 5€ à Genève, Straße 7 @ Øresund!\n")
}

/// Mixed Unicode: typographic punctuation, accents in and out of GSM-7, Greek, Cyrillic, CJK,
/// emoji with modifiers and ZWJ sequences, odd spaces, one NFD sequence.
fn mixed_text() -> String {
    repeat_to_mb(
        "“Hello” — it’s 5 € … café naïve Łódź ħ Ελληνικά σ 你好 👍🏽 👨\u{200D}👩\u{200D}👧 e\u{301} ç Привет\u{A0}™ Zürich\u{200B} ok\n",
    )
}

#[divan::bench]
fn gsm7_off(bencher: Bencher) {
    let text = gsm_text();
    let table = ReplaceTable::new();
    bencher
        .counter(BytesCount::of_str(&text))
        .bench(|| smsctl::text::analyze(black_box(&text), AutoConvert::Off, &table));
}

#[divan::bench]
fn gsm7_full(bencher: Bencher) {
    let text = gsm_text();
    let table = ReplaceTable::new();
    bencher
        .counter(BytesCount::of_str(&text))
        .bench(|| smsctl::text::analyze(black_box(&text), AutoConvert::Full, &table));
}

#[divan::bench]
fn mixed_off(bencher: Bencher) {
    let text = mixed_text();
    let table = ReplaceTable::new();
    bencher
        .counter(BytesCount::of_str(&text))
        .bench(|| smsctl::text::analyze(black_box(&text), AutoConvert::Off, &table));
}

#[divan::bench]
fn mixed_on(bencher: Bencher) {
    let text = mixed_text();
    let table: ReplaceTable = [('ç', "c"), ('’', "'"), ('“', "\""), ('”', "\""), ('—', "-")]
        .into_iter()
        .map(|(k, v)| (k, v.to_owned()))
        .collect();
    bencher
        .counter(BytesCount::of_str(&text))
        .bench(|| smsctl::text::analyze(black_box(&text), AutoConvert::On, &table));
}

#[divan::bench]
fn mixed_full(bencher: Bencher) {
    let text = mixed_text();
    let table = ReplaceTable::new();
    bencher
        .counter(BytesCount::of_str(&text))
        .bench(|| smsctl::text::analyze(black_box(&text), AutoConvert::Full, &table));
}

/// Same text already in NFC, so `full` skips normalisation.
#[divan::bench]
fn mixed_nfc_full(bencher: Bencher) {
    let text = mixed_text().replace("e\u{301}", "é");
    let table = ReplaceTable::new();
    bencher
        .counter(BytesCount::of_str(&text))
        .bench(|| smsctl::text::analyze(black_box(&text), AutoConvert::Full, &table));
}
