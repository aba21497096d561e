//! .gitignore / .dockerignore: the lines as written (for fixes that append in the file's own
//! style) and the `ignore` crate's matcher for real gitignore semantics.
//!
//! Matching itself is the `ignore` crate's (the same code the walk uses); this module adds what
//! a check needs on top of it: which line decided, git's rule that nothing inside an excluded
//! directory can be re-included, the precedence of nested `.gitignore` files, and the style a
//! file writes its entries in.

use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use ignore::Match;
use ignore::gitignore::{Gitignore, GitignoreBuilder};

use super::ParseError;

/// The most pattern lines of one file compiled into a matcher. Each glob the `ignore` crate
/// compiles is a regular expression of its own: 100,000 `**/` patterns (a 4 MB file) cost
/// 20 s and 1.3 GB per compile. A hand-written file has hundreds; one generated past this
/// is read up to it, with a parse error saying so (and no fix is written to it, since its
/// effect past the bound is not known).
pub const MAX_PATTERNS: usize = 10_000;

/// One pattern line.
#[derive(Debug, Clone)]
pub struct PatternLine {
    /// The pattern with surrounding whitespace trimmed, for display.
    pub pattern: String,
    /// Byte range of `pattern` in the file.
    pub span: Range<usize>,
    /// The line as git reads it: line ending and unescaped trailing spaces removed, leading
    /// spaces kept (they are part of a gitignore pattern).
    pub raw: String,
}

impl PatternLine {
    /// `!pattern`: re-includes what an earlier pattern excluded.
    pub fn is_negation(&self) -> bool {
        self.raw.starts_with('!')
    }
}

#[derive(Debug, Clone)]
pub struct GitignoreFile {
    pub patterns: Vec<PatternLine>,
    /// At least one `#` comment line: appended blocks get a comment header too.
    pub has_comments: bool,
    /// Blank lines separate groups of entries: an appended block is separated the same way.
    pub has_blank_lines: bool,
    /// The text ends with an empty line (after the final line ending), so an appended block
    /// needs no separator.
    pub ends_with_blank_line: bool,
    /// The text is empty or ends with a line ending.
    pub ends_with_newline: bool,
    /// Length of the text: where an append goes.
    pub len: usize,
    /// More than [`MAX_PATTERNS`] pattern lines: the ones past it are not matched.
    pub errors: Vec<ParseError>,
}

/// Well-known directory entries, used to learn how a file writes directories (`/build/`,
/// `build/`, `build`).
const KNOWN_DIRS: &[&str] = &[
    ".eggs",
    ".mypy_cache",
    ".nox",
    ".pytest_cache",
    ".ruff_cache",
    ".tox",
    ".venv",
    "__pycache__",
    "build",
    "dist",
    "env",
    "htmlcov",
    "instance",
    "node_modules",
    "site",
    "staticfiles",
    "venv",
];

/// How a file writes directory entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DirStyle {
    /// `/build/`: anchored to the file's directory.
    pub leading_slash: bool,
    /// `build/` rather than `build`.
    pub trailing_slash: bool,
}

impl GitignoreFile {
    pub fn parse(text: &str) -> Self {
        let mut patterns = Vec::new();
        let mut has_comments = false;
        let mut has_blank_lines = false;
        let mut seen_pattern = false;
        let mut offset = 0;
        for line in text.split_inclusive('\n') {
            let content = line.trim_end_matches(['\n', '\r']);
            let trimmed = content.trim();
            if content.starts_with('#') {
                has_comments = true;
            } else if trimmed.is_empty() {
                has_blank_lines |= seen_pattern;
            } else {
                let start = offset + (content.len() - content.trim_start().len());
                patterns.push(PatternLine {
                    pattern: trimmed.to_string(),
                    span: start..start + trimmed.len(),
                    raw: git_line(content).to_string(),
                });
                seen_pattern = true;
            }
            offset += line.len();
        }
        let last_line = text.trim_end_matches(['\n', '\r']);
        let tail = &text[last_line.len()..];
        let errors = patterns
            .get(MAX_PATTERNS)
            .map(|first_unread| ParseError {
                message: format!(
                    "{} patterns, more than the {MAX_PATTERNS} harden reads: the lines from \
                     here on are not used (a path only they ignore counts as not ignored)",
                    patterns.len()
                ),
                span: Some(first_unread.span.clone()),
            })
            .into_iter()
            .collect();
        Self {
            errors,
            patterns,
            has_comments,
            has_blank_lines,
            ends_with_blank_line: tail.matches('\n').count() >= 2 || text.is_empty(),
            ends_with_newline: text.is_empty() || text.ends_with('\n'),
            len: text.len(),
        }
    }

