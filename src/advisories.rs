//! The OSV advisory database for PyPI, read offline: from OSV's export (`all.zip`, one OSV JSON
//! record per advisory), a directory of such records, or the compact cache that
//! `harden advisories update` writes (one file of records per package, read only for the
//! packages a project pins). Judging a version: OSV `ECOSYSTEM` ranges and `versions` lists
//! under PEP 440 ordering, withdrawn advisories ignored, aliases grouped into one family.
//!
//! Nothing here touches the network: the download is the `advisories` command's.

use std::collections::{BTreeSet, HashMap};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::{Arc, LazyLock, Mutex};

use pep508_rs::pep440_rs::Version;
use serde::{Deserialize, Serialize};

use crate::formats::osv::{Advisory, AffectedRange};

/// Where `harden advisories update` downloads from by default: OSV's PyPI export.
pub const DEFAULT_URL: &str = "https://osv-vulnerabilities.storage.googleapis.com/PyPI/all.zip";

/// The compact cache's format; a cache of another format is rebuilt by `update`.
const CACHE_FORMAT: u32 = 1;
const META_FILE: &str = "meta.json";
const PACKAGES_DIR: &str = "packages";

/// Why a database could not be read or stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdvisoryError(pub String);

impl std::fmt::Display for AdvisoryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for AdvisoryError {}

fn error(message: impl Into<String>) -> AdvisoryError {
    AdvisoryError(message.into())
}

/// The compact cache's `meta.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meta {
    pub format: u32,
    /// Download date, YYYY-MM-DD (UTC).
    pub date: String,
    pub source: String,
    pub advisories: usize,
    pub packages: usize,
}

/// An opened database.
#[derive(Debug)]
pub struct Database {
    pub path: PathBuf,
    /// The day the data was downloaded (cache) or last modified (a zip or directory).
    pub date: Option<String>,
    /// Advisories naming a PyPI package.
    pub count: usize,
    /// What was skipped when the records were read (a zip or a directory), for the summary.
    pub skipped: Option<String>,
    /// Cache files that could not be read when a package was looked up (reported after the run).
    unreadable: Mutex<Vec<String>>,
    store: Store,
}

#[derive(Debug)]
enum Store {
    /// Every record parsed up front, by package (a zip or a directory of records).
    Memory(HashMap<String, Vec<Advisory>>),
    /// The compact cache: each package's file is read the first time it is asked for.
    Packages {
        dir: PathBuf,
        loaded: Mutex<HashMap<String, Arc<Vec<Advisory>>>>,
    },
}

/// Databases opened in this process, by path: `check` and `fix` (which checks again after
/// each round of edits) read one once.
static OPENED: LazyLock<Mutex<HashMap<PathBuf, Arc<Database>>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));

impl Database {
    /// Open `path` (a zip, a directory of OSV records, or the compact cache), once per process.
    pub fn open_shared(path: &Path) -> Result<Arc<Database>, AdvisoryError> {
        if let Some(db) = OPENED.lock().ok().and_then(|m| m.get(path).cloned()) {
            return Ok(db);
        }
        let db = Arc::new(Self::open(path)?);
        if let Ok(mut opened) = OPENED.lock() {
            opened.insert(path.to_path_buf(), db.clone());
        }
        Ok(db)
    }

    /// Open `path`: the compact cache (a directory with `meta.json`), a directory of OSV JSON
    /// records (searched recursively), or a zip of them.
    pub fn open(path: &Path) -> Result<Self, AdvisoryError> {
        if path.join(META_FILE).is_file() {
            return Self::open_cache(path);
        }
        let loaded = if path.is_dir() {
            read_directory(path, &LIMITS)?
        } else if path.is_file() {
            let file = std::fs::File::open(path)
                .map_err(|e| error(format!("cannot read {}: {e}", path.display())))?;
            read_zip(file, &path.display().to_string())?
        } else {
            return Err(error(format!(
                "{} is neither a zip nor a directory of OSV records",
                path.display()
            )));
        };
        let date = std::fs::metadata(path)
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map(|d| civil_date((d.as_secs() / 86_400) as i64));
        let skipped = loaded.skipped_note(&path.display().to_string());
        let by_package = by_package(loaded.records);
        let count = by_package
            .values()
            .flatten()
            .map(|a| &a.id)
            .collect::<BTreeSet<_>>()
            .len();
        Ok(Self {
            path: path.to_path_buf(),
            date,
            count,
            skipped,
            unreadable: Mutex::new(Vec::new()),
            store: Store::Memory(by_package),
        })
    }

    fn open_cache(path: &Path) -> Result<Self, AdvisoryError> {
        let meta = read_meta(path)?;
        Ok(Self {
            path: path.to_path_buf(),
            date: Some(meta.date),
            count: meta.advisories,
            skipped: None,
            unreadable: Mutex::new(Vec::new()),
            store: Store::Packages {
                dir: path.join(PACKAGES_DIR),
                loaded: Mutex::new(HashMap::new()),
            },
        })
    }

    /// The advisories naming package `name` (PEP 503-normalized), each cut down to that
    /// package's `affected` entries. A cache file that cannot be read counts as none, and is
    /// remembered for `unreadable_notes`.
    pub fn advisories(&self, name: &str) -> Arc<Vec<Advisory>> {
        match &self.store {
            Store::Memory(map) => Arc::new(map.get(name).cloned().unwrap_or_default()),
            Store::Packages { dir, loaded } => {
                if let Some(found) = loaded.lock().ok().and_then(|m| m.get(name).cloned()) {
                    return found;
                }
                let records = match package_file(dir, name) {
                    Some(file) if file.is_file() => read_package_file(&file).unwrap_or_else(|e| {
                        if let Ok(mut list) = self.unreadable.lock() {
                            list.push(e.to_string());
                        }
                        Vec::new()
                    }),
                    _ => Vec::new(),
                };
                let records = Arc::new(records);
                if let Ok(mut map) = loaded.lock() {
                    map.insert(name.to_string(), records.clone());
                }
                records
            }
        }
    }
}

