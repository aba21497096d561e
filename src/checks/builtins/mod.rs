//! Named Rust logic for checks whose condition data cannot say. A builtin's metadata (message,
//! docs, severity, fix title) still lives in its check file; one builtin per file here.

mod dependabot_cooldown_missing;
mod dependabot_ecosystem_missing;
mod dependabot_ecosystems;
mod dependabot_missing;
mod django_database_password_hardcoded;
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
    django_database_password_hardcoded::BUILTIN,
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
