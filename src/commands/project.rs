//! `harden project`: print the project model (what ships, what was set aside, and why).

use crate::cli::{ProjectArgs, ProjectFormat};
use crate::config::ProjectConfig;
use crate::diagnostic::ConfigErrors;
use crate::output;
use crate::project::walk;
use crate::{Error, Outcome};

pub fn run(args: &ProjectArgs) -> Result<Outcome, Error> {
    let root = &args.path;
    if !root.is_dir() {
        return Err(Error::Usage(format!(
            "{} is not a directory",
            root.display()
        )));
    }
    let config = ProjectConfig::discover(root).map_err(|e| Error::Config(ConfigErrors(e)))?;
    let mut project = walk::walk(root, &config.exclude_set());
    project.overrides = config.scope_overrides();
    let rendered = match args.format {
        ProjectFormat::Text => output::project::text(&project),
        ProjectFormat::Json => output::project::json(&project),
    };
    super::emit(None, &rendered)?;
    Ok(Outcome::Clean)
}
