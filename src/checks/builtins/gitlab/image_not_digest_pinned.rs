//! `gitlab-image-not-digest-pinned`: a GitLab CI job's `image:` or service not pinned by
//! `@sha256:` digest. Images without a tag are `gitlab-image-latest`'s, not reported twice.

use crate::checks::builtins::gitlab::images::images;
use crate::checks::builtins::gitlab::pipelines;
use crate::checks::builtins::{Builtin, Ctx, Hit};

pub const BUILTIN: Builtin = Builtin {
    name: "gitlab-image-not-digest-pinned",
    vars: &["image", "job"],
    params: &[],
    run,
};

fn run(ctx: &Ctx<'_>) -> Vec<Hit> {
    let mut hits = Vec::new();
    for pipeline in pipelines(ctx.project) {
        for image in images(&pipeline) {
            let (_, tag, digest) = image.parts();
            if digest.is_none() && tag.is_some_and(|t| t != "latest") {
                hits.push(
                    Hit::at(pipeline.location(image.node.at()))
                        .var("image", image.resolved.as_str())
                        .var("job", image.job.name.as_str()),
                );
            }
        }
    }
    hits
}
