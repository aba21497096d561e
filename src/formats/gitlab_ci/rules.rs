//! Whether a job runs in a kind of pipeline: `rules:` (with GitLab's CI/CD variable
//! expressions: `$VAR == "x"`, `!=`, `=~ /re/`, `!~`, `&&`, `||`, parentheses), `only:` /
//! `except:`, and `workflow: rules:`. Evaluated three-valued against a synthetic pipeline
//! whose predefined `CI_*` variables are known: a comparison with a variable harden cannot
//! know (a project's CI/CD setting) is unknown, and unknown counts as "may run", so a job is
//! never said not to run on a guess.

use std::collections::BTreeMap;

use super::{Job, Node, Pipeline};

/// A kind of pipeline to evaluate rules against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// A merge request pipeline (`merge_request_event`) for a branch `feature` into `main`.
    MergeRequest,
    /// A branch pipeline for a push to a branch `feature` that is not the default branch.
    BranchPush,
}

impl Source {
    fn variables(self) -> BTreeMap<&'static str, &'static str> {
        let mut vars = BTreeMap::from([
            ("CI_DEFAULT_BRANCH", "main"),
            ("CI_COMMIT_REF_NAME", "feature"),
            ("CI_COMMIT_REF_SLUG", "feature"),
        ]);
        match self {
            Self::MergeRequest => {
                vars.insert("CI_PIPELINE_SOURCE", "merge_request_event");
                vars.insert("CI_MERGE_REQUEST_ID", "1");
                vars.insert("CI_MERGE_REQUEST_IID", "1");
                vars.insert("CI_MERGE_REQUEST_SOURCE_BRANCH_NAME", "feature");
                vars.insert("CI_MERGE_REQUEST_TARGET_BRANCH_NAME", "main");
                vars.insert("CI_MERGE_REQUEST_EVENT_TYPE", "merged_result");
            }
            Self::BranchPush => {
                vars.insert("CI_PIPELINE_SOURCE", "push");
                vars.insert("CI_COMMIT_BRANCH", "feature");
            }
        }
        vars
    }
}

/// A variable's value: set (possibly empty), unset, or not knowable.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Var {
    Set(String),
    Unset,
    Unknown,
}

/// Three-valued truth: `None` is unknown.
type Truth = Option<bool>;

struct Env<'a> {
    predefined: BTreeMap<&'static str, &'static str>,
    globals: &'a [(String, String)],
}

