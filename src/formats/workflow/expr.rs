//! `${{ ... }}` expressions in workflow strings: where they are and which contexts they read
//! (and whether a context's value flows into the result). Which contexts an outsider chooses
//! is [`super::taint`]'s question.

use std::ops::Range;

/// One `${{ ... }}` in a string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expr<'a> {
    /// Byte range of the whole `${{ ... }}`.
    pub range: Range<usize>,
    /// The text between the braces, trimmed.
    pub body: &'a str,
}

/// Every expression of `text`, in order. String literals (`'...'`, `''` escapes a quote) may
/// hold `}}`; an unterminated expression ends the scan.
pub fn find(text: &str) -> Vec<Expr<'_>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut pos = 0;
    while let Some(found) = text.get(pos..).and_then(|rest| rest.find("${{")) {
        let start = pos + found;
        let mut at = start + 3;
        let mut in_string = false;
        let mut end = None;
        while let Some(&b) = bytes.get(at) {
            if in_string {
                if b == b'\'' {
                    if bytes.get(at + 1) == Some(&b'\'') {
                        at += 1;
                    } else {
                        in_string = false;
                    }
                }
            } else if b == b'\'' {
                in_string = true;
            } else if b == b'}' && bytes.get(at + 1) == Some(&b'}') {
                end = Some(at + 2);
                break;
            }
            at += 1;
        }
        let Some(end) = end else { break };
        let body = text.get(start + 3..end - 2).unwrap_or("").trim();
        out.push(Expr {
            range: start..end,
            body,
        });
        pos = end;
    }
    out
}

/// The contexts an expression body reads, normalised: `github.event.commits[0].message` and
/// `github.event['commits'][0]['message']` both give `github.event.commits.*.message`. Function
/// names and literals are skipped.
pub fn contexts(body: &str) -> Vec<String> {
    scan(body).into_iter().map(|c| c.path).collect()
}

/// The contexts whose value can end up in the expression's result: not those only compared
/// (`github.head_ref == 'main'`, `!github.event.pull_request.draft`) or only tested by a
/// function that returns a boolean or a hash (`contains(github.event.issue.title, 'x')`).
pub fn flowing_contexts(body: &str) -> Vec<String> {
    scan(body)
        .into_iter()
        .filter(|c| c.flows)
        .map(|c| c.path)
        .collect()
}

/// One context read by an expression.
struct Read {
    path: String,
    /// Whether its value can be (part of) the expression's result.
    flows: bool,
}

/// Functions whose result never carries their arguments' text.
const OPAQUE_CALLS: &[&str] = &[
    "contains",
    "startswith",
    "endswith",
    "hashfiles",
    "success",
    "failure",
    "always",
    "cancelled",
];

fn is_comparison(token: &str) -> bool {
    matches!(token, "==" | "!=" | "<" | ">" | "<=" | ">=" | "!")
}

/// The operator token starting at `at` (`==`, `!=`, `<=`, `>=`, `<`, `>`, `!`, `&&`, `||`).
fn operator_at(bytes: &[u8], at: usize) -> Option<&'static str> {
    let two = (bytes.get(at).copied(), bytes.get(at + 1).copied());
    Some(match two {
        (Some(b'='), Some(b'=')) => "==",
        (Some(b'!'), Some(b'=')) => "!=",
        (Some(b'<'), Some(b'=')) => "<=",
        (Some(b'>'), Some(b'=')) => ">=",
        (Some(b'&'), Some(b'&')) => "&&",
        (Some(b'|'), Some(b'|')) => "||",
        (Some(b'<'), _) => "<",
        (Some(b'>'), _) => ">",
        (Some(b'!'), _) => "!",
        _ => return None,
    })
}

