//! The project under check: one walk of the tree, each file classified and read at most once.

pub mod build_contexts;
pub mod django;
pub mod flask;
pub mod git;
pub mod local_files;
pub use crate::formats::kind;
pub mod model;
pub mod packaging;
pub mod pydantic_settings;
pub mod scope;
pub mod walk;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, OnceLock};

use once_cell::race::OnceBox;

pub use kind::FileKind;
pub use model::Model;
pub use scope::{Decision, Overrides, Scope};

use crate::formats::Parsed;

/// Files larger than this are reported and not read: no configuration file is this big, and
/// reading one would cost more than the whole rest of a run.
pub const MAX_FILE_SIZE: u64 = 8 * 1024 * 1024;

/// A Python module larger than this is taken for a settings module only when its name or
/// place says settings (`settings.py`, `settings/`, `prod_settings.py`), a
/// `DJANGO_SETTINGS_MODULE` names it, or a settings module star-imports it: a data table or a
/// test suite of hundreds of KB whose bytes mention `SECRET_KEY` (`override_settings(...)`) is
/// not handed to the parser to find out (issue 13).
pub const MAX_UNNAMED_SETTINGS_BYTES: usize = 128 * 1024;

/// Why a file's text could not be had.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    Io(String),
    TooLarge(u64),
    NotUtf8 { offset: usize },
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Io(message) => write!(f, "cannot read file: {message}"),
            Self::TooLarge(size) => write!(
                f,
                "file is {} MiB, over harden's {} MiB limit for configuration files; not read",
                size / (1024 * 1024),
                MAX_FILE_SIZE / (1024 * 1024)
            ),
            Self::NotUtf8 { offset } => write!(
                f,
                "not valid UTF-8 text (first bad byte at offset {offset})"
            ),
        }
    }
}

/// A file's text as harden sees it: without a UTF-8 BOM (remembered for writing back).
#[derive(Debug)]
pub struct Text {
    pub content: Arc<str>,
    pub bom: bool,
    /// Where each line starts, found on the first question about lines: most files of a tree
    /// are read for a byte test and never asked (a vector per file grew with the tree).
    line_starts: OnceLock<Box<[u32]>>,
}

impl Text {
    pub fn new(content: impl Into<Arc<str>>, bom: bool) -> Self {
        Self {
            content: content.into(),
            bom,
            line_starts: OnceLock::new(),
        }
    }

    fn line_starts(&self) -> &[u32] {
        self.line_starts.get_or_init(|| {
            // NOTE: offsets fit in 32 bits: a file read is at most MAX_FILE_SIZE, and the
            // largest text a fix builds is bounded far below 4 GiB.
            std::iter::once(0)
                .chain(
                    self.content
                        .match_indices('\n')
                        .map(|(i, _)| u32::try_from(i + 1).unwrap_or(u32::MAX)),
                )
                .collect::<Vec<u32>>()
                .into_boxed_slice()
        })
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.content.len());
        let starts = self.line_starts();
        let line = starts.partition_point(|&start| start as usize <= offset) - 1;
        let start = starts[line] as usize;
        let column = self
            .content
            .get(start..offset)
            .map_or(1, |s| s.chars().count() + 1);
        (line + 1, column)
    }

    /// Byte range of 1-based line `line`, without its line ending.
    pub fn line_range(&self, line: usize) -> Option<std::ops::Range<usize>> {
        let starts = self.line_starts();
        let start = *starts.get(line.checked_sub(1)?)? as usize;
        let end = starts
            .get(line)
            .map_or(self.content.len(), |&end| end as usize);
        let text = &self.content[start..end];
        let trimmed = text.trim_end_matches('\n').trim_end_matches('\r');
        Some(start..start + trimmed.len())
    }

    pub fn line_count(&self) -> usize {
        self.line_starts().len()
    }

    /// The line ending this file mostly uses, for text that fixes insert.
    pub fn newline(&self) -> &'static str {
        let crlf = self.content.matches("\r\n").count();
        let lf = self.content.matches('\n').count() - crlf;
        if crlf > lf { "\r\n" } else { "\n" }
    }
}

