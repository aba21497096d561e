//! Shared knowledge for the docker-* builtins: which Dockerfiles there are, which stages ship,
//! and what a `RUN` command does (pip / uv / pipx installs, apt-get, curl, wget). Not a
//! builtin itself.

pub(crate) mod add_instead_of_copy;
pub(crate) mod add_remote_url;
pub(crate) mod apt_lists_not_removed;
pub(crate) mod apt_no_install_recommends;
pub(crate) mod base_image_eol;
pub(crate) mod curl_pipe_shell;
pub(crate) mod database_no_password;
pub(crate) mod debug_server;
pub(crate) mod healthcheck_missing;
pub(crate) mod image_latest;
pub(crate) mod image_not_digest_pinned;
pub(crate) mod pip_no_cache_dir;
pub(crate) mod pip_trusted_host;
pub(crate) mod pip_unpinned;
pub(crate) mod runs_as_root;
pub(crate) mod secret_in_env;
pub(crate) mod shell_form_cmd;
pub(crate) mod ssh_exposed;
pub(crate) mod sudo;
pub(crate) mod tls_verification_disabled;

use crate::formats::Parsed;
use crate::formats::dockerfile::{Command, Dockerfile, ImageRef, Instruction, Sep, Word};
use crate::project::{FileKind, Project, SourceFile};

/// Every Dockerfile of the project that parsed.
pub fn dockerfiles(project: &Project) -> impl Iterator<Item = (&SourceFile, &Dockerfile)> {
    project
        .files_of(FileKind::Dockerfile)
        .filter_map(|file| match file.parsed() {
            Parsed::Dockerfile(parsed) => Some((file, parsed)),
            _ => None,
        })
}

/// Every image a `FROM` pulls from a registry, in any stage: not `scratch`, not an earlier
/// stage, and not a reference whose `ARG` has no default (which cannot be judged).
pub fn pulled_images(project: &Project) -> impl Iterator<Item = (&SourceFile, &ImageRef)> {
    dockerfiles(project).flat_map(|(file, parsed)| {
        parsed.stages.iter().filter_map(move |stage| {
            let image = stage.image.as_ref()?;
            let pulled = !image.is_scratch() && stage.parent.is_none() && !image.unresolved;
            pulled.then_some((file, image))
        })
    })
}

/// The last path component of a word (`/usr/bin/pip3` -> `pip3`).
pub fn basename(word: &str) -> &str {
    word.rsplit('/').next().unwrap_or(word)
}

/// The stage and the earlier stages it is built on (`FROM builder`), nearest first.
pub fn chain(file: &Dockerfile, stage: usize) -> Vec<usize> {
    let mut out = vec![stage];
    let mut current = stage;
    while let Some(parent) = file.stages.get(current).and_then(|s| s.parent) {
        if out.contains(&parent) {
            break;
        }
        out.push(parent);
        current = parent;
    }
    out
}

/// Stages whose layers end up in the shipped image: the final one and those it builds on.
pub fn shipped(file: &Dockerfile) -> Vec<usize> {
    file.final_stage()
        .map(|(index, _)| chain(file, index))
        .unwrap_or_default()
}

/// Instructions of the shipped image, base stages first.
pub fn shipped_instructions(file: &Dockerfile) -> Vec<&Instruction> {
    let mut stages = shipped(file);
    stages.reverse();
    stages
        .into_iter()
        .flat_map(|s| file.stage_instructions(s))
        .collect()
}

/// Instructions that run in a build stage (not the global `ARG`s before the first `FROM`).
pub fn staged(file: &Dockerfile) -> impl Iterator<Item = &Instruction> {
    file.instructions.iter().filter(|i| i.stage.is_some())
}

/// Every simple command of every `RUN` in a build stage, with its instruction.
pub fn run_commands(file: &Dockerfile) -> Vec<(&Instruction, Command)> {
    staged(file)
        .filter(|i| i.is("RUN"))
        .flat_map(|i| i.commands().into_iter().map(move |c| (i, c)))
        .collect()
}

