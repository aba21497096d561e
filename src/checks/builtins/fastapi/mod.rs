//! The `fastapi-*` checks' Rust logic, one builtin per file.

pub(crate) mod cors_wildcard_credentials;
pub(crate) mod debug_enabled;
pub(crate) mod docs_exposed;
pub(crate) mod settings_secret_hardcoded;
pub(crate) mod trusted_hosts_wildcard;
