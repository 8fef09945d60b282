//! Byte offset to 1-based line number, counted forward from the last answer.

use std::cell::Cell;

/// Line numbers of one document. The reader asks in document order, so
/// each question counts only the newlines since the previous one (a
/// counting loop the compiler vectorises); an earlier offset counts again
/// from the start.
#[derive(Clone, Debug)]
pub(crate) struct LineIndex<'a> {
    bytes: &'a [u8],
    /// The last offset asked for and its line.
    cursor: Cell<(usize, u32)>,
}

impl<'a> LineIndex<'a> {
    /// An index over `text`; nothing is scanned yet.
    pub(crate) fn new(text: &'a str) -> Self {
        LineIndex {
            bytes: text.as_bytes(),
            cursor: Cell::new((0, 1)),
        }
    }

    /// The 1-based line holding byte `offset` (the last line past the end).
    pub(crate) fn line(&self, offset: usize) -> u32 {
        let offset = offset.min(self.bytes.len());
        let (mut from, mut line) = self.cursor.get();
        if offset < from {
            (from, line) = (0, 1);
        }
        let newlines = self.bytes[from..offset]
            .iter()
            .filter(|&&byte| byte == b'\n')
            .count();
        line = line.saturating_add(u32::try_from(newlines).unwrap_or(u32::MAX));
        self.cursor.set((offset, line));
        line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Forward, backward and past-the-end questions give the line the
    /// offset sits on.
    #[test]
    fn lines_in_any_order() {
        let text = "one\ntwo\n\nfour";
        let lines = LineIndex::new(text);
        let expected = |offset: usize| {
            1 + text.as_bytes()[..offset.min(text.len())]
                .iter()
                .filter(|&&byte| byte == b'\n')
                .count() as u32
        };
        for offset in [0, 2, 3, 4, 9, 13, 7, 1, 8, 10, 100, 0] {
            assert_eq!(lines.line(offset), expected(offset), "offset {offset}");
        }
        assert_eq!(lines.line(4), 2);
        assert_eq!(lines.line(100), 4);
    }
}
