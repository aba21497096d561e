//! `docker-image-not-digest-pinned`: a `FROM` image without `@sha256:...`, in any stage.

use super::docker_commands::dockerfiles;
use super::{Builtin, Ctx, Hit};
use crate::finding::Location;

pub const BUILTIN: Builtin = Builtin {
    name: "docker-image-not-digest-pinned",
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
            if image.digest.is_none() {
                hits.push(
                    Hit::at(Location::span(&file.path, image.written.span.clone()))
                        .var("image", image.resolved.as_str()),
                );
            }
        }
    }
    hits
}
