//! github output (to be written).

use super::Report;

pub fn render(_report: &Report<'_>) -> String {
    String::new()
}
