//! The `harden-*` checks' Rust logic, one builtin per file.

pub(crate) mod unused_suppression;