/// One file of the project. A tree of 200,000 files holds 200,000 of these for the whole run,
/// so each is kept small (64 bytes): what is made on first use is behind one pointer each.
#[derive(Debug)]
pub struct SourceFile {
    /// Relative to the project root, `/`-separated.
    pub path: String,
    /// The directory `path` is relative to, shared by every file of a walk (one allocation
    /// rather than an absolute path per file: 200,000 files held 16 MB of them).
    root: Arc<PathBuf>,
    /// The size the walk saw (at most `u32::MAX`), 0 when it did not stat the file: only a
    /// hint, the read takes the size from the open file.
    size: u32,
    pub kind: FileKind,
    /// Whether the first read of a Python module kept its text (see [`TextInterest`]): one of
    /// `GIST_UNTAKEN`, `GIST_KEPT`, `GIST_DROPPED`.
    gist: AtomicU8,
    /// The file's scope in the project's model once asked ([`Scope::code`]; 0 until then).
    scope: AtomicU8,
    // NOTE: `OnceBox` is one pointer where a `OnceLock<Box<_>>` is two words. Two threads
    // asking for the same file at the same moment may both read or parse it; one result is
    // kept and both see it, so the answer is the same (the walk's files are sorted and the
    // checks ask for different files, so this is rare).
    text: OnceBox<Result<Text, ReadError>>,
    parsed: OnceBox<Parsed>,
    /// What the local-files reader takes from a Python module, set with the gist.
    facts: OnceBox<local_files::PythonFacts>,
}

const GIST_UNTAKEN: u8 = 0;
const GIST_KEPT: u8 = 1;
const GIST_DROPPED: u8 = 2;

/// Bytes that make a Python module's text worth keeping: each is what one reader of every
/// module tests for before it looks further. `parse-error` tests
/// [`crate::formats::python::may_be_settings_like`] and the secret checks their patterns, both
/// applied as well.
const KEPT_PYTHON_MARKERS: &[&str] = &[
    // The model's scan of every file for the settings modules it names.
    "DJANGO_SETTINGS_MODULE",
    // Django settings candidates (the model, the settings reader).
    "INSTALLED_APPS",
    "MIDDLEWARE",
    "ROOT_URLCONF",
    "SECRET_KEY",
    // django-configurations' class names.
    "DJANGO_CONFIGURATION",
    // The suppression audit: a module with no `harden:` holds no suppression comment.
    "harden:",
];

/// What the run will ask of every Python module beyond the fixed markers: the patterns of the
/// enabled checks that search every module's text (the secret checks). Set by the engine
/// before the first read; without it every text is kept (a `fix` round, `harden project`).
///
/// A module's first read takes its gist: whether its text is kept for the run, and what the
/// local-files reader takes from it. The readers that look at every module of a tree (the
/// model's `DJANGO_SETTINGS_MODULE` scan, the settings and application readers,
/// `parse-error`, the secret patterns, the suppression audit, the local-files reader) each
/// first test the text for a few bytes. A module whose text none of those tests would let
/// through is read once, its local-files facts taken, and its text dropped: on a tree of
/// thousands of modules, memory then holds the texts of the modules that matter rather than
/// the whole tree (issue 13). Those readers skip it by [`Project::text_dropped`]; any other
/// reader still gets its text, read again. The gist is two fields of [`SourceFile`] (a flag
/// and the facts).
#[derive(Debug, Default)]
pub struct TextInterest {
    pub patterns: Vec<regex::Regex>,
}

impl TextInterest {
    /// Whether some reader of every module goes on to look at `content`.
    fn wants(&self, file: &SourceFile, content: &str) -> bool {
        file.named_as_settings()
            || KEPT_PYTHON_MARKERS.iter().any(|m| content.contains(m))
            || pydantic_settings::MARKERS
                .iter()
                .any(|m| content.contains(m))
            || flask::MARKERS.iter().any(|m| content.contains(m))
            || crate::formats::python::may_be_settings_like(content)
            || self.patterns.iter().any(|p| p.is_match(content))
    }
}

