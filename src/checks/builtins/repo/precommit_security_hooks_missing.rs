//! `precommit-security-hooks-missing`: a `.pre-commit-config.yaml` with no hook that looks
//! for insecure code (bandit, ruff with the S rules, semgrep) or for secrets (detect-secrets,
//! gitleaks, trufflehog, ggshield). Display-only: which hook suits the project, and the
//! baseline of known findings it starts from, are the owner's call.

use crate::checks::builtins::ci::{Category, Inventory};
use crate::checks::builtins::{Builtin, Ctx, Hit};
use crate::finding::Location;

pub const BUILTIN: Builtin = Builtin {
    name: "precommit-security-hooks-missing",
    vars: &[],
    params: &[],
    run,
};

fn run(ctx: &Ctx<'_>) -> Vec<Hit> {
    let inventory = Inventory::of(ctx.project);
    let Some(precommit) = &inventory.precommit else {
        return Vec::new();
    };
    let covered = precommit
        .found
        .iter()
        .any(|f| matches!(f.category, Category::Sast | Category::Secrets));
    if covered {
        return Vec::new();
    }
    let location = match &precommit.repos_span {
        Some(span) => Location::span(&precommit.path, span.clone()),
        None => Location::file(&precommit.path),
    };
    vec![Hit::at(location)]
}
