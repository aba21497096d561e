//! Shared by `gitlab-image-latest` and `gitlab-image-not-digest-pinned`: every image a GitLab
//! CI job pulls (`image:`, `services:`, string or `name:` form), with `$VARIABLES` expanded
//! from the job's literal variables. A reference that uses a variable with no literal value
//! (`$CI_REGISTRY_IMAGE/app:$CI_COMMIT_SHA`) cannot be judged and is left out. Not a builtin.

use crate::formats::dockerfile::split_reference;
use crate::formats::gitlab_ci::{Job, Node, expand};

use crate::checks::builtins::gitlab::{GitlabPipeline, unique};

/// One image reference of a job.
pub struct PulledImage<'p> {
    pub node: &'p Node,
    /// After variable expansion.
    pub resolved: String,
    pub job: &'p Job,
}

impl PulledImage<'_> {
    pub fn parts(&self) -> (&str, Option<&str>, Option<&str>) {
        split_reference(&self.resolved)
    }
}

/// Every judgeable image reference of a pipeline, once per place written.
pub fn images<'p>(pipeline: &'p GitlabPipeline<'_>) -> Vec<PulledImage<'p>> {
    unique(pipeline, |job| job.images())
        .into_iter()
        .filter_map(|(job, node)| {
            let resolved = expand(node.as_str()?.trim(), |name| job.variable(name))?;
            (!resolved.is_empty()).then_some(PulledImage {
                node,
                resolved,
                job,
            })
        })
        .collect()
}