impl SourceFile {
    /// The file at `path` under `root`.
    pub fn new(path: impl Into<String>, root: Arc<PathBuf>, kind: FileKind, size: u64) -> Self {
        Self {
            path: path.into(),
            root,
            kind,
            size: u32::try_from(size).unwrap_or(u32::MAX),
            gist: AtomicU8::new(GIST_UNTAKEN),
            scope: AtomicU8::new(0),
            text: OnceBox::new(),
            parsed: OnceBox::new(),
            facts: OnceBox::new(),
        }
    }

    /// A file with known text, for tests and for verifying fixes without touching disk.
    pub fn in_memory(path: &str, kind: FileKind, content: &str) -> Self {
        let file = Self::new(path, Arc::new(PathBuf::new()), kind, content.len() as u64);
        let _ = file.text.set(Box::new(Ok(Text::new(content, false))));
        file
    }

    /// A file of the project under `root` whose text is `content` (a fix's result).
    pub fn with_text(
        path: &str,
        root: Arc<PathBuf>,
        kind: FileKind,
        content: &str,
        bom: bool,
    ) -> Self {
        let file = Self::new(path, root, kind, content.len() as u64);
        let _ = file.text.set(Box::new(Ok(Text::new(content, bom))));
        file
    }

    /// The file's text, read on first use.
    pub fn text(&self) -> Result<&Text, &ReadError> {
        self.text
            .get_or_init(|| Box::new(read_text(&self.abs_path(), u64::from(self.size))))
            .as_ref()
    }

    /// Whether the first read of this file keeps its text (see [`TextInterest`]), taking the gist on
    /// first use: a Python module is read (unless its text is had already), its local-files
    /// facts taken, and its text kept only when `interest` is unknown or wants it. Other
    /// kinds keep their text, read on first use as before.
    fn gist_keeps(&self, interest: Option<&TextInterest>) -> bool {
        match self.gist.load(Ordering::Acquire) {
            GIST_KEPT => return true,
            GIST_DROPPED => return false,
            _ => {}
        }
        let keep = self.take_gist(interest);
        // Release: whoever sees the flag sees the facts and the text set before it.
        self.gist.store(
            if keep { GIST_KEPT } else { GIST_DROPPED },
            Ordering::Release,
        );
        keep
    }

    fn take_gist(&self, interest: Option<&TextInterest>) -> bool {
        if self.kind != FileKind::Python {
            return true;
        }
        let cached = self.text.get();
        let fresh = match cached {
            Some(_) => None,
            None => Some(read_text(&self.abs_path(), u64::from(self.size))),
        };
        let keep = match cached.or(fresh.as_ref()) {
            Some(Ok(text)) => {
                if let Some(facts) = local_files::PythonFacts::of(&text.content) {
                    let _ = self.facts.set(Box::new(facts));
                }
                interest.is_none_or(|i| i.wants(self, &text.content))
            }
            // A read error is kept: it is small, and `parse-error` reports it.
            _ => true,
        };
        if let Some(fresh) = fresh
            && keep
        {
            let _ = self.text.set(Box::new(fresh));
        }
        keep
    }

    /// The file parsed in its kind's format, on first use.
    pub fn parsed(&self) -> &Parsed {
        self.parsed.get_or_init(|| {
            Box::new(match self.text() {
                Ok(text) => crate::formats::parse(self.kind, &text.content),
                Err(_) => Parsed::Unreadable,
            })
        })
    }

    /// Whether the file's name or place says it is a settings module: `settings` in its stem
    /// (`settings.py`, `prod_settings.py`) or a `settings/` package as its directory.
    pub fn named_as_settings(&self) -> bool {
        self.name().trim_end_matches(".py").contains("settings")
            || self.dir().rsplit('/').next() == Some("settings")
    }

    /// Whether `text` (this file's) is too large to be parsed to find out whether the module
    /// is a settings module: over [`MAX_UNNAMED_SETTINGS_BYTES`], its name or place not saying
    /// settings, and its path not in `named` (the modules the caller already knows for settings
    /// modules: those a `DJANGO_SETTINGS_MODULE` names, or all the model's). The one rule the
    /// model, the Django settings reader and `parse-error` apply, each with what it knows.
    pub fn too_large_unless_named(&self, text: &Text, named: &BTreeSet<&str>) -> bool {
        text.content.len() > MAX_UNNAMED_SETTINGS_BYTES
            && !self.named_as_settings()
            && !named.contains(self.path.as_str())
    }