impl Env<'_> {
    fn var(&self, name: &str) -> Var {
        if let Some(value) = self.predefined.get(name) {
            return Var::Set(value.to_string());
        }
        if let Some((_, value)) = self.globals.iter().find(|(n, _)| n == name) {
            return Var::Set(value.clone());
        }
        // Predefined variables not set in this kind of pipeline are unset; anything else may
        // be a CI/CD setting of the project.
        if name.starts_with("CI_") || name.starts_with("GITLAB_") {
            Var::Unset
        } else {
            Var::Unknown
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Var(String),
    Str(String),
    Regex(String, bool),
    Null,
    Op(&'static str),
    Open,
    Close,
}

fn tokenize(text: &str) -> Option<Vec<Token>> {
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    let mut out = Vec::new();
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let two: String = chars[i..(i + 2).min(chars.len())].iter().collect();
        if let Some(op) = ["==", "!=", "=~", "!~", "&&", "||"]
            .into_iter()
            .find(|op| *op == two)
        {
            out.push(Token::Op(op));
            i += 2;
            continue;
        }
        match c {
            '(' => {
                out.push(Token::Open);
                i += 1;
            }
            ')' => {
                out.push(Token::Close);
                i += 1;
            }
            '$' => {
                let braced = chars.get(i + 1) == Some(&'{');
                let start = if braced { i + 2 } else { i + 1 };
                let mut end = start;
                while end < chars.len() && (chars[end].is_ascii_alphanumeric() || chars[end] == '_')
                {
                    end += 1;
                }
                out.push(Token::Var(chars[start..end].iter().collect()));
                i = if braced { end + 1 } else { end };
            }
            '"' | '\'' => {
                let end = (i + 1..chars.len()).find(|&j| chars[j] == c)?;
                out.push(Token::Str(chars[i + 1..end].iter().collect()));
                i = end + 1;
            }
            '/' => {
                let mut j = i + 1;
                while j < chars.len() && chars[j] != '/' {
                    if chars[j] == '\\' {
                        j += 1;
                    }
                    j += 1;
                }
                if j >= chars.len() {
                    return None;
                }
                let pattern: String = chars[i + 1..j].iter().collect();
                let mut k = j + 1;
                let mut insensitive = false;
                while k < chars.len() && chars[k].is_ascii_alphabetic() {
                    insensitive |= chars[k] == 'i';
                    k += 1;
                }
                out.push(Token::Regex(pattern, insensitive));
                i = k;
            }
            _ if text[text.char_indices().nth(i)?.0..].starts_with("null") => {
                out.push(Token::Null);
                i += 4;
            }
            _ => return None,
        }
    }
    Some(out)
}

/// An operand's value: a string, null, a regex, or unknown.
#[derive(Debug, Clone)]
enum Operand {
    Str(String),
    Null,
    Regex(String, bool),
    Unknown,
}

struct Parser<'a, 'e> {
    tokens: &'a [Token],
    at: usize,
    env: &'a Env<'e>,
    depth: usize,
}

impl Parser<'_, '_> {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn or(&mut self) -> Option<Truth> {
        let mut value = self.and()?;
        while self.peek() == Some(&Token::Op("||")) {
            self.at += 1;
            let right = self.and()?;
            value = match (value, right) {
                (Some(true), _) | (_, Some(true)) => Some(true),
                (Some(false), Some(false)) => Some(false),
                _ => None,
            };
        }
        Some(value)
    }

    fn and(&mut self) -> Option<Truth> {
        let mut value = self.comparison()?;
        while self.peek() == Some(&Token::Op("&&")) {
            self.at += 1;
            let right = self.comparison()?;
            value = match (value, right) {
                (Some(false), _) | (_, Some(false)) => Some(false),
                (Some(true), Some(true)) => Some(true),
                _ => None,
            };
        }
        Some(value)
    }

    fn comparison(&mut self) -> Option<Truth> {
        if self.peek() == Some(&Token::Open) {
            self.depth += 1;
            if self.depth > 32 {
                return None;
            }
            self.at += 1;
            let value = self.or()?;
            if self.peek() != Some(&Token::Close) {
                return None;
            }
            self.at += 1;
            return Some(value);
        }
        let left = self.operand()?;
        let op = match self.peek() {
            Some(Token::Op(op @ ("==" | "!=" | "=~" | "!~"))) => *op,
            _ => {
                return Some(match left {
                    Operand::Str(s) => Some(!s.is_empty()),
                    Operand::Null => Some(false),
                    Operand::Regex(..) => Some(true),
                    Operand::Unknown => None,
                });
            }
        };
        self.at += 1;
        let right = self.operand()?;
        let result = match op {
            "==" | "!=" => {
                let equal = match (&left, &right) {
                    (Operand::Unknown, _) | (_, Operand::Unknown) => None,
                    (Operand::Null, Operand::Null) => Some(true),
                    (Operand::Str(a), Operand::Str(b)) => Some(a == b),
                    _ => Some(false),
                };
                if op == "==" { equal } else { equal.map(|e| !e) }
            }
            _ => {
                let matched = match (&left, &right) {
                    (Operand::Unknown, _) | (_, Operand::Unknown) => None,
                    (Operand::Null, _) => Some(false),
                    (Operand::Str(s), Operand::Regex(pattern, insensitive)) => {
                        regex::RegexBuilder::new(pattern)
                            .case_insensitive(*insensitive)
                            .size_limit(1 << 20)
                            .build()
                            .ok()
                            .map(|re| re.is_match(s))
                    }
                    // `$A =~ $B` with a variable holding the pattern.
                    (Operand::Str(s), Operand::Str(pattern)) => {
                        let pattern = pattern.trim_matches('/');
                        regex::RegexBuilder::new(pattern)
                            .size_limit(1 << 20)
                            .build()
                            .ok()
                            .map(|re| re.is_match(s))
                    }
                    _ => None,
                };
                if op == "=~" {
                    matched
                } else {
                    matched.map(|m| !m)
                }
            }
        };
        Some(result)
    }

    fn operand(&mut self) -> Option<Operand> {
        let token = self.peek()?.clone();
        self.at += 1;
        Some(match token {
            Token::Var(name) => match self.env.var(&name) {
                Var::Set(value) => Operand::Str(value),
                Var::Unset => Operand::Null,
                Var::Unknown => Operand::Unknown,
            },
            Token::Str(s) => Operand::Str(s),
            Token::Regex(pattern, insensitive) => Operand::Regex(pattern, insensitive),
            Token::Null => Operand::Null,
            _ => return None,
        })
    }
}

/// The truth of a `rules: if:` expression; unknown when it cannot be parsed or depends on a
/// value harden cannot know.
fn evaluate(expression: &str, env: &Env<'_>) -> Truth {
    let tokens = tokenize(expression)?;
    let mut parser = Parser {
        tokens: &tokens,
        at: 0,
        env,
        depth: 0,
    };
    let value = parser.or()?;
    (parser.at == tokens.len()).then_some(value)?
}

/// Evaluate a `rules:` list: the first rule whose conditions hold decides. `Some(true)` when
/// it adds the job (or pipeline) automatically, `Some(false)` when no rule adds it or the first
/// matching rule says `when: never` (or `manual`, which waits for a person), `None` unknown.
fn rules(list: &Node, env: &Env<'_>) -> Truth {
    // The outcomes the list may have: a rule that may or may not match adds its outcome and
    // the search goes on; the first rule that surely matches ends it.
    let mut outcomes: Vec<bool> = Vec::new();
    let mut decided = false;
    for rule in list.items() {
        let condition = match rule.get("if").and_then(Node::as_str) {
            Some(expression) => evaluate(expression, env),
            None => Some(true),
        };
        // `changes:` and `exists:` depend on the commit: they may hold.
        let condition = match condition {
            Some(true) if rule.get("changes").is_some() || rule.get("exists").is_some() => None,
            other => other,
        };
        let when = rule
            .get("when")
            .and_then(Node::as_str)
            .unwrap_or("on_success");
        let adds = !matches!(when, "never" | "manual");
        match condition {
            Some(true) => {
                outcomes.push(adds);
                decided = true;
                break;
            }
            Some(false) => {}
            None => outcomes.push(adds),
        }
    }
    if !decided {
        outcomes.push(false);
    }
    if outcomes.iter().all(|o| *o) {
        Some(true)
    } else if outcomes.iter().all(|o| !*o) {
        Some(false)
    } else {
        None
    }
}

/// Whether one `only:`/`except:` ref keyword or pattern matches the pipeline.
fn ref_matches(entry: &str, source: Source) -> Truth {
    match entry {
        "merge_requests" => Some(source == Source::MergeRequest),
        "branches" | "pushes" => Some(source == Source::BranchPush),
        "tags"
        | "schedules"
        | "triggers"
        | "pipelines"
        | "web"
        | "api"
        | "external"
        | "external_pull_requests"
        | "chat" => Some(false),
        pattern if pattern.starts_with('/') => {
            let (body, flags) = pattern[1..].rsplit_once('/')?;
            regex::RegexBuilder::new(body)
                .case_insensitive(flags.contains('i'))
                .size_limit(1 << 20)
                .build()
                .ok()
                .map(|re| source == Source::BranchPush && re.is_match("feature"))
        }
        // A branch name: the default branch, `main`, `master`, `release`... not `feature`.
        _ => Some(false),
    }
}

fn refs_of(node: &Node) -> Vec<&str> {
    match node {
        Node::Seq(..) => node.items().iter().filter_map(Node::as_str).collect(),
        Node::Map(..) => node
            .get("refs")
            .map(|r| r.items().iter().filter_map(Node::as_str).collect())
            .unwrap_or_default(),
        other => other.as_str().into_iter().collect(),
    }
}

fn only_except(job: &Job, source: Source) -> Truth {
    let only = job.get("only").map(refs_of);
    let included = match only {
        Some(refs) if !refs.is_empty() => any(refs.iter().map(|r| ref_matches(r, source))),
        // `only:` with variables or changes alone keeps the default refs.
        _ => Some(source == Source::BranchPush),
    };
    let excluded = job
        .get("except")
        .map(refs_of)
        .map(|refs| any(refs.iter().map(|r| ref_matches(r, source))))
        .unwrap_or(Some(false));
    match (included, excluded) {
        (Some(false), _) | (_, Some(true)) => Some(false),
        (Some(true), Some(false)) => Some(true),
        _ => None,
    }
}

fn any(values: impl Iterator<Item = Truth>) -> Truth {
    let mut unknown = false;
    for value in values {
        match value {
            Some(true) => return Some(true),
            None => unknown = true,
            Some(false) => {}
        }
    }
    if unknown { None } else { Some(false) }
}

impl Pipeline {
    /// Whether `workflow: rules:` creates a pipeline of this kind (unknown: it may).
    pub fn creates(&self, source: Source) -> Truth {
        let globals = self.literal_globals();
        let env = Env {
            predefined: source.variables(),
            globals: &globals,
        };
        match self.workflow().and_then(|w| w.get("rules")) {
            Some(list @ Node::Seq(..)) => rules(list, &env),
            // Without workflow rules, GitLab runs branch pipelines, and merge request
            // pipelines only for jobs whose rules ask for them.
            _ => Some(true),
        }
    }

    /// Whether `job` runs, automatically, in a pipeline of this kind.
    pub fn runs(&self, job: &Job, source: Source) -> Truth {
        let globals = self.literal_globals();
        let env = Env {
            predefined: source.variables(),
            globals: &globals,
        };
        let job_runs = match job.get("rules") {
            Some(list @ Node::Seq(..)) => rules(list, &env),
            _ => {
                let refs = only_except(job, source);
                // A job without rules: a `when: manual` job waits for a person.
                if job.get("when").and_then(Node::as_str) == Some("manual") {
                    Some(false)
                } else {
                    refs
                }
            }
        };
        match (self.creates(source), job_runs) {
            (Some(false), _) | (_, Some(false)) => Some(false),
            (Some(true), Some(true)) => Some(true),
            _ => None,
        }
    }

    /// Whether `job` checks a change before it is merged: it runs (or may run) in merge
    /// request pipelines, or in branch pipelines of branches other than the default one.
    pub fn runs_before_merge(&self, job: &Job) -> bool {
        [Source::MergeRequest, Source::BranchPush]
            .into_iter()
            .any(|source| self.runs(job, source) != Some(false))
    }

    fn literal_globals(&self) -> Vec<(String, String)> {
        self.variables()
            .into_iter()
            .map(|(name, value, _)| (name.to_string(), value))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::super::YamlFile;
    use super::*;

    fn before_merge(text: &str) -> bool {
        let yaml = YamlFile::parse(text).unwrap();
        let pipeline = Pipeline::build(&[&yaml]);
        let job = pipeline.jobs.iter().find(|j| j.name == "scan").unwrap();
        pipeline.runs_before_merge(job)
    }

    #[test]
    fn jobs_that_scan_before_merge() {
        for text in [
            "scan:\n  script: [bandit]\n",
            "scan:\n  script: [bandit]\n  rules:\n    - if: $CI_PIPELINE_SOURCE == \"merge_request_event\"\n",
            "scan:\n  script: [bandit]\n  only: [merge_requests]\n",
            "scan:\n  script: [bandit]\n  rules:\n    - if: $CI_MERGE_REQUEST_IID\n    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH\n",
            // Depends on a project setting harden cannot see: may run.
            "scan:\n  script: [bandit]\n  rules:\n    - if: $RUN_SCANS == \"yes\"\n",
            "scan:\n  script: [bandit]\n  rules:\n    - changes: [\"**/*.py\"]\n",
        ] {
            assert!(before_merge(text), "{text}");
        }
    }

    #[test]
    fn jobs_that_scan_only_after_merge() {
        for text in [
            "scan:\n  script: [bandit]\n  rules:\n    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH\n",
            "scan:\n  script: [bandit]\n  only: [main]\n",
            "scan:\n  script: [bandit]\n  only:\n    refs: [tags, schedules]\n",
            "scan:\n  script: [bandit]\n  rules:\n    - if: $CI_PIPELINE_SOURCE == \"schedule\"\n",
            "scan:\n  script: [bandit]\n  rules:\n    - if: $CI_COMMIT_TAG\n",
            "scan:\n  script: [bandit]\n  when: manual\n",
            "workflow:\n  rules:\n    - if: $CI_COMMIT_TAG\nscan:\n  script: [bandit]\n",
            "scan:\n  script: [bandit]\n  rules:\n    - if: $CI_PIPELINE_SOURCE == \"merge_request_event\"\n      when: never\n    - if: $CI_COMMIT_BRANCH == \"main\" || $CI_COMMIT_TAG =~ /^v/\n",
        ] {
            assert!(!before_merge(text), "{text}");
        }
    }

    #[test]
    fn expressions() {
        let globals = vec![("MODE".to_string(), "fast".to_string())];
        let env = Env {
            predefined: Source::MergeRequest.variables(),
            globals: &globals,
        };
        let cases = [
            ("$CI_PIPELINE_SOURCE == 'merge_request_event'", Some(true)),
            ("$CI_COMMIT_BRANCH", Some(false)),
            ("$CI_COMMIT_BRANCH == null", Some(true)),
            (
                "$MODE =~ /^FA/i && ($CI_MERGE_REQUEST_IID || $X)",
                Some(true),
            ),
            ("$X == \"1\"", None),
            ("$X == \"1\" && $CI_COMMIT_TAG", Some(false)),
            ("$X == \"1\" || $CI_MERGE_REQUEST_IID", Some(true)),
            ("${CI_DEFAULT_BRANCH} != \"main\"", Some(false)),
            ("((((", None),
            ("$A ==", None),
        ];
        for (expression, expected) in cases {
            assert_eq!(evaluate(expression, &env), expected, "{expression}");
        }
    }
}
