//! YAML (dependabot, workflows, actions): yaml_serde for values, yamlpath for the exact span
//! of every key and value, yamlpatch for comment-preserving edits.

mod spans;

use std::ops::Range;
use std::sync::OnceLock;

use super::ParseError;
use spans::{Answer, Spans};

pub use yaml_serde::Value;

/// A YAML document: its value, and the concrete syntax tree that locates features.
pub struct YamlFile {
    pub value: Value,
    source: String,
    /// The concrete syntax tree (tree-sitter-yaml's, as yamlpath's).
    tree: tree_sitter::Tree,
    /// Every key's and value's span, indexed from the tree on the first query (yamlpath's
    /// queries are linear each).
    spans: OnceLock<Spans>,
    /// yamlpath's view, made when a patch or an unusual query needs it.
    doc: OnceLock<Option<yamlpath::Document>>,
    /// Bytes re-parsed by whole-document patches so far (see [`MAX_PATCHED_BYTES`]).
    patched_bytes: std::sync::atomic::AtomicUsize,
    /// Span queries the index left to yamlpath so far.
    asked: std::sync::atomic::AtomicUsize,
}

impl std::fmt::Debug for YamlFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("YamlFile")
            .field("value", &self.value)
            .finish_non_exhaustive()
    }
}

/// One step of a route into a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Key(String),
    Index(usize),
}

impl YamlFile {
    pub fn parse(text: &str) -> Result<Self, ParseError> {
        check_flow_depth(text)?;
        // NOTE: yaml_serde refuses documents whose aliases expand past its repetition limit,
        // which stops a billion-laughs file, but not a quadratic one (3,000 aliases of a
        // 3,000-item list); the expanded size is bounded first.
        if text.contains('*') {
            check_expanded_size(text)?;
        }
        let value: Value = match yaml_serde::from_str(text) {
            Ok(value) => value,
            Err(e) => {
                let span = e.location().map(|l| l.index()..l.index());
                return Err(ParseError {
                    message: e.to_string(),
                    span,
                });
            }
        };
        // The concrete syntax tree yamlpath would build, parsed once here for the span index;
        // yamlpath's own document is made only when a patch needs it.
        let mut parser = tree_sitter::Parser::new();
        let language: tree_sitter::Language = tree_sitter_yaml::LANGUAGE.into();
        let tree = parser
            .set_language(&language)
            .ok()
            .and_then(|()| parser.parse(text, None));
        let Some(tree) = tree.filter(|t| !t.root_node().has_error()) else {
            return Err(ParseError {
                message: "input is not valid YAML".to_string(),
                span: None,
            });
        };
        let doc = OnceLock::new();
        if text.contains('&') {
            // yamlpath refuses some anchors (one with nothing after it) that the tree allows:
            // its verdict decides whether the file parses, as it always did.
            let made = yamlpath::Document::new(text.to_string()).map_err(|e| ParseError {
                message: e.to_string(),
                span: None,
            })?;
            let _ = doc.set(Some(made));
        }
        Ok(Self {
            value,
            source: text.to_string(),
            tree,
            spans: OnceLock::new(),
            doc,
            patched_bytes: Default::default(),
            asked: Default::default(),
        })
    }

    /// The span index, built on first use.
    fn spans(&self) -> &Spans {
        self.spans
            .get_or_init(|| Spans::index(&self.tree, &self.source))
    }

    /// The document's text.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// yamlpath's document (its tree is parsed on first use).
    pub fn doc(&self) -> Option<&yamlpath::Document> {
        self.doc
            .get_or_init(|| yamlpath::Document::new(self.source.clone()).ok())
            .as_ref()
    }