    /// This file's patterns (the first [`MAX_PATTERNS`]) as a matcher over paths relative to
    /// the file's directory.
    pub fn matcher(&self) -> FileMatcher {
        FileMatcher::new(
            self.patterns
                .iter()
                .take(MAX_PATTERNS)
                .map(|p| p.raw.as_str()),
        )
    }

    /// How the file writes directory entries, learnt from the well-known directories it lists;
    /// `build/` when it lists none.
    pub fn dir_style(&self) -> DirStyle {
        let (mut leading, mut bare, mut trailing, mut no_trailing) = (0, 0, 0, 0);
        for line in self.patterns.iter().filter(|p| !p.is_negation()) {
            let name = line.pattern.trim_start_matches('/').trim_end_matches('/');
            if !KNOWN_DIRS.contains(&name) {
                continue;
            }
            if line.pattern.starts_with('/') {
                leading += 1
            } else {
                bare += 1
            }
            if line.pattern.ends_with('/') {
                trailing += 1
            } else {
                no_trailing += 1
            }
        }
        DirStyle {
            leading_slash: leading > bare,
            trailing_slash: trailing >= no_trailing,
        }
    }

    /// The text to insert at the end of the file (offset `self.len`) to append `lines`: the
    /// missing final newline first, then a blank line where the file groups its entries, a
    /// `# comment` header where the file uses comments, and one line per entry. Written with
    /// `\n`; the fix applier converts to the file's line endings.
    pub fn append_block(&self, comment: Option<&str>, lines: &[String]) -> String {
        let mut block = String::new();
        if !self.ends_with_newline {
            block.push('\n');
        }
        let comment =
            comment.filter(|c| !c.trim().is_empty() && (self.has_comments || self.len == 0));
        if self.len > 0 && !self.ends_with_blank_line && (comment.is_some() || self.has_blank_lines)
        {
            block.push('\n');
        }
        if let Some(comment) = comment {
            block.push_str("# ");
            block.push_str(comment.trim());
            block.push('\n');
        }
        for line in lines {
            block.push_str(line);
            block.push('\n');
        }
        block
    }
}

/// A gitignore line as git reads it: trailing spaces are dropped unless escaped with `\`.
fn git_line(content: &str) -> &str {
    if content.ends_with("\\ ") {
        content
    } else {
        content.trim_end()
    }
}

/// Write a sample entry (`build/`, `*.egg-info/`, `.env`) the way a file writes directories.
/// Only directory entries change: file patterns are never anchored, because a secret or an
/// artifact file can sit in any subdirectory.
pub fn styled_entry(entry: &str, style: DirStyle) -> String {
    let Some(name) = entry.strip_suffix('/') else {
        return entry.to_string();
    };
    let literal =
        !name.contains(['*', '?', '[', '\\', '!']) && !name.trim_start_matches('/').contains('/');
    let mut out = String::new();
    if style.leading_slash && literal && !name.starts_with('/') {
        out.push('/');
    }
    out.push_str(name);
    if style.trailing_slash {
        out.push('/');
    }
    out
}

/// One file's patterns compiled with the `ignore` crate, remembering which line each glob
/// came from.
#[derive(Debug, Clone)]
pub struct FileMatcher {
    gitignore: Gitignore,
    /// For each pattern line (in order), the text the `ignore` crate keeps as the glob's
    /// original; `None` for a line it rejected as an invalid glob (git ignores those too).
    originals: Vec<Option<String>>,
}

/// Which line of a file decided a match, and whether it re-includes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineMatch {
    /// Index into the file's `patterns`.
    pub index: usize,
    pub negation: bool,
}

impl FileMatcher {
    pub fn new<'a>(lines: impl IntoIterator<Item = &'a str>) -> Self {
        // NOTE: the root "." makes the crate match paths exactly as given, relative to the
        // file's directory, without trying to strip any prefix.
        let mut builder = GitignoreBuilder::new(".");
        let mut originals = Vec::new();
        for line in lines {
            let ok = builder.add_line(None::<PathBuf>, line).is_ok();
            originals.push(ok.then(|| line.to_string()));
        }
        let gitignore = builder.build().unwrap_or_else(|_| Gitignore::empty());
        Self {
            gitignore,
            originals,
        }
    }

    /// How many lines the matcher was built from.
    pub fn len(&self) -> usize {
        self.originals.len()
    }

    pub fn is_empty(&self) -> bool {
        self.originals.is_empty()
    }

    /// The last line matching `rel` itself (not its parents), relative to the file's directory.
    pub fn matched(&self, rel: &str, is_dir: bool) -> Option<LineMatch> {
        let (glob, negation) = match self.gitignore.matched(rel, is_dir) {
            Match::None => return None,
            Match::Ignore(glob) => (glob, false),
            Match::Whitelist(glob) => (glob, true),
        };
        // Identical lines match identically, so the last line with this text is the one that
        // decided (git, like the crate, lets the last matching line win).
        let index = self
            .originals
            .iter()
            .rposition(|o| o.as_deref() == Some(glob.original()))?;
        Some(LineMatch { index, negation })
    }
}