/// One package's records in the compact cache (bounded like a record of a zip).
fn read_package_file(file: &Path) -> Result<Vec<Advisory>, AdvisoryError> {
    let fail = |why: String| error(format!("{}: {why}", file.display()));
    let size = std::fs::metadata(file)
        .map_err(|e| fail(e.to_string()))?
        .len();
    if size > LIMITS.total_bytes {
        return Err(fail("too large".to_string()));
    }
    let text = std::fs::read_to_string(file).map_err(|e| fail(e.to_string()))?;
    serde_json::from_str(&text).map_err(|e| {
        fail(format!(
            "{e}: run `harden advisories update` to rebuild the cache"
        ))
    })
}

/// The notes of cache files that could not be read during this run, for the summary: the
/// check then ran without the advisories of those packages.
pub fn unreadable_notes() -> Vec<String> {
    let Ok(opened) = OPENED.lock() else {
        return Vec::new();
    };
    opened
        .values()
        .flat_map(|db| db.unreadable.lock().map(|l| l.clone()).unwrap_or_default())
        .map(|problem| format!("warning: {CHECK} could not read {problem}"))
        .collect()
}

/// The file of a package in the compact cache; `None` for a name that is not a safe file name.
fn package_file(dir: &Path, name: &str) -> Option<PathBuf> {
    let safe = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    safe.then(|| dir.join(format!("{name}.json")))
}

fn read_meta(path: &Path) -> Result<Meta, AdvisoryError> {
    let file = path.join(META_FILE);
    let text = std::fs::read_to_string(&file)
        .map_err(|e| error(format!("cannot read {}: {e}", file.display())))?;
    let meta: Meta =
        serde_json::from_str(&text).map_err(|e| error(format!("{}: {e}", file.display())))?;
    if meta.format != CACHE_FORMAT {
        return Err(error(format!(
            "{} is of format {} (this harden reads {CACHE_FORMAT}): run `harden advisories update`",
            file.display(),
            meta.format
        )));
    }
    Ok(meta)
}

/// Bounds on what a database may hold, so that a hostile or broken archive costs bounded time
/// and memory.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Entries of an archive (or records of a directory); more is refused.
    pub records: usize,
    /// The largest single record read; a larger one is skipped with a diagnostic.
    pub record_bytes: u64,
    /// The most uncompressed bytes read from one database; past it the database is refused.
    pub total_bytes: u64,
}

/// OSV's PyPI export holds some tens of thousands of records of a few KB each (the largest,
/// with long `versions` lists, some hundreds of KB), on the order of 100 MB in all.
pub const LIMITS: Limits = Limits {
    records: 500_000,
    record_bytes: 8 << 20,
    total_bytes: 2 << 30,
};

/// The records read from a zip or a directory, and the ones that were skipped.
#[derive(Debug, Default)]
pub struct Loaded {
    pub records: Vec<Advisory>,
    /// How many entries were skipped (not OSV, not UTF-8, too large, unreadable).
    pub skipped: usize,
    /// The first few reasons, `entry: why`.
    pub problems: Vec<String>,
}

/// How many skip reasons are kept to show.
const PROBLEMS_SHOWN: usize = 3;

impl Loaded {
    fn skip(&mut self, entry: &str, why: impl std::fmt::Display) {
        self.skipped += 1;
        if self.problems.len() < PROBLEMS_SHOWN {
            self.problems.push(format!("{entry}: {why}"));
        }
    }

    /// One line on what was skipped, `None` when nothing was.
    pub fn skipped_note(&self, what: &str) -> Option<String> {
        (self.skipped > 0).then(|| {
            format!(
                "warning: the advisory database {what}: {} record(s) skipped ({}{})",
                self.skipped,
                self.problems.join("; "),
                if self.skipped > self.problems.len() {
                    "; ..."
                } else {
                    ""
                }
            )
        })
    }

    /// Read one record's bytes (at most `limits.record_bytes`), counting them against `total`.
    fn take_record(
        &mut self,
        name: &str,
        reader: impl Read,
        total: &mut u64,
        what: &str,
        limits: &Limits,
    ) -> Result<(), AdvisoryError> {
        let mut bytes = Vec::new();
        let read = reader.take(limits.record_bytes + 1).read_to_end(&mut bytes);
        self.take_bytes(name, read.map(|_| &bytes[..]), total, what, limits)
    }

    /// Parse one record's bytes (or skip it with the error that reading it met).
    fn take_bytes(
        &mut self,
        name: &str,
        read: std::io::Result<&[u8]>,
        total: &mut u64,
        what: &str,
        limits: &Limits,
    ) -> Result<(), AdvisoryError> {
        let bytes = match read {
            Ok(bytes) => bytes,
            Err(e) => {
                self.skip(name, e);
                return Ok(());
            }
        };
        *total += bytes.len() as u64;
        if *total > limits.total_bytes {
            return Err(error(format!(
                "{what}: more than {} bytes of records uncompressed: refused",
                limits.total_bytes
            )));
        }
        if bytes.len() as u64 > limits.record_bytes {
            self.skip(name, format!("larger than {} bytes", limits.record_bytes));
            return Ok(());
        }
        match std::str::from_utf8(bytes) {
            Err(_) => self.skip(name, "not UTF-8"),
            Ok(text) => match Advisory::parse(text) {
                Ok(record) => self.records.push(record),
                Err(e) => self.skip(name, e.message),
            },
        }
        Ok(())
    }
}

/// Every `.json` record of a zip archive; `what` names it in errors. A record that cannot be
/// read is skipped and counted; an archive that is not a zip, holds more than `MAX_RECORDS`
/// entries or more than `MAX_TOTAL_BYTES` of records, or no record at all, is an error.
pub fn read_zip(reader: impl Read + std::io::Seek, what: &str) -> Result<Loaded, AdvisoryError> {
    read_zip_within(reader, what, &LIMITS)
}

