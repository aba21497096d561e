//! `dependabot-ecosystem-missing`: dependabot.yml exists, but an ecosystem + directory the
//! project uses has no update entry. The fix appends the entry to `updates` with yamlpatch,
//! keeping the file's comments, order and style.

use crate::checks::builtins::dependabot as ecosystems;
use crate::checks::builtins::{Builtin, Ctx, Hit};
use crate::finding::Location;
use crate::fix::Edit;
use crate::formats::Parsed;
use crate::formats::yaml::Step;
use crate::project::FileKind;

pub const BUILTIN: Builtin = Builtin {
    name: "dependabot-ecosystem-missing",
    vars: &["ecosystem", "directory"],
    params: &["ignore-paths"],
    run,
};

fn run(ctx: &Ctx<'_>) -> Vec<Hit> {
    let mut hits = Vec::new();
    let mut needs = None;
    for file in ctx.project.files_of(FileKind::Dependabot) {
        let Parsed::Yaml(config) = file.parsed() else {
            continue;
        };
        let needs = needs.get_or_insert_with(|| {
            ecosystems::needs(
                ctx.project,
                &ecosystems::skip_globs(&ctx.param_strings("ignore-paths")),
            )
        });
        let coverage = ecosystems::Coverage::of(&config.value);
        let updates = [Step::Key("updates".to_string())];
        let location = match config.key_span(&updates) {
            Some(span) => Location::span(&file.path, span),
            None => Location::file(&file.path),
        };
        for need in needs.iter().filter(|n| !coverage.covers(n)) {
            let mut hit = Hit::at(location.clone())
                .var("ecosystem", need.ecosystem)
                .var("directory", need.directory.as_str())
                .related(
                    Location::file(&need.evidence),
                    format!("{} dependencies are declared here", need.ecosystem),
                )
                .fingerprint(format!("{} {}", need.ecosystem, need.directory));
            // Without a block sequence to append to, the finding is display-only.
            if let Some(new) = config.append(&updates, &ecosystems::update_entry(need)) {
                hit = hit.edits(
                    Edit::from_rewrite(&file.path, config.source(), &new)
                        .into_iter()
                        .collect(),
                );
            }
            hits.push(hit);
        }
    }
    hits
}
