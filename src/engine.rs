//! The engine: every enabled check over the project (files parsed once, on first need, shared
//! by all checks), turned into findings with rendered messages, suppressions applied.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::checks::matchers::Matcher;
use crate::checks::matchers::{Ctx, Hit};
use crate::checks::profile::ScopePolicy;
use crate::checks::{Check, Registry};
use crate::finding::{Finding, Location, Severity};
use crate::fix::{Applicability, Fix};
use crate::project::{FileKind, Project, Scope, TextInterest};
use crate::suppress;
use crate::templates::Templates;

/// What to run: resolved from the profile, the project's configuration and the command line.
#[derive(Debug, Clone, Default)]
pub struct RunPlan {
    /// Enabled check ids.
    pub enabled: Vec<String>,
    pub severity: BTreeMap<String, Severity>,
    pub params: BTreeMap<String, BTreeMap<String, serde_json::Value>>,
    /// The scopes of the project model each check judges (from the profile).
    pub scopes: ScopePolicy,
}

/// Run every enabled check. Findings come back sorted, inline suppressions marked.
pub fn run(
    project: &Project,
    registry: &Registry,
    plan: &RunPlan,
    templates: &Templates,
) -> Vec<Finding> {
    // Before the first read: the patterns of the enabled checks that search every Python
    // module's text, tried on each module as it is first read so that the text of a module no
    // reader wants is dropped (see `project::TextInterest`).
    project.set_text_interest(TextInterest {
        patterns: plan
            .enabled
            .iter()
            .filter_map(|id| registry.get(id))
            .filter(|check| check.kinds.contains(&FileKind::Python))
            .filter_map(|check| match &check.matcher {
                Matcher::Regex(regex) => Some(regex.pattern.clone()),
                _ => None,
            })
            .collect(),
    });
    // The model of what ships is built once, here, before any check reads it.
    let model = project.model();
    let library = model.shape == crate::project::model::Shape::Library;
    let checks: Vec<&Check> = plan
        .enabled
        .iter()
        .filter(|id| !(library && plan.scopes.application_only.contains(*id)))
        .filter_map(|id| registry.get(id))
        .collect();
    // Everything a Ctx borrows lives out here, so the analyses shared between checks (the
    // Django settings entries) can be cached for the whole run.
    let params: Vec<BTreeMap<String, serde_json::Value>> = checks
        .iter()
        .map(|check| {
            let mut params = check.params.clone();
            if let Some(overrides) = plan.params.get(&check.id) {
                params.extend(overrides.clone());
            }
            params
        })
        .collect();
    let django = std::sync::OnceLock::new();
    let flask = std::sync::OnceLock::new();
    let mut findings: Vec<Finding> = checks
        .par_iter()
        .zip(params.par_iter())
        .flat_map_iter(|(check, params)| {
            let ctx = Ctx {
                project,
                check,
                params,
                templates,
                django: &django,
                flask: &flask,
            };
            let configured = plan.severity.get(&check.id).copied();
            let texts = Texts::compile(&ctx);
            let (hits, over) = cap_per_file(check.matcher.run(&ctx));
            let mut findings: Vec<Finding> = hits
                .into_iter()
                .filter_map(|hit| {
                    let severity = configured.or(hit.severity).unwrap_or(check.severity);
                    to_finding(&ctx, &texts, severity, hit)
                })
                .filter_map(|finding| in_scope(project, &plan.scopes, finding))
                .collect();
            findings.extend(
                over.into_iter()
                    .map(|(location, more)| {
                        let severity = configured.unwrap_or(check.severity);
                        summary_finding(check, severity, location, more)
                    })
                    .filter_map(|finding| in_scope(project, &plan.scopes, finding)),
            );
            findings
        })
        .collect();
    // Each finding's own file and line: judged on all cores.
    let used: BTreeSet<suppress::Use> = findings
        .par_iter_mut()
        .filter(|finding| finding.suppressed.is_none())
        .filter_map(|finding| {
            let file = project.file(&finding.primary.path)?;
            let (suppression, line) = suppress::inline_at(file, finding)?;
            finding.suppressed = Some(suppression);
            Some((finding.primary.path.clone(), line, finding.check.clone()))
        })
        .collect();
    // Judged after every other check: whether a suppression is used depends on their findings.
    if let Some((check, params)) = checks
        .iter()
        .zip(&params)
        .find(|(check, _)| check.id == suppress::UNUSED_SUPPRESSION)
    {
        let ctx = Ctx {
            project,
            check,
            params,
            templates,
            django: &django,
            flask: &flask,
        };
        let severity = plan
            .severity
            .get(&check.id)
            .copied()
            .unwrap_or(check.severity);
        let texts = Texts::compile(&ctx);
        let enabled: BTreeSet<&str> = plan.enabled.iter().map(String::as_str).collect();
        let require_reason = params
            .get("require-reason")
            .and_then(serde_json::Value::as_bool)
            .unwrap_or(false);
        for untruth in suppress::audit(project, registry, &enabled, &used, require_reason) {
            let mut hit = Hit::at(untruth.location);
            hit.vars.insert("problem", untruth.problem.into());
            hit.vars.insert("fix_title", untruth.fix_title.into());
            hit.edits = untruth.edit.map(|edit| vec![edit]);
            findings.extend(to_finding(&ctx, &texts, severity, hit));
        }
    }
    // Stable, as the order among equal keys is the checks' own.
    findings.par_sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    assign_fingerprints(project, &mut findings);
    findings
}