fn read_zip_within(
    reader: impl Read + std::io::Seek,
    what: &str,
    limits: &Limits,
) -> Result<Loaded, AdvisoryError> {
    let mut archive = zip::ZipArchive::new(reader)
        .map_err(|e| error(format!("{what}: not a zip archive: {e}")))?;
    if archive.len() > limits.records {
        return Err(error(format!(
            "{what}: {} entries, more than the {} an advisory database may hold",
            archive.len(),
            limits.records
        )));
    }
    let mut loaded = Loaded::default();
    let mut total = 0u64;
    // NOTE: entries are inflated here, with one inflater and two buffers for the whole archive,
    // rather than by `ZipArchive::by_index`: that allocates a decompressor per entry, and the
    // parsed records landing between those short-lived blocks fragmented the heap to six times
    // the memory the records need (measured: 790 MB against 140 MB for 40,000 records).
    let mut inflater = flate2::Decompress::new(false);
    let mut compressed = Vec::new();
    let mut inflated = Vec::new();
    for index in 0..archive.len() {
        let mut entry = match archive.by_index_raw(index) {
            Ok(entry) => entry,
            Err(e) => {
                loaded.skip(&format!("entry {index}"), e);
                continue;
            }
        };
        let name = entry.name().map(|n| n.to_string()).unwrap_or_default();
        if !entry.is_file() || !name.ends_with(".json") {
            continue;
        }
        // The declared size is checked first so that a huge entry is not inflated at all; the
        // bytes actually read are bounded again in `take_record` (a header can lie).
        if entry.size() > limits.record_bytes {
            loaded.skip(&name, format!("larger than {} bytes", limits.record_bytes));
            continue;
        }
        let method = entry.compression();
        let expected_crc = entry.crc32();
        compressed.clear();
        // Deflate never shrinks a stream by less than this, so the bound holds for both methods.
        let read = (&mut entry)
            .take(limits.record_bytes + 1024)
            .read_to_end(&mut compressed);
        drop(entry);
        let bytes = match (read, method) {
            (Err(e), _) => Err(e),
            (Ok(_), zip::CompressionMethod::Stored) => Ok(&compressed[..]),
            (Ok(_), zip::CompressionMethod::Deflated) => inflate(
                &mut inflater,
                &compressed,
                &mut inflated,
                limits.record_bytes,
            )
            .map(|()| &inflated[..]),
            (Ok(_), other) => Err(std::io::Error::other(format!(
                "compression method {other:?} is not read (OSV's export is deflated)"
            ))),
        };
        // NOTE: reading raw entries skips the zip crate's CRC-32 check, so it is done here. A
        // mismatch means the archive was altered or damaged in transit (a record that still
        // parses could hold wrong versions): the whole archive is refused, not the record.
        // A record past the size limit was cut short on purpose and is skipped below instead.
        if let Ok(bytes) = &bytes
            && bytes.len() as u64 <= limits.record_bytes
        {
            let mut crc = flate2::Crc::new();
            crc.update(bytes);
            if crc.sum() != expected_crc {
                return Err(error(format!(
                    "{what}: {name}: CRC-32 {:08x} where the archive says {expected_crc:08x}: the \
                     archive is corrupted (a damaged or altered download): refused",
                    crc.sum()
                )));
            }
        }
        loaded.take_bytes(&name, bytes, &mut total, what, limits)?;
    }
    if loaded.records.is_empty() {
        return Err(error(match loaded.problems.first() {
            Some(first) => format!("{what}: no valid OSV record ({first})"),
            None => format!("{what}: no OSV records (*.json) in the archive"),
        }));
    }
    Ok(loaded)
}

/// Inflate one raw deflate stream into `out` (cleared first), stopping past `limit` bytes (the
/// caller sees a record larger than the limit and skips it).
fn inflate(
    inflater: &mut flate2::Decompress,
    input: &[u8],
    out: &mut Vec<u8>,
    limit: u64,
) -> std::io::Result<()> {
    inflater.reset(false);
    out.clear();
    loop {
        if out.len() as u64 > limit {
            return Ok(());
        }
        if out.capacity() - out.len() < 4096 {
            out.reserve(out.capacity().max(4096));
        }
        let (before_in, before_out) = (inflater.total_in(), out.len());
        let consumed = usize::try_from(before_in).unwrap_or(usize::MAX);
        let status = inflater
            .decompress_vec(
                input.get(consumed..).unwrap_or_default(),
                out,
                flate2::FlushDecompress::Finish,
            )
            .map_err(std::io::Error::other)?;
        if status == flate2::Status::StreamEnd {
            return Ok(());
        }
        if inflater.total_in() == before_in && out.len() == before_out {
            return Err(std::io::Error::other("truncated deflate stream"));
        }
    }
}

/// Every `.json` record under a directory (bounded depth: OSV exports are flat), with the
/// bounds and the skipping of `read_zip`.
fn read_directory(root: &Path, limits: &Limits) -> Result<Loaded, AdvisoryError> {
    let what = root.display().to_string();
    let mut loaded = Loaded::default();
    let mut total = 0u64;
    let mut seen = 0usize;
    let mut stack = vec![(root.to_path_buf(), 0)];
    while let Some((dir, depth)) = stack.pop() {
        let entries = std::fs::read_dir(&dir)
            .map_err(|e| error(format!("cannot read {}: {e}", dir.display())))?;
        let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
        paths.sort();
        for path in paths {
            if path.is_dir() {
                if depth < 4 {
                    stack.push((path, depth + 1));
                }
                continue;
            }
            if path.extension().is_none_or(|e| e != "json") {
                continue;
            }
            seen += 1;
            if seen > limits.records {
                return Err(error(format!(
                    "{what}: more than the {} records an advisory database may hold",
                    limits.records
                )));
            }
            let name = path.display().to_string();
            match std::fs::File::open(&path) {
                Ok(file) => loaded.take_record(&name, file, &mut total, &what, limits)?,
                Err(e) => loaded.skip(&name, e),
            }
        }
    }
    if loaded.records.is_empty() {
        return Err(error(match loaded.problems.first() {
            Some(first) => format!("{what}: no valid OSV record ({first})"),
            None => format!("{what}: no OSV records (*.json)"),
        }));
    }
    Ok(loaded)
}

