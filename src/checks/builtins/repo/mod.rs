//! The `repo-*` checks' Rust logic, one builtin per file.

pub(crate) mod precommit_security_hooks_missing;
