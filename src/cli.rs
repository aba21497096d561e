//! Command-line types only (clap); resolved into settings before any work is done.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(name = "harden", version, about = "Check and fix the hardening of a Python project's configuration", long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,

    /// Colour: auto (a terminal without NO_COLOR), always or never.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Report findings (exit 0: none at or above --fail-on, 1: some, 2: usage or configuration error).
    Check(CheckArgs),
    /// Apply fixes: one by one on a terminal, all with --yes, or print a patch with --diff.
    Fix(FixArgs),
    /// List every check: id, severity, file kinds, profiles, fixable.
    Checks(ChecksArgs),
    /// Print a check's documentation.
    Explain(ExplainArgs),
    /// Print the project model: what ships (production settings, apps, images) and what was
    /// set aside as development, test or example material, each with its evidence.
    Project(ProjectArgs),
    /// Create a hardened project, or add the hardening files an existing one is missing.
    Init(InitArgs),
    /// Print a shell completion script.
    Completions(CompletionsArgs),
    /// Print a man page (roff): harden(1), or harden-SUBCOMMAND(1).
    Man(ManArgs),
    /// The OSV advisory database of deps-known-vulnerable: `update` downloads it (the only
    /// harden command that uses the network), `status` shows its date and size.
    Advisories(AdvisoriesArgs),
}

#[derive(Debug, Args)]
pub struct AdvisoriesArgs {
    #[command(subcommand)]
    pub command: AdvisoriesCommand,
}

#[derive(Debug, Subcommand)]
pub enum AdvisoriesCommand {
    /// Download OSV's PyPI advisories (uses the network) and store them in the user cache
    /// directory ($HARDEN_CACHE_DIR, else e.g. ~/.cache/harden) with today's date.
    Update {
        /// Where to download OSV's PyPI export (a zip of OSV JSON records) from.
        #[arg(long, default_value = crate::advisories::DEFAULT_URL)]
        url: String,
    },
    /// Print the database's date and number of advisories, and the date of the end-of-life
    /// tables embedded in harden (exit 1 when there is no database).
    Status,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// The subcommand whose page to print (`check` for harden-check(1)).
    pub subcommand: Option<String>,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// What selects the checks; shared by `check` and `fix`.
#[derive(Debug, Args, Clone, Default)]
pub struct SelectionArgs {
    /// What to check: a directory or file [default: the current directory]. harden finds the
    /// project root upward (harden.toml, pyproject.toml, manage.py, requirements.txt, .git, ...),
    /// judges the whole project, and reports the findings in the paths given.
    #[arg(default_value = ".")]
    pub path: PathBuf,

    /// More files or directories of the same project.
    #[arg(value_name = "PATH")]
    pub more_paths: Vec<PathBuf>,

    /// Read the configuration from FILE (a harden.toml, or a pyproject.toml with [tool.harden])
    /// instead of the project's own.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Profile: `baseline`, `strict`, or a profile file.
    #[arg(long)]
    pub profile: Option<String>,

    /// Run only these checks (ids or domains such as `deps`, comma-separated); replaces the profile's set.
    #[arg(long, value_delimiter = ',')]
    pub select: Option<Vec<String>>,

    /// Add these checks to the profile's set.
    #[arg(long, value_delimiter = ',')]
    pub extend_select: Vec<String>,

    /// Do not run these checks (ids or domains).
    #[arg(long, value_delimiter = ',')]
    pub ignore: Vec<String>,

    /// Suppress the findings recorded in this baseline file.
    #[arg(long)]
    pub baseline: Option<PathBuf>,

    /// OSV advisory database for deps-known-vulnerable: OSV's PyPI all.zip or a directory of OSV
    /// records [default: $HARDEN_ADVISORIES, else the cache of `harden advisories update`].
    #[arg(long, value_name = "PATH")]
    pub advisories: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
    Sarif,
    Github,
    /// A GitLab Code Quality report (`artifacts: reports: codequality:`).
    Gitlab,
    Markdown,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub selection: SelectionArgs,

    /// Output format.
    #[arg(long, visible_alias = "output-format", value_enum, default_value_t = Format::Text)]
    pub format: Format,

    /// Write the report to FILE instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Exit 0 even when findings remain (errors still exit 2).
    #[arg(long)]
    pub exit_zero: bool,

    /// Print the findings and nothing else: no summary line, no notes on stderr.
    #[arg(long, short)]
    pub quiet: bool,

    /// Print how many findings each check has instead of the findings.
    #[arg(long, conflicts_with = "write_baseline")]
    pub statistics: bool,

    /// Print the resolved settings (root, configuration, profile, enabled checks and where each
    /// setting came from) and exit without checking.
    #[arg(long)]
    pub show_settings: bool,

    /// Exit 1 only for findings at or above this severity [default: low, or `fail-on` in harden.toml].
    #[arg(long, value_parser = ["low", "medium", "high", "critical"])]
    pub fail_on: Option<String>,

    /// Write every current finding to FILE as a baseline, and exit 0.
    #[arg(long)]
    pub write_baseline: Option<PathBuf>,

    /// Also list suppressed findings in text and SARIF output (JSON always lists them, marked).
    #[arg(long)]
    pub show_suppressed: bool,
}

#[derive(Debug, Args)]
pub struct FixArgs {
    #[command(flatten)]
    pub selection: SelectionArgs,

    /// Print one unified patch of every fix (for `git apply`) and write nothing.
    #[arg(long, conflicts_with = "yes")]
    pub diff: bool,

    /// Apply fixes without asking.
    #[arg(long, short)]
    pub yes: bool,

    /// Include unsafe fixes (they can change behaviour: read `harden explain ID`).
    #[arg(long)]
    pub unsafe_fixes: bool,
}

#[derive(Debug, Args)]
pub struct ChecksArgs {
    /// Only the checks of this profile.
    #[arg(long)]
    pub profile: Option<String>,

    /// Print JSON instead of a table.
    #[arg(long, conflicts_with = "markdown")]
    pub json: bool,

    /// Print every check's documentation as one Markdown page (docs/checks.md).
    #[arg(long)]
    pub markdown: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ProjectFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct ProjectArgs {
    /// Project root.
    #[arg(default_value = ".")]
    pub path: PathBuf,

    /// Output format.
    #[arg(long, value_enum, default_value_t = ProjectFormat::Text)]
    pub format: ProjectFormat,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The check id, e.g. `gitignore-missing-secret-patterns`.
    pub id: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Framework {
    Django,
    Flask,
    Fastapi,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CiProvider {
    Github,
    /// A hardened `.gitlab-ci.yml` (and Renovate instead of Dependabot).
    Gitlab,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The project directory: created when missing; in an existing project only missing files
    /// are added.
    #[arg(default_value = ".")]
    pub path: PathBuf,

    /// The web framework of the application.
    #[arg(long, value_enum)]
    pub framework: Framework,

    /// Also write a Dockerfile and a .dockerignore.
    #[arg(long)]
    pub docker: bool,

    /// Also write CI workflows for this provider.
    #[arg(long, value_enum)]
    pub ci: Option<CiProvider>,

    /// The Python package name [default: derived from the directory name].
    #[arg(long)]
    pub name: Option<String>,

    /// Overwrite files that already exist (each is still shown and, on a terminal, asked about).
    #[arg(long)]
    pub force: bool,

    /// Write every file without asking.
    #[arg(long, short, conflicts_with = "diff")]
    pub yes: bool,

    /// Print what would be written as one unified patch and write nothing (exit 1 when there
    /// is something to write).
    #[arg(long)]
    pub diff: bool,
}
