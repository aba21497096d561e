//! `gha-template-injection`: a value an outsider chooses (an issue title, a branch name, a
//! commit message, a dispatcher's string input: see [`taint`]) expanded by `${{ }}` into a
//! `run:` script or into the `script:` of `actions/github-script`, directly or through the
//! relays the taint model follows (`env.X`, a step's or job's output, a matrix value). GitHub
//! pastes the value into the code before it runs, so the value's author writes code.
//! `gha-template-injection-unknown-origin` (strict) shares this logic for relays whose source
//! cannot be read (an action's output, a computed matrix), and
//! `gha-template-injection-writer-controlled` (strict) for branch and tag names a pusher chooses.
//!
//! The fix moves each such expression into the step's `env:` (created when missing) under a
//! name derived from the context, and reads the variable instead: `"$NAME"` in a POSIX shell
//! (`${NAME}` inside double quotes, `'"$NAME"'` inside single quotes), `process.env.NAME` in
//! github-script. `${{ env.NAME }}` needs no new entry: the variable is already in the
//! process's environment. No fix for other shells (pwsh, cmd, python), heredocs, or values
//! whose text cannot be mapped exactly to the file (folded or escaped scalars).

use std::collections::BTreeMap;
use std::ops::Range;

use crate::checks::builtins::gha::{GhaFile, env_names, files, is_posix_shell, uses_action};
use crate::checks::builtins::{Builtin, CappedHits, Ctx, Hit};
use crate::finding::Location;
use crate::formats::workflow::taint::{self, Scope, Taint};
use crate::formats::workflow::{self, Model, ScalarMap, StepAt, expr};
use crate::formats::yaml::{self, Step, Value, YamlFile};

pub const BUILTIN: Builtin = Builtin {
    name: "gha-template-injection",
    vars: &["expression", "context", "field", "name"],
    params: &[],
    run,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lang {
    /// A POSIX shell script.
    Shell,
    /// Another shell (or one not known): reported, not fixed.
    OtherShell,
    /// actions/github-script's JavaScript.
    Js,
}

/// One dangerous expression of a field.
struct Found<'t> {
    range: Range<usize>,
    text: &'t str,
    body: &'t str,
    /// What its body was judged to be (shared by every expression with the same body).
    judged: std::rc::Rc<Judged>,
}

/// The verdict on one expression body.
struct Judged {
    /// The context of the expression the value comes through (`env.branch`).
    context: String,
    /// Where the value comes from, for the message (`github.head_ref (through env.BRANCH)`).
    origin: String,
}

fn run(ctx: &Ctx<'_>) -> Vec<Hit> {
    hits(ctx, Taint::Attacker)
}

/// The hits of expressions whose worst source is exactly `level`.
pub(crate) fn hits(ctx: &Ctx<'_>, level: Taint) -> Vec<Hit> {
    let mut hits = CappedHits::default();
    for gha in files(ctx.project, true) {
        for at in gha.model.steps() {
            let mut fields: Vec<(Vec<Step>, String, Lang, &str)> = Vec::new();
            if let Some(run) = &at.step.run {
                let shell = gha.model.shell_of(&at);
                let lang = if is_posix_shell(shell.as_deref()) {
                    Lang::Shell
                } else {
                    Lang::OtherShell
                };
                fields.push((at.key("run"), run.clone(), lang, "run"));
            }
            if uses_action(&at, "actions/github-script")
                && let Some(script) = at.step.input("script")
            {
                let mut route = at.key("with");
                route.push(Step::Key("script".into()));
                fields.push((route, script, Lang::Js, "script"));
            }
            let scope = scope_of(&gha.model, &at);
            for (route, text, lang, field) in fields {
                field_hits(
                    &gha, &at, &scope, level, &route, &text, lang, field, &mut hits,
                );
            }
        }
    }
    hits.into_hits()
}

/// Where a step's expressions are evaluated.
fn scope_of<'a>(model: &'a Model, at: &StepAt<'a>) -> Scope<'a> {
    match model {
        Model::Workflow(workflow) => Scope {
            workflow: Some(workflow),
            action: None,
            job: at.job,
            step: at.index,
        },
        Model::Action(action) => Scope {
            workflow: None,
            action: Some(action),
            job: None,
            step: at.index,
        },
    }
}