/// The most findings one check reports in one file; past it, one summary finding says how
/// many more there are. 200,000 `FROM` lines or `${{ }}` expressions in one file otherwise
/// cost minutes of rendering and megabytes of output that nobody reads.
pub const MAX_FINDINGS_PER_FILE: usize = 100;

/// Keep the first [`MAX_FINDINGS_PER_FILE`] hits of each file (in file order); for each file
/// with more, the location of the first one left out and how many were left out. A stand-in
/// for hits a check counted without building them ([`Hit::elided`]) counts as that many, and
/// is never a finding itself.
fn cap_per_file(hits: Vec<Hit>) -> (Vec<Hit>, Vec<(Location, usize)>) {
    let (stand_ins, mut hits): (Vec<Hit>, Vec<Hit>) = hits.into_iter().partition(|h| h.elided > 0);
    let mut per_file: BTreeMap<String, usize> = BTreeMap::new();
    for hit in &hits {
        if let Some(location) = &hit.location {
            *per_file.entry(location.path.clone()).or_default() += 1;
        }
    }
    let mut elided: BTreeMap<String, (Location, usize)> = BTreeMap::new();
    for hit in stand_ins {
        if let Some(location) = hit.location {
            *per_file.entry(location.path.clone()).or_default() += hit.elided;
            elided
                .entry(location.path.clone())
                .or_insert((location, 0))
                .1 += hit.elided;
        }
    }
    if per_file.values().all(|&n| n <= MAX_FINDINGS_PER_FILE) {
        return (hits, Vec::new());
    }
    // NOTE: a stable sort by position, so the findings kept are the first in each file and
    // matchers' order is kept among equal positions.
    fn position(hit: &Hit) -> Option<(&str, usize)> {
        hit.location
            .as_ref()
            .map(|l| (l.path.as_str(), l.span.as_ref().map_or(0, |s| s.start)))
    }
    hits.sort_by(|a, b| position(a).cmp(&position(b)));
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut over: BTreeMap<String, (Location, usize)> = BTreeMap::new();
    hits.retain(|hit| {
        let Some(location) = &hit.location else {
            return true;
        };
        let count = seen.entry(location.path.clone()).or_default();
        *count += 1;
        if *count == MAX_FINDINGS_PER_FILE + 1 {
            over.insert(
                location.path.clone(),
                (
                    location.clone(),
                    per_file[&location.path] - MAX_FINDINGS_PER_FILE,
                ),
            );
        }
        *count <= MAX_FINDINGS_PER_FILE
    });
    // Files whose built hits fit but whose counted ones do not: the summary points at the
    // first hit not built.
    for (path, (location, _)) in elided {
        let total = per_file[&path];
        if total > MAX_FINDINGS_PER_FILE && !over.contains_key(&path) {
            over.insert(path, (location, total - MAX_FINDINGS_PER_FILE));
        }
    }
    (hits, over.into_values().collect())
}

/// The one finding that stands for the hits of a check left out in one file.
fn summary_finding(check: &Check, severity: Severity, location: Location, more: usize) -> Finding {
    Finding {
        check: check.id.clone(),
        severity,
        confidence: check.confidence,
        message: format!(
            "{more} more finding(s) of this check in this file are not shown (harden reports at \
             most {MAX_FINDINGS_PER_FILE} per check and file); fix these and run again"
        ),
        primary: location,
        related: Vec::new(),
        help: None,
        fix: None,
        fingerprint: String::new(),
        suppressed: None,
        tags: Vec::new(),
    }
}

/// A check's message, help and fix title, compiled once per run rather than once per finding
/// (thousands of findings on a large tree).
struct Texts<'a> {
    message: Text<'a>,
    help: Option<Text<'a>>,
    title: Option<Text<'a>>,
}

struct Text<'a> {
    source: &'a str,
    template: Option<minijinja::Template<'a, 'a>>,
}

impl<'a> Text<'a> {
    fn new(ctx: &Ctx<'a>, source: &'a str) -> Self {
        Self {
            source,
            template: ctx.templates.compile(source),
        }
    }

