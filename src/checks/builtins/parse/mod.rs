//! The `parse-*` checks' Rust logic, one builtin per file.

pub(crate) mod error;
