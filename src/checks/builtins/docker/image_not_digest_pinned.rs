//! `docker-image-not-digest-pinned`: a `FROM` image without `@sha256:...`, in any stage.

use crate::checks::builtins::docker::pulled_images;
use crate::checks::builtins::{Builtin, Ctx, Hit};
use crate::finding::Location;

pub const BUILTIN: Builtin = Builtin {
    name: "docker-image-not-digest-pinned",
    vars: &["image"],
    params: &[],
    run,
};

fn run(ctx: &Ctx<'_>) -> Vec<Hit> {
    pulled_images(ctx.project)
        .filter(|(_, image)| image.digest.is_none())
        .map(|(file, image)| {
            Hit::at(Location::span(&file.path, image.written.span.clone()))
                .var("image", image.resolved.as_str())
        })
        .collect()
}