/// The line of a `.gitignore` that decided about a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    /// Path of the `.gitignore` file, relative to the project root.
    pub file: String,
    pub span: Range<usize>,
    pub pattern: String,
    pub negation: bool,
}

/// What git would do with a path that is not yet tracked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Ignored because of this line (on the path or on one of its parent directories).
    Ignored(Rule),
    /// Not ignored; `Some` when a negation line explicitly re-includes it.
    Tracked(Option<Rule>),
}

impl Verdict {
    pub fn is_ignored(&self) -> bool {
        matches!(self, Self::Ignored(_))
    }
}

/// One `.gitignore` of the project.
#[derive(Debug, Clone)]
struct Level {
    /// Directory of the file, relative to the root, `""` for the root.
    dir: String,
    path: String,
    /// Shared between a tree and the trees [`IgnoreTree::with_appended`] makes of it, so the
    /// patterns are compiled once.
    file: Arc<GitignoreFile>,
    matcher: Arc<FileMatcher>,
    /// Lines appended to the file (see [`IgnoreTree::with_appended`]): they come after every
    /// line of the file, so when one matches it decides.
    appended: Option<Arc<Appended>>,
}

#[derive(Debug)]
struct Appended {
    /// Offset of the block in the file's new text.
    at: usize,
    text: String,
    file: GitignoreFile,
    matcher: FileMatcher,
}

impl Level {
    fn new(path: &str, text: &str) -> Self {
        let file = GitignoreFile::parse(text);
        Self {
            dir: path.rsplit_once('/').map_or("", |(dir, _)| dir).to_string(),
            path: path.to_string(),
            matcher: Arc::new(file.matcher()),
            file: Arc::new(file),
            appended: None,
        }
    }

    /// The line deciding about `rel` (relative to the file's directory), if one matches.
    fn rule(&self, rel: &str, is_dir: bool) -> Option<Rule> {
        let rule = |file: &GitignoreFile, at: usize, found: LineMatch| {
            let line = file.patterns.get(found.index)?;
            Some(Rule {
                file: self.path.clone(),
                span: line.span.start + at..line.span.end + at,
                pattern: line.pattern.clone(),
                negation: found.negation,
            })
        };
        if let Some(block) = &self.appended
            && let Some(found) = block.matcher.matched(rel, is_dir)
        {
            return rule(&block.file, block.at, found);
        }
        rule(&self.file, 0, self.matcher.matched(rel, is_dir)?)
    }
}

/// Every `.gitignore` of a project, applied with git's rules: a file's patterns apply below its
/// directory, a deeper file's decision beats a shallower one's, the last matching line of a
/// file wins, and once a directory is excluded nothing inside it can be re-included.
///
/// Only committed `.gitignore` files count: `.git/info/exclude` and the global excludes file
/// protect one clone, not the repository.
#[derive(Debug, Clone, Default)]
pub struct IgnoreTree {
    /// Sorted deepest first, so the first level that matches decides.
    levels: Vec<Level>,
    /// Directory → index into `levels`, so a path consults only the files of its ancestors
    /// (a monorepo has thousands of `.gitignore` files).
    by_dir: std::collections::HashMap<String, usize>,
}