/// `ENV`/`ARG` variables set by `instructions` (names and literal values).
pub fn variables<'a>(
    instructions: impl IntoIterator<Item = &'a Instruction>,
) -> Vec<(Word, Option<Word>)> {
    instructions
        .into_iter()
        .filter(|i| i.is("ENV") || i.is("ARG"))
        .flat_map(Instruction::pairs)
        .collect()
}

/// Words that only change how the real program runs.
const WRAPPERS: &[&str] = &["sudo", "env", "exec", "time", "nice", "nohup", "command"];

fn is_assignment(word: &str) -> bool {
    word.split_once('=').is_some_and(|(name, _)| {
        !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
    })
}

/// The index of the word naming the program a command runs: leading `NAME=value` assignments
/// and wrappers (`sudo -u x`, `env -i`, `exec`, ...) with their options are skipped.
pub fn program(command: &Command) -> Option<usize> {
    let words = &command.words;
    let mut at = 0;
    while let Some(word) = words.get(at) {
        let value = word.value.as_str();
        if is_assignment(value) {
            at += 1;
        } else if WRAPPERS.contains(&basename(value)) {
            at += 1;
            // Options of the wrapper; `sudo -u user` takes a value.
            while let Some(option) = words.get(at).filter(|w| w.value.starts_with('-')) {
                at += 1;
                if matches!(
                    option.value.as_str(),
                    "-u" | "-g" | "-n" | "--user" | "--group"
                ) {
                    at += 1;
                }
            }
        } else {
            return Some(at);
        }
    }
    None
}

/// The program's name (basename) and its arguments.
pub fn program_and_args(command: &Command) -> Option<(&str, &[Word])> {
    let at = program(command)?;
    let name = basename(&command.words.get(at)?.value);
    Some((name, command.words.get(at + 1..).unwrap_or(&[])))
}

fn is_python(name: &str) -> bool {
    name.strip_prefix("python")
        .is_some_and(|v| v.bytes().all(|b| b.is_ascii_digit() || b == b'.'))
}

fn is_pip(name: &str) -> bool {
    name.strip_prefix("pip")
        .is_some_and(|v| v.bytes().all(|b| b.is_ascii_digit() || b == b'.'))
}

/// Which installer an install command uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Installer {
    /// `pip`, `pip3`, `python -m pip`.
    Pip,
    /// `uv pip install`.
    UvPip,
    /// `pipx install`, `python -m pipx install`.
    Pipx,
    /// `uv tool install`.
    UvTool,
    /// `uv add`: resolved and installed into the project at build time.
    UvAdd,
}

impl Installer {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pip => "pip",
            Self::UvPip => "uv pip",
            Self::Pipx => "pipx",
            Self::UvTool => "uv tool",
            Self::UvAdd => "uv add",
        }
    }
}

/// A Python package install: the installer, the `install` word, and the words after it.
pub struct PipInstall<'a> {
    pub installer: Installer,
    pub install: &'a Word,
    pub args: &'a [Word],
}

/// `pip install`, `pip3 install`, `python -m pip install`, `uv pip install`, `pipx install`,
/// `python -m pipx install`, `uv tool install`, `uv add`.
pub fn pip_install(command: &Command) -> Option<PipInstall<'_>> {
    let at = program(command)?;
    let words = &command.words;
    let name = basename(&words.get(at)?.value);
    let word = |i: usize| words.get(i).map(|w| w.value.as_str());
    // Options before a subcommand (`uv --no-cache pip install`, `pip --no-input install`,
    // `uv --directory app pip install`): an option that takes a separate value skips it too.
    let skip_options = |mut i: usize| {
        while let Some(w) = word(i).filter(|w| w.starts_with('-')) {
            i += if VALUE_OPTIONS.contains(&w) { 2 } else { 1 };
        }
        i
    };
    let (installer, install_at) = if is_pip(name) {
        (Installer::Pip, at + 1)
    } else if is_python(name) {
        // `python -m pip install`, possibly with interpreter options before `-m`.
        let mut i = at + 1;
        while word(i).is_some_and(|w| w.starts_with('-') && w != "-m") {
            i += 1;
        }
        match (word(i), word(i + 1)) {
            (Some("-m"), Some("pip")) => (Installer::Pip, i + 2),
            (Some("-m"), Some("pipx")) => (Installer::Pipx, i + 2),
            _ => return None,
        }
    } else if name == "uv" {
        let sub = skip_options(at + 1);
        match word(sub) {
            Some("pip") => (Installer::UvPip, sub + 1),
            Some("tool") => (Installer::UvTool, sub + 1),
            Some("add") => (Installer::UvAdd, sub),
            _ => return None,
        }
    } else if name == "pipx" {
        (Installer::Pipx, at + 1)
    } else {
        return None;
    };
    let i = skip_options(install_at);
    let verb = if installer == Installer::UvAdd {
        "add"
    } else {
        "install"
    };
    let install = words.get(i).filter(|w| w.value == verb)?;
    Some(PipInstall {
        installer,
        install,
        args: words.get(i + 1..).unwrap_or(&[]),
    })
}

