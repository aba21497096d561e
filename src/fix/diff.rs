//! Unified diffs of file changes, in the form `git apply` takes (a/ and b/ prefixes, new files
//! from /dev/null). The only place `similar` is called.

use similar::TextDiff;

use super::apply::FileChange;

/// One file's change as a git-style unified diff.
pub fn unified(change: &FileChange) -> String {
    let old = change.old.as_deref().unwrap_or("");
    let diff = TextDiff::from_lines(old, &change.new);
    let (from, header) = match change.old {
        Some(_) => (
            format!("a/{}", change.path),
            format!("diff --git a/{0} b/{0}\n", change.path),
        ),
        None => (
            "/dev/null".to_string(),
            format!(
                "diff --git a/{0} b/{0}\nnew file mode 100644\n",
                change.path
            ),
        ),
    };
    let mut out = header;
    let body = diff
        .unified_diff()
        .context_radius(3)
        .missing_newline_hint(true)
        .header(&from, &format!("b/{}", change.path))
        .to_string();
    out.push_str(&body);
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
}