/// The expression's worst flowing context with its source, when that source is `level`.
fn judge(body: &str, scope: &Scope<'_>, level: Taint) -> Option<(String, taint::Source)> {
    let mut worst: Option<(String, taint::Source)> = None;
    for context in expr::flowing_contexts(body) {
        let source = taint::context(&context, scope);
        if worst.as_ref().is_none_or(|(_, w)| source.taint > w.taint) {
            worst = Some((context, source));
        }
    }
    worst.filter(|(_, source)| source.taint == level)
}

#[allow(clippy::too_many_arguments)]
fn field_hits(
    gha: &GhaFile<'_>,
    at: &StepAt<'_>,
    scope: &Scope<'_>,
    level: Taint,
    route: &[Step],
    text: &str,
    lang: Lang,
    field: &str,
    hits: &mut CappedHits,
) {
    // Each distinct body is judged once: 200,000 copies of one expression cost one judgment.
    let mut verdicts: BTreeMap<&str, Option<std::rc::Rc<Judged>>> = BTreeMap::new();
    let found: Vec<Found<'_>> = expr::find(text)
        .into_iter()
        .filter_map(|e| {
            let judged = verdicts
                .entry(e.body)
                .or_insert_with(|| {
                    judge(e.body, scope, level).map(|(context, source)| {
                        std::rc::Rc::new(Judged {
                            context,
                            origin: source.describe(),
                        })
                    })
                })
                .clone()?;
            Some(Found {
                text: text.get(e.range.clone())?,
                range: e.range,
                body: e.body,
                judged,
            })
        })
        .collect();
    if found.is_empty() {
        return;
    }
    let path = gha.path();
    let map = workflow::scalar(gha.yaml, route, text);
    let whole = gha.yaml.value_span(route).unwrap_or(0..0);
    let span_of = |f: &Found<'_>| match &map {
        Some(map) => map.span_of(f.range.clone()),
        // Without an exact map, the expression's own text inside the value.
        None => gha
            .source()
            .get(whole.clone())
            .and_then(|raw| raw.find(f.text))
            .map_or(whole.clone(), |i| {
                whole.start + i..whole.start + i + f.text.len()
            }),
    };
    if !hits.wants(path) {
        // The file's findings are all reported already: these are only counted, and the fix
        // no reported hit would carry is not built.
        for f in &found {
            hits.count(path, || Location::span(path, span_of(f)));
        }
        return;
    }
    let names = choose_names(gha, at, text, &found);
    let fix = map
        .as_ref()
        .and_then(|map| build_fix(gha.yaml, at, route, text, map, &found, &names, lang));
    // One rewrite for the whole field, diffed once; only the hits a file reports (the first
    // 100, in order) carry it, and no more copies of it than make 16 MiB (the first always):
    // 200,000 expressions on one 8 MB line diffed the document and carried the line each.
    let edits = fix.map(|new| gha.rewrite(&new));
    let edit_bytes: usize = edits.iter().flatten().map(edit_len).sum();
    let carriers =
        crate::engine::MAX_FINDINGS_PER_FILE.min((MAX_FIX_COPIES_BYTES / edit_bytes.max(1)).max(1));
    for (index, f) in found.iter().enumerate() {
        if !hits.wants(path) {
            hits.count(path, || Location::span(path, span_of(f)));
            continue;
        }
        let name = names.get(f.body).cloned().unwrap_or_default();
        let mut hit = Hit::at(Location::span(path, span_of(f)))
            .var("expression", f.text)
            .var("context", f.judged.origin.as_str())
            .var("field", field)
            .var("name", name);
        if let Some(edits) = &edits
            && index < carriers
        {
            hit = hit.edits(edits.clone());
        }
        hits.push(hit);
    }
}

/// The most bytes of one field's fix copied into its hits.
const MAX_FIX_COPIES_BYTES: usize = 16 << 20;

fn edit_len(edit: &crate::fix::Edit) -> usize {
    match edit {
        crate::fix::Edit::Replace { content, .. } | crate::fix::Edit::Create { content, .. } => {
            content.len()
        }
    }
}

/// The variable `${{ env.NAME }}` reads, as written (`None` for any other expression): the
/// process already has it, so the fix reads it without a new `env:` entry.
fn env_variable(body: &str) -> Option<&str> {
    let name = body.strip_prefix("env.")?;
    let valid = !name.is_empty()
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        && !name.as_bytes()[0].is_ascii_digit();
    valid.then_some(name)
}

