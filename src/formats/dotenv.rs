//! `.env`-style files (`.env`, `.env.production`, `*.env`, `.flaskenv`): `KEY=value` lines as
//! python-dotenv and docker compose read them — an optional `export `, `#` comment lines,
//! single-quoted (literal) and double-quoted (escapes, may span lines) values, and unquoted
//! values that end at ` #`.
//!
//! Lines that are not assignments are skipped, not reported: the tools that read these files
//! skip them too, and the checks only need the assignments.

use std::ops::Range;

/// One `KEY=value` assignment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub key: String,
    pub key_span: Range<usize>,
    /// The value as the application receives it: unquoted, escapes resolved.
    pub value: String,
    /// Byte range of the value as written (inside the quotes for a quoted value).
    pub value_span: Range<usize>,
    pub quoted: bool,
}

#[derive(Debug, Clone, Default)]
pub struct DotenvFile {
    pub entries: Vec<Entry>,
}

impl DotenvFile {
    pub fn parse(text: &str) -> Self {
        let mut entries = Vec::new();
        let mut pos = 0;
        while pos < text.len() {
            let line_end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
            let next = match parse_entry(text, pos, line_end) {
                Some((entry, end)) => {
                    entries.push(entry);
                    end
                }
                None => line_end,
            };
            pos = next + 1;
        }
        Self { entries }
    }

    /// The last assignment of `key` (the one that wins).
    pub fn get(&self, key: &str) -> Option<&Entry> {
        self.entries.iter().rev().find(|e| e.key == key)
    }
}

fn is_blank(c: char) -> bool {
    c == ' ' || c == '\t'
}

/// Parse the assignment starting on the line `start..line_end`; returns it and the offset of
/// the line ending it consumed up to (a quoted value may span lines).
fn parse_entry(text: &str, start: usize, line_end: usize) -> Option<(Entry, usize)> {
    let line = &text[start..line_end];
    let indent = line.len() - line.trim_start_matches(is_blank).len();
    let mut at = start + indent;
    let rest = &text[at..line_end];
    if rest.starts_with('#') {
        return None;
    }
    if let Some(after) = rest.strip_prefix("export")
        && after.starts_with(is_blank)
    {
        at += "export".len() + (after.len() - after.trim_start_matches(is_blank).len());
    }
    let key_len = text[at..line_end]
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '-'))
        .unwrap_or(line_end - at);
    if key_len == 0 {
        return None;
    }
    let key_span = at..at + key_len;
    at = key_span.end;
    at += text[at..line_end].len() - text[at..line_end].trim_start_matches(is_blank).len();
    if !text[at..line_end].starts_with('=') {
        return None;
    }
    at += 1;
    at += text[at..line_end].len() - text[at..line_end].trim_start_matches(is_blank).len();
    let key = text[key_span.clone()].to_string();

    let quote = text[at..]
        .chars()
        .next()
        .filter(|c| *c == '"' || *c == '\'');
    if let Some(quote) = quote
        && let Some((value, inner, close)) = quoted_value(text, at, quote)
    {
        let end = text[close..].find('\n').map_or(text.len(), |i| close + i);
        return Some((
            Entry {
                key,
                key_span,
                value,
                value_span: inner,
                quoted: true,
            },
            end,
        ));
    }
    let raw = &text[at..line_end];
    let raw = raw
        .find(" #")
        .or_else(|| raw.find("\t#"))
        .map_or(raw, |i| &raw[..i]);
    let raw = raw.trim_end_matches(|c: char| c.is_whitespace());
    Some((
        Entry {
            key,
            key_span,
            value: raw.to_string(),
            value_span: at..at + raw.len(),
            quoted: false,
        },
        line_end,
    ))
}

/// A quoted value opening at `open`: its resolved text, the range inside the quotes, and the
/// offset just after the closing quote. `None` when the quote is never closed.
fn quoted_value(text: &str, open: usize, quote: char) -> Option<(String, Range<usize>, usize)> {
    let body_start = open + 1;
    let mut value = String::new();
    let mut chars = text[body_start..].char_indices();
    while let Some((i, c)) = chars.next() {
        if c == quote {
            let end = body_start + i;
            return Some((value, body_start..end, end + 1));
        }
        if c == '\\' && quote == '"' {
            match chars.next() {
                Some((_, 'n')) => value.push('\n'),
                Some((_, 't')) => value.push('\t'),
                Some((_, 'r')) => value.push('\r'),
                Some((_, other)) => value.push(other),
                None => return None,
            }
        } else {
            value.push(c);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(text: &str) -> Vec<(String, String)> {
        DotenvFile::parse(text)
            .entries
            .into_iter()
            .map(|e| (e.key, e.value))
            .collect()
    }

    #[test]
    fn assignments() {
        let text = "# comment\nA=1\nexport B = two words  # note\nC='x # y'\nD=\"l1\\nl2\"\nE=\nnot an assignment\n  F=f\r\n";
        let expected = [
            ("A", "1"),
            ("B", "two words"),
            ("C", "x # y"),
            ("D", "l1\nl2"),
            ("E", ""),
            ("F", "f"),
        ];
        let expected: Vec<(String, String)> = expected
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        assert_eq!(pairs(text), expected);
    }

    #[test]
    fn spans_point_at_the_text() {
        let text = "KEY=\"value\"\nOTHER=plain";
        let file = DotenvFile::parse(text);
        assert_eq!(&text[file.entries[0].key_span.clone()], "KEY");
        assert_eq!(&text[file.entries[0].value_span.clone()], "value");
        assert_eq!(&text[file.entries[1].value_span.clone()], "plain");
        assert_eq!(file.get("OTHER").map(|e| e.quoted), Some(false));
    }

    #[test]
    fn multiline_and_unclosed_quotes() {
        let text = "KEY=\"-----BEGIN\nbody\n-----END\"\nNEXT=1\nBAD=\"open\nLAST=2";
        let pairs = pairs(text);
        assert_eq!(
            pairs[0],
            ("KEY".to_string(), "-----BEGIN\nbody\n-----END".to_string())
        );
        assert_eq!(pairs[1], ("NEXT".to_string(), "1".to_string()));
        assert_eq!(pairs[2], ("BAD".to_string(), "\"open".to_string()));
        assert_eq!(pairs[3], ("LAST".to_string(), "2".to_string()));
    }

    #[test]
    fn never_panics_on_odd_input() {
        for text in [
            "", "=", "\n\n", "A", "A=\"", "export", "export A", "é=1", "A='é", "\\",
        ] {
            let _ = DotenvFile::parse(text);
        }
    }
}
