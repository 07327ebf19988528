//! Bytes from outside (a command's output, a log stream) cut into lines: any bytes, never fatal.
//!
//! A byte that is not UTF-8 becomes `�` and the line goes on; a line longer than [`MAX_LINE`]
//! bytes is cut there, said so, and the rest of it up to its newline dropped, so that one line
//! can neither stop the reading nor hold more than that much memory. Each byte is looked at once:
//! the time to read grows with the length of the input, not with its square.

use std::borrow::Cow;

/// The longest line kept, in bytes; the rest of a longer line is dropped.
pub const MAX_LINE: usize = 64 * 1024;

/// What follows a text that was cut short: the line of a command or a log, an error body summed
/// up. Masking looks for these, since a secret may have been cut in two there.
pub const CUT_MARKS: [&str; 2] = [LINE_CUT, " [cut]"];

/// What follows a line cut at [`MAX_LINE`].
const LINE_CUT: &str = " [line cut at 64 KiB]";

/// Cuts a stream of bytes into lines, a chunk at a time.
#[derive(Debug, Default)]
pub struct LineBuffer {
    /// The start of a line whose newline has not come yet (at most `MAX_LINE` + 1 bytes).
    partial: Vec<u8>,
    /// The line under way was cut: its bytes are dropped until its newline.
    cut: bool,
}

impl LineBuffer {
    /// Feeds `chunk`; every line it completes is handed to `line`, which may say stop with
    /// `false` (then so does this, at once).
    pub fn push(&mut self, mut chunk: &[u8], line: &mut impl FnMut(Cow<'_, str>) -> bool) -> bool {
        while let Some(end) = chunk.iter().position(|byte| *byte == b'\n') {
            let (head, rest) = (&chunk[..end], &chunk[end + 1..]);
            chunk = rest;
            if std::mem::take(&mut self.cut) {
                continue;
            }
            if !self.complete(head, line) {
                return false;
            }
        }
        if self.cut {
            return true;
        }
        self.take_on(chunk);
        if self.partial.len() <= MAX_LINE {
            return true;
        }
        self.cut = true;
        let whole = std::mem::take(&mut self.partial);
        line(Cow::Owned(cut_line(&whole)))
    }

    /// The end of the stream: the last line, if it had no newline.
    pub fn finish(&mut self, line: &mut impl FnMut(Cow<'_, str>) -> bool) {
        let rest = std::mem::take(&mut self.partial);
        if !rest.is_empty() && !std::mem::take(&mut self.cut) {
            line(text_of(&rest));
        }
    }

    /// Hands on the line that `head` completes, cut if it is too long.
    fn complete(&mut self, head: &[u8], line: &mut impl FnMut(Cow<'_, str>) -> bool) -> bool {
        if self.partial.len() + head.len() > MAX_LINE {
            self.take_on(head);
            let whole = std::mem::take(&mut self.partial);
            return line(Cow::Owned(cut_line(&whole)));
        }
        if self.partial.is_empty() {
            return line(text_of(head));
        }
        self.partial.extend_from_slice(head);
        let whole = std::mem::take(&mut self.partial);
        line(text_of(&whole))
    }

    /// Keeps `bytes` as the continuation of the line under way, up to one byte more than
    /// `MAX_LINE` in all (that byte says the line is too long).
    fn take_on(&mut self, bytes: &[u8]) {
        let room = (MAX_LINE + 1).saturating_sub(self.partial.len());
        self.partial.extend_from_slice(&bytes[..bytes.len().min(room)]);
    }
}

/// A line's bytes as text, `\r` of a CRLF ending dropped, bytes that are not UTF-8 replaced.
fn text_of(bytes: &[u8]) -> Cow<'_, str> {
    String::from_utf8_lossy(bytes.strip_suffix(b"\r").unwrap_or(bytes))
}

/// The first `MAX_LINE` bytes of a line, and the words that say the rest was cut.
fn cut_line(bytes: &[u8]) -> String {
    format!("{}{LINE_CUT}", String::from_utf8_lossy(&bytes[..bytes.len().min(MAX_LINE)]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines_of(chunks: &[&[u8]]) -> Vec<String> {
        let mut buffer = LineBuffer::default();
        let mut found = Vec::new();
        let mut keep = |line: Cow<'_, str>| {
            found.push(line.into_owned());
            true
        };
        for chunk in chunks {
            buffer.push(chunk, &mut keep);
        }
        buffer.finish(&mut keep);
        found
    }

    #[test]
    fn lines_split_across_chunks_are_joined() {
        assert_eq!(lines_of(&[b"one\ntw", b"o\r\nthr", b"ee"]), ["one", "two", "three"]);
    }

    #[test]
    fn a_byte_that_is_not_utf8_is_replaced_and_the_reading_goes_on() {
        assert_eq!(lines_of(&[b"caf\xe9\n", b"next\n"]), ["caf\u{fffd}", "next"]);
    }

    #[test]
    fn a_line_longer_than_the_limit_is_cut_and_the_next_line_is_whole() {
        let long = vec![b'x'; MAX_LINE * 3];
        let found = lines_of(&[&long[..1000], &long[1000..], b"\nafter\n"]);
        assert_eq!(found.len(), 2, "{:?}", found.iter().map(String::len).collect::<Vec<_>>());
        assert!(found[0].ends_with("[line cut at 64 KiB]"));
        assert_eq!(found[0].len(), MAX_LINE + " [line cut at 64 KiB]".len());
        assert_eq!(found[1], "after");
    }

    #[test]
    fn a_long_line_without_a_newline_is_cut_once() {
        let long = vec![b'y'; MAX_LINE + 10];
        let found = lines_of(&[&long]);
        assert_eq!(found.len(), 1);
        assert!(found[0].ends_with("[line cut at 64 KiB]"));
    }

    #[test]
    fn stop_means_stop() {
        let mut buffer = LineBuffer::default();
        let mut seen = 0;
        let going = buffer.push(b"a\nb\nc\n", &mut |_| {
            seen += 1;
            false
        });
        assert!(!going);
        assert_eq!(seen, 1);
    }
}
