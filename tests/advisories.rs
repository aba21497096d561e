//! The OSV advisory database end to end: `harden advisories update` against a loopback HTTP
//! server (127.0.0.1 only) serving a zip of the hand-written fixture in tests/osv, the cache it
//! writes, `status`, `check` reading the cache, a zip or a directory, the summary notes (no
//! database, old database), SARIF tags and severities.

mod common;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

use common::{harden_bin, project, repo_root};

fn fixture_dir() -> PathBuf {
    repo_root().join("tests/osv")
}

/// The fixture records as OSV's export is shaped: a flat zip of `ID.json` files.
fn fixture_zip() -> Vec<u8> {
    zip_of_dir(&fixture_dir(), &[])
}

/// The JSON records of `dir` as a flat zip, with `extra` entries after them.
fn zip_of_dir(dir: &Path, extra: &[(&str, &[u8])]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        writer
            .start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        writer.write_all(&std::fs::read(&path).unwrap()).unwrap();
    }
    for (name, bytes) in extra {
        writer
            .start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        writer.write_all(bytes).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

/// Serve `body` to exactly one HTTP request on 127.0.0.1 and return the URL. The thread
/// ends after that request (or after 30 s without one).
fn serve_once(body: Vec<u8>, status: &str) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let status = status.to_string();
    listener.set_nonblocking(true).unwrap();
    std::thread::spawn(move || {
        let deadline = std::time::Instant::now() + Duration::from_secs(30);
        while std::time::Instant::now() < deadline {
            match listener.accept() {
                Ok((mut stream, _)) => {
                    stream.set_nonblocking(false).unwrap();
                    stream
                        .set_read_timeout(Some(Duration::from_secs(5)))
                        .unwrap();
                    let mut request = Vec::new();
                    let mut buf = [0u8; 1024];
                    while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                        match stream.read(&mut buf) {
                            Ok(0) | Err(_) => break,
                            Ok(n) => request.extend_from_slice(&buf[..n]),
                        }
                    }
                    let head = format!(
                        "HTTP/1.1 {status}\r\nContent-Length: {}\r\nContent-Type: application/zip\r\nConnection: close\r\n\r\n",
                        body.len()
                    );
                    let _ = stream.write_all(head.as_bytes());
                    let _ = stream.write_all(&body);
                    return;
                }
                Err(_) => std::thread::sleep(Duration::from_millis(20)),
            }
        }
    });
    format!("http://127.0.0.1:{port}/PyPI/all.zip")
}

