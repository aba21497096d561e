//! Generated documentation stays in step with the code: docs/checks.md with the check files,
//! and the man pages and shell completions with the command line.

mod common;

use std::process::Command;

use harden::checks::Registry;
use harden::commands::explain::checks_markdown;

#[test]
fn docs_checks_md_is_current() {
    let registry = Registry::load(&[]).unwrap();
    let generated = checks_markdown(&registry);
    let path = common::repo_root().join("docs/checks.md");
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    if committed != generated && std::env::var_os("HARDEN_BLESS").is_some() {
        std::fs::write(&path, &generated).unwrap();
        return;
    }
    assert!(
        committed == generated,
        "docs/checks.md is stale: run `cargo run -- checks --markdown > docs/checks.md` \
         (or HARDEN_BLESS=1 cargo test --test docs)"
    );
    for check in &registry.checks {
        assert!(
            generated.contains(&format!("\n## {}\n", check.id)),
            "{}",
            check.id
        );
    }
}

fn harden(args: &[&str]) -> (i32, String) {
    let out = Command::new(common::harden_bin())
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
    )
}

#[test]
fn man_pages_for_harden_and_every_subcommand() {
    let (code, page) = harden(&["man"]);
    assert_eq!(code, 0);
    assert!(page.contains(".TH harden 1"), "{page}");
    let subcommands: Vec<String> = <harden::cli::Cli as clap::CommandFactory>::command()
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .collect();
    assert!(subcommands.len() >= 7, "{subcommands:?}");
    for sub in &subcommands {
        assert!(
            page.contains(&format!("harden\\-{sub}(1)")),
            "{sub} not listed"
        );
        let (code, page) = harden(&["man", sub]);
        assert_eq!(code, 0, "{sub}");
        assert!(page.contains(&format!(".TH harden-{sub} 1")), "{page}");
        assert!(page.contains(".SH OPTIONS"), "{sub}: {page}");
    }
    let (code, _) = harden(&["man", "no-such-command"]);
    assert_eq!(code, 2);
}

#[test]
fn completions_for_each_shell() {
    for (shell, marker) in [
        ("bash", "complete -F _harden"),
        ("zsh", "#compdef harden"),
        ("fish", "complete -c harden"),
    ] {
        let (code, script) = harden(&["completions", shell]);
        assert_eq!(code, 0, "{shell}");
        assert!(script.contains(marker), "{shell}: {script}");
        assert!(script.contains("select"), "{shell} misses check's options");
    }
    let (code, _) = harden(&["completions", "tcsh"]);
    assert_eq!(code, 2);
}