    fn route<'a>(steps: &'a [Step]) -> yamlpath::Route<'a> {
        let components = steps.iter().map(|step| match step {
            Step::Key(key) => yamlpath::Component::Key(key.as_str().into()),
            Step::Index(index) => yamlpath::Component::Index(*index),
        });
        yamlpath::Route::default().with_keys(components)
    }

    /// Byte span of the value at `steps` (the whole `key: value` for mappings is not included).
    pub fn value_span(&self, steps: &[Step]) -> Option<Range<usize>> {
        if let Answer::Known(span) = self.spans().value(steps) {
            return span;
        }
        self.asked
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let feature = self.doc()?.query_exact(&Self::route(steps)).ok()??;
        Some(feature.location.byte_span.0..feature.location.byte_span.1)
    }

    /// Byte span of the key at `steps`.
    pub fn key_span(&self, steps: &[Step]) -> Option<Range<usize>> {
        if let Answer::Known(span) = self.spans().key(steps) {
            return span;
        }
        self.asked
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let feature = self.doc()?.query_key_only(&Self::route(steps)).ok()?;
        Some(feature.location.byte_span.0..feature.location.byte_span.1)
    }

    /// Apply yamlpatch operations and return the new text; comments and layout are kept.
    ///
    /// yamlpatch re-parses the whole document after each operation, so the work one document
    /// may spend on patches is bounded (see [`MAX_PATCHED_BYTES`]); past it this is an error
    /// and the finding gets no fix. Fixes of one node use [`YamlFile::patch_node`] first.
    pub fn patch(&self, ops: Vec<(Vec<Step>, yamlpatch::Op<'_>)>) -> Result<String, String> {
        use std::sync::atomic::Ordering;
        let cost = self.source().len().saturating_mul(ops.len().max(1));
        let spent = self.patched_bytes.fetch_add(cost, Ordering::Relaxed);
        if spent.saturating_add(cost) > MAX_PATCHED_BYTES {
            return Err(format!(
                "the document's patch budget ({MAX_PATCHED_BYTES} bytes re-parsed) is spent"
            ));
        }
        let patches: Vec<yamlpatch::Patch<'_>> = ops
            .iter()
            .map(|(steps, op)| yamlpatch::Patch {
                route: Self::route(steps),
                operation: op.clone(),
            })
            .collect();
        let doc = self
            .doc()
            .ok_or("the document does not parse for yamlpath")?;
        yamlpatch::apply_yaml_patches(doc, &patches)
            .map(|doc| doc.source().to_string())
            .map_err(|e| e.to_string())
    }
}

