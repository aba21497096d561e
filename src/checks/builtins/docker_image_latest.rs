//! `docker-image-latest`: a `FROM` image without a tag or with `:latest` (and no digest), in
//! any stage. References to earlier stages and `scratch` are not images; a reference whose
//! `ARG` has no default cannot be judged.

use super::docker_commands::pulled_images;
use super::{Builtin, Ctx, Hit};
use crate::finding::Location;

pub const BUILTIN: Builtin = Builtin {
    name: "docker-image-latest",
    vars: &["image"],
    params: &[],
    run,
};

fn run(ctx: &Ctx<'_>) -> Vec<Hit> {
    pulled_images(ctx.project)
        .filter(|(_, image)| {
            image.digest.is_none() && image.tag.as_deref().is_none_or(|tag| tag == "latest")
        })
        .map(|(file, image)| {
            Hit::at(Location::span(&file.path, image.written.span.clone()))
                .var("image", image.resolved.as_str())
        })
        .collect()
}