impl IgnoreTree {
    /// Build from `(path of a .gitignore, its text)` pairs.
    pub fn new<'a>(files: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        Self::from_levels(
            files
                .into_iter()
                .map(|(path, text)| Level::new(path, text))
                .collect(),
        )
    }

    fn from_levels(mut levels: Vec<Level>) -> Self {
        levels.sort_by_key(|l| std::cmp::Reverse(depth(&l.dir)));
        let by_dir = levels
            .iter()
            .enumerate()
            .map(|(i, l)| (l.dir.clone(), i))
            .collect();
        Self { levels, by_dir }
    }

    /// What git would do with `rel` (relative to the root, `/`-separated; `is_dir` for a
    /// directory).
    pub fn verdict(&self, rel: &str, is_dir: bool) -> Verdict {
        let rel = rel.trim_start_matches("./").trim_end_matches('/');
        let components: Vec<&str> = rel.split('/').filter(|c| !c.is_empty()).collect();
        let mut prefix = String::new();
        let mut last = None;
        for (i, component) in components.iter().enumerate() {
            if !prefix.is_empty() {
                prefix.push('/');
            }
            prefix.push_str(component);
            let is_dir_here = is_dir || i + 1 < components.len();
            last = self.decide(&prefix, is_dir_here);
            if let Some(rule) = &last
                && !rule.negation
            {
                return Verdict::Ignored(rule.clone());
            }
        }
        Verdict::Tracked(last)
    }

    /// The deciding line for `path` itself, from the deepest `.gitignore` that has one.
    fn decide(&self, path: &str, is_dir: bool) -> Option<Rule> {
        // The directories containing `path`, deepest first, ending with the root ("").
        let ancestors = std::iter::successors(Some(path), |p| {
            Some(p.rsplit_once('/').map_or("", |(dir, _)| dir))
        })
        .skip(1)
        .scan(false, |done, dir| {
            if *done {
                return None;
            }
            *done = dir.is_empty();
            Some(dir)
        });
        ancestors
            .filter_map(|dir| self.by_dir.get(dir).and_then(|&i| self.levels.get(i)))
            .find_map(|level| {
                let rel = if level.dir.is_empty() {
                    path
                } else {
                    path.strip_prefix(level.dir.as_str())?.strip_prefix('/')?
                };
                level.rule(rel, is_dir)
            })
    }

    /// The same tree with `block` appended to the `.gitignore` at `path` (relative to the
    /// root; created when the tree has none there): to check that an edit has the effect it
    /// should. Only the block is compiled; the file's own patterns are shared.
    pub fn with_appended(&self, path: &str, block: &str) -> Self {
        let mut levels = self.levels.clone();
        match levels.iter_mut().find(|l| l.path == path) {
            Some(level) => {
                let (at, mut text) = match &level.appended {
                    Some(earlier) => (earlier.at, earlier.text.clone()),
                    None => (level.file.len, String::new()),
                };
                text.push_str(block);
                let file = GitignoreFile::parse(&text);
                level.appended = Some(Arc::new(Appended {
                    at,
                    matcher: file.matcher(),
                    file,
                    text,
                }));
            }
            None => levels.push(Level::new(path, block)),
        }
        Self::from_levels(levels)
    }

    /// The parsed `.gitignore` at `path`, if the tree has it.
    pub fn file(&self, path: &str) -> Option<&GitignoreFile> {
        self.levels
            .iter()
            .find(|l| l.path == path)
            .map(|l| &*l.file)
    }

    /// Directories (relative to the root, `""` for the root) that have a `.gitignore`.
    pub fn dirs(&self) -> impl Iterator<Item = &str> {
        self.levels.iter().map(|l| l.dir.as_str())
    }
}

