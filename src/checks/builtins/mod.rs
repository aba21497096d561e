//! Named Rust logic for checks whose condition data cannot say. A builtin's metadata (message,
//! docs, severity, fix title) still lives in its check file; one builtin per file here.

mod bandit_config_missing;
mod bandit_configs;
mod bandit_critical_test_skipped;
mod bandit_excludes_app_code;
mod ci_security_scan_not_on_pr;
mod ci_tool_missing;
mod ci_tools;
mod compose_database_no_password;
mod compose_database_port_published;
mod compose_debug_enabled;
mod compose_docker_socket_mounted;
mod compose_privileged;
mod compose_secret_in_environment;
mod compose_services;
mod dependabot_cooldown_missing;
mod dependabot_ecosystem_missing;
mod dependabot_ecosystems;
mod dependabot_missing;
mod deps_extra_index_confusion;
mod deps_index;
mod deps_insecure_index;
mod deps_known_vulnerable;
mod deps_no_lock;
mod deps_requirements_without_hashes;
mod deps_unpinned_requirement;
mod deps_vcs_unpinned;
mod django_database_password_hardcoded;
mod docker_add_instead_of_copy;
mod docker_add_remote_url;
mod docker_apt_lists_not_removed;
mod docker_apt_no_install_recommends;
mod docker_commands;
mod docker_curl_pipe_shell;
mod docker_database_no_password;
mod docker_debug_server;
mod docker_healthcheck_missing;
mod docker_image_latest;
mod docker_image_not_digest_pinned;
mod docker_pip_no_cache_dir;
mod docker_pip_trusted_host;
mod docker_pip_unpinned;
mod docker_runs_as_root;
mod docker_secret_in_env;
mod docker_shell_form_cmd;
mod docker_ssh_exposed;
mod docker_sudo;
mod docker_tls_verification_disabled;
mod dockerignore_missing;
mod dockerignore_missing_secret_patterns;
mod dockerignore_patterns;
mod env_file_committed;
mod fastapi_cors_wildcard_credentials;
mod fastapi_debug_enabled;
mod fastapi_settings_secret_hardcoded;
mod flask_credential_hardcoded;
mod flask_csrf_disabled;
mod flask_debug_enabled;
mod flask_secret_key_hardcoded;
mod flask_setting;
mod gha;
mod gha_checkout_persists_credentials;
mod gha_curl_pipe_shell;
mod gha_dangerous_trigger;
mod gha_deprecated_action_version;
mod gha_excessive_permissions;
mod gha_insecure_commands;
mod gha_pip_unpinned;
mod gha_template_injection;
mod gha_template_injection_unknown_origin;
mod gha_unpinned_action;
mod gitignore_patterns;
mod gitlab;
mod gitlab_artifacts_secrets;
mod gitlab_curl_pipe_shell;
mod gitlab_debug_trace;
mod gitlab_dind_without_tls;
mod gitlab_image_latest;
mod gitlab_image_not_digest_pinned;
mod gitlab_images;
mod gitlab_include_unpinned;
mod gitlab_pip_unpinned;
mod gitlab_secret_in_variables;
mod harden_unused_suppression;
mod parse_error;
mod precommit_security_hooks_missing;
mod python_app_without;
mod python_call_kwarg;
mod python_eol_version;
mod secret_values;

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
    bandit_config_missing::BUILTIN,
    bandit_critical_test_skipped::BUILTIN,
    bandit_excludes_app_code::BUILTIN,
    ci_security_scan_not_on_pr::BUILTIN,
    ci_tool_missing::BUILTIN,
    compose_database_no_password::BUILTIN,
    compose_database_port_published::BUILTIN,
    compose_debug_enabled::BUILTIN,
    compose_docker_socket_mounted::BUILTIN,
    compose_privileged::BUILTIN,
    compose_secret_in_environment::BUILTIN,
    dependabot_cooldown_missing::BUILTIN,
    dependabot_ecosystem_missing::BUILTIN,
    dependabot_missing::BUILTIN,
    deps_extra_index_confusion::BUILTIN,
    deps_insecure_index::BUILTIN,
    deps_known_vulnerable::BUILTIN,
    deps_no_lock::BUILTIN,
    deps_requirements_without_hashes::BUILTIN,
    deps_unpinned_requirement::BUILTIN,
    deps_vcs_unpinned::BUILTIN,
    django_database_password_hardcoded::BUILTIN,
    docker_add_instead_of_copy::BUILTIN,
    docker_add_remote_url::BUILTIN,
    docker_apt_lists_not_removed::BUILTIN,
    docker_apt_no_install_recommends::BUILTIN,
    docker_curl_pipe_shell::BUILTIN,
    docker_database_no_password::BUILTIN,
    docker_debug_server::BUILTIN,
    docker_healthcheck_missing::BUILTIN,
    docker_image_latest::BUILTIN,
    docker_image_not_digest_pinned::BUILTIN,
    docker_pip_no_cache_dir::BUILTIN,
    docker_pip_trusted_host::BUILTIN,
    docker_pip_unpinned::BUILTIN,
    docker_runs_as_root::BUILTIN,
    docker_secret_in_env::BUILTIN,
    docker_shell_form_cmd::BUILTIN,
    docker_ssh_exposed::BUILTIN,
    docker_sudo::BUILTIN,
    docker_tls_verification_disabled::BUILTIN,
    dockerignore_missing::BUILTIN,
    dockerignore_missing_secret_patterns::BUILTIN,
    env_file_committed::BUILTIN,
    fastapi_cors_wildcard_credentials::BUILTIN,
    fastapi_debug_enabled::BUILTIN,
    fastapi_settings_secret_hardcoded::BUILTIN,
    flask_credential_hardcoded::BUILTIN,
    flask_csrf_disabled::BUILTIN,
    flask_debug_enabled::BUILTIN,
    flask_secret_key_hardcoded::BUILTIN,
    flask_setting::BUILTIN,
    gha_checkout_persists_credentials::BUILTIN,
    gha_curl_pipe_shell::BUILTIN,
    gha_dangerous_trigger::BUILTIN,
    gha_deprecated_action_version::BUILTIN,
    gha_excessive_permissions::BUILTIN,
    gha_insecure_commands::BUILTIN,
    gha_pip_unpinned::BUILTIN,
    gha_template_injection::BUILTIN,
    gha_template_injection_unknown_origin::BUILTIN,
    gha_unpinned_action::BUILTIN,
    gitignore_patterns::BUILTIN,
    gitlab_artifacts_secrets::BUILTIN,
    gitlab_curl_pipe_shell::BUILTIN,
    gitlab_debug_trace::BUILTIN,
    gitlab_dind_without_tls::BUILTIN,
    gitlab_image_latest::BUILTIN,
    gitlab_image_not_digest_pinned::BUILTIN,
    gitlab_include_unpinned::BUILTIN,
    gitlab_pip_unpinned::BUILTIN,
    gitlab_secret_in_variables::BUILTIN,
    parse_error::BUILTIN,
    precommit_security_hooks_missing::BUILTIN,
    python_app_without::BUILTIN,
    python_call_kwarg::BUILTIN,
    python_eol_version::BUILTIN,
    harden_unused_suppression::BUILTIN,
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
