//! A runbook's source text, kept whole so that every diagnostic can quote the line it points at.

use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Runbooks are short: a file larger than this is refused before it is parsed.
pub const MAX_BYTES: u64 = 1024 * 1024;

/// Why a file could not be read as a source.
#[derive(Debug)]
pub enum Unreadable {
    Io(std::io::Error),
    TooLarge {
        bytes: u64,
    },
    /// The text up to the first byte that is not UTF-8 (then replaced), and that byte's offset.
    NotUtf8 {
        source: Arc<SourceFile>,
        offset: usize,
    },
}

impl std::fmt::Display for Unreadable {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unreadable::Io(error) => write!(formatter, "{error}"),
            Unreadable::TooLarge { bytes } => {
                write!(formatter, "{bytes} bytes, more than the {MAX_BYTES} a source may have")
            }
            Unreadable::NotUtf8 { offset, .. } => {
                write!(formatter, "byte {offset} is not UTF-8")
            }
        }
    }
}

/// One file as it was read from disk, shared by the model and its diagnostics.
#[derive(Debug)]
pub struct SourceFile {
    pub path: PathBuf,
    pub text: String,
}

/// A byte range inside a [`SourceFile`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    pub offset: usize,
    pub length: usize,
}

/// A value together with where it was written.
#[derive(Debug, Clone)]
pub struct Located<T> {
    pub value: T,
    pub span: Span,
}

impl Span {
    pub fn new(offset: usize, length: usize) -> Self {
        Self { offset, length }
    }
}

impl SourceFile {
    /// Reads a runbook or environments file: at most [`MAX_BYTES`], and UTF-8.
    pub fn read(path: &Path) -> Result<Arc<Self>, Unreadable> {
        let size = std::fs::metadata(path).map_err(Unreadable::Io)?.len();
        if size > MAX_BYTES {
            return Err(Unreadable::TooLarge { bytes: size });
        }
        let bytes = std::fs::read(path).map_err(Unreadable::Io)?;
        match String::from_utf8(bytes) {
            Ok(text) => Ok(Arc::new(Self { path: path.to_path_buf(), text })),
            Err(error) => {
                let offset = error.utf8_error().valid_up_to();
                let text = String::from_utf8_lossy(error.as_bytes()).into_owned();
                Err(Unreadable::NotUtf8 {
                    source: Arc::new(Self { path: path.to_path_buf(), text }),
                    offset,
                })
            }
        }
    }

    /// Byte offset of a 1-based line and 1-based character column, clamped to the text.
    pub fn offset_of(&self, line: usize, column: usize) -> usize {
        let line_start: usize =
            self.text.split_inclusive('\n').take(line.saturating_sub(1)).map(str::len).sum();
        let rest = &self.text[line_start.min(self.text.len())..];
        let within_line: usize = rest
            .chars()
            .take_while(|character| *character != '\n')
            .take(column.saturating_sub(1))
            .map(char::len_utf8)
            .sum();
        (line_start + within_line).min(self.text.len())
    }

    /// 1-based line and column of a byte offset.
    pub fn line_and_column(&self, offset: usize) -> (usize, usize) {
        let before = &self.text[..offset.min(self.text.len())];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |index| index + 1);
        let column = before[line_start..].chars().count() + 1;
        (line, column)
    }

    /// The span of the token that starts at a 1-based line and column: up to the end of the word.
    pub fn span_at(&self, line: usize, column: usize) -> Span {
        let offset = self.offset_of(line, column);
        let length = self.text[offset..]
            .chars()
            .take_while(|character| !character.is_whitespace() && *character != ':')
            .map(char::len_utf8)
            .sum::<usize>()
            .max(1)
            .min(self.text.len().saturating_sub(offset));
        Span::new(offset, length)
    }

    pub fn display_path(&self) -> String {
        display_path(&self.path)
    }
}

/// A path shown relative to the current folder when it lies below it.
pub fn display_path(path: &Path) -> String {
    let relative = std::env::current_dir()
        .ok()
        .and_then(|current| path.strip_prefix(current).ok().map(Path::to_path_buf));
    relative.unwrap_or_else(|| path.to_path_buf()).display().to_string()
}
