//! JSON files harden only peeks into (package.json): no positions, just the top-level keys.

use super::ParseError;

/// Whether the JSON object in `text` has `key` at its top level. `Err` when the text is not
/// JSON; `Ok(false)` when it is JSON but not an object.
pub fn has_top_level_key(text: &str, key: &str) -> Result<bool, ParseError> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| ParseError {
        message: e.to_string(),
        span: None,
    })?;
    Ok(value
        .as_object()
        .is_some_and(|object| object.contains_key(key)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_top_level_keys_only() {
        assert_eq!(
            has_top_level_key(r#"{"renovate": {"extends": []}}"#, "renovate"),
            Ok(true)
        );
        assert_eq!(
            has_top_level_key(r#"{"config": {"renovate": 1}}"#, "renovate"),
            Ok(false)
        );
        assert_eq!(has_top_level_key("[1, 2]", "renovate"), Ok(false));
        assert!(has_top_level_key("{", "renovate").is_err());
    }
}
