//! What `harden fix` promises about the files it writes, each shape from a hostile-input run:
//! a fix is kept only when its finding is gone, a broken file gets no fix, names that are not
//! UTF-8 are never rewritten under another name, patches apply with real git whatever the path
//! or BOM, new files follow the umask, a file's final-newline state, owner and concurrent edits
//! are kept, a refused write never stops the others, and temporary files are cleaned up.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::{DEMO_CHECK, harden_bin, project};

fn harden(dir: &Path, args: &[&str]) -> Output {
    // The umask is set explicitly: what new files get must not depend on the test runner's.
    let mut command = Command::new("sh");
    command
        .arg("-c")
        .arg("umask 022; exec \"$0\" \"$@\"")
        .arg(harden_bin())
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("HARDEN_CACHE_DIR", "/nonexistent/harden-test-cache")
        .env_remove("HARDEN_ADVISORIES");
    command.output().expect("run harden")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn git(dir: &Path, args: &[&str]) -> Output {
    Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .output()
        .expect("git")
}

fn read(dir: &Path, rel: &str) -> Vec<u8> {
    std::fs::read(dir.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

const SETTINGS: &str = "import os\n\nINSTALLED_APPS = [\"django.contrib.auth\"]\nMIDDLEWARE = [\"django.middleware.security.SecurityMiddleware\"]\nROOT_URLCONF = \"proj.urls\"\nDEBUG = False\nSECRET_KEY = os.environ[\"DJANGO_SECRET_KEY\"]\nALLOWED_HOSTS = [\"example.com\"]\n";

#[test]
fn a_file_that_does_not_parse_gets_no_fix() {
    let broken_settings = format!("{SETTINGS}X = f(\n");
    let dir = project(&[
        (
            "manage.py",
            "import os\nos.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"proj.settings\")\n",
        ),
        ("proj/settings.py", &broken_settings),
        ("proj/__init__.py", ""),
        (
            "Dockerfile",
            "FROM python:3.12-slim\nRUN <<EOF\napt-get update\n",
        ),
    ]);
    for _ in 0..2 {
        let output = harden(dir.path(), &["fix", "--yes", "--unsafe-fixes"]);
        assert_ne!(output.status.code(), Some(2), "{}", stderr(&output));
        assert_eq!(
            String::from_utf8(read(dir.path(), "proj/settings.py")).unwrap(),
            broken_settings,
            "{}",
            stderr(&output)
        );
        assert_eq!(
            read(dir.path(), "Dockerfile"),
            b"FROM python:3.12-slim\nRUN <<EOF\napt-get update\n"
        );
        assert!(
            stderr(&output).contains("does not parse"),
            "{}",
            stderr(&output)
        );
    }
}

/// A project check whose fix leaves its own finding in place (the replacement matches the
/// pattern again): applying it would change the file on every run.
const SELF_MATCHING_CHECK: &str = r#"id = "demo-slim"
title = "Image is not slim enough"
severity = "low"
kinds = ["dockerfile"]
message = "`{{ image }}` is not slim"
[docs]
why = "A test check whose fix cannot remove its own finding, for the fix-acceptance rule."
fix = "Appends -slim, which the pattern matches again."
[example.bad]
"Dockerfile" = "FROM python:3.12\n"
[example.good]
"Dockerfile" = "FROM alpine\n"
[match]
type = "regex"
pattern = '''^FROM\s+(?P<image>python:\S+)'''
span-group = "image"
replace = "{{ image }}-slim"
[fix]
applicability = "safe"
title = "Append -slim"
"#;

#[test]
fn a_fix_whose_finding_stays_is_not_applied() {
    let dir = project(&[
        (
            "harden.toml",
            "checks = [\"my-checks\"]\nselect = [\"demo\"]\n",
        ),
        ("my-checks/demo/slim.toml", SELF_MATCHING_CHECK),
        ("Dockerfile", "FROM python:3.12\n"),
    ]);
    for _ in 0..2 {
        let output = harden(dir.path(), &["fix", "--yes"]);
        assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
        assert_eq!(read(dir.path(), "Dockerfile"), b"FROM python:3.12\n");
        assert!(
            stderr(&output).contains("fixed 0 finding(s)")
                && stderr(&output).contains("its finding remains"),
            "{}",
            stderr(&output)
        );
    }
}

#[cfg(unix)]
#[test]
fn a_name_that_is_not_utf8_is_never_rewritten_under_another_name() {
    use std::os::unix::ffi::OsStrExt;
    let dir = project(&[("pyproject.toml", "[project]\nname = \"x\"\n")]);
    let name = std::ffi::OsStr::from_bytes(b"requirements\xfe.txt");
    std::fs::write(dir.path().join(name), "flask\n").unwrap();
    let output = harden(dir.path(), &["fix", "--yes", "--unsafe-fixes"]);
    assert_ne!(output.status.code(), Some(2), "{}", stderr(&output));
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let entry = entry.unwrap();
        assert!(
            !entry.file_name().to_string_lossy().contains('\u{FFFD}') || entry.file_name() == name,
            "a file named {:?} was written",
            entry.file_name()
        );
    }
    assert_eq!(std::fs::read(dir.path().join(name)).unwrap(), b"flask\n");
    // The file is reported, not silently ignored.
    let check = harden(dir.path(), &["check", "--format", "json"]);
    let out = String::from_utf8_lossy(&check.stdout);
    assert!(out.contains("not valid UTF-8"), "{out}");
}

#[test]
fn fix_diff_keeps_a_bom_in_context_and_git_applies_it() {
    let dir = project(&[
        (
            "harden.toml",
            "checks = [\"my-checks\"]\nselect = [\"demo\"]\n",
        ),
        ("my-checks/demo/debug-on.toml", DEMO_CHECK),
    ]);
    std::fs::write(
        dir.path().join("app.yml"),
        "\u{feff}settings:\n  web:\n    debug: on\n",
    )
    .unwrap();
    assert!(git(dir.path(), &["init", "-q"]).status.success());
    let output = harden(dir.path(), &["fix", "--diff"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    std::fs::write(dir.path().join("fix.patch"), &output.stdout).unwrap();
    let applied = git(dir.path(), &["apply", "fix.patch"]);
    assert!(
        applied.status.success(),
        "git apply refused the patch: {}\n{}",
        String::from_utf8_lossy(&applied.stderr),
        String::from_utf8_lossy(&output.stdout)
    );
    assert_eq!(
        read(dir.path(), "app.yml"),
        "\u{feff}settings:\n  web:\n    debug: off\n".as_bytes()
    );
}

#[cfg(unix)]
#[test]
fn new_files_follow_the_umask() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |path: &Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    // A fix that creates a file: .dockerignore beside a Dockerfile.
    let dir = project(&[(
        "Dockerfile",
        "FROM python:3.12-slim\nCOPY . /app\nUSER nobody\nCMD [\"python\", \"-m\", \"app\"]\n",
    )]);
    let patch = harden(
        dir.path(),
        &[
            "fix",
            "--diff",
            "--unsafe-fixes",
            "--select",
            "dockerignore",
        ],
    );
    let patch = String::from_utf8_lossy(&patch.stdout).into_owned();
    assert!(
        patch.contains("new file mode 100644"),
        "the test needs a fix that creates a file: {patch}"
    );
    let output = harden(
        dir.path(),
        &["fix", "--yes", "--unsafe-fixes", "--select", "dockerignore"],
    );
    assert_ne!(output.status.code(), Some(2), "{}", stderr(&output));
    assert_eq!(mode(&dir.path().join(".dockerignore")), 0o644);

    let scaffold = tempfile::tempdir().unwrap();
    let output = harden(
        scaffold.path(),
        &["init", "shop", "--framework", "django", "--docker", "--yes"],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let mut stack = vec![scaffold.path().join("shop")];
    let mut seen = 0;
    while let Some(path) = stack.pop() {
        for entry in std::fs::read_dir(&path).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_dir() {
                stack.push(entry.path());
            } else {
                seen += 1;
                let m = mode(&entry.path());
                assert!(
                    m == 0o644 || m == 0o755,
                    "{} is {m:o}",
                    entry.path().display()
                );
            }
        }
    }
    assert!(seen > 3);
}

#[test]
fn appending_keeps_a_missing_final_newline_missing() {
    // README: "Files are written ... keep their line endings, BOM, final-newline state".
    let dir = project(&[
        (".gitignore", "node_modules/"),
        (".env.example", "SECRET_KEY=\n"),
        ("requirements.txt", "flask==3.0.0\n"),
    ]);
    let output = harden(dir.path(), &["fix", "--yes", "--select", "gitignore"]);
    assert_ne!(output.status.code(), Some(2), "{}", stderr(&output));
    let fixed = String::from_utf8(read(dir.path(), ".gitignore")).unwrap();
    assert!(
        fixed.starts_with("node_modules/\n") && fixed.len() > "node_modules/\n".len(),
        "the test needs a fix that appends: {fixed:?}"
    );
    assert!(!fixed.ends_with('\n'), "{fixed:?}");
    // And the next run finds nothing more to do.
    let again = harden(dir.path(), &["fix", "--yes", "--select", "gitignore"]);
    assert_eq!(
        read(dir.path(), ".gitignore"),
        fixed.as_bytes(),
        "{}",
        stderr(&again)
    );
}

#[cfg(unix)]
#[test]
fn root_keeps_the_owner_of_a_rewritten_file() {
    use std::os::unix::fs::MetadataExt;
    // NOTE: only root can give a file away; elsewhere the rewrite is the user's own file and
    // the ownership question does not arise, so the test asserts what it can and says so.
    let dir = common::demo_project("settings:\n  web:\n    debug: on\n");
    let path = dir.path().join("app.yml");
    let is_root = std::fs::metadata("/proc/self")
        .map(|m| m.uid() == 0)
        .unwrap_or(false);
    if is_root {
        std::os::unix::fs::chown(&path, Some(1234), Some(2345)).unwrap();
    }
    let before = std::fs::metadata(&path).unwrap();
    let output = harden(dir.path(), &["fix", "--yes"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let after = std::fs::metadata(&path).unwrap();
    assert_eq!(
        read(dir.path(), "app.yml"),
        b"settings:\n  web:\n    debug: off\n"
    );
    assert_eq!((after.uid(), after.gid()), (before.uid(), before.gid()));
    assert!(
        is_root || std::env::var_os("CI").is_none(),
        "CI runs the tests as root so that the ownership branch is exercised"
    );
}

#[test]
fn a_write_is_checked_against_the_file_as_it_was_read() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("app.yml"), "debug: on\nextra: line\n").unwrap();
    let change = harden::fix::apply::FileChange {
        path: "app.yml".into(),
        old: Some("debug: on\n".into()),
        new: "debug: off\n".into(),
        bom: false,
    };
    let error = harden::fix::write::write_change(dir.path(), &change).unwrap_err();
    assert!(error.to_string().contains("changed since"), "{error}");
    assert_eq!(read(dir.path(), "app.yml"), b"debug: on\nextra: line\n");
    // A file that appeared where a fix creates one is not overwritten either.
    let create = harden::fix::apply::FileChange {
        path: "new.yml".into(),
        old: None,
        new: "a: 1\n".into(),
        bom: false,
    };
    std::fs::write(dir.path().join("new.yml"), "mine\n").unwrap();
    assert!(harden::fix::write::write_change(dir.path(), &create).is_err());
    assert_eq!(read(dir.path(), "new.yml"), b"mine\n");
}

#[cfg(unix)]
#[test]
fn a_refused_write_is_reported_and_the_run_goes_on() {
    let outside = tempfile::tempdir().unwrap();
    let dir = common::demo_project("settings:\n  web:\n    debug: on\n");
    // A symlinked .github: a fix that creates .github/dependabot.yml would write outside.
    std::os::unix::fs::symlink(outside.path(), dir.path().join(".github")).unwrap();
    std::fs::write(
        dir.path().join("harden.toml"),
        "checks = [\"my-checks\"]\nselect = [\"demo\", \"dependabot-missing\"]\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("requirements.txt"), "flask==3.0.0\n").unwrap();
    let output = harden(dir.path(), &["fix", "--yes", "--unsafe-fixes"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("outside the project"),
        "the test needs a refused write: {}",
        stderr(&output)
    );
    assert_eq!(
        read(dir.path(), "app.yml"),
        b"settings:\n  web:\n    debug: off\n"
    );
    assert_eq!(std::fs::read_dir(outside.path()).unwrap().count(), 0);
}

#[test]
fn temporary_files_are_named_so_the_next_run_removes_them() {
    let dir = common::demo_project("settings:\n  web:\n    debug: on\n");
    // What a run killed between writing and renaming leaves behind (no process has pid 999999999).
    std::fs::write(dir.path().join(".harden-tmp-999999999-abc123"), "half").unwrap();
    let output = harden(dir.path(), &["fix", "--yes"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names
            .iter()
            .all(|n| !n.starts_with(".harden-tmp-") && !n.starts_with(".tmp")),
        "{names:?}"
    );
}

#[cfg(unix)]
#[test]
fn patch_paths_are_quoted_as_git_quotes_them() {
    for dir_name in [
        "tab\there",
        "new\nline",
        "quo\"te",
        "caf\u{e9}",
        "back\\slash",
        "sp ace",
    ] {
        let dir = project(&[
            (
                "harden.toml",
                "checks = [\"my-checks\"]\nselect = [\"demo\"]\n",
            ),
            ("my-checks/demo/debug-on.toml", DEMO_CHECK),
            (
                &format!("{dir_name}/app.yml"),
                "settings:\n  web:\n    debug: on\n",
            ),
        ]);
        assert!(git(dir.path(), &["init", "-q"]).status.success());
        let output = harden(dir.path(), &["fix", "--diff"]);
        assert_eq!(
            output.status.code(),
            Some(1),
            "{dir_name:?}: {}",
            stderr(&output)
        );
        let patch = output.stdout;
        // What git itself writes for the same change, header for header.
        let ours: Vec<&[u8]> = patch
            .split(|&b| b == b'\n')
            .filter(|l| {
                l.starts_with(b"diff --git") || l.starts_with(b"--- ") || l.starts_with(b"+++ ")
            })
            .collect();
        std::fs::write(dir.path().join("fix.patch"), &patch).unwrap();
        let applied = git(dir.path(), &["apply", "fix.patch"]);
        assert!(
            applied.status.success(),
            "{dir_name:?}: git apply refused the patch: {}\n{}",
            String::from_utf8_lossy(&applied.stderr),
            String::from_utf8_lossy(&patch)
        );
        assert_eq!(
            read(dir.path(), &format!("{dir_name}/app.yml")),
            b"settings:\n  web:\n    debug: off\n"
        );
        assert!(git(dir.path(), &["add", "-N", "."]).status.success());
        std::fs::write(
            dir.path().join(format!("{dir_name}/app.yml")),
            "settings:\n  web:\n    debug: on\n",
        )
        .unwrap();
        assert!(git(dir.path(), &["add", "."]).status.success());
        std::fs::write(
            dir.path().join(format!("{dir_name}/app.yml")),
            "settings:\n  web:\n    debug: off\n",
        )
        .unwrap();
        let theirs = git(dir.path(), &["diff", "--", &format!("{dir_name}/app.yml")]).stdout;
        let theirs: Vec<&[u8]> = theirs
            .split(|&b| b == b'\n')
            .filter(|l| {
                l.starts_with(b"diff --git") || l.starts_with(b"--- ") || l.starts_with(b"+++ ")
            })
            .collect();
        assert_eq!(
            ours.iter()
                .map(|l| String::from_utf8_lossy(l))
                .collect::<Vec<_>>(),
            theirs
                .iter()
                .map(|l| String::from_utf8_lossy(l))
                .collect::<Vec<_>>(),
            "{dir_name:?}"
        );
    }
}

/// Every file under `dir`, directories included (relative paths), to show nothing was made.
fn entries(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(path) = stack.pop() {
        for entry in std::fs::read_dir(&path).unwrap().flatten() {
            let rel = entry
                .path()
                .strip_prefix(dir)
                .unwrap()
                .display()
                .to_string();
            if entry.file_type().unwrap().is_dir() {
                stack.push(entry.path());
            }
            out.push(rel);
        }
    }
    out.sort();
    out
}

#[cfg(unix)]
#[test]
fn init_writes_every_file_or_none() {
    // A file size limit of 2 KiB (which root obeys too, unlike permissions): the small files
    // init writes first fit and a later, longer one cannot be written. Init used to stop
    // there with the first files written: half a hardened project.
    let run = |dir: &Path, limit: &str| {
        Command::new("sh")
            .arg("-c")
            .arg(format!(
                "umask 022; {limit} exec \"$0\" init . --framework django --docker --ci github --yes --color never"
            ))
            .arg(harden_bin())
            .current_dir(dir)
            .stdin(std::process::Stdio::null())
            .output()
            .expect("run harden init")
    };
    let limited = tempfile::tempdir().unwrap();
    let output = run(limited.path(), "ulimit -f 4; trap '' XFSZ;");
    assert!(!output.status.success(), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("nothing was written"),
        "{}",
        stderr(&output)
    );
    assert_eq!(entries(limited.path()), Vec::<String>::new());

    // Without the limit, the same run writes files both shorter and longer than it: the
    // limited run did fail after files that fit.
    let free = tempfile::tempdir().unwrap();
    let output = run(free.path(), "");
    assert!(output.status.success(), "{}", stderr(&output));
    let sizes: Vec<u64> = entries(free.path())
        .iter()
        .filter_map(|rel| std::fs::metadata(free.path().join(rel)).ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .collect();
    assert!(sizes.iter().any(|&s| s <= 2048) && sizes.iter().any(|&s| s > 2048));
}

#[test]
fn a_change_that_cannot_be_staged_leaves_the_others_unwritten() {
    use harden::fix::apply::FileChange;
    use harden::fix::write::write_all;
    // The second file changed since it was read: the first, in a directory of its own, is
    // not written either, and the directory made for it is gone again.
    let dir = project(&[("b.txt", "someone else's edit\n")]);
    let changes = [
        FileChange {
            path: "a/new/file.txt".into(),
            old: None,
            new: "new\n".into(),
            bom: false,
        },
        FileChange {
            path: "b.txt".into(),
            old: Some("as read\n".into()),
            new: "fixed\n".into(),
            bom: false,
        },
    ];
    let (path, refusal) = write_all(dir.path(), &changes).unwrap_err();
    assert_eq!(path, "b.txt");
    assert!(refusal.to_string().contains("changed since"), "{refusal}");
    assert_eq!(entries(dir.path()), ["b.txt"]);
    assert_eq!(read(dir.path(), "b.txt"), b"someone else's edit\n");
}