impl YamlFile {
    /// Span queries of this document answered by yamlpath (whose queries walk the document
    /// from the top) rather than by the index, so far.
    pub fn yamlpath_queries(&self) -> usize {
        self.asked.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Bytes re-parsed by whole-document patches of this document so far.
    pub fn patched_bytes(&self) -> usize {
        self.patched_bytes
            .load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Apply `ops`, whose routes start at the node at `scope` (a sequence item or a mapping
    /// entry), to that node's lines alone, read as a document of their own, and accept the
    /// result only if the node becomes `expected` and nothing else changes. Returns the edit:
    /// the range of the node's lines in this document and their new text.
    ///
    /// The whole document is not patched: yamlpatch re-parses it after each operation, and a
    /// fix per entry of a 2,000-entry dependabot.yml made that quadratic. `None` when the
    /// node's lines do not stand alone (a flow collection sharing a line, an alias of an
    /// anchor elsewhere, an anchor others alias); the caller patches the whole document then.
    pub fn patch_node(
        &self,
        scope: &[Step],
        ops: Vec<(Vec<Step>, yamlpatch::Op<'_>)>,
        expected: &Value,
    ) -> Option<(Range<usize>, String)> {
        let text = self.source();
        let last = scope.last()?;
        let value = self.value_span(scope)?;
        let start = match last {
            Step::Index(_) => value.start,
            Step::Key(_) => self.key_span(scope)?.start,
        };
        let line_start = text.get(..start)?.rfind('\n').map_or(0, |i| i + 1);
        let lead = text.get(line_start..start)?;
        let lead_is_plain = match last {
            Step::Index(_) => lead
                .trim_start_matches(' ')
                .strip_prefix('-')
                .is_some_and(|rest| rest.chars().all(|c| c == ' ')),
            Step::Key(_) => lead.chars().all(|c| c == ' '),
        };
        let end = if text.get(..value.end)?.ends_with('\n') {
            value.end
        } else {
            text.get(value.end..)?
                .find('\n')
                .map_or(text.len(), |i| value.end + i + 1)
        };
        let after = text.get(value.end..end)?.trim();
        let lines = text.get(line_start..end)?;
        // NOTE: an anchor in the node may be aliased elsewhere, where the edit would show too;
        // an alias of an anchor outside it does not parse alone.
        if !lead_is_plain || !(after.is_empty() || after.starts_with('#')) || lines.contains('&') {
            return None;
        }
        let root = match last {
            Step::Index(_) => Step::Index(0),
            Step::Key(key) => Step::Key(key.clone()),
        };
        // The node's lines alone, before and after: exactly the node, as it was and as expected.
        let only = |doc: &Value, node: &Value| match (doc, &root) {
            (Value::Sequence(items), Step::Index(_)) => items.len() == 1 && items[0] == *node,
            (Value::Mapping(entries), Step::Key(key)) => {
                entries.len() == 1 && entries.get(key.as_str()) == Some(node)
            }
            _ => false,
        };
        let alone = YamlFile::parse(lines).ok()?;
        if !only(&alone.value, value_at(&self.value, scope)?) {
            return None;
        }
        let ops = ops
            .into_iter()
            .map(|(steps, op)| {
                let mut route = vec![root.clone()];
                route.extend(steps);
                (route, op)
            })
            .collect();
        let new = alone.patch(ops).ok()?;
        let patched: Value = yaml_serde::from_str(&new).ok()?;
        only(&patched, expected).then_some((line_start..end, new))
    }

    /// Apply `ops` and accept the result only if it parses to `expected`: yamlpatch keeps
    /// comments and layout, and this makes sure it also changed exactly what was meant.
    pub fn patch_expecting(
        &self,
        ops: Vec<(Vec<Step>, yamlpatch::Op<'_>)>,
        expected: &Value,
    ) -> Option<String> {
        let new = self.patch(ops).ok()?;
        Self::parses_to(&new, expected).then_some(new)
    }

    /// Append `item` to the block sequence at `steps`, keeping comments and layout.
    ///
    /// yamlpatch's `Append` does the edit. When the sequence is followed by comment lines it
    /// glues the new item onto the first of them (`default-days: 7# comment`, which means
    /// something else, or `directory: /  # old comment`, which mangles the comment). So the
    /// result must parse to the intended document and keep every original line whole; if it
    /// does not, the item is written after the line of the sequence's last item instead, in
    /// that item's own indentation. `None` when neither gives the intended
    /// document (flow sequences, empty sequences, odd layouts).
    pub fn append(&self, steps: &[Step], item: &Value) -> Option<String> {
        let mut expected = self.value.clone();
        match value_at_mut(&mut expected, steps)? {
            Value::Sequence(items) if !items.is_empty() => items.push(item.clone()),
            _ => return None,
        }
        let op = yamlpatch::Op::Append {
            value: item.clone(),
        };
        self.patch_expecting(vec![(steps.to_vec(), op)], &expected)
            .filter(|new| only_adds_lines(self.source(), new))
            .or_else(|| self.append_after_last_item(steps, item, &expected))
    }

    fn append_after_last_item(
        &self,
        steps: &[Step],
        item: &Value,
        expected: &Value,
    ) -> Option<String> {
        let text = self.source();
        let count = match value_at(&self.value, steps)? {
            Value::Sequence(items) => items.len(),
            _ => return None,
        };
        let mut last = steps.to_vec();
        last.push(Step::Index(count.checked_sub(1)?));
        let span = self.value_span(&last)?;
        let line_start = text.get(..span.start)?.rfind('\n').map_or(0, |i| i + 1);
        // `  - ` (or `-   `): what comes before the last item's content on its first line.
        let lead = text.get(line_start..span.start)?;
        let dash = lead.find('-')?;
        if !lead[..dash].chars().all(|c| c == ' ') || !lead[dash + 1..].chars().all(|c| c == ' ') {
            return None;
        }
        let continuation = " ".repeat(lead.len());
        // The item's span can run over comment lines that follow it (a commented-out entry, say):
        // the new item goes right after its last line of content, before those.
        let mut content_end = span.start;
        let mut offset = span.start;
        for line in text.get(span.start..span.end)?.split_inclusive('\n') {
            let trimmed = line.trim();
            if !trimmed.is_empty() && !trimmed.starts_with('#') {
                content_end = offset + line.trim_end().len();
            }
            offset += line.len();
        }
        let (insert_at, prefix) = match text.get(content_end..)?.find('\n') {
            Some(i) => (content_end + i + 1, ""),
            None => (text.len(), "\n"),
        };
        let rendered = yaml_serde::to_string(item).ok()?;
        let mut block = String::from(prefix);
        for (i, line) in rendered.lines().enumerate() {
            block.push_str(if i == 0 { lead } else { &continuation });
            block.push_str(line);
            block.push('\n');
        }
        let mut new = String::with_capacity(text.len() + block.len());
        new.push_str(text.get(..insert_at)?);
        new.push_str(&block);
        new.push_str(text.get(insert_at..)?);
        Self::parses_to(&new, expected).then_some(new)
    }

    fn parses_to(text: &str, expected: &Value) -> bool {
        yaml_serde::from_str::<Value>(text).is_ok_and(|value| value == *expected)
    }
}

/// The most bytes whole-document patches of one document may re-parse (its length times the
/// operations, summed): a 10 KB workflow gets 3,000 operations, an 8 MB file four. Past it a
/// finding gets no fix. Only the first 100 findings of a check in a file are reported anyway.
pub const MAX_PATCHED_BYTES: usize = 32 << 20;

/// The most values a document may expand to through its aliases. A hand-written configuration
/// file is far below it; 3,000 aliases of a 3,000-item list (15 KB) are 9 million values.
pub const MAX_EXPANDED_VALUES: usize = 1_000_000;

/// The deepest nesting of flow collections (`[`, `{`) read. libyaml's time grows with the
/// square of the depth (400 KB of `[` take minutes), and yaml_serde refuses more than 128
/// levels anyway.
pub const MAX_FLOW_DEPTH: usize = 128;

fn too_much(message: String, at: Option<usize>) -> ParseError {
    ParseError {
        message,
        span: at.map(|i| i..i),
    }
}

/// Refuse text whose flow collections nest deeper than [`MAX_FLOW_DEPTH`], before libyaml
/// sees it. A byte scan, not a parse: brackets in comments and quoted scalars on one line are
/// skipped, and a closing bracket never takes the depth below zero, so what it over-counts
/// takes more than 128 unclosed brackets outside quotes and comments.
fn check_flow_depth(text: &str) -> Result<(), ParseError> {
    let mut depth = 0usize;
    let mut quote: Option<u8> = None;
    let mut previous = b'\n';
    let mut bytes = text.bytes().enumerate();
    while let Some((i, byte)) = bytes.next() {
        match (quote, byte) {
            (_, b'\n') => quote = None,
            (Some(b'"'), b'\\') => {
                bytes.next();
            }
            (Some(open), _) if byte == open => quote = None,
            (Some(_), _) => {}
            (None, b'#') if previous.is_ascii_whitespace() => {
                // A comment: skip to the end of the line.
                for (_, byte) in bytes.by_ref() {
                    if byte == b'\n' {
                        break;
                    }
                }
                previous = b'\n';
                continue;
            }
            (None, b'"' | b'\'') if !previous.is_ascii_alphanumeric() => quote = Some(byte),
            (None, b'[' | b'{') => {
                depth += 1;
                if depth > MAX_FLOW_DEPTH {
                    return Err(too_much(
                        format!("flow collections nest deeper than {MAX_FLOW_DEPTH} levels"),
                        Some(i),
                    ));
                }
            }
            (None, b']' | b'}') => depth = depth.saturating_sub(1),
            _ => {}
        }
        previous = byte;
    }
    Ok(())
}

/// Refuse a document that expands to more than [`MAX_EXPANDED_VALUES`] values, counting each
/// alias as the values it stands for. The count walks yaml_serde's events (which replay an
/// alias's anchor) and stops at the budget, so it never builds the expansion.
fn check_expanded_size(text: &str) -> Result<(), ParseError> {
    use serde::de::DeserializeSeed;
    let mut left = MAX_EXPANDED_VALUES;
    let counter = ValueCounter { left: &mut left };
    match counter.deserialize(yaml_serde::Deserializer::from_str(text)) {
        Err(_) if left == 0 => Err(too_much(
            format!(
                "the document expands to more than {MAX_EXPANDED_VALUES} values through its aliases"
            ),
            None,
        )),
        // Any other error is the parser's, reported by the real parse.
        _ => Ok(()),
    }
}

/// Counts values as they are deserialized; fails once the budget is spent.
struct ValueCounter<'a> {
    left: &'a mut usize,
}

impl ValueCounter<'_> {
    fn spend<E: serde::de::Error>(&mut self) -> Result<(), E> {
        match self.left.checked_sub(1) {
            Some(left) if left > 0 => {
                *self.left = left;
                Ok(())
            }
            _ => {
                *self.left = 0;
                Err(E::custom("expansion budget spent"))
            }
        }
    }
}

impl<'de> serde::de::DeserializeSeed<'de> for ValueCounter<'_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for ValueCounter<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E: serde::de::Error>(mut self, _: bool) -> Result<(), E> {
        self.spend()
    }

    fn visit_i64<E: serde::de::Error>(mut self, _: i64) -> Result<(), E> {
        self.spend()
    }

    fn visit_u64<E: serde::de::Error>(mut self, _: u64) -> Result<(), E> {
        self.spend()
    }

    fn visit_f64<E: serde::de::Error>(mut self, _: f64) -> Result<(), E> {
        self.spend()
    }

    fn visit_str<E: serde::de::Error>(mut self, _: &str) -> Result<(), E> {
        self.spend()
    }

    fn visit_unit<E: serde::de::Error>(mut self) -> Result<(), E> {
        self.spend()
    }

    fn visit_none<E: serde::de::Error>(mut self) -> Result<(), E> {
        self.spend()
    }

    fn visit_some<D: serde::Deserializer<'de>>(mut self, deserializer: D) -> Result<(), D::Error> {
        self.spend()?;
        deserializer.deserialize_any(self)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(mut self, mut seq: A) -> Result<(), A::Error> {
        self.spend()?;
        while seq
            .next_element_seed(ValueCounter {
                left: &mut *self.left,
            })?
            .is_some()
        {}
        Ok(())
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(mut self, mut map: A) -> Result<(), A::Error> {
        self.spend()?;
        while map
            .next_key_seed(ValueCounter {
                left: &mut *self.left,
            })?
            .is_some()
        {
            map.next_value_seed(ValueCounter {
                left: &mut *self.left,
            })?;
        }
        Ok(())
    }

    fn visit_enum<A: serde::de::EnumAccess<'de>>(mut self, data: A) -> Result<(), A::Error> {
        use serde::de::VariantAccess;
        // A tagged value (`!tag value`): the tag is the variant, the value its content.
        self.spend()?;
        let ((), variant) = data.variant_seed(ValueCounter {
            left: &mut *self.left,
        })?;
        variant.newtype_variant_seed(ValueCounter {
            left: &mut *self.left,
        })
    }
}

/// Whether `new` is `old` with lines added and none changed (line endings aside).
fn only_adds_lines(old: &str, new: &str) -> bool {
    let mut new_lines = new.lines().map(|l| l.trim_end_matches('\r'));
    old.lines()
        .map(|l| l.trim_end_matches('\r'))
        .all(|old_line| new_lines.any(|new_line| new_line == old_line))
}

/// The value at `steps`, if the document has one there.
pub fn value_at<'a>(value: &'a Value, steps: &[Step]) -> Option<&'a Value> {
    steps.iter().try_fold(value, |value, step| match step {
        Step::Key(key) => value.as_mapping()?.get(key.as_str()),
        Step::Index(index) => value.as_sequence()?.get(*index),
    })
}