/// Records grouped by the PyPI packages they name (a record naming two packages is kept
/// under each, cut down to that package's entries). Withdrawn records are dropped here.
fn by_package(records: Vec<Advisory>) -> HashMap<String, Vec<Advisory>> {
    let mut map: HashMap<String, Vec<Advisory>> = HashMap::new();
    for record in records {
        if is_withdrawn(&record) {
            continue;
        }
        let mut packages = record.pypi_packages();
        if packages.len() == 1 {
            let name = packages.remove(0);
            map.entry(name).or_default().push(record);
            continue;
        }
        for name in &packages {
            map.entry(name.clone())
                .or_default()
                .push(record.for_package(name));
        }
    }
    for list in map.values_mut() {
        list.sort_by(|a, b| a.id.cmp(&b.id));
    }
    map
}

fn is_withdrawn(record: &Advisory) -> bool {
    record
        .withdrawn
        .as_deref()
        .is_some_and(|w| !w.trim().is_empty())
}

/// Store `records` as the compact cache at `dest`, atomically: written into a sibling
/// directory, then swapped in by renames, so a reader sees the old cache or the new one.
pub fn store_cache(
    records: Vec<Advisory>,
    dest: &Path,
    date: &str,
    source: &str,
) -> Result<Meta, AdvisoryError> {
    let parent = dest
        .parent()
        .ok_or_else(|| error(format!("{} has no parent directory", dest.display())))?;
    std::fs::create_dir_all(parent)
        .map_err(|e| error(format!("cannot create {}: {e}", parent.display())))?;
    let staging = tempfile::Builder::new()
        .prefix(".osv-pypi-new-")
        .tempdir_in(parent)
        .map_err(|e| {
            error(format!(
                "cannot create a directory in {}: {e}",
                parent.display()
            ))
        })?;
    let packages_dir = staging.path().join(PACKAGES_DIR);
    std::fs::create_dir(&packages_dir)
        .map_err(|e| error(format!("cannot create {}: {e}", packages_dir.display())))?;
    let by_package = by_package(records);
    let advisories = by_package
        .values()
        .flatten()
        .map(|a| a.id.as_str())
        .collect::<BTreeSet<_>>()
        .len();
    let mut packages = 0;
    for (name, list) in &by_package {
        let Some(file) = package_file(&packages_dir, name) else {
            continue;
        };
        let json = serde_json::to_string(list).map_err(|e| error(e.to_string()))?;
        std::fs::write(&file, json)
            .map_err(|e| error(format!("cannot write {}: {e}", file.display())))?;
        packages += 1;
    }
    let meta = Meta {
        format: CACHE_FORMAT,
        date: date.to_string(),
        source: source.to_string(),
        advisories,
        packages,
    };
    let meta_json = serde_json::to_string_pretty(&meta).map_err(|e| error(e.to_string()))?;
    std::fs::write(staging.path().join(META_FILE), meta_json + "\n")
        .map_err(|e| error(format!("cannot write the cache's {META_FILE}: {e}")))?;

    let staged = staging.keep();
    let old = parent.join(format!(".osv-pypi-old-{}", std::process::id()));
    let had_old = dest.exists();
    if had_old {
        std::fs::rename(dest, &old)
            .map_err(|e| error(format!("cannot move the old cache aside: {e}")))?;
    }
    if let Err(e) = std::fs::rename(&staged, dest) {
        if had_old {
            let _ = std::fs::rename(&old, dest);
        }
        let _ = std::fs::remove_dir_all(&staged);
        return Err(error(format!("cannot put the new cache in place: {e}")));
    }
    if had_old {
        let _ = std::fs::remove_dir_all(&old);
    }
    Ok(meta)
}

/// The compact cache's directory: `HARDEN_CACHE_DIR`, else the user cache directory
/// (`$XDG_CACHE_HOME` or `~/.cache` on Linux, `~/Library/Caches` on macOS, `%LOCALAPPDATA%`
/// on Windows), then `harden/osv-pypi`.
pub fn cache_dir() -> Option<PathBuf> {
    let root = std::env::var_os("HARDEN_CACHE_DIR")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| dirs::cache_dir().map(|d| d.join("harden")))?;
    Some(root.join("osv-pypi"))
}

/// The cache's metadata, when a cache exists.
pub fn cache_meta(dir: &Path) -> Result<Meta, AdvisoryError> {
    read_meta(dir)
}

/// The check that reads the database.
pub const CHECK: &str = "deps-known-vulnerable";

/// Choose the database of a run and say in `notes` what the summary must tell: that the check
/// did not run (no database, or one that cannot be read), or that its data is old. The chosen
/// path goes to the check as its `database` parameter (emptied when there is none).
/// Order: `--advisories`, `HARDEN_ADVISORIES`, the `database` parameter (relative to the
/// project root), the cache of `harden advisories update`.
pub fn plan(
    root: &Path,
    cli: Option<&Path>,
    params: &mut serde_json::Map<String, serde_json::Value>,
    max_age_default: i64,
) -> Vec<String> {
    let configured = params
        .get("database")
        .and_then(|v| v.as_str())
        .filter(|p| !p.is_empty())
        .map(|p| root.join(p));
    let env = std::env::var_os("HARDEN_ADVISORIES")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from);
    let cache = cache_dir().filter(|dir| dir.join(META_FILE).is_file());
    let chosen = cli.map(Path::to_path_buf).or(env).or(configured).or(cache);
    params.insert("database".into(), serde_json::Value::from(""));
    let Some(path) = chosen else {
        return vec![format!(
            "note: {CHECK} did not run: no advisory database. `harden advisories update` downloads \
             OSV's PyPI advisories (the one command that uses the network); or pass \
             `--advisories PATH` (OSV's all.zip or a directory of OSV records) or set HARDEN_ADVISORIES"
        )];
    };
    let database = match Database::open_shared(&path) {
        Ok(database) => database,
        Err(e) => return vec![format!("note: {CHECK} did not run: {e}")],
    };
    params.insert(
        "database".into(),
        serde_json::Value::from(path.display().to_string()),
    );
    let max_age = params
        .get("max-age-days")
        .and_then(serde_json::Value::as_i64)
        .unwrap_or(max_age_default);
    let mut notes: Vec<String> = database.skipped.iter().cloned().collect();
    if let Some(date) = &database.date
        && let Some(age) = days_between(date, &today())
        && age > max_age
    {
        notes.push(format!(
            "warning: the advisory database {} is {age} days old (from {date}, more than {max_age}): \
             run `harden advisories update`",
            path.display()
        ));
    }
    notes
}

