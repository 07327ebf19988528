//! Text from outside the program (API answers, log lines, a command's output, runbook text,
//! params, database rows) made safe to show: a control character or a bidi override is written
//! out (`\u{1b}`, `\r`) so that it is seen, never acted on by a terminal. It cannot retitle the
//! window, write the clipboard, move the cursor, overwrite a line with a carriage return, or
//! reorder a prompt so that it names another app. Colour codes (`ESC [ ... m`, common in apps'
//! logs) are dropped whole: they carry nothing a reader needs and could hide text.
//!
//! This is the one function every channel uses: the Printer for the screen and JSON events, the
//! journal, the team's database rows and the Slack posts.

use std::borrow::Cow;
use std::fmt::Write;

/// How a text is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// One line: a newline inside is shown as `\n`.
    Line,
    /// Several lines (a description, a request body): newlines are kept.
    Lines,
}

/// `text` with every character a terminal would act on written out; borrowed when there is none.
pub fn visible(text: &str, layout: Layout) -> Cow<'_, str> {
    shown(text, layout, false)
}

/// The last pass before the terminal, over lines the program composed: its own colour codes
/// stay, newlines stay, and anything else a terminal would act on is written out, whatever path
/// the text took to get here.
pub fn for_terminal(text: &str) -> Cow<'_, str> {
    shown(text, Layout::Lines, true)
}

fn shown(text: &str, layout: Layout, keep_colour: bool) -> Cow<'_, str> {
    if !text.chars().any(|character| acted_on(character, layout)) {
        return Cow::Borrowed(text);
    }
    let mut shown = String::with_capacity(text.len() + 8);
    let mut rest = text;
    while let Some(character) = rest.chars().next() {
        if let Some(length) = colour_code(rest) {
            if keep_colour {
                shown.push_str(&rest[..length]);
            }
            rest = &rest[length..];
            continue;
        }
        rest = &rest[character.len_utf8()..];
        if acted_on(character, layout) {
            write_out(&mut shown, character);
        } else {
            shown.push(character);
        }
    }
    Cow::Owned(shown)
}

/// Whether a terminal acts on `character` rather than showing it.
pub fn acted_on(character: char, layout: Layout) -> bool {
    match character {
        '\t' => false,
        '\n' => layout == Layout::Line,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' => true,
        _ => is_invisible_format(character),
    }
}

/// Bidi overrides, embeddings and isolates (which reorder what is shown; the marks LRM, RLM and
/// ALM of real right-to-left text do not, and stay), line and paragraph separators, and the
/// invisible characters that make two names look the same.
pub fn is_invisible_format(character: char) -> bool {
    matches!(
        character,
        '\u{200b}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2060}'
            | '\u{2066}'..='\u{2069}'
            | '\u{feff}'
    )
}

/// The length of a colour code (`ESC [ digits and ; m`) at the start of `text`.
fn colour_code(text: &str) -> Option<usize> {
    let parameters = text.strip_prefix("\u{1b}[")?;
    let length =
        parameters.bytes().take_while(|byte| byte.is_ascii_digit() || *byte == b';').count();
    (parameters.as_bytes().get(length) == Some(&b'm')).then_some(2 + length + 1)
}

fn write_out(shown: &mut String, character: char) {
    match character {
        '\n' => shown.push_str("\\n"),
        '\r' => shown.push_str("\\r"),
        other => {
            let _ = write!(shown, "\\u{{{:x}}}", u32::from(other));
        }
    }
}

/// `text` with every character a terminal would act on replaced by one of the same length in
/// bytes that it shows (`?`, `¿`, `⁇`), so that byte offsets into it stay right: for source
/// snippets whose spans point into the text. `\n` and `\t` stay.
pub fn neutralised(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|character| acted_on(character, Layout::Lines)) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|character| match character.len_utf8() {
                _ if !acted_on(character, Layout::Lines) => character,
                1 => '?',
                2 => '¿',
                3 => '⁇',
                _ => '\u{1f6ab}',
            })
            .collect(),
    )
}

/// Every string inside a JSON value (keys too) as `visible` makes it, in place.
pub fn visible_value(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::String(text) => {
            if let Cow::Owned(shown) = visible(text, Layout::Lines) {
                *text = shown;
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(visible_value),
        serde_json::Value::Object(entries) => {
            let needs_new_keys =
                entries.keys().any(|key| matches!(visible(key, Layout::Line), Cow::Owned(_)));
            if needs_new_keys {
                let old = std::mem::take(entries);
                for (key, item) in old {
                    entries.insert(visible(&key, Layout::Line).into_owned(), item);
                }
            }
            entries.values_mut().for_each(visible_value);
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_bidi_overrides_are_written_out() {
        let hostile = "a\u{1b}]0;owned\u{7}b\rc\u{202e}d\u{9b}e";
        assert_eq!(visible(hostile, Layout::Line), "a\\u{1b}]0;owned\\u{7}b\\rc\\u{202e}d\\u{9b}e");
    }

    #[test]
    fn colour_codes_are_dropped_and_plain_text_is_borrowed() {
        assert_eq!(visible("\u{1b}[1;32mok\u{1b}[0m", Layout::Line), "ok");
        assert!(matches!(visible("plain\ttext", Layout::Line), Cow::Borrowed(_)));
    }

    #[test]
    fn the_last_pass_keeps_colour_and_lines_but_nothing_else() {
        assert_eq!(
            for_terminal("\u{1b}[31mred\u{1b}[0m\n\u{1b}]52;c;x\u{7}"),
            "\u{1b}[31mred\u{1b}[0m\n\\u{1b}]52;c;x\\u{7}"
        );
    }

    #[test]
    fn newlines_are_kept_only_where_lines_are_expected() {
        assert_eq!(visible("one\ntwo", Layout::Lines), "one\ntwo");
        assert_eq!(visible("one\ntwo", Layout::Line), "one\\ntwo");
    }

    #[test]
    fn json_strings_and_keys_are_made_visible() {
        let mut value = serde_json::json!({ "k\u{1b}": ["x\u{202e}y"] });
        visible_value(&mut value);
        assert_eq!(value, serde_json::json!({ "k\\u{1b}": ["x\\u{202e}y"] }));
    }
}