    /// Where the file is on disk.
    pub fn abs_path(&self) -> PathBuf {
        self.root.join(&self.path)
    }

    pub fn dir(&self) -> &str {
        self.path.rsplit_once('/').map_or("", |(dir, _)| dir)
    }

    pub fn name(&self) -> &str {
        self.path.rsplit('/').next().unwrap_or(&self.path)
    }
}

fn read_text(path: &Path, size: u64) -> Result<Text, ReadError> {
    use std::io::Read as _;
    if size > MAX_FILE_SIZE {
        return Err(ReadError::TooLarge(size));
    }
    // NOTE: the size is taken from the open file (the walk does not stat each file: that is a
    // second path lookup per file, for the few files whose size matters).
    let io = |e: std::io::Error| ReadError::Io(e.to_string());
    let file = std::fs::File::open(path).map_err(io)?;
    let size = file.metadata().map_err(io)?.len();
    if size > MAX_FILE_SIZE {
        return Err(ReadError::TooLarge(size));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    // At most one byte past the limit: a file that grew since the stat is still refused.
    file.take(MAX_FILE_SIZE + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > MAX_FILE_SIZE {
        return Err(ReadError::TooLarge(bytes.len() as u64));
    }
    let (bytes, bom) = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => (rest.to_vec(), true),
        None => (bytes, false),
    };
    match String::from_utf8(bytes) {
        Ok(content) => Ok(Text::new(content, bom)),
        Err(e) => Err(ReadError::NotUtf8 {
            offset: e.utf8_error().valid_up_to(),
        }),
    }
}

/// Every file harden may read, sorted by path, plus what the walk could not read, git's word
/// on which files are committed, and the model of what ships (built on first use).
#[derive(Debug, Default)]
pub struct Project {
    pub root: PathBuf,
    pub files: Vec<SourceFile>,
    /// Directories or entries the walk could not read: path and message.
    pub walk_errors: Vec<(String, String)>,
    /// The index, when the project is a git work tree.
    pub git: Option<git::GitState>,
    /// The configuration's `production` / `development` globs.
    pub overrides: Overrides,
    model: OnceLock<Model>,
    /// The `.gitignore` files compiled once for every check (see [`Project::ignore_tree`]).
    ignore_tree: OnceLock<crate::formats::gitignore::IgnoreTree>,
    /// What the run asks of every Python module (see [`TextInterest`]); unset, every text is kept.
    interest: OnceLock<TextInterest>,
}

/// A file's new text, for [`Project::with_changes`].
#[derive(Debug, Clone, Copy)]
pub struct ChangedText<'a> {
    pub path: &'a str,
    pub text: &'a str,
    pub bom: bool,
}

impl Project {
    pub fn files_of(&self, kind: FileKind) -> impl Iterator<Item = &SourceFile> {
        self.files.iter().filter(move |f| f.kind == kind)
    }

    pub fn has(&self, kind: FileKind) -> bool {
        self.files.iter().any(|f| f.kind == kind)
    }

    pub fn file(&self, path: &str) -> Option<&SourceFile> {
        self.files
            .binary_search_by(|f| f.path.as_str().cmp(path))
            .ok()
            .map(|i| &self.files[i])
    }

    /// Say what the run asks of every Python module beyond the fixed markers, before the first
    /// read: from then on a module no reader wants is read once and its text dropped. Ignored
    /// once set.
    pub fn set_text_interest(&self, interest: TextInterest) {
        let _ = self.interest.set(interest);
    }

    /// Whether `file` is a Python module whose text was dropped after its first read because
    /// none of the readers of every module wants it: those readers skip it without reading it
    /// again (see [`TextInterest`]). Reads the module if it was not read yet.
    pub fn text_dropped(&self, file: &SourceFile) -> bool {
        file.kind == FileKind::Python && !file.gist_keeps(self.interest.get())
    }