fn depth(dir: &str) -> usize {
    if dir.is_empty() {
        0
    } else {
        dir.matches('/').count() + 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ignored(tree: &IgnoreTree, path: &str) -> bool {
        let is_dir = path.ends_with('/');
        tree.verdict(path, is_dir).is_ignored()
    }

    #[test]
    fn parse_keeps_lines_spans_and_style_facts() {
        let text = "# secrets\n.env\n\n  /build/  \n!keep\n";
        let file = GitignoreFile::parse(text);
        let patterns: Vec<&str> = file.patterns.iter().map(|p| p.pattern.as_str()).collect();
        assert_eq!(patterns, [".env", "/build/", "!keep"]);
        assert_eq!(&text[file.patterns[1].span.clone()], "/build/");
        assert_eq!(file.patterns[1].raw, "  /build/");
        assert!(file.patterns[2].is_negation());
        assert!(file.has_comments && file.has_blank_lines && file.ends_with_newline);
        assert!(!file.ends_with_blank_line);
        assert!(!GitignoreFile::parse("a").ends_with_newline);
        assert!(GitignoreFile::parse("a\n\n").ends_with_blank_line);
        assert!(GitignoreFile::parse("a\r\n\r\n").ends_with_blank_line);
        assert_eq!(GitignoreFile::parse("a\\ \n").patterns[0].raw, "a\\ ");
    }

    #[test]
    fn real_gitignore_semantics() {
        let tree = IgnoreTree::new([(
            ".gitignore",
            "*.env\n.env.*\n!.env.example\ninstance/\n/db.sqlite3\n*.py[cod]\n",
        )]);
        // `*.env` covers `.env` itself: `*` matches the empty string.
        assert!(ignored(&tree, ".env"));
        assert!(ignored(&tree, "sub/.env"));
        assert!(ignored(&tree, ".env.production"));
        assert!(!ignored(&tree, ".env.example"));
        assert!(ignored(&tree, "instance/"));
        assert!(ignored(&tree, "instance/config.py"));
        // A directory-only pattern does not match a file of that name.
        assert!(!ignored(&tree, "instance"));
        assert!(ignored(&tree, "db.sqlite3"));
        assert!(!ignored(&tree, "app/db.sqlite3"));
        assert!(ignored(&tree, "pkg/x.pyc"));
        assert!(!ignored(&tree, "key.pem"));
    }

    #[test]
    fn nothing_inside_an_excluded_directory_can_be_re_included() {
        let tree = IgnoreTree::new([(".gitignore", "instance/\n!instance/keep.txt\n")]);
        assert!(ignored(&tree, "instance/keep.txt"));
        let tree = IgnoreTree::new([(".gitignore", "instance/*\n!instance/keep.txt\n")]);
        assert!(!ignored(&tree, "instance/keep.txt"));
    }

    #[test]
    fn deeper_files_win_and_report_their_line() {
        let tree = IgnoreTree::new([
            (".gitignore", ".env\n*.pem\n"),
            ("svc/.gitignore", "# keep the dev env\n!.env\n"),
        ]);
        assert!(ignored(&tree, ".env"));
        match tree.verdict("svc/.env", false) {
            Verdict::Tracked(Some(rule)) => {
                assert_eq!(rule.file, "svc/.gitignore");
                assert_eq!(rule.pattern, "!.env");
                assert_eq!(rule.span, 19..24);
                assert!(rule.negation);
            }
            other => panic!("unexpected {other:?}"),
        }
        assert!(ignored(&tree, "svc/key.pem"));
        // The nested file applies below its directory only.
        assert!(ignored(&tree, "other/.env"));
    }

    #[test]
    fn the_deciding_line_is_the_last_one_with_that_text() {
        let tree = IgnoreTree::new([(".gitignore", ".env\n!.env\n.env\n")]);
        match tree.verdict(".env", false) {
            Verdict::Ignored(rule) => assert_eq!(rule.span, 11..15),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn crlf_and_invalid_lines() {
        let tree = IgnoreTree::new([(".gitignore", "[\r\n.env\r\n")]);
        assert!(ignored(&tree, ".env"));
        assert_eq!(tree.verdict("x", false), Verdict::Tracked(None));
    }

    #[test]
    fn dir_style_and_styled_entries() {
        let anchored = GitignoreFile::parse("/build/\n/dist/\n*.pyc\n").dir_style();
        assert_eq!(
            anchored,
            DirStyle {
                leading_slash: true,
                trailing_slash: true
            }
        );
        assert_eq!(styled_entry("venv/", anchored), "/venv/");
        assert_eq!(styled_entry("*.egg-info/", anchored), "*.egg-info/");
        assert_eq!(styled_entry(".env", anchored), ".env");
        let bare = GitignoreFile::parse("venv\nbuild\n").dir_style();
        assert_eq!(
            bare,
            DirStyle {
                leading_slash: false,
                trailing_slash: false
            }
        );
        assert_eq!(styled_entry("__pycache__/", bare), "__pycache__");
        let unknown = GitignoreFile::parse("*.log\n").dir_style();
        assert_eq!(
            unknown,
            DirStyle {
                leading_slash: false,
                trailing_slash: true
            }
        );
    }

    #[test]
    fn append_block_follows_the_file() {
        let lines = vec![".env".to_string(), "*.pem".to_string()];
        let plain = GitignoreFile::parse("*.log");
        assert_eq!(
            plain.append_block(Some("secrets"), &lines),
            "\n.env\n*.pem\n"
        );
        let commented = GitignoreFile::parse("# logs\n*.log\n");
        assert_eq!(
            commented.append_block(Some("secrets"), &lines),
            "\n# secrets\n.env\n*.pem\n"
        );
        let grouped = GitignoreFile::parse("*.log\n\n*.tmp\n\n");
        assert_eq!(
            grouped.append_block(Some("secrets"), &lines),
            ".env\n*.pem\n"
        );
        let empty = GitignoreFile::parse("");
        assert_eq!(
            empty.append_block(Some("secrets"), &lines),
            "# secrets\n.env\n*.pem\n"
        );
    }
}
