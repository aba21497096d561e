//! The `python-*` checks' Rust logic, one builtin per file.

pub(crate) mod app_without;
pub(crate) mod call_kwarg;
pub(crate) mod eol_version;
