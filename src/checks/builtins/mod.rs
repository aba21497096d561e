//! Named Rust logic for checks whose condition data cannot say. A builtin's metadata (message,
//! docs, severity, fix title) still lives in its check file; one builtin per file here.

mod dependabot_cooldown_missing;
mod dependabot_ecosystem_missing;
mod dependabot_ecosystems;
mod dependabot_missing;
mod deps_extra_index_confusion;
mod deps_index;
mod deps_insecure_index;
mod deps_no_lock;
mod deps_requirements_without_hashes;
mod deps_unpinned_requirement;
mod deps_vcs_unpinned;
mod env_file_committed;
mod gitignore_patterns;
mod parse_error;

use super::matchers::{Ctx, Hit};

/// A builtin matcher: the variables it gives templates, the parameters it reads, its logic.
#[derive(Debug)]
pub struct Builtin {
    pub name: &'static str,
    pub vars: &'static [&'static str],
    pub params: &'static [&'static str],
    pub run: fn(&Ctx<'_>) -> Vec<Hit>,
}

/// Every builtin, sorted by name.
pub static BUILTINS: &[Builtin] = &[
    dependabot_cooldown_missing::BUILTIN,
    dependabot_ecosystem_missing::BUILTIN,
    dependabot_missing::BUILTIN,
    deps_extra_index_confusion::BUILTIN,
    deps_insecure_index::BUILTIN,
    deps_no_lock::BUILTIN,
    deps_requirements_without_hashes::BUILTIN,
    deps_unpinned_requirement::BUILTIN,
    deps_vcs_unpinned::BUILTIN,
    env_file_committed::BUILTIN,
    gitignore_patterns::BUILTIN,
    parse_error::BUILTIN,
];

pub fn find(name: &str) -> Option<&'static Builtin> {
    BUILTINS.iter().find(|b| b.name == name)
}

#[cfg(test)]
mod tests {
    #[test]
    fn builtins_are_sorted_and_unique() {
        assert!(super::BUILTINS.windows(2).all(|w| w[0].name < w[1].name));
    }
}
