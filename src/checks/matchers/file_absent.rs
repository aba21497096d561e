//! `type = "file-absent"`: none of the listed files exists; the fix creates the first one from
//! a template.

use toml_span::Spanned;
use toml_span::de_helpers::TableHelper;

use super::{Ctx, Hit, custom};
use crate::finding::Location;
use crate::fix::Edit;

pub const VARS: &[&str] = &["path"];

#[derive(Debug)]
pub struct FileAbsent {
    /// Relative paths; any one of them present satisfies the check.
    pub paths: Vec<String>,
    /// Template (under `templates/`) that renders the file to create at `paths[0]`.
    pub template: Option<String>,
}

impl FileAbsent {
    pub fn parse(th: &mut TableHelper<'_>, errors: &mut Vec<toml_span::Error>) -> Option<Self> {
        let paths: Spanned<Vec<String>> = th.required_s("paths").ok()?;
        if paths.value.is_empty() {
            errors.push(custom(paths.span, "`paths` needs at least one path"));
            return None;
        }
        let template: Option<Spanned<String>> = th.optional_s("template");
        if let Some(template) = &template
            && !crate::templates::exists(&template.value)
        {
            errors.push(custom(
                template.span,
                format!("no template `{}` in templates/", template.value),
            ));
        }
        Some(Self {
            paths: paths.value,
            template: template.map(|t| t.value),
        })
    }

    pub fn run(&self, ctx: &Ctx<'_>) -> Vec<Hit> {
        if self
            .paths
            .iter()
            .any(|p| ctx.project.file(p).is_some() || ctx.project.root.join(p).exists())
        {
            return Vec::new();
        }
        let path = &self.paths[0];
        let mut hit = Hit::at(Location::file(path.clone())).var("path", path.as_str());
        if let Some(template) = &self.template
            && let Ok(content) = ctx.templates.render(template, minijinja::context! {})
        {
            hit = hit.edits(vec![Edit::create(path.clone(), content)]);
        }
        vec![hit]
    }
}