fn harden(dir: &Path, cache: &Path, today: &str, args: &[&str]) -> Output {
    Command::new(harden_bin())
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("HARDEN_CACHE_DIR", cache)
        .env("HARDEN_TODAY", today)
        .env_remove("HARDEN_ADVISORIES")
        .output()
        .expect("run harden")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

const REQUIREMENTS: &str = "django==3.2.1\nDjango-Thing==1.0\nrequests==2.0.0\n";

#[test]
fn update_from_a_loopback_server_then_status_and_check() {
    let cache = tempfile::tempdir().unwrap();
    let app = project(&[("requirements.txt", REQUIREMENTS)]);
    let url = serve_once(fixture_zip(), "200 OK");
    let out = harden(
        app.path(),
        cache.path(),
        "2099-08-01",
        &["advisories", "update", "--url", &url],
    );
    assert!(out.status.success(), "{out:?}");
    // Eight records, one withdrawn.
    assert!(
        stdout(&out).contains("Stored 7 advisories for 5 packages"),
        "{}",
        stdout(&out)
    );
    let meta = std::fs::read_to_string(cache.path().join("osv-pypi/meta.json")).unwrap();
    assert!(meta.contains("\"date\": \"2099-08-01\""), "{meta}");
    assert!(cache.path().join("osv-pypi/packages/django.json").is_file());
    // Nothing half-written is left beside the cache.
    let leftovers: Vec<_> = std::fs::read_dir(cache.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(leftovers, ["osv-pypi"]);

    let status = harden(
        app.path(),
        cache.path(),
        "2099-08-03",
        &["advisories", "status"],
    );
    assert!(status.status.success());
    assert!(
        stdout(&status).contains("7 advisories, downloaded 2099-08-01, 2 days old"),
        "{}",
        stdout(&status)
    );

    // The end-of-life tables embedded in harden are named with the day they were checked.
    assert!(
        stdout(&status).contains("End-of-life tables: embedded in harden")
            && stdout(&status).contains("dates checked 20")
            && stdout(&status).contains("docker-base-image-eol: alpine"),
        "{}",
        stdout(&status)
    );

    let check = harden(
        app.path(),
        cache.path(),
        "2099-08-03",
        &["check", "--select", "deps-known-vulnerable"],
    );
    assert_eq!(check.status.code(), Some(1), "{check:?}");
    let text = stdout(&check);
    assert!(text.contains("django 3.2.1 (requirements) has known vulnerabilities: PYSEC-2099-1 (GHSA-aaaa-bbbb-0001, CVE-2099-1001)"), "{text}");
    assert!(
        !text.contains("requests"),
        "withdrawn advisory reported:\n{text}"
    );
    assert!(
        !text.contains("note:") && !text.contains("warning:"),
        "{text}"
    );

    // Ten days later the database is old: still used, and the summary says so.
    let late = harden(
        app.path(),
        cache.path(),
        "2099-08-11",
        &["check", "--select", "deps-known-vulnerable"],
    );
    assert!(
        stdout(&late).contains("warning: the advisory database"),
        "{}",
        stdout(&late)
    );
    assert!(stdout(&late).contains("10 days old (from 2099-08-01, more than 7)"));
    // The age is a parameter.
    std::fs::write(
        app.path().join("harden.toml"),
        "[params.deps-known-vulnerable]\nmax-age-days = 30\n",
    )
    .unwrap();
    let tolerant = harden(
        app.path(),
        cache.path(),
        "2099-08-11",
        &["check", "--select", "deps-known-vulnerable"],
    );
    assert!(
        !stdout(&tolerant).contains("warning:"),
        "{}",
        stdout(&tolerant)
    );

    // A download that is not OSV's export leaves the cache as it was.
    let url = serve_once(b"<html>not a zip</html>".to_vec(), "200 OK");
    let bad = harden(
        app.path(),
        cache.path(),
        "2099-08-12",
        &["advisories", "update", "--url", &url],
    );
    assert_eq!(bad.status.code(), Some(2), "{bad:?}");
    assert!(String::from_utf8_lossy(&bad.stderr).contains("not OSV's export"));
    let meta_after = std::fs::read_to_string(cache.path().join("osv-pypi/meta.json")).unwrap();
    assert_eq!(meta, meta_after);

    // An HTTP error is an error too.
    let url = serve_once(Vec::new(), "404 Not Found");
    let missing = harden(
        app.path(),
        cache.path(),
        "2099-08-12",
        &["advisories", "update", "--url", &url],
    );
    assert_eq!(missing.status.code(), Some(2), "{missing:?}");
}

#[test]
fn a_corrupted_download_is_refused_and_the_cache_stays_as_it_was() {
    let cache = tempfile::tempdir().unwrap();
    let app = project(&[("requirements.txt", REQUIREMENTS)]);
    // The fixture stored (not deflated), with one byte of one record changed: the record still
    // parses as OSV, and only the entry's CRC-32 shows the damage.
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let mut records: Vec<PathBuf> = std::fs::read_dir(fixture_dir())
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    records.sort();
    for path in &records {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        writer.start_file(name, stored).unwrap();
        writer.write_all(&std::fs::read(path).unwrap()).unwrap();
    }
    let mut bytes = writer.finish().unwrap().into_inner();
    let at = bytes
        .windows(7)
        .position(|w| w == b"\"3.2.4\"")
        .expect("a fixed version in the stored records");
    bytes[at + 5] = b'9';
    let url = serve_once(bytes, "200 OK");
    let out = harden(
        app.path(),
        cache.path(),
        "2099-08-01",
        &["advisories", "update", "--url", &url],
    );
    assert!(!out.status.success(), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("CRC-32") && stderr.contains("corrupted"),
        "{stderr}"
    );
    assert!(!cache.path().join("osv-pypi").exists());
}

#[test]
fn without_a_database_the_summary_says_the_check_did_not_run() {
    let cache = tempfile::tempdir().unwrap();
    let app = project(&[("requirements.txt", REQUIREMENTS)]);
    let out = harden(
        app.path(),
        cache.path(),
        "2099-08-01",
        &["check", "--select", "deps-known-vulnerable"],
    );
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert_eq!(text.matches("did not run").count(), 1, "{text}");
    assert!(text.contains(
        "note: deps-known-vulnerable did not run: no advisory database. `harden advisories update`"
    ));
    let json = harden(
        app.path(),
        cache.path(),
        "2099-08-01",
        &[
            "check",
            "--select",
            "deps-known-vulnerable",
            "--format",
            "json",
        ],
    );
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert!(
        value["summary"]["notes"][0]
            .as_str()
            .unwrap()
            .contains("did not run")
    );
    let status = harden(
        app.path(),
        cache.path(),
        "2099-08-01",
        &["advisories", "status"],
    );
    assert_eq!(status.status.code(), Some(1));
    // A path that is not a database: the note names the problem.
    let bad = harden(
        app.path(),
        cache.path(),
        "2099-08-01",
        &[
            "check",
            "--select",
            "deps-known-vulnerable",
            "--advisories",
            "requirements.txt",
        ],
    );
    assert!(
        stdout(&bad).contains("did not run: requirements.txt: not a zip archive"),
        "{}",
        stdout(&bad)
    );
}

#[test]
fn a_zip_or_directory_given_on_the_command_line_and_sarif_tags() {
    let cache = tempfile::tempdir().unwrap();
    let app = project(&[(
        "requirements.txt",
        "django==1.11.29.post1+local\nflask==2.1.0\n",
    )]);
    let zip_path = app.path().join("all.zip");
    std::fs::write(&zip_path, fixture_zip()).unwrap();
    let dir = fixture_dir();
    for database in [zip_path.to_str().unwrap(), dir.to_str().unwrap()] {
        let out = harden(
            app.path(),
            cache.path(),
            "2099-08-01",
            &[
                "check",
                "--select",
                "deps-known-vulnerable",
                "--advisories",
                database,
                "--format",
                "sarif",
            ],
        );
        assert_eq!(out.status.code(), Some(1), "{out:?}");
        let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let results = sarif["runs"][0]["results"].as_array().unwrap();
        assert_eq!(results.len(), 2);
        // django 1.11 (a post and local release of 1.11.29) is within `last_affected: 2.2.28` of
        // a CRITICAL advisory: critical (SARIF error), tagged with its ids.
        let django = &results[0];
        assert_eq!(django["level"], "error");
        let tags: Vec<&str> = django["properties"]["tags"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_str().unwrap())
            .collect();
        assert_eq!(tags, ["CVE-2099-1002", "GHSA-aaaa-bbbb-0002"]);
        let flask = &results[1];
        assert!(
            flask["message"]["text"]
                .as_str()
                .unwrap()
                .contains("GHSA-cccc-dddd-0003")
        );
    }
    let json = harden(
        app.path(),
        cache.path(),
        "2099-08-01",
        &[
            "check",
            "--select",
            "deps-known-vulnerable",
            "--advisories",
            dir.to_str().unwrap(),
            "--format",
            "json",
        ],
    );
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(value["findings"][0]["severity"], "critical");
    assert_eq!(value["findings"][1]["severity"], "high");
}

#[test]
fn fix_bumps_the_pin_past_every_advisory() {
    let cache = tempfile::tempdir().unwrap();
    let app = project(&[(
        "requirements.txt",
        "Django==3.2.1  # web\nflask==2.1.0 ; python_version >= \"3.8\"\n",
    )]);
    let dir = fixture_dir();
    let out = harden(
        app.path(),
        cache.path(),
        "2099-08-01",
        &[
            "fix",
            "--yes",
            "--unsafe-fixes",
            "--select",
            "deps-known-vulnerable",
            "--advisories",
            dir.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{out:?}");
    let fixed = std::fs::read_to_string(app.path().join("requirements.txt")).unwrap();
    // 3.2.5 fixes the SQL injection but is itself affected by GHSA-aaaa-bbbb-0002 until 3.2.7.
    assert_eq!(
        fixed,
        "Django==3.2.7  # web\nflask==2.2.5 ; python_version >= \"3.8\"\n"
    );
}

/// Real advisories (tests/osv-pypi: PYSEC and GHSA records of requests, jinja2, pycrypto and
/// Django) against the pins a real old project has.
const REAL_PINS: &str = "requests==2.19.0\njinja2==2.10\npycrypto==2.6.1\nDjango==3.2\n";

fn real_fixture_dir() -> PathBuf {
    repo_root().join("tests/osv-pypi")
}

#[test]
fn real_advisories_name_their_ids_summaries_and_fixes() {
    let cache = tempfile::tempdir().unwrap();
    let app = project(&[("requirements.txt", REAL_PINS)]);
    // Through `update`, as a user gets them: OSV's zip, with one record that is not OSV.
    let url = serve_once(
        zip_of_dir(
            &real_fixture_dir(),
            &[("PYSEC-0000-broken.json", b"{\"id\": ")],
        ),
        "200 OK",
    );
    let update = harden(
        app.path(),
        cache.path(),
        "2099-08-01",
        &["advisories", "update", "--url", &url],
    );
    assert!(update.status.success(), "{update:?}");
    // Twelve entries: one not OSV (skipped, said on stderr), one withdrawn.
    assert!(
        stdout(&update).contains("Stored 10 advisories for 4 packages"),
        "{}",
        stdout(&update)
    );
    let stderr = String::from_utf8_lossy(&update.stderr);
    assert!(
        stderr.contains("1 record(s) skipped (PYSEC-0000-broken.json: not an OSV record"),
        "{stderr}"
    );

    let out = harden(
        app.path(),
        cache.path(),
        "2099-08-02",
        &[
            "check",
            "--select",
            "deps-known-vulnerable",
            "--format",
            "json",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let findings: Vec<(String, String)> = value["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["severity"].as_str().unwrap().to_string(),
                f["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let expected = [
        (
            "high",
            "requests 2.19.0 (requirements) has known vulnerabilities: \
             PYSEC-2018-28 (GHSA-x84v-xcm2-53pg, CVE-2018-18074): Insufficiently Protected \
             Credentials in Requests [fixed in 2.20.0]; PYSEC-2023-74 (GHSA-j8r2-6x86-q33q, \
             CVE-2023-32681): Unintended leak of Proxy-Authorization header in requests \
             [fixed in 2.31.0]",
        ),
        (
            "high",
            "jinja2 2.10 (requirements) has known vulnerabilities: PYSEC-2019-217 \
             (CVE-2019-10906): In Jinja before 2.10.1, str.format_map escapes the sandbox. \
             [fixed in 2.10.1]; PYSEC-2021-66 (CVE-2020-28493, SNYK-PYTHON-JINJA2-1012994): \
             Regular expression denial of service in the urlize filter of jinja2 before \
             2.11.3. [fixed in 2.11.3]",
        ),
        (
            // GitHub rates it CRITICAL; the open PYSEC range and `last_affected` agree: no fix.
            "critical",
            "pycrypto 2.6.1 (requirements) has known vulnerabilities: PYSEC-2017-94 \
             (GHSA-cq27-v7xp-c356, CVE-2013-7459): Heap-based buffer overflow in PyCrypto \
             [no fixed version]",
        ),
        (
            // Critical from the CVSS vector alone (9.8): the record has no rating.
            "critical",
            "django 3.2 (requirements) has known vulnerabilities: GHSA-xpfp-f569-q3p2 \
             (CVE-2021-35042): SQL Injection in Django's QuerySet.order_by() [fixed in 3.2.5]",
        ),
    ];
    for (severity, message) in expected {
        assert!(
            findings
                .iter()
                .any(|(s, m)| s == severity && m.starts_with(message)),
            "no {severity} finding `{message}` in {findings:#?}"
        );
    }
    assert_eq!(findings.len(), 4, "{findings:#?}");
    // The JSON finding carries the ids as tags, as SARIF does.
    let requests = value["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["message"].as_str().unwrap().starts_with("requests"))
        .unwrap();
    assert_eq!(
        requests["tags"],
        serde_json::json!([
            "CVE-2018-18074",
            "CVE-2023-32681",
            "GHSA-j8r2-6x86-q33q",
            "GHSA-x84v-xcm2-53pg",
            "PYSEC-2018-28",
            "PYSEC-2023-74"
        ])
    );

    let fix = harden(
        app.path(),
        cache.path(),
        "2099-08-02",
        &[
            "fix",
            "--yes",
            "--unsafe-fixes",
            "--select",
            "deps-known-vulnerable",
        ],
    );
    // pycrypto's finding remains: exit 1.
    assert_eq!(fix.status.code(), Some(1), "{fix:?}");
    assert!(
        String::from_utf8_lossy(&fix.stderr)
            .contains("fixed 3 finding(s) in 1 file(s); 1 finding(s) remain"),
        "{fix:?}"
    );
    // jinja2: 2.11.3 fixes both and is past the synthetic `limit` record's range; pycrypto has
    // no fixed release, so its pin stays.
    assert_eq!(
        std::fs::read_to_string(app.path().join("requirements.txt")).unwrap(),
        "requests==2.31.0\njinja2==2.11.3\npycrypto==2.6.1\nDjango==3.2.5\n"
    );
}