/// One vulnerability affecting a version: an advisory family (records that alias each
/// other), its ids, summary, first fixed version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vulnerability {
    /// PYSEC- first, then GHSA-, then CVE-, then the rest; each once.
    pub ids: Vec<String>,
    pub summary: Option<String>,
    /// The smallest version above the judged one that fixes it, when one is known.
    pub fixed: Option<Version>,
    /// An advisory of the family rates it critical.
    pub critical: bool,
}

/// What affects one pinned version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub vulnerabilities: Vec<Vulnerability>,
    /// The smallest version that no advisory of the package affects, above the judged one,
    /// reached by stepping through fixed versions; `None` when some vulnerability has no fix.
    pub fix: Option<Version>,
}

/// Judge `version` of a package against its advisories (`None`: nothing affects it).
pub fn judge(advisories: &[Advisory], version: &Version) -> Option<Verdict> {
    let matched: Vec<(&Advisory, Option<Version>)> = advisories
        .iter()
        .filter(|a| !is_withdrawn(a))
        .filter_map(|a| affects(a, version).map(|fixed| (a, fixed)))
        .collect();
    if matched.is_empty() {
        return None;
    }
    let vulnerabilities = families(&matched);
    let fix = if vulnerabilities.iter().all(|v| v.fixed.is_some()) {
        let start = vulnerabilities.iter().filter_map(|v| v.fixed.clone()).max();
        start.and_then(|start| first_clean(advisories, start))
    } else {
        None
    };
    Some(Verdict {
        vulnerabilities,
        fix,
    })
}

/// From `candidate` up, step past every advisory that still affects it (bounded by the
/// number of advisories: each step moves strictly up to a fixed version).
fn first_clean(advisories: &[Advisory], mut candidate: Version) -> Option<Version> {
    for _ in 0..=advisories.len() {
        let still = advisories
            .iter()
            .filter(|a| !is_withdrawn(a))
            .find_map(|a| affects(a, &candidate));
        match still {
            None => return Some(candidate),
            Some(Some(next)) if next > candidate => candidate = next,
            Some(_) => return None,
        }
    }
    None
}

/// Whether `advisory` affects `version`: `Some(first fixed version above it, if known)`.
fn affects(advisory: &Advisory, version: &Version) -> Option<Option<Version>> {
    let mut hit = false;
    let mut fixed: Option<Version> = None;
    for affected in advisory.affected.iter().filter(|a| a.package.is_pypi()) {
        if affected
            .versions
            .iter()
            .filter_map(|v| Version::from_str(v.trim()).ok())
            .any(|v| v == *version)
        {
            hit = true;
        }
        for range in &affected.ranges {
            if let Some(next) = range_affects(range, version) {
                hit = true;
                if let Some(next) = next {
                    fixed = Some(fixed.map_or(next.clone(), |f: Version| f.min(next)));
                }
            }
        }
    }
    hit.then_some(fixed)
}

/// One event of a range, with its version parsed.
enum Point {
    Introduced(Version),
    Fixed(Version),
    LastAffected(Version),
    Limit(Version),
}

impl Point {
    fn version(&self) -> &Version {
        match self {
            Self::Introduced(v) | Self::Fixed(v) | Self::LastAffected(v) | Self::Limit(v) => v,
        }
    }
}

/// An `ECOSYSTEM` range over PEP 440 versions, evaluated as the OSV schema says: events in
/// version order, `introduced` opens, `fixed` (at or above) and `last_affected` (above) close,
/// and nothing at or above a `limit` is affected. `Some(first fixed above version)` when the
/// range affects it. Events whose version does not parse are skipped; other range types
/// (`GIT`, `SEMVER`) do not apply to PyPI versions.
fn range_affects(range: &AffectedRange, version: &Version) -> Option<Option<Version>> {
    if !range.kind.eq_ignore_ascii_case("ECOSYSTEM") {
        return None;
    }
    let parse = |s: &str| Version::from_str(s.trim()).ok();
    let mut points: Vec<Point> = range
        .events
        .iter()
        .filter_map(|e| {
            if let Some(v) = &e.introduced {
                parse(v).map(Point::Introduced)
            } else if let Some(v) = &e.fixed {
                parse(v).map(Point::Fixed)
            } else if let Some(v) = &e.last_affected {
                parse(v).map(Point::LastAffected)
            } else {
                e.limit.as_deref().and_then(parse).map(Point::Limit)
            }
        })
        .collect();
    // Stable: at one version, events keep the order written (introduced before fixed).
    points.sort_by(|a, b| a.version().cmp(b.version()));
    if points
        .iter()
        .any(|p| matches!(p, Point::Limit(limit) if version >= limit))
    {
        return None;
    }
    let mut affected = false;
    for point in &points {
        match point {
            Point::Introduced(v) if version >= v => affected = true,
            Point::Fixed(v) if version >= v => affected = false,
            Point::LastAffected(v) if version > v => affected = false,
            _ => {}
        }
    }
    if !affected {
        return None;
    }
    let next_fixed = points.iter().find_map(|p| match p {
        Point::Fixed(v) if v > version => Some(v.clone()),
        _ => None,
    });
    Some(next_fixed)
}