/// An environment variable name per distinct expression body: from its context, avoiding
/// every name the workflow, the job or the step sets and every name the script mentions;
/// `${{ env.NAME }}` keeps `NAME`.
fn choose_names(
    gha: &GhaFile<'_>,
    at: &StepAt<'_>,
    text: &str,
    found: &[Found<'_>],
) -> BTreeMap<String, String> {
    let mut taken: Vec<String> = env_names(at.step.env.as_ref());
    if let Some(job) = at.job {
        taken.extend(env_names(job.env.as_ref()));
    }
    if let Some(workflow) = gha.model.workflow() {
        taken.extend(env_names(workflow.env.as_ref()));
    }
    let mut names: BTreeMap<String, String> = BTreeMap::new();
    for f in found {
        if names.contains_key(f.body) {
            continue;
        }
        if let Some(name) = env_variable(f.body) {
            // The `env` context ignores case, the shell does not: read the variable as the
            // `env:` that sets it spells it.
            let spelled = taken
                .iter()
                .find(|t| t.eq_ignore_ascii_case(name))
                .map_or(name, String::as_str);
            names.insert(f.body.to_string(), spelled.to_string());
            continue;
        }
        let base = expr::env_name(&f.judged.context);
        let mut name = base.clone();
        let mut n = 1;
        while taken.contains(&name) || names.values().any(|v| *v == name) || text.contains(&name) {
            n += 1;
            name = format!("{base}_{n}");
        }
        names.insert(f.body.to_string(), name);
    }
    names
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Quote {
    None,
    Single,
    Double,
    Backtick,
    Comment,
}

/// The quoting in effect at byte `at` of a script.
#[cfg(test)]
fn quote_at(text: &str, at: usize, lang: Lang) -> Quote {
    quotes_at(text, &[at], lang)[0]
}

/// The quoting in effect at each of `offsets` (ascending) of a script, in one pass: a script
/// of 200,000 expressions scanned from its start for each took minutes.
fn quotes_at(text: &str, offsets: &[usize], lang: Lang) -> Vec<Quote> {
    let bytes = text.as_bytes();
    let mut quotes = Vec::with_capacity(offsets.len());
    let mut state = Quote::None;
    let mut i = 0;
    loop {
        while let Some(&at) = offsets.get(quotes.len())
            && at <= i
        {
            quotes.push(state);
        }
        if quotes.len() == offsets.len() {
            return quotes;
        }
        let Some(&b) = bytes.get(i) else {
            quotes.resize(offsets.len(), state);
            return quotes;
        };
        match state {
            Quote::Comment => {
                if b == b'\n' {
                    state = Quote::None;
                }
            }
            Quote::Single => {
                if b == b'\\' && lang == Lang::Js {
                    i += 1;
                } else if b == b'\'' {
                    state = Quote::None;
                }
            }
            Quote::Double | Quote::Backtick => {
                let close = if state == Quote::Double { b'"' } else { b'`' };
                if b == b'\\' {
                    i += 1;
                } else if b == close {
                    state = Quote::None;
                }
            }
            Quote::None => match b {
                b'\\' => i += 1,
                b'\'' => state = Quote::Single,
                b'"' => state = Quote::Double,
                b'`' if lang == Lang::Js => state = Quote::Backtick,
                b'#' if lang == Lang::Shell
                    && (i == 0 || bytes.get(i - 1).is_some_and(|p| p.is_ascii_whitespace())) =>
                {
                    state = Quote::Comment
                }
                b'/' if lang == Lang::Js && bytes.get(i + 1) == Some(&b'/') => {
                    state = Quote::Comment
                }
                _ => {}
            },
        }
        i += 1;
    }
}

fn replacement(quote: Quote, name: &str, lang: Lang) -> String {
    match (lang, quote) {
        (Lang::Js, Quote::Single) => format!("' + process.env.{name} + '"),
        (Lang::Js, Quote::Double) => format!("\" + process.env.{name} + \""),
        (Lang::Js, Quote::Backtick) => format!("${{process.env.{name}}}"),
        (Lang::Js, _) => format!("process.env.{name}"),
        (_, Quote::None) => format!("\"${name}\""),
        (_, Quote::Single) => format!("'\"${name}\"'"),
        (_, _) => format!("${{{name}}}"),
    }
}

#[allow(clippy::too_many_arguments)]
fn build_fix(
    yaml: &YamlFile,
    at: &StepAt<'_>,
    route: &[Step],
    text: &str,
    map: &ScalarMap,
    found: &[Found<'_>],
    names: &BTreeMap<String, String>,
    lang: Lang,
) -> Option<String> {
    if lang == Lang::OtherShell || (lang == Lang::Shell && text.contains("<<")) {
        return None;
    }
    let source = yaml.source();
    // Built front to back in one pass (replacing in place from the end moved the rest of an
    // 8 MB script once per expression).
    let starts: Vec<usize> = found.iter().map(|f| f.range.start).collect();
    if !starts.is_sorted() {
        return None;
    }
    let quotes = quotes_at(text, &starts, lang);
    let mut new_text = String::with_capacity(text.len());
    let mut new_source = String::with_capacity(source.len());
    let (mut text_at, mut source_at) = (0, 0);
    let mut used: Vec<(&String, &str)> = Vec::new();
    for (f, quote) in found.iter().zip(quotes) {
        let name = names.get(f.body)?;
        let with = replacement(quote, name, lang);
        let span = map.span_of(f.range.clone());
        if source.get(span.clone())? != f.text || f.range.start < text_at || span.start < source_at
        {
            return None;
        }
        new_text.push_str(text.get(text_at..f.range.start)?);
        new_text.push_str(&with);
        text_at = f.range.end;
        new_source.push_str(source.get(source_at..span.start)?);
        new_source.push_str(&with);
        source_at = span.end;
        if env_variable(f.body).is_none() {
            used.push((name, f.body));
        }
    }
    new_text.push_str(text.get(text_at..)?);
    new_source.push_str(source.get(source_at..)?);
    // One variable per name, in the order of each name's last use.
    let mut seen = std::collections::BTreeSet::new();
    let mut env: Vec<(String, String)> = used
        .into_iter()
        .rev()
        .filter(|(name, _)| seen.insert(*name))
        .map(|(name, body)| (name.clone(), format!("${{{{ {body} }}}}")))
        .collect();
    env.reverse();
    let replaced = YamlFile::parse(&new_source).ok()?;
    if yaml::value_at(&replaced.value, route).and_then(Value::as_str) != Some(new_text.as_str()) {
        return None;
    }
    if env.is_empty() {
        return Some(new_source);
    }
    let mut expected = replaced.value.clone();
    let env_route = at.key("env");
    let ops: Vec<(Vec<Step>, yamlpatch::Op<'_>)> = match yaml::value_at(&replaced.value, &env_route)
    {
        Some(Value::Mapping(_)) => {
            let map = yaml::value_at_mut(&mut expected, &env_route)?.as_mapping_mut()?;
            env.iter()
                .map(|(name, value)| {
                    map.insert(name.as_str().into(), value.as_str().into());
                    (
                        env_route.clone(),
                        yamlpatch::Op::Add {
                            key: name.clone(),
                            value: value.as_str().into(),
                        },
                    )
                })
                .collect()
        }
        None => {
            let mut mapping = yaml_serde::Mapping::new();
            for (name, value) in &env {
                mapping.insert(name.as_str().into(), value.as_str().into());
            }
            yaml::value_at_mut(&mut expected, &at.route())?
                .as_mapping_mut()?
                .insert("env".into(), Value::Mapping(mapping.clone()));
            vec![(
                at.route(),
                yamlpatch::Op::Add {
                    key: "env".into(),
                    value: Value::Mapping(mapping),
                },
            )]
        }
        // `env: ${{ fromJSON(...) }}` and other shapes: no safe place to add.
        _ => return None,
    };
    replaced.patch_expecting(ops, &expected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_decides_the_replacement() {
        let shell = "echo ${{ a }} \"x ${{ b }}\" 'y ${{ c }}' # ${{ d }}";
        let at = |needle: &str| shell.find(needle).unwrap();
        assert_eq!(quote_at(shell, at("${{ a"), Lang::Shell), Quote::None);
        assert_eq!(quote_at(shell, at("${{ b"), Lang::Shell), Quote::Double);
        assert_eq!(quote_at(shell, at("${{ c"), Lang::Shell), Quote::Single);
        assert_eq!(quote_at(shell, at("${{ d"), Lang::Shell), Quote::Comment);
        assert_eq!(replacement(Quote::None, "T", Lang::Shell), "\"$T\"");
        assert_eq!(replacement(Quote::Double, "T", Lang::Shell), "${T}");
        assert_eq!(replacement(Quote::Single, "T", Lang::Shell), "'\"$T\"'");
        let js = "const t = `${{ a }}`; f('${{ b }}')";
        assert_eq!(
            quote_at(js, js.find("${{ a").unwrap(), Lang::Js),
            Quote::Backtick
        );
        assert_eq!(
            replacement(Quote::Backtick, "T", Lang::Js),
            "${process.env.T}"
        );
        assert_eq!(
            replacement(Quote::Single, "T", Lang::Js),
            "' + process.env.T + '"
        );
    }
}
