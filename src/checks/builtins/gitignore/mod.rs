//! The `gitignore-*` checks' Rust logic, one builtin per file.

pub(crate) mod patterns;
