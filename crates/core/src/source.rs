//! Source files and the mapping between byte offsets and line/column positions.

use std::sync::{Arc, OnceLock};

/// A half-open byte range `[start, end)` into a [`SourceFile`]'s text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span {
            start,
            end: end.max(start),
        }
    }

    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// This span moved right by `by` bytes (statement-relative to file-relative).
    pub fn shifted(self, by: usize) -> Self {
        Span {
            start: self.start + by,
            end: self.end + by,
        }
    }
}

/// A 1-based line and a 1-based column counted in characters (not bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Position {
    pub line: u32,
    pub column: u32,
}

/// Byte offsets of line starts, for offset <-> position conversion.
#[derive(Debug, Clone, Default)]
pub struct LineIndex {
    starts: Starts,
}

/// Line starts as 4-byte offsets for any text under 4 GiB (every input: reads are
/// capped far below), else 8-byte ones. A 10 MB migration of short statements has
/// a quarter of a million lines: 1 MB less than with `usize` offsets.
#[derive(Debug, Clone)]
enum Starts {
    Narrow(Vec<u32>),
    Wide(Vec<usize>),
}

impl Default for Starts {
    fn default() -> Self {
        Starts::Narrow(Vec::new())
    }
}

impl Starts {
    fn len(&self) -> usize {
        match self {
            Starts::Narrow(v) => v.len(),
            Starts::Wide(v) => v.len(),
        }
    }

    fn at(&self, i: usize) -> usize {
        match self {
            Starts::Narrow(v) => v[i] as usize,
            Starts::Wide(v) => v[i],
        }
    }

    fn get(&self, i: usize) -> Option<usize> {
        match self {
            Starts::Narrow(v) => v.get(i).map(|&o| o as usize),
            Starts::Wide(v) => v.get(i).copied(),
        }
    }

    /// The index of the last line start at or before `offset`.
    fn line_of(&self, offset: usize) -> usize {
        let found = match self {
            Starts::Narrow(v) => match u32::try_from(offset) {
                Ok(o) => v.binary_search(&o),
                Err(_) => Err(v.len()),
            },
            Starts::Wide(v) => v.binary_search(&offset),
        };
        match found {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        // Counted first, so the list is allocated once at its size.
        let lines = memchr::memchr_iter(b'\n', bytes).count() + 1;
        let starts = if u32::try_from(text.len()).is_ok() {
            let mut v = Vec::with_capacity(lines);
            v.push(0);
            // Offsets below the text's length, which fits in a u32.
            v.extend(memchr::memchr_iter(b'\n', bytes).map(|i| (i + 1) as u32));
            Starts::Narrow(v)
        } else {
            let mut v = Vec::with_capacity(lines);
            v.push(0);
            v.extend(memchr::memchr_iter(b'\n', bytes).map(|i| i + 1));
            Starts::Wide(v)
        };
        LineIndex { starts }
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// Byte offset where 1-based `line` starts (clamped to the last line).
    pub fn line_start(&self, line: u32) -> usize {
        let i = (line.max(1) as usize - 1).min(self.starts.len() - 1);
        self.starts.at(i)
    }

    /// The position of byte `offset` in `text` (offset clamped to the text).
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.starts.line_of(offset);
        let start = self.starts.at(line);
        let column = text[start..offset].chars().count() + 1;
        Position {
            line: line as u32 + 1,
            column: column as u32,
        }
    }

    /// The byte offset of a 1-based line and character column, clamped to that line.
    pub fn offset(&self, text: &str, pos: Position) -> usize {
        let i = (pos.line.max(1) as usize - 1).min(self.starts.len() - 1);
        let start = self.starts.at(i);
        // The next line's start is known: no search for the line's end.
        let line_end = self
            .starts
            .get(i + 1)
            .map_or(text.len(), |next| next - 1)
            .min(text.len());
        let want = pos.column.max(1) as usize - 1;
        let line = &text.as_bytes()[start..line_end];
        // Plain ASCII up to the column: the column is the byte offset.
        if want <= line.len() && line[..want].is_ascii() {
            return start + want;
        }
        text[start..line_end]
            .char_indices()
            .nth(want)
            .map_or(line_end, |(i, _)| start + i)
    }
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// One input file: its display path (as the user named it, `/` separated) and text.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: Arc<str>,
    pub text: Arc<str>,
    /// Line starts, computed on the first position asked for: most history files
    /// are read for the schema model and never asked.
    index: Arc<OnceLock<LineIndex>>,
}

impl SourceFile {
    /// `text` may be a `String` or a `&str`: either way it is copied once, into the
    /// shared buffer.
    pub fn new(path: impl Into<String>, text: impl Into<Arc<str>>) -> Self {
        SourceFile {
            path: Arc::from(path.into()),
            text: text.into(),
            index: Arc::new(OnceLock::new()),
        }
    }

    fn index(&self) -> &LineIndex {
        self.index.get_or_init(|| LineIndex::new(&self.text))
    }

    pub fn position(&self, offset: usize) -> Position {
        self.index().position(&self.text, offset)
    }

    pub fn offset(&self, pos: Position) -> usize {
        self.index().offset(&self.text, pos)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters_and_lines_from_one() {
        let f = SourceFile::new("a.sql", "ab\nçd;\n\nx");
        assert_eq!(f.position(0), Position { line: 1, column: 1 });
        assert_eq!(f.position(3), Position { line: 2, column: 1 });
        // 'ç' is two bytes: the 'd' after it is column 2.
        assert_eq!(f.position(5), Position { line: 2, column: 2 });
        assert_eq!(f.position(9), Position { line: 4, column: 1 });
        assert_eq!(f.offset(Position { line: 2, column: 2 }), 5);
        assert_eq!(f.offset(Position { line: 9, column: 1 }), 9);
    }
}