impl PipInstall<'_> {
    /// The requirements this install resolves by itself: the positional targets, except that
    /// `uv tool install --from SPEC cmd` installs `SPEC` (the positional names a command), and
    /// `uv tool install --with SPEC` installs `SPEC` as well.
    pub fn requirements(&self) -> Vec<&Word> {
        let mut out = Vec::new();
        if self.installer == Installer::UvTool {
            let from = option_values(self.args, "--from");
            let has_from = !from.is_empty();
            out.extend(from);
            out.extend(option_values(self.args, "--with"));
            if !has_from {
                out.extend(install_targets(self.args));
            }
            out.sort_by_key(|w| w.span.start);
            return out;
        }
        install_targets(self.args)
    }
}

/// The requirement a word holds: `--opt=SPEC` written as one word gives `SPEC`.
pub fn requirement_text(word: &Word) -> &str {
    match word.value.split_once('=') {
        Some((option, spec)) if option.starts_with("--") => spec,
        _ => &word.value,
    }
}

/// pip / uv / pipx options that take a separate value (`pip install --help`, `uv pip install
/// --help`, `uv tool install --help`, and their global options): the word after one is its
/// value, never a package (`uv pip install --python-preference system -r r.txt`).
const VALUE_OPTIONS: &[&str] = &[
    "-r",
    "--requirement",
    "--requirements",
    "-c",
    "--constraint",
    "--constraints",
    "--override",
    "--overrides",
    "-b",
    "--build-constraint",
    "--build-constraints",
    "--excludes",
    "-P",
    "--upgrade-package",
    "--reinstall-package",
    "--refresh-package",
    "--no-build-package",
    "--no-binary-package",
    "--no-build-isolation-package",
    "--python-preference",
    "--python-platform",
    "--link-mode",
    "--keyring-provider",
    "--exclude-newer",
    "--exclude-newer-package",
    "--prerelease",
    "--torch-backend",
    "--allow-insecure-host",
    "--config-setting",
    "--config-file",
    "--color",
    "--proxy",
    "--retries",
    "--timeout",
    "--exists-action",
    "--cert",
    "--client-cert",
    "--log-file",
    "--report",
    "--root-user-action",
    "--use-feature",
    "--use-deprecated",
    "--install-option",
    "--build-option",
    "--python-version",
    "-e",
    "--editable",
    "-i",
    "--index-url",
    "--extra-index-url",
    "--index",
    "--default-index",
    "--trusted-host",
    "-t",
    "--target",
    "--prefix",
    "--root",
    "-f",
    "--find-links",
    "--platform",
    "--implementation",
    "--abi",
    "--src",
    "--upgrade-strategy",
    "--progress-bar",
    "--cache-dir",
    "--log",
    "--python",
    "-p",
    "--only-binary",
    "--no-binary",
    "--config-settings",
    "-C",
    "--global-option",
    "--extra",
    "--group",
    "--index-strategy",
    "--resolution",
    "--suffix",
    "--pip-args",
    "--with",
    "--from",
    "--with-requirements",
    "--with-editable",
    "--optional",
    "--package",
    "--directory",
    "--project",
    "--script",
    "--rev",
    "--tag",
    "--branch",
    "--marker",
    "--bounds",
    "--env-file",
    "-w",
];