    /// Templates were validated against the matcher's variables when the check loaded; a
    /// matcher that forgets a variable shows the raw template rather than losing the finding.
    fn render(&self, context: &minijinja::Value) -> String {
        self.template
            .as_ref()
            .and_then(|t| t.render(context).ok())
            .unwrap_or_else(|| self.source.to_string())
    }
}

impl<'a> Texts<'a> {
    fn compile(ctx: &Ctx<'a>) -> Self {
        let check = ctx.check;
        Self {
            message: Text::new(ctx, &check.message),
            help: check.help.as_deref().map(|h| Text::new(ctx, h)),
            title: check.fix.as_ref().map(|f| Text::new(ctx, &f.title)),
        }
    }
}

fn to_finding(ctx: &Ctx<'_>, texts: &Texts<'_>, severity: Severity, hit: Hit) -> Option<Finding> {
    let check = ctx.check;
    let location = hit.location.clone()?;
    let mut vars: BTreeMap<&str, minijinja::Value> = hit.vars.clone();
    vars.entry("path")
        .or_insert_with(|| location.path.clone().into());
    // NOTE: collecting pairs into a minijinja Value makes a sequence; a map needs from_pairs.
    let context = minijinja::Value::from_pairs(vars.into_iter().map(|(k, v)| (k.to_string(), v)));
    let message = texts.message.render(&context);
    let help = texts.help.as_ref().map(|h| h.render(&context));
    let fix = check.fix.as_ref().map(|spec| {
        let title = texts
            .title
            .as_ref()
            .map_or_else(|| spec.title.clone(), |t| t.render(&context));
        match (&hit.edits, spec.applicability) {
            (Some(edits), applicability)
                if !edits.is_empty() && applicability != Applicability::DisplayOnly =>
            {
                Fix {
                    title,
                    applicability,
                    edits: edits.clone(),
                }
            }
            _ => Fix::display_only(title),
        }
    });
    Some(Finding {
        check: check.id.clone(),
        severity,
        confidence: check.confidence,
        message,
        primary: location,
        related: hit.related,
        help,
        fix,
        fingerprint: hit.fingerprint.unwrap_or_default(),
        suppressed: hit.suppressed,
        tags: hit.tags,
    })
}

/// The finding when its check judges its file's scope, its message then saying the scope when
/// the file does not ship (so no finding on a development file reads as a production one).
fn in_scope(project: &Project, policy: &ScopePolicy, mut finding: Finding) -> Option<Finding> {
    let scope = project.scope(&finding.primary.path);
    if !policy.judges(&finding.check, scope) {
        return None;
    }
    if !matches!(scope, Scope::Production | Scope::Repository) {
        // The evidence is wanted only here, for the message.
        let decision = project.model().decision(&finding.primary.path);
        finding.message = format!(
            "{} [{} scope: {}]",
            finding.message, decision.scope, decision.evidence
        );
    }
    Some(finding)
}

/// Fingerprint = hash of check id, path, the offending content (whitespace-normalised) and its
/// occurrence number among identical ones, so it survives lines moving but not the content
/// changing.
fn assign_fingerprints(project: &Project, findings: &mut [Finding]) {
    // The content each fingerprint is made of, on all cores; then, in report order, which
    // occurrence of that content each finding is; then the hashes, on all cores again.
    let keys: Vec<(String, String, String)> = findings
        .par_iter()
        .map(|finding| {
            let content = if finding.fingerprint.is_empty() {
                offending_content(project, &finding.primary)
                    .unwrap_or_else(|| finding.message.clone())
            } else {
                finding.fingerprint.clone()
            };
            let normalised: String = content.split_whitespace().collect::<Vec<_>>().join(" ");
            (
                finding.check.clone(),
                finding.primary.path.clone(),
                normalised,
            )
        })
        .collect();
    let mut seen: HashMap<&(String, String, String), usize> = HashMap::new();
    let occurrences: Vec<usize> = keys
        .iter()
        .map(|key| {
            let occurrence = seen.entry(key).or_insert(0);
            *occurrence += 1;
            *occurrence
        })
        .collect();
    findings
        .par_iter_mut()
        .zip(keys.par_iter().zip(occurrences.par_iter()))
        .for_each(|(finding, (key, occurrence))| {
            let mut hasher = Sha256::new();
            for part in [&key.0, &key.1, &key.2, &occurrence.to_string()] {
                hasher.update(part.as_bytes());
                hasher.update([0]);
            }
            let digest = hasher.finalize();
            finding.fingerprint = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
        });
}

fn offending_content(project: &Project, location: &Location) -> Option<String> {
    let span = location.span.clone()?;
    let text = project.file(&location.path)?.text().ok()?;
    text.content.get(span).map(str::to_string)
}
