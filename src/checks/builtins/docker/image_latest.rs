//! `docker-image-latest`: a `FROM` image without a tag or with `:latest` (and no digest), in
//! any stage. References to earlier stages and `scratch` are not images; a reference whose
//! `ARG` has no default cannot be judged.
//!
//! The fix (unsafe) is offered only when the right tag is knowable: the image is the official
//! `python` image, written literally (not through an `ARG`), and the project declares its
//! Python version — `.python-version` or `runtime.txt` (next to the Dockerfile first, then at
//! the root), else the lowest version `requires-python` in pyproject.toml admits. The image
//! becomes `python:<major.minor>-slim`. Anything else stays display-only.

use pep508_rs::pep440_rs::{Version, VersionSpecifiers};

use crate::checks::builtins::docker::pulled_images;
use crate::checks::builtins::{Builtin, Ctx, Hit};
use crate::finding::Location;
use crate::fix::Edit;
use crate::formats::Parsed;
use crate::formats::dockerfile::ImageRef;
use crate::project::{FileKind, Project, SourceFile};

pub const BUILTIN: Builtin = Builtin {
    name: "docker-image-latest",
    vars: &["image", "suggestion", "source"],
    params: &[],
    run,
};

fn run(ctx: &Ctx<'_>) -> Vec<Hit> {
    pulled_images(ctx.project)
        .filter(|(_, image)| {
            image.digest.is_none() && image.tag.as_deref().is_none_or(|tag| tag == "latest")
        })
        .map(|(file, image)| {
            let hit = Hit::at(Location::span(&file.path, image.written.span.clone()))
                .var("image", image.resolved.as_str());
            let version = is_official_python(image)
                .then(|| declared_python(ctx.project, file))
                .flatten();
            match version {
                Some((version, source)) => {
                    let suggestion = format!("{}:{version}-slim", image.name);
                    hit.var("suggestion", suggestion.as_str())
                        .var("source", source)
                        .edits(vec![Edit::replace(
                            &file.path,
                            image.written.span.clone(),
                            suggestion,
                        )])
                }
                None => hit.var("suggestion", "").var("source", ""),
            }
        })
        .collect()
}

/// The official Python image, written literally (a tag can then replace the whole word).
fn is_official_python(image: &ImageRef) -> bool {
    !image.uses_args
        && image.written.value == image.resolved
        && matches!(
            image.name.to_ascii_lowercase().as_str(),
            "python" | "library/python" | "docker.io/library/python" | "docker.io/python"
        )
}

/// The Python version (`major.minor`) the project declares, and where.
fn declared_python(project: &Project, dockerfile: &SourceFile) -> Option<(String, String)> {
    let mut version_files: Vec<&SourceFile> = project
        .files_of(FileKind::PythonVersion)
        .filter(|f| f.dir() == dockerfile.dir() || f.dir().is_empty())
        .collect();
    // Next to the Dockerfile first, then the root; `.python-version` before `runtime.txt`.
    version_files.sort_by_key(|f| (f.dir() != dockerfile.dir(), f.name() == "runtime.txt"));
    for file in version_files {
        let Ok(text) = file.text() else { continue };
        if let Some(version) = version_file(&text.content, file.name() == "runtime.txt") {
            return Some((version, file.path.clone()));
        }
    }
    let mut pyprojects: Vec<&SourceFile> = project
        .files_of(FileKind::Pyproject)
        .filter(|f| f.dir() == dockerfile.dir() || f.dir().is_empty())
        .collect();
    pyprojects.sort_by_key(|f| f.dir() != dockerfile.dir());
    for file in pyprojects {
        let Parsed::Toml(toml) = file.parsed() else {
            continue;
        };
        let spec = toml
            .get(&["project", "requires-python"])
            .and_then(|item| item.as_str());
        if let Some(version) = spec.and_then(lowest_admitted) {
            return Some((version, format!("{} (requires-python)", file.path)));
        }
    }
    None
}

/// `3.12`, `3.12.4` (`.python-version`) or `python-3.12.4` (`runtime.txt`) on the first
/// meaningful line, as `major.minor`.
fn version_file(content: &str, runtime: bool) -> Option<String> {
    let line = content
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))?;
    let body = if runtime {
        line.strip_prefix("python-")?
    } else {
        line
    };
    let mut parts = body.split('.');
    let major = parts.next()?;
    let minor: String = parts
        .next()?
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let numeric = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    (major == "3" && numeric(&minor)).then(|| format!("{major}.{minor}"))
}

/// The oldest `3.x` a `requires-python` specifier admits (its lower bound).
fn lowest_admitted(spec: &str) -> Option<String> {
    let specifiers = spec.parse::<VersionSpecifiers>().ok()?;
    // `>=3` names no minor version: nothing to pick.
    if specifiers.iter().any(|s| s.version().release().len() < 2) {
        return None;
    }
    (0u64..=40)
        .find(|minor| {
            [0u64, 99]
                .iter()
                .filter_map(|patch| format!("3.{minor}.{patch}").parse::<Version>().ok())
                .any(|v| specifiers.contains(&v))
        })
        .map(|minor| format!("3.{minor}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_files() {
        assert_eq!(version_file("3.12\n", false).as_deref(), Some("3.12"));
        assert_eq!(
            version_file("# pinned\n3.11.9\n", false).as_deref(),
            Some("3.11")
        );
        assert_eq!(
            version_file("python-3.10.14", true).as_deref(),
            Some("3.10")
        );
        assert_eq!(version_file("3.10.14", true), None);
        assert_eq!(version_file("pypy3.10\n", false), None);
        assert_eq!(version_file("3\n", false), None);
        assert_eq!(version_file("", false), None);
    }

    #[test]
    fn requires_python() {
        assert_eq!(lowest_admitted(">=3.11").as_deref(), Some("3.11"));
        assert_eq!(lowest_admitted(">=3.10,<3.13").as_deref(), Some("3.10"));
        assert_eq!(lowest_admitted("==3.12.*").as_deref(), Some("3.12"));
        assert_eq!(lowest_admitted("~=3.12").as_deref(), Some("3.12"));
        assert_eq!(lowest_admitted(">3.11").as_deref(), Some("3.11"));
        assert_eq!(lowest_admitted("not a spec"), None);
        assert_eq!(lowest_admitted("<3"), None);
        assert_eq!(lowest_admitted(">=3"), None);
    }
}
