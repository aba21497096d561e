//! `harden advisories update | status`: the OSV database that `deps-known-vulnerable` reads.
//! `update` is the one place harden uses the network: it downloads OSV's PyPI export, checks
//! that every record in it is OSV, and stores the compact cache atomically with the date.

use std::io::Cursor;

use crate::advisories::{self, Database};
use crate::cli::{AdvisoriesArgs, AdvisoriesCommand};
use crate::{Error, Outcome};

/// The largest archive accepted (OSV's PyPI export is tens of megabytes).
const MAX_DOWNLOAD: u64 = 1 << 30;

pub fn run(args: &AdvisoriesArgs) -> Result<Outcome, Error> {
    let dir = advisories::cache_dir().ok_or_else(|| {
        Error::Usage("no user cache directory on this system: set HARDEN_CACHE_DIR".to_string())
    })?;
    match &args.command {
        AdvisoriesCommand::Update { url } => {
            eprintln!("harden: downloading {url}");
            let bytes = download(url)?;
            let loaded = advisories::read_zip(Cursor::new(bytes), url)
                .map_err(|e| Error::Io(format!("the download is not OSV's export: {e}")))?;
            // A few odd records are OSV's to fix and are skipped; an archive that is mostly
            // not OSV is not its export, and the cache stays as it was.
            if loaded.skipped > loaded.records.len() {
                return Err(Error::Io(format!(
                    "the download is not OSV's export: {} of {} records are not OSV ({})",
                    loaded.skipped,
                    loaded.skipped + loaded.records.len(),
                    loaded.problems.join("; ")
                )));
            }
            if let Some(note) = loaded.skipped_note(url) {
                eprintln!("harden: {note}");
            }
            let meta = advisories::store_cache(loaded.records, &dir, &advisories::today(), url)
                .map_err(|e| Error::Io(e.to_string()))?;
            println!(
                "Stored {} advisories for {} packages in {} (downloaded {}).",
                meta.advisories,
                meta.packages,
                dir.display(),
                meta.date
            );
            Ok(Outcome::Clean)
        }
        AdvisoriesCommand::Status => {
            // The database a `check` here would read, as `check` chooses it (without a project).
            let chosen = std::env::var_os("HARDEN_ADVISORIES")
                .filter(|v| !v.is_empty())
                .map(std::path::PathBuf::from);
            let path = match chosen {
                Some(path) => path,
                None if dir.join("meta.json").is_file() => dir.clone(),
                None => {
                    println!(
                        "No advisory database: run `harden advisories update` (cache: {}).",
                        dir.display()
                    );
                    print_lifecycle_tables();
                    return Ok(Outcome::Findings);
                }
            };
            let database = Database::open(&path).map_err(|e| Error::Io(e.to_string()))?;
            let date = database.date.as_deref().unwrap_or("unknown");
            let age = database
                .date
                .as_deref()
                .and_then(|d| advisories::days_between(d, &advisories::today()))
                .map_or(String::new(), |days| format!(", {days} days old"));
            println!(
                "{}: {} advisories, downloaded {date}{age}.",
                path.display(),
                database.count
            );
            if let Some(note) = &database.skipped {
                println!("{note}");
            }
            print_lifecycle_tables();
            Ok(Outcome::Clean)
        }
    }
}

/// GET `url` over HTTPS (or HTTP, for a mirror or a test server) into memory.
fn download(url: &str) -> Result<Vec<u8>, Error> {
    let mut response = ureq::get(url)
        .call()
        .map_err(|e| Error::Io(format!("cannot download {url}: {e}")))?;
    response
        .body_mut()
        .with_config()
        .limit(MAX_DOWNLOAD)
        .read_to_vec()
        .map_err(|e| Error::Io(format!("cannot download {url}: {e}")))
}

/// The end-of-life checks and the tables of dates they judge with.
const LIFECYCLE_CHECKS: &[&str] = &[
    "django-eol-version",
    "docker-base-image-eol",
    "python-eol-version",
];

/// The lifecycle tables embedded in this harden: no public source of them is downloaded (the
/// dates come from the projects' release pages, checked when the tables were last edited), so
/// `status` says how old they are and what each holds.
fn print_lifecycle_tables() {
    let Ok(registry) = crate::checks::Registry::load(&[]) else {
        return;
    };
    println!(
        "End-of-life tables: embedded in harden {}, dates checked {} (upgrade harden to refresh \
         them, or override a check's table in harden.toml):",
        env!("CARGO_PKG_VERSION"),
        crate::checks::builtins::LIFECYCLE_CHECKED
    );
    for id in LIFECYCLE_CHECKS {
        let Some(check) = registry.get(id) else {
            continue;
        };
        let mut tables: Vec<String> = Vec::new();
        if let Some(eol) = check.params.get("eol").and_then(|v| v.as_object()) {
            tables.push(format!("{} series", eol.len()));
        }
        if let Some(images) = check.params.get("images").and_then(|v| v.as_object()) {
            tables.extend(images.iter().map(|(name, versions)| {
                format!("{name} {}", versions.as_object().map_or(0, |v| v.len()))
            }));
        }
        println!("  {id}: {}", tables.join(", "));
    }
}
