//! Unified diffs of file changes, in the form `git apply` takes (a/ and b/ prefixes, new files
//! from /dev/null). The only place `similar` is called.

use similar::TextDiff;

use super::apply::FileChange;

/// One file's change as a git-style unified diff.
pub fn unified(change: &FileChange) -> String {
    // NOTE: the BOM is part of the first line as `git apply` reads the file, so it stays in
    // the context (and in the added and removed lines) for the patch to apply.
    let bom = if change.bom { "\u{feff}" } else { "" };
    let old = format!("{bom}{}", change.old.as_deref().unwrap_or(""));
    let new = format!("{bom}{}", change.new);
    let diff = TextDiff::from_lines(&old, &new);
    let a = quote_path(&format!("a/{}", change.path));
    let b = quote_path(&format!("b/{}", change.path));
    // git marks a name holding a space with a tab after it on the `---`/`+++` lines, so the
    // end of the name is unambiguous to whoever parses the patch.
    let tab = if change.path.contains(' ') { "\t" } else { "" };
    let mut out = format!("diff --git {a} {b}\n");
    match change.old {
        Some(_) => out.push_str(&format!("--- {a}{tab}\n")),
        None => out.push_str("new file mode 100644\n--- /dev/null\n"),
    }
    out.push_str(&format!("+++ {b}{tab}\n"));
    let body = diff
        .unified_diff()
        .context_radius(3)
        .missing_newline_hint(true)
        .to_string();
    if body.is_empty() && change.old.is_some() {
        return String::new();
    }
    out.push_str(&body);
    out
}

/// A path as git writes it in a patch (`core.quotePath`, the default): as is when it holds
/// nothing special, else in double quotes with C escapes for `"`, `\\` and control characters
/// and octal escapes for every other byte below space, DEL and every non-ASCII byte.
pub fn quote_path(path: &str) -> String {
    let special = |b: u8| b < 0x20 || b == b'"' || b == b'\\' || b >= 0x7f;
    if !path.bytes().any(special) {
        return path.to_string();
    }
    let mut out = String::with_capacity(path.len() + 8);
    out.push('"');
    for byte in path.bytes() {
        match byte {
            0x07 => out.push_str("\\a"),
            0x08 => out.push_str("\\b"),
            b'\t' => out.push_str("\\t"),
            b'\n' => out.push_str("\\n"),
            0x0b => out.push_str("\\v"),
            0x0c => out.push_str("\\f"),
            b'\r' => out.push_str("\\r"),
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b if special(b) => out.push_str(&format!("\\{b:03o}")),
            b => out.push(char::from(b)),
        }
    }
    out.push('"');
    out
}

/// Colour a unified diff for a terminal: removed lines red, added green, hunk headers cyan.
pub fn colorize(diff: &str) -> String {
    use anstyle::{AnsiColor, Style};
    let style_of = |line: &str| -> Option<Style> {
        if line.starts_with("+++")
            || line.starts_with("---")
            || line.starts_with("diff --git")
            || line.starts_with("new file")
        {
            Some(Style::new().bold())
        } else if line.starts_with('+') {
            Some(AnsiColor::Green.on_default())
        } else if line.starts_with('-') {
            Some(AnsiColor::Red.on_default())
        } else if line.starts_with("@@") {
            Some(AnsiColor::Cyan.on_default())
        } else {
            None
        }
    };
    let mut out = String::with_capacity(diff.len() + 64);
    for line in diff.split_inclusive('\n') {
        let (body, end) = match line.strip_suffix('\n') {
            Some(body) => (body, "\n"),
            None => (line, ""),
        };
        match style_of(body) {
            Some(style) => out.push_str(&format!("{style}{body}{style:#}{end}")),
            None => out.push_str(line),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_file_diff_has_dev_null() {
        let change = FileChange {
            path: "SECURITY.md".into(),
            old: None,
            new: "# Policy\n".into(),
            bom: false,
        };
        let diff = unified(&change);
        assert!(diff.starts_with("diff --git a/SECURITY.md b/SECURITY.md\nnew file mode 100644\n--- /dev/null\n+++ b/SECURITY.md\n"));
        assert!(diff.contains("+# Policy\n"));
    }

    #[test]
    fn missing_final_newline_is_marked() {
        let change = FileChange {
            path: ".gitignore".into(),
            old: Some("a".into()),
            new: "a\n.env\n".into(),
            bom: false,
        };
        let diff = unified(&change);
        assert!(diff.contains("\\ No newline at end of file"), "{diff}");
    }

    #[test]
    fn paths_are_quoted_as_git_quotes_them() {
        assert_eq!(quote_path("a/plain name.txt"), "a/plain name.txt");
        assert_eq!(quote_path("a/t\tn\nq\"b\\"), "\"a/t\\tn\\nq\\\"b\\\\\"");
        assert_eq!(quote_path("a/caf\u{e9}"), "\"a/caf\\303\\251\"");
        assert_eq!(quote_path("a/\u{1}\u{7f}"), "\"a/\\001\\177\"");
    }

    #[test]
    fn a_bom_stays_in_the_context() {
        let change = FileChange {
            path: "a.yml".into(),
            old: Some("k: 1\n".into()),
            new: "k: 2\n".into(),
            bom: true,
        };
        assert!(unified(&change).contains("-\u{feff}k: 1\n+\u{feff}k: 2\n"));
    }
}
