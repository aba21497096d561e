//! `docker-image-latest`: a `FROM` image without a tag or with `:latest` (and no digest), in
//! any stage. References to earlier stages and `scratch` are not images; a reference whose
//! `ARG` has no default cannot be judged.

use super::docker_commands::dockerfiles;
use super::{Builtin, Ctx, Hit};
use crate::finding::Location;

pub const BUILTIN: Builtin = Builtin {
    name: "docker-image-latest",
    vars: &["image"],
    params: &[],
    run,
};

fn run(ctx: &Ctx<'_>) -> Vec<Hit> {
    let mut hits = Vec::new();
    for (file, parsed) in dockerfiles(ctx.project) {
        for stage in &parsed.stages {
            let Some(image) = &stage.image else { continue };
            if image.is_scratch() || stage.parent.is_some() || image.unresolved {
                continue;
            }
            let latest = match image.tag.as_deref() {
                None => image.digest.is_none(),
                Some(tag) => tag == "latest" && image.digest.is_none(),
            };
            if latest {
                hits.push(
                    Hit::at(Location::span(&file.path, image.written.span.clone()))
                        .var("image", image.resolved.as_str()),
                );
            }
        }
    }
    hits
}