    /// Whether the secret pattern `pattern` cannot match `file`: its text was dropped, and the
    /// pattern is one the run said it would ask (so the first read tested it).
    pub fn text_dropped_for(&self, file: &SourceFile, pattern: &regex::Regex) -> bool {
        self.interest.get().is_some_and(|interest| {
            interest
                .patterns
                .iter()
                .any(|p| p.as_str() == pattern.as_str())
        }) && self.text_dropped(file)
    }

    /// What the local-files reader takes from the Python module `file` (read once with the
    /// rest of its gist).
    pub fn python_facts<'f>(&self, file: &'f SourceFile) -> Option<&'f local_files::PythonFacts> {
        file.gist_keeps(self.interest.get());
        file.facts.get()
    }

    /// The model of what ships, built on first use (the engine builds it before any check).
    pub fn model(&self) -> &Model {
        self.model
            .get_or_init(|| Model::build(self, &self.overrides))
    }

    /// The scope of the file at `path` (relative to the root): what every check asks, many
    /// times a file, so a file of the walk keeps its answer.
    pub fn scope(&self, path: &str) -> Scope {
        let Some(file) = self.file(path) else {
            return self.model().scope(path);
        };
        if let Some(known) = Scope::from_code(file.scope.load(Ordering::Relaxed)) {
            return known;
        }
        let scope = self.model().scope(path);
        file.scope.store(scope.code(), Ordering::Relaxed);
        scope
    }

    /// Whether git tracks `path`: `None` outside a git work tree.
    pub fn is_tracked(&self, path: &str) -> Option<bool> {
        self.git.as_ref().map(|git| git.is_tracked(path))
    }

    /// The project's `.gitignore` files as they are now (with any fixes of this round
    /// applied), compiled on first use: a generated file's thousands of globs are compiled
    /// once per run, not once per check.
    pub fn ignore_tree(&self) -> &crate::formats::gitignore::IgnoreTree {
        self.ignore_tree.get_or_init(|| {
            crate::formats::gitignore::IgnoreTree::new(
                self.files_of(FileKind::Gitignore)
                    .filter_map(|f| Some((f.path.as_str(), &*f.text().ok()?.content))),
            )
        })
    }

    /// The project as it would be with `changes` applied: changed and created files carry
    /// their new text in memory; the rest are read from disk as usual.
    pub fn with_changes<'c>(&self, changes: impl IntoIterator<Item = ChangedText<'c>>) -> Self {
        let changes: std::collections::BTreeMap<&str, ChangedText<'c>> =
            changes.into_iter().map(|c| (c.path, c)).collect();
        let mut files: Vec<SourceFile> = self
            .files
            .iter()
            .map(|f| match changes.get(f.path.as_str()) {
                Some(change) => {
                    SourceFile::with_text(&f.path, f.root.clone(), f.kind, change.text, change.bom)
                }
                None => SourceFile::new(f.path.clone(), f.root.clone(), f.kind, u64::from(f.size)),
            })
            .collect();
        for change in changes.values().filter(|c| self.file(c.path).is_none()) {
            if let Some(kind) = kind::classify(change.path) {
                files.push(SourceFile::with_text(
                    change.path,
                    Arc::new(self.root.clone()),
                    kind,
                    change.text,
                    change.bom,
                ));
            }
        }
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Self {
            root: self.root.clone(),
            files,
            walk_errors: self.walk_errors.clone(),
            git: self.git.clone(),
            overrides: self.overrides.clone(),
            model: OnceLock::new(),
            ignore_tree: OnceLock::new(),
            interest: OnceLock::new(),
        }
    }

    /// A project of in-memory files (path, text), each classified by its path, rooted nowhere
    /// on disk: for unit tests of checks and fixes.
    pub fn from_texts(files: &[(&str, &str)]) -> Self {
        let files = files
            .iter()
            .map(|(path, text)| {
                let kind = kind::classify(path).unwrap_or(FileKind::OtherConfig);
                SourceFile::in_memory(path, kind, text)
            })
            .collect();
        Self::from_memory(Path::new("/nonexistent"), files)
    }

    /// Build a project from in-memory files (tests, fix verification).
    pub fn from_memory(root: &Path, files: Vec<SourceFile>) -> Self {
        let mut files = files;
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Self {
            root: root.to_path_buf(),
            files,
            ..Self::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_of_the_walk_stays_small() {
        // The walk holds one per file for the whole run (issue 13: 200,000 files under
        // 100 MB). A field that grows it should be boxed or made on first use instead.
        assert!(std::mem::size_of::<SourceFile>() <= 64);
    }

    #[test]
    fn line_col_counts_characters() {
        let text = Text::new("ab\né x\n", false);
        assert_eq!(text.line_col(0), (1, 1));
        assert_eq!(text.line_col(3), (2, 1));
        assert_eq!(text.line_col(6), (2, 3));
        assert_eq!(text.line_col(100), (3, 1));
        assert_eq!(text.line_range(2), Some(3..7));
        assert_eq!(text.line_range(9), None);
    }

    #[test]
    fn too_large_unless_named_or_placed_as_settings() {
        let big = "X = 1\n".repeat(MAX_UNNAMED_SETTINGS_BYTES / 6 + 1);
        let text = Text::new(big.as_str(), false);
        let small = Text::new("X = 1\n", false);
        let named: BTreeSet<&str> = ["app/data.py"].into();
        let data = SourceFile::in_memory("app/data.py", FileKind::Python, "");
        let tests = SourceFile::in_memory("app/tests.py", FileKind::Python, "");
        let placed = SourceFile::in_memory("conf/settings/prod.py", FileKind::Python, "");
        assert!(tests.too_large_unless_named(&text, &named));
        assert!(!tests.too_large_unless_named(&small, &named));
        assert!(!data.too_large_unless_named(&text, &named));
        assert!(data.too_large_unless_named(&text, &BTreeSet::new()));
        assert!(!placed.too_large_unless_named(&text, &BTreeSet::new()));
    }

    #[test]
    fn a_module_no_reader_wants_is_read_once_and_its_text_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let files = [
            ("app/handlers.py", "def handler(event):\n    return event\n"),
            (
                "app/local.py",
                "from . import local_settings\nDB = 'x.sqlite3'\n",
            ),
            ("app/config.py", "SECRET_KEY = 'x'\n"),
            ("app/keys.py", "TOKEN = 'ghp_abc'\n"),
            (
                "app/notes.py",
                "x = 1  # harden: ignore[some-check] reason\n",
            ),
            ("requirements.txt", "django\n"),
        ];
        for (path, text) in files {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let project = walk::walk(dir.path(), &globset::GlobSet::empty());
        project.set_text_interest(TextInterest {
            patterns: vec![regex::Regex::new("ghp_[a-z]+").unwrap()],
        });
        let file = |path: &str| project.file(path).unwrap();
        for (path, dropped) in [
            ("app/handlers.py", true),
            ("app/local.py", true),
            ("app/config.py", false),
            ("app/keys.py", false),
            ("app/notes.py", false),
        ] {
            assert_eq!(project.text_dropped(file(path)), dropped, "{path}");
            // A dropped text is not held; a kept one is, from that first read.
            assert_eq!(file(path).text.get().is_none(), dropped, "{path}");
        }
        // Other kinds are never dropped (their text is read on first use, as before).
        assert!(!project.text_dropped(file("requirements.txt")));
        // The local-files facts were taken from the dropped text all the same.
        let facts = project.python_facts(file("app/local.py")).unwrap();
        assert_eq!(facts.imported()[0].0, "local_settings");
        assert!(project.python_facts(file("app/handlers.py")).is_none());
        // Any other reader still gets the text (read again).
        assert!(
            file("app/handlers.py")
                .text()
                .unwrap()
                .content
                .contains("handler")
        );
        // A pattern the run did not announce is never taken for tested.
        let other = regex::Regex::new("def").unwrap();
        assert!(!project.text_dropped_for(file("app/handlers.py"), &other));
    }

    #[test]
    fn newline_style() {
        assert_eq!(Text::new("a\r\nb\r\n", false).newline(), "\r\n");
        assert_eq!(Text::new("a\nb\r\n", false).newline(), "\n");
    }
}