/// Group matched records whose ids or aliases meet into families.
fn families(matched: &[(&Advisory, Option<Version>)]) -> Vec<Vulnerability> {
    // Each group: the ids it holds and the indices of its records.
    let mut groups: Vec<(BTreeSet<String>, Vec<usize>)> = Vec::new();
    for (index, (advisory, _)) in matched.iter().enumerate() {
        let ids: BTreeSet<String> = std::iter::once(advisory.id.clone())
            .chain(advisory.aliases.iter().cloned())
            .collect();
        let mut merged = (ids, vec![index]);
        let mut kept = Vec::new();
        for group in groups.drain(..) {
            if group.0.is_disjoint(&merged.0) {
                kept.push(group);
            } else {
                merged.0.extend(group.0);
                merged.1.extend(group.1);
            }
        }
        kept.push(merged);
        groups = kept;
    }
    let mut out: Vec<Vulnerability> = groups
        .into_iter()
        .map(|(ids, members)| {
            let mut ids: Vec<String> = ids.into_iter().collect();
            ids.sort_by_key(|id| (id_rank(id), id.clone()));
            let records: Vec<&(&Advisory, Option<Version>)> =
                members.iter().map(|i| &matched[*i]).collect();
            // GitHub's summaries are written for people; PYSEC's are often absent.
            let summary = records
                .iter()
                .find_map(|(a, _)| a.summary.as_deref().filter(|s| !s.trim().is_empty()))
                .map(|s| s.trim().to_string());
            let summary = records
                .iter()
                .find(|(a, _)| a.id.starts_with("GHSA-"))
                .and_then(|(a, _)| a.summary.as_deref())
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .or(summary);
            // Records of one family describe one flaw; where they disagree on the fix, the
            // later fixed version satisfies them all.
            let fixed = records.iter().filter_map(|(_, f)| f.clone()).max();
            let critical = records.iter().any(|(a, _)| is_critical(a));
            Vulnerability {
                ids,
                summary,
                fixed,
                critical,
            }
        })
        .collect();
    out.sort_by(|a, b| a.ids.cmp(&b.ids));
    out
}

fn id_rank(id: &str) -> u8 {
    if id.starts_with("PYSEC-") {
        0
    } else if id.starts_with("GHSA-") {
        1
    } else if id.starts_with("CVE-") {
        2
    } else {
        3
    }
}

/// Critical by GitHub's qualitative rating, or by a CVSS v3 base score of 9.0 or more.
fn is_critical(advisory: &Advisory) -> bool {
    let rated = advisory
        .database_specific
        .as_ref()
        .and_then(|d| d.severity.as_deref())
        .is_some_and(|s| s.eq_ignore_ascii_case("critical"));
    rated
        || advisory
            .severity
            .iter()
            .filter(|s| s.kind.eq_ignore_ascii_case("CVSS_V3"))
            .filter_map(|s| cvss3_base_score(&s.score))
            .any(|score| score >= 9.0)
}

/// The CVSS v3.x base score of a vector (`CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H`), by
/// the specification's formulas (first.org/cvss/v3.1/specification-document, section 7.1).
/// Hand-written: a dozen lines of arithmetic, against a crate for one number.
pub fn cvss3_base_score(vector: &str) -> Option<f64> {
    let mut metric = HashMap::new();
    for part in vector.split('/').skip(1) {
        let (key, value) = part.split_once(':')?;
        metric.insert(key, value);
    }
    let get = |key: &str| metric.get(key).copied();
    let changed = get("S")? == "C";
    let av = match get("AV")? {
        "N" => 0.85,
        "A" => 0.62,
        "L" => 0.55,
        "P" => 0.2,
        _ => return None,
    };
    let ac = match get("AC")? {
        "L" => 0.77,
        "H" => 0.44,
        _ => return None,
    };
    let pr = match (get("PR")?, changed) {
        ("N", _) => 0.85,
        ("L", false) => 0.62,
        ("L", true) => 0.68,
        ("H", false) => 0.27,
        ("H", true) => 0.5,
        _ => return None,
    };
    let ui = match get("UI")? {
        "N" => 0.85,
        "R" => 0.62,
        _ => return None,
    };
    let cia = |key: &str| match get(key)? {
        "H" => Some(0.56),
        "L" => Some(0.22),
        "N" => Some(0.0),
        _ => None,
    };
    let iss = 1.0 - (1.0 - cia("C")?) * (1.0 - cia("I")?) * (1.0 - cia("A")?);
    let impact = if changed {
        7.52 * (iss - 0.029) - 3.25 * (iss - 0.02_f64).powi(15)
    } else {
        6.42 * iss
    };
    if impact <= 0.0 {
        return Some(0.0);
    }
    let exploitability = 8.22 * av * ac * pr * ui;
    let raw = if changed {
        (1.08 * (impact + exploitability)).min(10.0)
    } else {
        (impact + exploitability).min(10.0)
    };
    // Round up to one decimal, as the specification's Roundup does.
    Some((raw * 10.0 - 1e-9).ceil() / 10.0)
}

/// Today (UTC) as YYYY-MM-DD: `HARDEN_TODAY` when set, else the system clock.
pub fn today() -> String {
    std::env::var("HARDEN_TODAY")
        .ok()
        .filter(|t| parse_date(t).is_some())
        .unwrap_or_else(|| {
            let days = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() / 86_400) as i64;
            civil_date(days)
        })
}

/// Days from `from` to `to` (both YYYY-MM-DD).
pub fn days_between(from: &str, to: &str) -> Option<i64> {
    Some(parse_date(to)? - parse_date(from)?)
}

