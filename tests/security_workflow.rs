//! The security workflow `harden fix` writes (templates/fix/security.yml.j2), rendered for a
//! few project shapes: each must pass harden's own strict profile and zizmor (when
//! `HARDEN_ZIZMOR` names a zizmor binary; required when `CI` is set).

mod common;

use std::process::Command;

use harden::cli::SelectionArgs;
use harden::session::Session;
use harden::templates::Templates;
use harden::templates::security_workflow::{BanditConfig, PATH, Shape, render};

fn shapes() -> Vec<(&'static str, Shape)> {
    let main = vec!["main".to_string()];
    vec![
        (
            "minimal",
            Shape {
                branches: main.clone(),
                ..Shape::default()
            },
        ),
        (
            "requirements-and-secrets",
            Shape {
                branches: vec!["main".into(), "master".into()],
                bandit_targets: vec!["src".into(), "my app".into()],
                bandit_config: Some(BanditConfig::Pyproject("pyproject.toml".into())),
                requirements: vec!["requirements.txt".into(), "requirements/prod.txt".into()],
                secret_scan: true,
                ..Shape::default()
            },
        ),
        (
            "pyproject-ini-baseline",
            Shape {
                branches: main,
                bandit_config: Some(BanditConfig::Ini(".bandit".into())),
                projects: vec![".".into()],
                secret_scan: true,
                secrets_baseline: Some(".secrets.baseline".into()),
                ..Shape::default()
            },
        ),
    ]
}

#[test]
fn rendered_workflows_pass_strict() {
    let templates = Templates::new();
    for (name, shape) in shapes() {
        let content = render(&templates, &shape).unwrap_or_else(|| panic!("{name}"));
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(PATH);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &content).unwrap();
        let session = Session::new(&SelectionArgs {
            path: dir.path().to_path_buf(),
            profile: Some("strict".into()),
            ..SelectionArgs::default()
        })
        .unwrap();
        let project = session.walk();
        let in_workflow: Vec<_> = session
            .check(&project)
            .into_iter()
            .filter(|f| f.primary.path == PATH)
            .map(|f| format!("{}: {}", f.check, f.message))
            .collect();
        assert!(
            in_workflow.is_empty(),
            "{name}: {in_workflow:#?}\n{content}"
        );
    }
}

#[test]
#[ignore = "needs zizmor (HARDEN_ZIZMOR): .ci/run installs it and runs ignored tests"]
fn rendered_workflows_pass_zizmor() {
    let zizmor = common::required_tool("HARDEN_ZIZMOR", "this zizmor test");
    let templates = Templates::new();
    for (name, shape) in shapes() {
        let content = render(&templates, &shape).unwrap_or_else(|| panic!("{name}"));
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(PATH);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &content).unwrap();
        for persona in ["regular", "pedantic"] {
            let output = Command::new(&zizmor)
                .args(["--offline", "--no-progress", "--persona", persona])
                .arg(&path)
                .output()
                .unwrap();
            assert!(
                output.status.success(),
                "{name} ({persona}): zizmor exited {:?}\n{}\n{}",
                output.status.code(),
                String::from_utf8_lossy(&output.stdout),
                content
            );
        }
    }
}

/// The three ci-*-missing fixes all write `.github/workflows/security.yml`: applied together
/// they must converge on one file with every job, and leave nothing to fix.
#[test]
fn the_three_fixes_converge_on_one_workflow() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("app")).unwrap();
    std::fs::write(root.join("app/__init__.py"), "").unwrap();
    std::fs::write(root.join("app/views.py"), "import subprocess\n").unwrap();
    std::fs::write(root.join("requirements.txt"), "flask==3.0.3\n").unwrap();
    let ids = [
        "ci-sast-missing",
        "ci-dependency-audit-missing",
        "ci-secret-scan-missing",
    ];
    assert_eq!(common::check(root, Some(&ids)).len(), 3);
    common::fix_all(root, Some(&ids), false);
    assert!(common::check(root, Some(&ids)).is_empty());
    let workflow = std::fs::read_to_string(root.join(PATH)).unwrap();
    for job in ["bandit", "pip-audit", "detect-secrets"] {
        assert!(
            workflow.contains(&format!("\n  {job}:\n")),
            "{job}:\n{workflow}"
        );
    }
    assert!(
        workflow.contains("pip-audit -r requirements.txt"),
        "{workflow}"
    );
}
