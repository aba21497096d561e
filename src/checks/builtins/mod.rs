//! Named Rust logic for checks whose condition data cannot say. A builtin's metadata (message,
//! docs, severity, fix title) still lives in its check file. One folder per domain, as in
//! checks/, one builtin per file; a domain's shared helpers are its folder's mod.rs.

mod bandit;
mod calendar;
mod ci;
mod compose;
mod dependabot;
mod deps;
mod django;
mod docker;
mod dockerignore;
mod fastapi;
mod flask;
mod gha;
mod gitignore;
mod gitlab;
mod harden;
mod parse;
mod python;
mod repo;
mod secret;

pub(crate) use super::matchers::{CappedHits, Ctx, Hit};
pub use calendar::LIFECYCLE_CHECKED;

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
    bandit::config_missing::BUILTIN,
    bandit::critical_test_skipped::BUILTIN,
    bandit::excludes_app_code::BUILTIN,
    ci::security_scan_not_on_pr::BUILTIN,
    ci::tool_missing::BUILTIN,
    compose::database_no_password::BUILTIN,
    compose::database_port_published::BUILTIN,
    compose::debug_enabled::BUILTIN,
    compose::docker_socket_mounted::BUILTIN,
    compose::privileged::BUILTIN,
    compose::secret_in_environment::BUILTIN,
    dependabot::cooldown_missing::BUILTIN,
    dependabot::ecosystem_missing::BUILTIN,
    dependabot::missing::BUILTIN,
    deps::extra_index_confusion::BUILTIN,
    deps::insecure_index::BUILTIN,
    deps::known_vulnerable::BUILTIN,
    deps::no_lock::BUILTIN,
    deps::requirements_without_hashes::BUILTIN,
    deps::unpinned_requirement::BUILTIN,
    deps::vcs_unpinned::BUILTIN,
    django::database_password_hardcoded::BUILTIN,
    django::eol_version::BUILTIN,
    docker::add_instead_of_copy::BUILTIN,
    docker::add_remote_url::BUILTIN,
    docker::apt_lists_not_removed::BUILTIN,
    docker::apt_no_install_recommends::BUILTIN,
    docker::base_image_eol::BUILTIN,
    docker::curl_pipe_shell::BUILTIN,
    docker::database_no_password::BUILTIN,
    docker::debug_server::BUILTIN,
    docker::healthcheck_missing::BUILTIN,
    docker::image_latest::BUILTIN,
    docker::image_not_digest_pinned::BUILTIN,
    docker::pip_no_cache_dir::BUILTIN,
    docker::pip_trusted_host::BUILTIN,
    docker::pip_unpinned::BUILTIN,
    docker::runs_as_root::BUILTIN,
    docker::secret_in_env::BUILTIN,
    docker::shell_form_cmd::BUILTIN,
    docker::ssh_exposed::BUILTIN,
    docker::sudo::BUILTIN,
    docker::tls_verification_disabled::BUILTIN,
    dockerignore::missing::BUILTIN,
    dockerignore::missing_secret_patterns::BUILTIN,
    secret::env_file_committed::BUILTIN,
    fastapi::cors_wildcard_credentials::BUILTIN,
    fastapi::debug_enabled::BUILTIN,
    fastapi::docs_exposed::BUILTIN,
    fastapi::settings_secret_hardcoded::BUILTIN,
    fastapi::trusted_hosts_wildcard::BUILTIN,
    flask::credential_hardcoded::BUILTIN,
    flask::csrf_disabled::BUILTIN,
    flask::debug_enabled::BUILTIN,
    flask::secret_key_hardcoded::BUILTIN,
    flask::setting::BUILTIN,
    gha::checkout_persists_credentials::BUILTIN,
    gha::curl_pipe_shell::BUILTIN,
    gha::dangerous_trigger::BUILTIN,
    gha::deprecated_action_version::BUILTIN,
    gha::excessive_permissions::BUILTIN,
    gha::insecure_commands::BUILTIN,
    gha::pip_unpinned::BUILTIN,
    gha::template_injection::BUILTIN,
    gha::template_injection_unknown_origin::BUILTIN,
    gha::template_injection_writer_controlled::BUILTIN,
    gha::unpinned_action::BUILTIN,
    gitignore::patterns::BUILTIN,
    gitlab::artifacts_secrets::BUILTIN,
    gitlab::curl_pipe_shell::BUILTIN,
    gitlab::debug_trace::BUILTIN,
    gitlab::dind_without_tls::BUILTIN,
    gitlab::image_latest::BUILTIN,
    gitlab::image_not_digest_pinned::BUILTIN,
    gitlab::include_unpinned::BUILTIN,
    gitlab::pip_unpinned::BUILTIN,
    gitlab::secret_in_variables::BUILTIN,
    parse::error::BUILTIN,
    repo::precommit_security_hooks_missing::BUILTIN,
    python::app_without::BUILTIN,
    python::call_kwarg::BUILTIN,
    python::eol_version::BUILTIN,
    harden::unused_suppression::BUILTIN,
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
