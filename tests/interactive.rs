//! `harden fix` on a terminal: the questions go through a real pseudo-terminal, and each
//! answer's effect on the files is asserted.

#![cfg(unix)]

mod common;

use std::process::Command;

use rexpect::session::{PtySession, spawn_command};

const APP: &str =
    "settings:\n  web:\n    debug: on\n  worker:\n    debug: on\n  cron:\n    debug: on\n";

fn start(dir: &std::path::Path) -> PtySession {
    let mut command = Command::new(common::harden_bin());
    command.arg("fix").current_dir(dir).env("NO_COLOR", "1");
    spawn_command(command, Some(10_000)).expect("spawn harden in a pty")
}

fn project() -> tempfile::TempDir {
    common::demo_project(APP)
}

fn app(dir: &tempfile::TempDir) -> String {
    std::fs::read_to_string(dir.path().join("app.yml")).unwrap()
}

#[test]
fn yes_no_and_help_each_do_what_they_say() {
    let dir = project();
    let mut session = start(dir.path());
    // A counter, the severity, the check and where, then the fix.
    session
        .exp_string("[1/3] high[demo-debug-on] app.yml: ")
        .unwrap();
    session.exp_string("Fix: Turn `debug` off").unwrap();
    session.exp_string("+    debug: off").unwrap();
    session.exp_string("Apply this fix [y,n,a,q,?]? ").unwrap();
    session.send_line("?").unwrap();
    session
        .exp_string("a - apply this fix and all remaining fixes")
        .unwrap();
    session.exp_string("Apply this fix [y,n,a,q,?]? ").unwrap();
    session.send_line("n").unwrap(); // web
    session.exp_string("Apply this fix [y,n,a,q,?]? ").unwrap();
    session.send_line("y").unwrap(); // worker
    session.exp_string("Apply this fix [y,n,a,q,?]? ").unwrap();
    session.send_line("n").unwrap(); // cron
    session
        .exp_string("fixed 1 finding(s) in 1 file(s); 2 finding(s) remain")
        .unwrap();
    session.exp_eof().unwrap();
    assert_eq!(
        app(&dir),
        "settings:\n  web:\n    debug: on\n  worker:\n    debug: off\n  cron:\n    debug: on\n"
    );
}

#[test]
fn all_applies_the_rest_without_asking() {
    let dir = project();
    let mut session = start(dir.path());
    session.exp_string("Apply this fix [y,n,a,q,?]? ").unwrap();
    session.send_line("n").unwrap();
    session
        .exp_string("[2/3] high[demo-debug-on] app.yml:")
        .unwrap();
    session.exp_string("Apply this fix [y,n,a,q,?]? ").unwrap();
    session.send_line("a").unwrap();
    // `a` says what it is about to apply, and asks once.
    session
        .exp_string("This applies this fix and the 1 after it (0 of them unsafe)")
        .unwrap();
    session.exp_string("Apply them all [y,n]? ").unwrap();
    session.send_line("y").unwrap();
    session
        .exp_string("fixed 2 finding(s) in 1 file(s); 1 finding(s) remain")
        .unwrap();
    session.exp_eof().unwrap();
    assert_eq!(
        app(&dir),
        "settings:\n  web:\n    debug: on\n  worker:\n    debug: off\n  cron:\n    debug: off\n"
    );
}

#[test]
fn quit_keeps_what_was_accepted_and_stops() {
    let dir = project();
    let mut session = start(dir.path());
    session.exp_string("Apply this fix [y,n,a,q,?]? ").unwrap();
    session.send_line("y").unwrap();
    session.exp_string("Apply this fix [y,n,a,q,?]? ").unwrap();
    session.send_line("q").unwrap();
    session
        .exp_string("fixed 1 finding(s) in 1 file(s); 2 finding(s) remain")
        .unwrap();
    session.exp_eof().unwrap();
    assert_eq!(
        app(&dir),
        "settings:\n  web:\n    debug: off\n  worker:\n    debug: on\n  cron:\n    debug: on\n"
    );
}

#[test]
fn all_declined_at_its_confirmation_asks_again() {
    let dir = project();
    let mut session = start(dir.path());
    session.exp_string("Apply this fix [y,n,a,q,?]? ").unwrap();
    session.send_line("a").unwrap();
    session
        .exp_string("This applies this fix and the 2 after it")
        .unwrap();
    session.exp_string("Apply them all [y,n]? ").unwrap();
    session.send_line("n").unwrap();
    // Back to the same fix.
    session.exp_string("Apply this fix [y,n,a,q,?]? ").unwrap();
    session.send_line("q").unwrap();
    session
        .exp_string("fixed 0 finding(s) in 0 file(s); 3 finding(s) remain")
        .unwrap();
    session.exp_eof().unwrap();
    assert_eq!(app(&dir), APP);
}
