//! `.dockerignore` semantics for the dockerignore-* builtins: whether a path is excluded from
//! the build context, and which paths a Dockerfile copies by name (a `.dockerignore` must not
//! exclude those, or the build breaks). Not a builtin itself.

pub(crate) mod missing;
pub(crate) mod missing_secret_patterns;

use globset::GlobBuilder;

use crate::checks::builtins::docker::add_remote_url::is_remote;
use crate::formats::dockerfile::Dockerfile;

fn clean(pattern: &str) -> &str {
    pattern
        .trim()
        .trim_start_matches("./")
        .trim_start_matches('/')
        .trim_end_matches('/')
}

/// Whether one pattern matches `path` or one of its parent directories.
pub fn matches(pattern: &str, path: &str) -> bool {
    let pattern = clean(pattern);
    let Ok(glob) = GlobBuilder::new(pattern).literal_separator(true).build() else {
        return false;
    };
    let matcher = glob.compile_matcher();
    let path = clean(path);
    let mut prefix = String::new();
    for part in path.split('/') {
        if !prefix.is_empty() {
            prefix.push('/');
        }
        prefix.push_str(part);
        if matcher.is_match(&prefix) {
            return true;
        }
    }
    false
}

/// Docker's rule: the last matching line decides, `!` lines re-include.
pub fn excluded(patterns: &[&str], path: &str) -> bool {
    let mut out = false;
    for line in patterns {
        let (negated, pattern) = match line.strip_prefix('!') {
            Some(rest) => (true, rest),
            None => (false, *line),
        };
        if matches(pattern, path) {
            out = !negated;
        }
    }
    out
}

/// Local sources `COPY`/`ADD` take from the build context by name (not `.`, not another
/// stage, not a URL).
pub fn copied_sources(file: &Dockerfile) -> Vec<String> {
    file.instructions
        .iter()
        .filter(|i| (i.is("COPY") || i.is("ADD")) && i.flag("from").is_none())
        .flat_map(|i| {
            let words = i.words();
            let count = words.len().saturating_sub(1);
            words.into_iter().take(count).collect::<Vec<_>>()
        })
        .map(|w| clean(&w.value).to_string())
        .filter(|s| !s.is_empty() && s != "." && !is_remote(s) && !s.contains('$'))
        .collect()
}

/// Whether `pattern` would exclude something one of `sources` names.
pub fn hits_source(pattern: &str, sources: &[String]) -> bool {
    let pattern = pattern.strip_prefix('!').unwrap_or(pattern);
    sources.iter().any(|source| {
        matches(pattern, source)
            || (source.contains(['*', '?', '[']) && matches(source, clean(pattern)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docker_matching() {
        assert!(excluded(&[".env"], ".env"));
        assert!(excluded(&[".git"], ".git/config"));
        assert!(excluded(&["*"], ".env"));
        assert!(!excluded(&["*", "!.env"], ".env"));
        assert!(excluded(&["**/*.pem"], "x.pem"));
        assert!(!excluded(&["*.pem"], "a/x.pem"));
        let file =
            Dockerfile::parse("FROM x\nCOPY .env requirements.txt /app/\nCOPY --from=b /x /y\n");
        let sources = copied_sources(&file);
        assert_eq!(sources, [".env", "requirements.txt"]);
        assert!(hits_source(".env", &sources));
        assert!(!hits_source(".env.*", &sources));
    }
}
