//! The progress line of a long `check` (issue 13): on a terminal, after a second, on stderr;
//! never when stderr is piped, never in CI. A run is made long on purpose and without a large
//! tree: the `git` harden runs to list the work tree's files is a script that waits 1.5 s first.

#![cfg(unix)]

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use rexpect::session::spawn_command;

/// What the line starts with (`harden: walking the project (1.0 s)`).
const LINE: &str = "harden: walking the project";

/// A one-file project inside a git work tree, and a directory holding a `git` that waits
/// 1.5 s before running the real one (so the walk, and the run, take longer than a second).
fn slow_git_project() -> (tempfile::TempDir, tempfile::TempDir) {
    let project = common::project(&[("requirements.txt", "django==5.2.1\n")]);
    let real_git = which_git();
    let status = Command::new(&real_git)
        .args(["init", "-q"])
        .current_dir(project.path())
        .status()
        .expect("git init");
    assert!(status.success());
    let bin = tempfile::tempdir().unwrap();
    let script = bin.path().join("git");
    std::fs::write(
        &script,
        format!("#!/bin/sh\nsleep 1.5\nexec {} \"$@\"\n", real_git.display()),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    (project, bin)
}

fn which_git() -> std::path::PathBuf {
    std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .map(|dir| dir.join("git"))
        .find(|path| path.is_file())
        .expect("these tests need git on PATH")
}

fn path_with(bin: &Path) -> std::ffi::OsString {
    let mut dirs = vec![bin.to_path_buf()];
    dirs.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    std::env::join_paths(dirs).unwrap()
}

fn check_command(project: &Path, bin: &Path) -> Command {
    let mut command = Command::new(common::harden_bin());
    command
        .args(["check", ".", "--format", "json"])
        .current_dir(project)
        .env("PATH", path_with(bin))
        .env("NO_COLOR", "1")
        .env_remove("CI");
    command
}

#[test]
fn no_progress_line_when_stderr_is_piped() {
    let (project, bin) = slow_git_project();
    let started = Instant::now();
    let out = check_command(project.path(), bin.path()).output().unwrap();
    // The run was long enough for the line to be due, had stderr been a terminal.
    assert!(started.elapsed() > Duration::from_millis(1200));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("harden:"), "stderr: {stderr}");
    assert!(!stderr.contains('\r'), "stderr: {stderr:?}");
}

#[test]
fn progress_line_on_a_terminal_and_not_in_ci() {
    let (project, bin) = slow_git_project();
    // On a terminal, the line shows once the run passes a second.
    let mut session = spawn_command(check_command(project.path(), bin.path()), Some(20_000))
        .expect("spawn harden in a pty");
    session.exp_string(LINE).unwrap();
    session.exp_eof().unwrap();

    // With CI set, the same run on a terminal shows nothing of it.
    let mut command = check_command(project.path(), bin.path());
    command.env("CI", "true");
    let mut session = spawn_command(command, Some(20_000)).expect("spawn harden in a pty");
    let output = session.exp_eof().unwrap();
    assert!(!output.contains("harden:"), "output: {output}");
}
