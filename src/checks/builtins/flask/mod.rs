//! The `flask-*` checks' Rust logic, one builtin per file.

pub(crate) mod credential_hardcoded;
pub(crate) mod csrf_disabled;
pub(crate) mod debug_enabled;
pub(crate) mod secret_key_hardcoded;
pub(crate) mod setting;