/// The value at `steps`, to build the document a patch is expected to produce.
pub fn value_at_mut<'a>(value: &'a mut Value, steps: &[Step]) -> Option<&'a mut Value> {
    steps.iter().try_fold(value, |value, step| match step {
        Step::Key(key) => value.as_mapping_mut()?.get_mut(key.as_str()),
        Step::Index(index) => value.as_sequence_mut()?.get_mut(*index),
    })
}

/// Look up a key in a mapping value.
pub fn get<'a>(value: &'a Value, key: &str) -> Option<&'a Value> {
    value.as_mapping()?.get(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every route into `value` (and one step past each container), for comparing answers.
    fn routes(value: &Value, prefix: Vec<Step>, out: &mut Vec<Vec<Step>>) {
        out.push(prefix.clone());
        let mut step = |step: Step, child: Option<&Value>| {
            let mut route = prefix.clone();
            route.push(step);
            match child {
                Some(child) => routes(child, route, out),
                None => out.push(route),
            }
        };
        match value {
            Value::Mapping(entries) => {
                for (key, child) in entries {
                    if let Some(key) = key.as_str() {
                        step(Step::Key(key.to_string()), Some(child));
                    }
                }
                step(Step::Key("no-such-key".into()), None);
                step(Step::Index(0), None);
            }
            Value::Sequence(items) => {
                for (index, child) in items.iter().enumerate() {
                    step(Step::Index(index), Some(child));
                }
                step(Step::Index(items.len()), None);
                step(Step::Key("no-such-key".into()), None);
            }
            Value::Tagged(tagged) => routes(&tagged.value, prefix.clone(), out),
            _ => {}
        }
    }

    /// The span index answers exactly as yamlpath does, wherever it answers.
    fn spans_agree_with_yamlpath(text: &str) -> usize {
        let Ok(file) = YamlFile::parse(text) else {
            return 0;
        };
        let Some(doc) = file.doc() else {
            return 0;
        };
        let mut all = Vec::new();
        routes(&file.value, Vec::new(), &mut all);
        let mut known = 0;
        for route in &all {
            let yamlpath_route = YamlFile::route(route);
            if let Answer::Known(span) = file.spans().value(route) {
                let theirs = doc
                    .query_exact(&yamlpath_route)
                    .ok()
                    .flatten()
                    .map(|f| f.location.byte_span.0..f.location.byte_span.1);
                assert_eq!(span, theirs, "value {route:?} of {text:?}");
                known += 1;
            }
            if let Answer::Known(span) = file.spans().key(route) {
                let theirs = doc
                    .query_key_only(&yamlpath_route)
                    .ok()
                    .map(|f| f.location.byte_span.0..f.location.byte_span.1);
                assert_eq!(span, theirs, "key {route:?} of {text:?}");
            }
        }
        known
    }

    #[test]
    fn the_span_index_agrees_with_yamlpath() {
        let shapes = [
            "a: 1\nb:\n  - x\n  - {c: 2, d: [3, 4]}\n  -\n    e: f # c\n",
            "'q': 1\n\"d\": 2\n'a''b': 3\n\"e\\\"f\": 4\n",
            "a: &x {k: 1}\nb: *x\nc: &y\n  - 1\nd: [&z 1, *z]\n",
            "flow: {a, b: 1, c: }\nseq: [a: 1, b]\n",
            "a:\nb: ~\nc: !!str 1\nd: !custom {x: 1}\n",
            "a: 1\na: 2\n",
            "---\na: 1\n---\nb: 2\n",
            "- 1\n- - 2\n  - 3\n-\n",
            "# only a comment\n",
            "a: |\n  text\n  more\nb: >-\n  folded\n",
            "? complex\n: value\n",
            "a:\n  # comment first\n  b: 1\n",
            "\u{feff}a: 1\r\nb:\r\n  - c\r\n",
        ];
        for text in shapes {
            spans_agree_with_yamlpath(text);
        }
        // And every YAML file the tests hold.
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
        let mut stack = vec![root];
        let (mut files, mut known) = (0, 0);
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "yml" || e == "yaml")
                    && let Ok(text) = std::fs::read_to_string(&path)
                {
                    files += 1;
                    known += spans_agree_with_yamlpath(&text);
                }
            }
        }
        assert!(
            files > 100 && known > 5_000,
            "{files} files, {known} routes"
        );
    }

    #[test]
    fn a_node_is_patched_on_its_lines_alone() {
        let text = "updates:\n  - package-ecosystem: pip # py\n    directory: /\n  - package-ecosystem: npm\n    directory: /web\n";
        let file = YamlFile::parse(text).unwrap();
        let entry = [Step::Key("updates".into()), Step::Index(1)];
        let mut expected = value_at(&file.value, &entry).unwrap().clone();
        expected
            .as_mapping_mut()
            .unwrap()
            .insert("open-pull-requests-limit".into(), Value::Number(5.into()));
        let op = || yamlpatch::Op::Add {
            key: "open-pull-requests-limit".into(),
            value: Value::Number(5.into()),
        };
        let (range, new) = file
            .patch_node(&entry, vec![(vec![], op())], &expected)
            .unwrap();
        assert_eq!(
            &text[range.clone()],
            "  - package-ecosystem: npm\n    directory: /web\n"
        );
        assert_eq!(
            new,
            "  - package-ecosystem: npm\n    directory: /web\n    open-pull-requests-limit: 5\n"
        );
        assert_eq!(file.patched_bytes(), 0);
        // The wrong expectation is refused.
        assert!(
            file.patch_node(&entry, vec![(vec![], op())], &entry_value(&file, &entry))
                .is_none()
        );
        // An anchor others may alias: the whole document is the caller's to patch.
        let anchored = YamlFile::parse("a:\n  - &x {k: 1}\nb: *x\n").unwrap();
        let first = [Step::Key("a".into()), Step::Index(0)];
        assert!(
            anchored
                .patch_node(&first, vec![], &entry_value(&anchored, &first))
                .is_none()
        );
    }

    fn entry_value(file: &YamlFile, steps: &[Step]) -> Value {
        value_at(&file.value, steps).unwrap().clone()
    }

    #[test]
    fn whole_document_patches_stop_at_the_budget() {
        let text = format!("k: v\npad: '{}'\n", "x".repeat(1 << 20));
        let file = YamlFile::parse(&text).unwrap();
        let op = || {
            (
                vec![Step::Key("k".into())],
                yamlpatch::Op::Replace(Value::from("w")),
            )
        };
        let mut applied = 0;
        while file.patch(vec![op()]).is_ok() {
            applied += 1;
        }
        assert_eq!(applied, MAX_PATCHED_BYTES / text.len());
        assert!(file.patched_bytes() > MAX_PATCHED_BYTES);
    }

    #[test]
    fn spans_point_at_values() {
        let text = "version: 2\nupdates:\n  - package-ecosystem: pip # py\n    directory: /\n";
        let file = YamlFile::parse(text).unwrap();
        let steps = [
            Step::Key("updates".into()),
            Step::Index(0),
            Step::Key("directory".into()),
        ];
        let span = file.value_span(&steps).unwrap();
        assert_eq!(&text[span], "/");
        let span = file.key_span(&steps).unwrap();
        assert_eq!(&text[span], "directory");
    }

    fn entry() -> Value {
        yaml_serde::from_str("package-ecosystem: docker\ndirectory: /\n").unwrap()
    }

    #[test]
    fn append_keeps_comments_and_style() {
        let updates = [Step::Key("updates".into())];
        let cases = [
            (
                "updates: # all\n  - package-ecosystem: pip # app\n    directory: /\n",
                "updates: # all\n  - package-ecosystem: pip # app\n    directory: /\n  - package-ecosystem: docker\n    directory: /\n",
            ),
            // yamlpatch alone would glue the item onto the trailing comment.
            (
                "updates:\n  - package-ecosystem: pip\n    directory: / # root\n  # - package-ecosystem: npm\n# end\n",
                "updates:\n  - package-ecosystem: pip\n    directory: / # root\n  - package-ecosystem: docker\n    directory: /\n  # - package-ecosystem: npm\n# end\n",
            ),
            (
                "updates:\n- package-ecosystem: pip\n  directory: /",
                "updates:\n- package-ecosystem: pip\n  directory: /\n- package-ecosystem: docker\n  directory: /\n",
            ),
            (
                "updates:\r\n  - package-ecosystem: pip\r\n    directory: /\r\n",
                "updates:\r\n  - package-ecosystem: pip\r\n    directory: /\r\n  - package-ecosystem: docker\n    directory: /\n",
            ),
        ];
        for (before, after) in cases {
            let file = YamlFile::parse(before).unwrap();
            let new = file
                .append(&updates, &entry())
                .unwrap_or_else(|| panic!("no append for {before:?}"));
            assert_eq!(new, after, "{before:?}");
        }
    }

    #[test]
    fn append_refuses_what_it_cannot_do_right() {
        let updates = [Step::Key("updates".into())];
        for text in [
            "updates: []\n",
            "updates: [{package-ecosystem: pip}]\n",
            "updates:\n",
            "version: 2\n",
        ] {
            let file = YamlFile::parse(text).unwrap();
            assert_eq!(file.append(&updates, &entry()), None, "{text:?}");
        }
    }

    #[test]
    fn alias_bomb_is_an_error_not_a_hang() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let prev = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"
            ));
        }
        assert!(YamlFile::parse(&text).is_err());
    }

    #[test]
    fn quadratic_aliases_are_refused() {
        let items = vec!["x"; 3000].join(", ");
        let aliases = vec!["*a"; 3000].join(", ");
        let text = format!("A: &a [{items}]\nB: [{aliases}]\n");
        let error = YamlFile::parse(&text).unwrap_err();
        assert!(error.message.contains("expands to more than"), "{error:?}");
        // A few aliases of a small anchor are ordinary YAML.
        let text = "defaults: &d {a: 1, b: [1, 2]}\nx: *d\ny: *d\nz: '*not an alias'\n";
        assert!(YamlFile::parse(text).is_ok());
    }

    #[test]
    fn deep_flow_nesting_is_refused_before_libyaml() {
        let deep = format!("a: {}{}\n", "[".repeat(200_000), "]".repeat(200_000));
        let started = std::time::Instant::now();
        let error = YamlFile::parse(&deep).unwrap_err();
        assert!(error.message.contains("nest deeper"), "{error:?}");
        assert!(started.elapsed().as_secs() < 5);
        // Brackets in comments and quoted scalars are text, not nesting.
        let text = format!(
            "a: '{0}'\nb: \"{0}\"\n# {0}\nc: [[1], {{d: [2]}}]\n",
            "[".repeat(300)
        );
        assert!(
            YamlFile::parse(&text).is_ok(),
            "{:?}",
            YamlFile::parse(&text).err()
        );
    }

    #[test]
    fn documents_past_32768_lines_parse() {
        let mut text = String::from("items:\n");
        for i in 0..40_000 {
            text.push_str(&format!("  - k{i}\n"));
        }
        let file = YamlFile::parse(&text).unwrap();
        let span = file
            .value_span(&[Step::Key("items".into()), Step::Index(39_999)])
            .unwrap();
        assert_eq!(&text[span], "k39999");
    }
}
