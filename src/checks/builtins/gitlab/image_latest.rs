//! `gitlab-image-latest`: a GitLab CI job's `image:` or service without a tag or with
//! `:latest` (and no digest): the job runs whatever the image is that day.

use crate::checks::builtins::gitlab::images::images;
use crate::checks::builtins::gitlab::pipelines;
use crate::checks::builtins::{Builtin, Ctx, Hit};

pub const BUILTIN: Builtin = Builtin {
    name: "gitlab-image-latest",
    vars: &["image", "job"],
    params: &[],
    run,
};

fn run(ctx: &Ctx<'_>) -> Vec<Hit> {
    let mut hits = Vec::new();
    for pipeline in pipelines(ctx.project) {
        for image in images(&pipeline) {
            let (_, tag, digest) = image.parts();
            if digest.is_none() && tag.is_none_or(|t| t == "latest") {
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