/// Whether `args` hold option `long` (or `short`), written alone or as `--opt=value`.
pub fn has_option(args: &[Word], long: &str, short: Option<&str>) -> bool {
    args.iter().any(|w| {
        w.value == long
            || w.value
                .strip_prefix(long)
                .is_some_and(|r| r.starts_with('='))
            || short.is_some_and(|s| w.value == s)
    })
}

/// The values of option `long` (`--opt value` or `--opt=value`).
pub fn option_values<'a>(args: &'a [Word], long: &str) -> Vec<&'a Word> {
    let mut out = Vec::new();
    let mut iter = args.iter();
    while let Some(word) = iter.next() {
        if word.value == long {
            if let Some(value) = iter.next() {
                out.push(value);
            }
        } else if word
            .value
            .strip_prefix(long)
            .is_some_and(|r| r.starts_with('='))
        {
            out.push(word);
        }
    }
    out
}

/// The positional arguments of an install: requirement specifiers, paths, URLs.
pub fn install_targets(args: &[Word]) -> Vec<&Word> {
    let mut out = Vec::new();
    let mut iter = args.iter();
    while let Some(word) = iter.next() {
        let value = word.value.as_str();
        if value.starts_with('-') {
            if VALUE_OPTIONS.contains(&value) {
                iter.next();
            }
            continue;
        }
        out.push(word);
    }
    out
}

/// Whether a target is a requirement by name that can be judged (not a path, URL, archive or
/// shell variable).
pub fn is_named_requirement(target: &str) -> bool {
    let lower = target.to_ascii_lowercase();
    !(target.is_empty()
        || target.contains('$')
        || target.contains('/')
        || target.contains('\\')
        || target.starts_with('.')
        || target.starts_with('~')
        || target.contains(" @ ")
        || target.contains('@')
        || [".whl", ".tar.gz", ".zip", ".tgz", ".tar.bz2"]
            .iter()
            .any(|ext| lower.ends_with(ext)))
}

/// A requirement pinned to exactly one version: `name==1.2.3` or `name===1.2.3`, no wildcard,
/// no other clause. `>=`, `~=`, `==1.*` and bare names are not pins.
pub fn is_pinned(requirement: &str) -> bool {
    let spec = requirement.split(';').next().unwrap_or("").trim();
    let Some(at) = spec.find(['=', '<', '>', '!', '~']) else {
        return false;
    };
    let Some(version) = spec[at..].strip_prefix("==") else {
        return false;
    };
    let version = version.trim_start_matches('=').trim();
    !version.is_empty() && !version.contains([',', '*', '<', '>', '!', '~', ' '])
}

/// The requirement's project name (before extras, specifiers and markers).
pub fn requirement_name(requirement: &str) -> &str {
    let end = requirement
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
        .unwrap_or(requirement.len());
    &requirement[..end]
}

/// The findings of an install of packages by name without an exact pin, for the
/// `*-pip-unpinned` checks (vars `package`, `requirement`, `installer`): built while the file
/// still wants hits, counted after.
pub fn unpinned_install_hits(
    path: &str,
    command: &Command,
    hits: &mut crate::checks::builtins::CappedHits,
) {
    let Some(install) = pip_install(command) else {
        return;
    };
    for target in install.requirements() {
        let requirement = requirement_text(target);
        if !is_named_requirement(requirement) || is_pinned(requirement) {
            continue;
        }
        let location = || crate::finding::Location::span(path, target.span.clone());
        if !hits.wants(path) {
            hits.count(path, location);
            continue;
        }
        hits.push(
            crate::checks::builtins::Hit::at(location())
                .var("package", requirement_name(requirement))
                .var("requirement", requirement)
                .var("installer", install.installer.as_str()),
        );
    }
}

/// `apt-get install` / `apt install`: the `install` word's index and the arguments after it.
pub fn apt_install(command: &Command) -> Option<(usize, &[Word])> {
    let (name, args) = program_and_args(command)?;
    if name != "apt-get" && name != "apt" {
        return None;
    }
    let at = args.iter().position(|w| w.value == "install")?;
    let base = program(command)? + 1 + at;
    Some((base, command.words.get(base + 1..).unwrap_or(&[])))
}