fn scan(body: &str) -> Vec<Read> {
    let bytes = body.as_bytes();
    let mut out: Vec<Read> = Vec::new();
    let mut at = 0;
    let ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'-';
    // Open parentheses: the function each belongs to ("" for grouping).
    let mut calls: Vec<String> = Vec::new();
    // The last operator seen, and whether a context read since then still waits to learn
    // whether a comparison follows it.
    let mut last_op: Option<&'static str> = None;
    let mut pending: Option<usize> = None;
    while let Some(&b) = bytes.get(at) {
        if b.is_ascii_whitespace() {
            at += 1;
            continue;
        }
        if let Some(op) = operator_at(bytes, at) {
            if is_comparison(op)
                && let Some(i) = pending.take()
                && let Some(read) = out.get_mut(i)
            {
                read.flows = false;
            }
            pending = None;
            last_op = Some(op);
            at += op.len();
            continue;
        }
        if b == b'\'' {
            at += 1;
            while let Some(&c) = bytes.get(at) {
                at += 1;
                if c == b'\'' {
                    if bytes.get(at) == Some(&b'\'') {
                        at += 1;
                    } else {
                        break;
                    }
                }
            }
            pending = None;
            last_op = None;
            continue;
        }
        if b == b'(' {
            calls.push(String::new());
            at += 1;
            last_op = None;
            pending = None;
            continue;
        }
        if b == b')' {
            calls.pop();
            at += 1;
            continue;
        }
        if b == b',' {
            at += 1;
            last_op = None;
            pending = None;
            continue;
        }
        if !(b.is_ascii_alphabetic() || b == b'_') {
            at += 1;
            // A number like `1.5` or a property after `)`: not a context start.
            while bytes.get(at).is_some_and(|c| ident(*c) || *c == b'.') && ident(b) {
                at += 1;
            }
            continue;
        }
        let mut path: Vec<String> = Vec::new();
        let mut seg_start = at;
        loop {
            while bytes.get(at).is_some_and(|c| ident(*c)) {
                at += 1;
            }
            path.push(body.get(seg_start..at).unwrap_or("").to_ascii_lowercase());
            // Index accessors: `[0]`, `[*]`, `['name']`.
            while bytes.get(at) == Some(&b'[') {
                let close = body.get(at..).and_then(|r| r.find(']')).map(|i| at + i);
                let Some(close) = close else { break };
                let inner = body.get(at + 1..close).unwrap_or("").trim();
                let key = inner
                    .strip_prefix('\'')
                    .and_then(|s| s.strip_suffix('\''))
                    .filter(|k| k.bytes().all(ident));
                path.push(key.map_or("*".to_string(), str::to_ascii_lowercase));
                at = close + 1;
            }
            if bytes.get(at) == Some(&b'.') && bytes.get(at + 1).is_some_and(|c| ident(*c)) {
                at += 1;
                seg_start = at;
                continue;
            }
            break;
        }
        let rest = body.get(at..).unwrap_or("");
        if rest.trim_start().starts_with('(') {
            // A call: its name opens the next parenthesis.
            at += rest.len() - rest.trim_start().len() + 1;
            calls.push(path.join("."));
            last_op = None;
            pending = None;
            continue;
        }
        let literal = matches!(
            path.first().map(String::as_str),
            Some("true" | "false" | "null")
        );
        if !literal {
            let opaque = calls.iter().any(|c| OPAQUE_CALLS.contains(&c.as_str()));
            let compared = last_op.is_some_and(is_comparison);
            out.push(Read {
                path: path.join("."),
                flows: !opaque && !compared,
            });
            pending = Some(out.len() - 1);
        }
        last_op = None;
    }
    out
}

/// A name for an environment variable carrying `context`: `github.event.issue.title` gives
/// `GITHUB_EVENT_ISSUE_TITLE`.
pub fn env_name(context: &str) -> String {
    let mut name = String::with_capacity(context.len());
    for c in context.chars() {
        if c.is_ascii_alphanumeric() {
            name.push(c.to_ascii_uppercase());
        } else if !name.ends_with('_') {
            name.push('_');
        }
    }
    name.trim_matches('_').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_expressions() {
        let text = "a ${{ x.y }} b ${{ format('}}{0}', z) }} c ${{ broken";
        let found = find(text);
        assert_eq!(found.len(), 2);
        assert_eq!(&text[found[0].range.clone()], "${{ x.y }}");
        assert_eq!(found[0].body, "x.y");
        assert_eq!(found[1].body, "format('}}{0}', z)");
        assert!(find("no ${ { here").is_empty());
    }

    #[test]
    fn lists_contexts() {
        assert_eq!(
            contexts("github.event.issue.title || format('{0}', github.head_ref) == 'a.b'"),
            ["github.event.issue.title", "github.head_ref"]
        );
        assert_eq!(
            contexts("github.event['commits'][0].message"),
            ["github.event.commits.*.message"]
        );
        assert_eq!(
            contexts("toJSON(steps.build.outputs.x) && true && 1.5"),
            ["steps.build.outputs.x"]
        );
        assert_eq!(
            flowing_contexts(
                "github.head_ref == 'main' && !github.event.pull_request.draft || contains(github.event.issue.title, 'x') || format('{0}', github.ref_name) || inputs.name"
            ),
            ["github.ref_name", "inputs.name"]
        );
    }

    #[test]
    fn names_variables() {
        assert_eq!(
            env_name("github.event.commits.*.message"),
            "GITHUB_EVENT_COMMITS_MESSAGE"
        );
    }
}