/// Days since 1970-01-01 of a YYYY-MM-DD date (Howard Hinnant's days_from_civil).
fn parse_date(date: &str) -> Option<i64> {
    let mut parts = date.get(..10)?.split('-');
    let year: i64 = parts.next()?.parse().ok()?;
    let month: i64 = parts.next()?.parse().ok()?;
    let day: i64 = parts.next()?.parse().ok()?;
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// The YYYY-MM-DD date `days` after 1970-01-01.
fn civil_date(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::osv::{Affected, Event, Package};

    fn v(s: &str) -> Version {
        Version::from_str(s).unwrap()
    }

    fn event(kind: &str, version: &str) -> Event {
        let mut e = Event::default();
        let value = Some(version.to_string());
        match kind {
            "introduced" => e.introduced = value,
            "fixed" => e.fixed = value,
            "last_affected" => e.last_affected = value,
            _ => e.limit = value,
        }
        e
    }

    fn advisory(
        id: &str,
        aliases: &[&str],
        events: &[(&str, &str)],
        versions: &[&str],
    ) -> Advisory {
        Advisory {
            id: id.to_string(),
            aliases: aliases.iter().map(|s| s.to_string()).collect(),
            summary: Some(format!("summary of {id}")),
            affected: vec![Affected {
                package: Package {
                    ecosystem: "PyPI".into(),
                    name: "pkg".into(),
                },
                ranges: if events.is_empty() {
                    Vec::new()
                } else {
                    vec![AffectedRange {
                        kind: "ECOSYSTEM".into(),
                        events: events.iter().map(|(k, ver)| event(k, ver)).collect(),
                    }]
                },
                versions: versions.iter().map(|s| s.to_string()).collect(),
            }],
            ..Advisory::default()
        }
    }

    #[test]
    fn ranges_follow_pep440_order() {
        let a = advisory("A", &[], &[("introduced", "0"), ("fixed", "2.0")], &[]);
        for (version, affected) in [
            ("1.9", true),
            ("2.0rc1", true),
            ("2.0.dev1", true),
            ("2.0", false),
            ("2.0.post1", false),
            ("1.9+local", true),
            ("2.0+local", false),
        ] {
            assert_eq!(affects(&a, &v(version)).is_some(), affected, "{version}");
        }
    }

    #[test]
    fn several_intervals_last_affected_and_limit() {
        let a = advisory(
            "A",
            &[],
            &[
                ("introduced", "1.0"),
                ("fixed", "1.5"),
                ("introduced", "2.0"),
                ("last_affected", "2.3"),
            ],
            &[],
        );
        assert!(affects(&a, &v("0.9")).is_none());
        assert_eq!(affects(&a, &v("1.2")), Some(Some(v("1.5"))));
        assert!(affects(&a, &v("1.7")).is_none());
        assert_eq!(affects(&a, &v("2.3")), Some(None));
        assert!(affects(&a, &v("2.3.1")).is_none());
        let limited = advisory("B", &[], &[("introduced", "0"), ("limit", "3.0")], &[]);
        assert!(affects(&limited, &v("2.9")).is_some());
        assert!(affects(&limited, &v("3.0")).is_none());
    }

    #[test]
    fn versions_lists_compare_as_pep440() {
        let a = advisory("A", &[], &[], &["1.0", "1.1"]);
        assert!(affects(&a, &v("1.0.0")).is_some());
        assert!(affects(&a, &v("1.2")).is_none());
    }

    #[test]
    fn aliases_make_one_family_and_the_fix_clears_every_advisory() {
        let advisories = vec![
            advisory(
                "PYSEC-1",
                &["CVE-1", "GHSA-1"],
                &[("introduced", "0"), ("fixed", "1.2")],
                &[],
            ),
            advisory(
                "GHSA-1",
                &["CVE-1"],
                &[("introduced", "0"), ("fixed", "1.3")],
                &[],
            ),
            advisory(
                "GHSA-2",
                &[],
                &[("introduced", "1.0"), ("fixed", "1.1")],
                &[],
            ),
            // Affects what the first fixes point at: the fix must step past it.
            advisory(
                "GHSA-3",
                &[],
                &[("introduced", "1.3"), ("fixed", "1.4")],
                &[],
            ),
            Advisory {
                withdrawn: Some("2024-01-01T00:00:00Z".into()),
                ..advisory("GHSA-4", &[], &[("introduced", "0")], &[])
            },
        ];
        let verdict = judge(&advisories, &v("1.0")).unwrap();
        assert_eq!(verdict.vulnerabilities.len(), 2);
        assert_eq!(verdict.vulnerabilities[0].ids, ["GHSA-2"]);
        assert_eq!(
            verdict.vulnerabilities[1].ids,
            ["PYSEC-1", "GHSA-1", "CVE-1"]
        );
        assert_eq!(verdict.vulnerabilities[1].fixed, Some(v("1.3")));
        assert_eq!(verdict.fix, Some(v("1.4")));
        assert!(judge(&advisories, &v("1.4")).is_none());
    }

    #[test]
    fn no_fix_when_one_vulnerability_has_none() {
        let advisories = vec![
            advisory("A", &[], &[("introduced", "0"), ("fixed", "2.0")], &[]),
            advisory(
                "B",
                &[],
                &[("introduced", "0"), ("last_affected", "3.0")],
                &[],
            ),
        ];
        assert_eq!(judge(&advisories, &v("1.0")).unwrap().fix, None);
    }

    #[test]
    fn cvss_scores() {
        assert_eq!(
            cvss3_base_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"),
            Some(9.8)
        );
        assert_eq!(
            cvss3_base_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N"),
            Some(6.1)
        );
        assert_eq!(
            cvss3_base_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N"),
            Some(0.0)
        );
        assert_eq!(cvss3_base_score("garbage"), None);
    }

    /// A zip of `(name, bytes)` entries, deflated.
    fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
        use std::io::Write;
        let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for (name, bytes) in entries {
            writer
                .start_file(*name, zip::write::SimpleFileOptions::default())
                .unwrap();
            writer.write_all(bytes).unwrap();
        }
        writer.finish().unwrap().into_inner()
    }

    const RECORD: &str =
        r#"{"id": "PYSEC-1", "affected": [{"package": {"ecosystem": "PyPI", "name": "pkg"}}]}"#;

    #[test]
    fn a_bad_record_is_skipped_and_counted_and_the_rest_is_read() {
        let bytes = zip_of(&[
            ("PYSEC-1.json", RECORD.as_bytes()),
            ("broken.json", b"{\"id\": "),
            ("latin1.json", b"\xff\xfe"),
            ("README.txt", b"not a record"),
        ]);
        let loaded = read_zip(std::io::Cursor::new(bytes), "all.zip").unwrap();
        assert_eq!(loaded.records.len(), 1);
        assert_eq!(loaded.skipped, 2);
        let note = loaded.skipped_note("all.zip").unwrap();
        assert!(
            note.contains("2 record(s) skipped (broken.json: not an OSV record"),
            "{note}"
        );
        assert!(note.contains("latin1.json: not UTF-8"), "{note}");
        // Nothing valid at all is an error that names the first problem.
        let only_bad = zip_of(&[("broken.json", b"[]")]);
        let err = read_zip(std::io::Cursor::new(only_bad), "all.zip").unwrap_err();
        assert!(err.0.contains("no valid OSV record (broken.json"), "{err}");
    }

    #[test]
    fn a_corrupted_archive_is_refused_by_its_crc() {
        use std::io::Write;
        // Stored (not deflated), so that one changed byte still inflates and parses: only the
        // CRC-32 tells the altered record from the real one.
        let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        writer.start_file("PYSEC-1.json", stored).unwrap();
        writer.write_all(RECORD.as_bytes()).unwrap();
        let mut bytes = writer.finish().unwrap().into_inner();
        assert!(read_zip(std::io::Cursor::new(bytes.clone()), "all.zip").is_ok());
        let at = bytes
            .windows(5)
            .position(|w| w == b"\"pkg\"")
            .expect("the stored record");
        bytes[at + 3] = b'h';
        let err = read_zip(std::io::Cursor::new(bytes), "all.zip").unwrap_err();
        assert!(err.0.contains("PYSEC-1.json: CRC-32"), "{err}");
        assert!(err.0.contains("corrupted"), "{err}");
        // A deflated archive with a flipped byte is refused too, by the CRC or the inflater.
        let mut deflated = zip_of(&[("PYSEC-1.json", RECORD.as_bytes())]);
        let data = 30 + "PYSEC-1.json".len();
        deflated[data + 4] ^= 0x40;
        // (the one record is then refused or skipped, and an archive of none is an error)
        assert!(read_zip(std::io::Cursor::new(deflated), "all.zip").is_err());
    }

    #[test]
    fn hostile_archives_cost_bounded_work() {
        let limits = Limits {
            records: 3,
            record_bytes: 1_000,
            total_bytes: 2_500,
        };
        // A record that inflates past the per-record bound is skipped (it compresses to a
        // few bytes: a zip bomb in miniature).
        let bomb = vec![b' '; 50_000];
        let bytes = zip_of(&[("PYSEC-1.json", RECORD.as_bytes()), ("bomb.json", &bomb)]);
        let loaded = read_zip_within(std::io::Cursor::new(bytes), "z", &limits).unwrap();
        assert_eq!((loaded.records.len(), loaded.skipped), (1, 1));
        assert!(loaded.problems[0].contains("larger than 1000 bytes"));
        // Too many entries: refused before any is read.
        let many: Vec<(String, &[u8])> = (0..4)
            .map(|i| (format!("{i}.json"), RECORD.as_bytes()))
            .collect();
        let many: Vec<(&str, &[u8])> = many.iter().map(|(n, b)| (n.as_str(), *b)).collect();
        let err = read_zip_within(std::io::Cursor::new(zip_of(&many)), "z", &limits).unwrap_err();
        assert!(err.0.contains("4 entries, more than the 3"), "{err}");
        // Past the total: refused.
        let padded = format!("{RECORD}{}", " ".repeat(900));
        let big: Vec<(String, &[u8])> = (0..3)
            .map(|i| (format!("{i}.json"), padded.as_bytes()))
            .collect();
        let big: Vec<(&str, &[u8])> = big.iter().map(|(n, b)| (n.as_str(), *b)).collect();
        let err = read_zip_within(std::io::Cursor::new(zip_of(&big)), "z", &limits).unwrap_err();
        assert!(err.0.contains("more than 2500 bytes"), "{err}");
    }

    #[test]
    fn a_directory_skips_what_is_not_osv() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("PYSEC-1.json"), RECORD).unwrap();
        std::fs::write(dir.path().join("bad.json"), "{").unwrap();
        let db = Database::open(dir.path()).unwrap();
        assert_eq!(db.count, 1);
        assert_eq!(db.advisories("pkg").len(), 1);
        assert!(
            db.skipped
                .as_deref()
                .unwrap()
                .contains("1 record(s) skipped")
        );
    }

    #[test]
    fn an_unreadable_cache_file_is_remembered() {
        let dir = tempfile::tempdir().unwrap();
        let cache = dir.path().join("osv-pypi");
        let records = vec![Advisory::parse(RECORD).unwrap()];
        store_cache(records, &cache, "2099-01-01", "test").unwrap();
        std::fs::write(cache.join("packages/pkg.json"), "{not json").unwrap();
        let db = Database::open(&cache).unwrap();
        assert!(db.advisories("pkg").is_empty());
        let problems = db.unreadable.lock().unwrap().clone();
        assert_eq!(problems.len(), 1);
        assert!(problems[0].contains("pkg.json"), "{problems:?}");
    }

    #[test]
    fn dates() {
        assert_eq!(parse_date("1970-01-01"), Some(0));
        assert_eq!(civil_date(parse_date("2026-03-01").unwrap()), "2026-03-01");
        assert_eq!(days_between("2026-02-27", "2026-03-06"), Some(7));
    }
}
