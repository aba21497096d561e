//! A byte scan for bracketed literals with more items than a value may hold, run before
//! tree-sitter sees a large module, so that their items are never parsed.
//!
//! An 8 MB settings module listing 1.6 million strings cost 9 s and 2 GB to parse, almost all
//! of it tree-sitter's tree of the one literal, which the evaluator then calls unknown without
//! looking at an item. The interiors this scan finds are left out of the parse (tree-sitter's
//! included ranges, so every other byte keeps its offset) and whatever contains one is unknown.

use std::ops::Range;

/// The interiors (after the opening bracket, before the closing one) of the outermost
/// `(...)`, `[...]` and `{...}` holding more than `max_items` comma-separated items at their
/// own level. Strings and comments are skipped the way Python's tokenizer skips them.
///
/// A module of fewer than `2 * max_items` bytes cannot hold such a literal (each item takes a
/// byte and a comma) and is not scanned.
pub(super) fn huge_literals(text: &str, max_items: usize) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    if bytes.len() < max_items.saturating_mul(2) {
        return Vec::new();
    }
    // Each open bracket: its offset and the commas seen at its own level.
    let mut open: Vec<(usize, usize)> = Vec::new();
    let mut found: Vec<Range<usize>> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'#' => {
                i = memchr_newline(bytes, i);
                continue;
            }
            quote @ (b'\'' | b'"') => {
                i = string_end(bytes, i, quote);
                continue;
            }
            b'(' | b'[' | b'{' => open.push((i, 0)),
            b')' | b']' | b'}' => {
                if let Some((start, commas)) = open.pop()
                    && commas >= max_items
                {
                    found.push(start + 1..i);
                }
            }
            b',' => {
                if let Some((_, commas)) = open.last_mut() {
                    *commas += 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    // Inner literals close first: keep only the outermost.
    found.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
    let mut outermost: Vec<Range<usize>> = Vec::new();
    for range in found {
        if outermost.last().is_none_or(|last| range.start >= last.end) {
            outermost.push(range);
        }
    }
    outermost
}

/// The offset of the newline ending the line at `from` (or the end of the text).
fn memchr_newline(bytes: &[u8], from: usize) -> usize {
    bytes[from..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |p| from + p)
}

/// The offset just past the string literal whose opening quote is at `start`. A backslash
/// keeps the next byte from closing the string, in raw strings too (as Python's tokenizer
/// reads them); a one-quote string also ends at a newline (a syntax error tree-sitter reports).
fn string_end(bytes: &[u8], start: usize, quote: u8) -> usize {
    let triple = bytes.get(start + 1) == Some(&quote) && bytes.get(start + 2) == Some(&quote);
    let mut i = start + if triple { 3 } else { 1 };
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b'\n' if !triple => return i,
            b if b == quote => {
                if !triple {
                    return i + 1;
                }
                if bytes.get(i + 1) == Some(&quote) && bytes.get(i + 2) == Some(&quote) {
                    return i + 3;
                }
            }
            _ => {}
        }
        i += 1;
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(text: &str, max: usize) -> Vec<&str> {
        // Tests use tiny limits: pad the text past the size below which nothing is scanned.
        let padded = format!("{text}\n{}", "#".repeat(max * 2));
        huge_literals(&padded, max)
            .into_iter()
            .map(|r| &text[r])
            .collect()
    }

    #[test]
    fn finds_the_outermost_long_literal() {
        assert_eq!(scan("X = [1, 2, 3, 4]\nY = [1]\n", 3), ["1, 2, 3, 4"]);
        assert_eq!(scan("X = {'a': [1, 2, 3, 4], 'b': 2}\n", 3), ["1, 2, 3, 4"]);
        assert_eq!(
            scan("X = [[1, 2, 3, 4], 1, 2, 3]\n", 3),
            ["[1, 2, 3, 4], 1, 2, 3"]
        );
        assert!(scan("X = [1, 2, 3]\n", 3).is_empty());
    }

    #[test]
    fn commas_in_strings_and_comments_are_not_items() {
        assert!(scan("X = ['a,b,c,d', \"\"\",,,,\"\"\"]  # ,,,,\n", 3).is_empty());
        assert!(scan("X = [r'\\\\', ',,,,', 'it\\'s,,,,']\n", 3).is_empty());
        assert_eq!(scan("X = ['[', 1, 2, 3, 4]\n", 3), ["'[', 1, 2, 3, 4"]);
    }
}
