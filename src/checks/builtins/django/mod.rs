//! The `django-*` checks' Rust logic, one builtin per file.

pub(crate) mod database_password_hardcoded;
pub(crate) mod eol_version;