/// `apt-get update` / `apt update`.
pub fn is_apt_update(command: &Command) -> bool {
    program_and_args(command).is_some_and(|(name, args)| {
        (name == "apt-get" || name == "apt") && args.iter().any(|w| w.value == "update")
    })
}

/// A `RUN --mount=type=cache,target=...` cache mount covering `path`.
pub fn has_cache_mount(instruction: &Instruction, path: &str) -> bool {
    instruction
        .flags
        .iter()
        .filter(|f| f.name == "mount")
        .filter_map(|f| f.value.as_deref())
        .any(|mount| {
            mount.split(',').any(|kv| kv == "type=cache")
                && mount.split(',').any(|kv| {
                    kv.split_once('=').is_some_and(|(k, v)| {
                        matches!(k, "target" | "dst" | "destination")
                            && path.starts_with(v.trim_end_matches('/'))
                    })
                })
        })
}

/// Short options combined in one word (`-fsSLk`) or written alone.
pub fn has_short(args: &[Word], letter: char) -> bool {
    args.iter().any(|w| {
        w.value.starts_with('-')
            && !w.value.starts_with("--")
            && w.value.get(1..).is_some_and(|s| s.contains(letter))
    })
}

/// A shell a downloaded script could be piped into.
pub fn is_shell(name: &str) -> bool {
    matches!(name, "sh" | "bash" | "zsh" | "dash" | "ash" | "ksh")
}

/// A script downloaded and run in one go, found in the simple commands of one script:
/// `curl ... | sh`, `wget -O- ... | bash`, or `sh -c "$(curl ...)"`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PipedDownload {
    /// The downloading (or substituting shell) command's span.
    pub span: std::ops::Range<usize>,
    pub downloader: &'static str,
    pub shell: String,
}

/// Every [`PipedDownload`] among `commands` (the simple commands of one script, in order).
pub fn piped_downloads(commands: &[Command]) -> Vec<PipedDownload> {
    let mut out = Vec::new();
    for (index, command) in commands.iter().enumerate() {
        let Some((name, args)) = program_and_args(command) else {
            continue;
        };
        if (name == "curl" || name == "wget") && command.sep == Sep::Pipe {
            let next = commands
                .get(index + 1)
                .and_then(|c| program_and_args(c).map(|(n, _)| n.to_string()));
            if let Some(shell) = next.filter(|n| is_shell(n) || is_python(n)) {
                out.push(PipedDownload {
                    span: command.span(),
                    downloader: if name == "curl" { "curl" } else { "wget" },
                    shell,
                });
            }
        } else if is_shell(name) {
            let substituted = args.iter().any(|w| {
                ["$(curl ", "$(wget ", "`curl ", "`wget "]
                    .iter()
                    .any(|p| w.value.contains(p))
            });
            if substituted {
                let downloader = if args.iter().any(|w| w.value.contains("curl ")) {
                    "curl"
                } else {
                    "wget"
                };
                out.push(PipedDownload {
                    span: command.span(),
                    downloader,
                    shell: name.to_string(),
                });
            }
        }
    }
    out
}

/// A truthy value for an on/off variable.
pub fn is_truthy(value: &str) -> bool {
    matches!(
        value.trim().to_ascii_lowercase().as_str(),
        "1" | "true" | "yes" | "on"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::dockerfile::Dockerfile;

    fn first_command(run: &str) -> Command {
        let file = Dockerfile::parse(&format!("FROM x\nRUN {run}\n"));
        file.instructions[1].commands().remove(0)
    }

    #[test]
    fn finds_pip_installs() {
        for (run, installer) in [
            ("pip install flask", Installer::Pip),
            ("sudo -H pip3 install flask", Installer::Pip),
            ("python3.12 -u -m pip install flask", Installer::Pip),
            (
                "/usr/local/bin/pip --no-input install flask",
                Installer::Pip,
            ),
            ("uv pip install --system flask", Installer::UvPip),
            ("PIP_X=1 pipx install flask", Installer::Pipx),
            ("python3 -m pipx install flask", Installer::Pipx),
            ("uv tool install flask", Installer::UvTool),
            (
                "uv --no-cache tool install --python 3.12 flask",
                Installer::UvTool,
            ),
            ("uv add --frozen flask", Installer::UvAdd),
        ] {
            let command = first_command(run);
            let install = pip_install(&command).unwrap_or_else(|| panic!("{run}"));
            assert_eq!(install.installer, installer, "{run}");
            let targets = install_targets(install.args);
            assert_eq!(targets.last().unwrap().value, "flask", "{run}");
        }
        assert!(pip_install(&first_command("python -c 'import pip'")).is_none());
        assert!(pip_install(&first_command("pip download flask")).is_none());
        assert!(pip_install(&first_command("uv sync --frozen")).is_none());
        assert!(pip_install(&first_command("uv tool run ruff")).is_none());
        assert!(pip_install(&first_command("uv pip sync req.txt")).is_none());

        // Options that take a value: the value is not a package (issue 9).
        for run in [
            "uv pip install --python-preference system --requirements r.txt",
            "uv pip install --system --link-mode copy -r requirements.txt",
            "uv pip install -P django --upgrade-package flask -r requirements.txt",
            "uv pip install --exclude-newer 2024-06-01 --keyring-provider subprocess -r r.txt",
            "uv pip install --constraints c.txt --overrides o.txt -b b.txt .",
            "uv --directory app pip install --prerelease allow -r r.txt",
            "pip install --proxy http://proxy:3128 --retries 5 --timeout 60 -r r.txt",
            "pip3 install --exists-action w --cert /etc/ca.pem --report out.json -r r.txt",
            "python3 -m pip install --root-user-action ignore --use-feature truststore -r r.txt",
            "python -m pip install --no-cache-dir --progress-bar off --log-file pip.log -e .",
        ] {
            let command = first_command(run);
            let install = pip_install(&command).unwrap_or_else(|| panic!("{run}"));
            let targets: Vec<&str> = install_targets(install.args)
                .iter()
                .map(|w| w.value.as_str())
                .filter(|t| is_named_requirement(t))
                .collect();
            assert!(targets.is_empty(), "{run}: {targets:?}");
        }
        // ...and a package after them still is.
        let command = first_command("uv pip install --python-preference system flask");
        let install = pip_install(&command).unwrap();
        let targets: Vec<&str> = install_targets(install.args)
            .iter()
            .map(|w| w.value.as_str())
            .collect();
        assert_eq!(targets, ["flask"]);

        let command = first_command("uv tool install --from 'httpie==3.2.4' --with rich http");
        let install = pip_install(&command).unwrap();
        let specs: Vec<&str> = install
            .requirements()
            .into_iter()
            .map(requirement_text)
            .collect();
        assert_eq!(specs, ["httpie==3.2.4", "rich"]);
        let command = first_command("uv tool install --with=rich==13.9.4 'ruff>=0.6'");
        let install = pip_install(&command).unwrap();
        let specs: Vec<&str> = install
            .requirements()
            .into_iter()
            .map(requirement_text)
            .collect();
        assert_eq!(specs, ["rich==13.9.4", "ruff>=0.6"]);
    }

    #[test]
    fn pins() {
        assert!(is_pinned("flask==3.0.3"));
        assert!(is_pinned("flask[async]===3.0.3"));
        assert!(!is_pinned("flask>=3"));
        assert!(!is_pinned("flask==3.*"));
        assert!(!is_pinned("flask"));
        assert!(!is_pinned("flask>=2,==3.0"));
        assert!(!is_named_requirement("."));
        assert!(!is_named_requirement("./pkg"));
        assert!(!is_named_requirement("git+https://x/y"));
        assert!(!is_named_requirement("dist/app-1.0-py3-none-any.whl"));
        assert!(is_named_requirement("flask>=2"));
        assert_eq!(requirement_name("flask[async]==3"), "flask");
    }

    #[test]
    fn apt_and_curl() {
        let command = first_command("DEBIAN_FRONTEND=noninteractive apt-get install -y curl");
        let (at, args) = apt_install(&command).unwrap();
        assert_eq!(command.words[at].value, "install");
        assert_eq!(args.len(), 2);
        let command = first_command("curl -fsSLk https://x");
        let (_, args) = program_and_args(&command).unwrap();
        assert!(has_short(args, 'k'));
    }
}
