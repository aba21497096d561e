//! The span of every key and value of a YAML document by its route, indexed once.
//!
//! yamlpath answers each query by descending from the top, and lists a sequence's items
//! (and asks tree-sitter for a node's parent, which walks down from the root) on every step:
//! a check that looks up each entry of a 2,000-entry `updates:` list did 2,000 times the
//! work of the list. This walks the concrete syntax tree once and answers in the length of
//! the route. It gives exactly what yamlpath gives (the same tree, the same rules, down to
//! yamlpath's quirks); where those rules need more than the tree (an alias, whose anchor is
//! resolved elsewhere) or are unusual (a bare key in a flow mapping, a pair in a flow
//! sequence, an item without content) it answers [`Answer::Ask`], and the caller asks yamlpath.

use std::collections::HashMap;
use std::ops::Range;

use tree_sitter::Node;

use super::Step;

/// What the index knows about a route.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// What yamlpath answers (`None`: no such node, or a key without a value).
    Known(Option<Range<usize>>),
    /// Ask yamlpath.
    Ask,
}

/// Every node reachable from the top of the document, by route.
#[derive(Debug, Default)]
pub struct Spans {
    /// `nodes[0]` is the top value; empty when the document has none.
    nodes: Vec<Entry>,
}

#[derive(Debug)]
struct Entry {
    /// Its exact span (`None` for a key without a value).
    value: Option<Range<usize>>,
    /// The span of its key, for a node reached through a mapping pair.
    key: Option<Range<usize>>,
    /// Whether what is known about the node itself comes from yamlpath.
    ask: bool,
    children: Children,
}

#[derive(Debug)]
enum Children {
    /// A scalar, or what yamlpath does not descend into.
    None,
    Mapping(HashMap<String, usize>),
    Sequence(Vec<usize>),
    /// Descending is yamlpath's to do.
    Ask,
}

fn is_value_node(node: &Node<'_>) -> bool {
    matches!(node.kind(), "block_node" | "flow_node")
}

fn is_pair(node: &Node<'_>) -> bool {
    matches!(node.kind(), "block_mapping_pair" | "flow_pair")
}

fn named_children<'t>(node: &Node<'t>) -> Vec<Node<'t>> {
    let mut cursor = node.walk();
    node.named_children(&mut cursor).collect()
}

impl Spans {
    /// Index the tree of `source` (which tree-sitter-yaml parsed without error).
    pub fn index(tree: &tree_sitter::Tree, source: &str) -> Self {
        let stream = tree.root_node();
        let top = named_children(&stream)
            .into_iter()
            .find(|c| c.kind() == "document")
            .and_then(|document| named_children(&document).into_iter().find(is_value_node));
        let mut spans = Self::default();
        let Some(top) = top else {
            return spans;
        };
        // An explicit stack: block nesting has no bound of its own in the grammar.
        let mut todo: Vec<(Node<'_>, usize)> = Vec::new();
        spans.push_value(top, None, &mut todo);
        while let Some((container, at)) = todo.pop() {
            spans.nodes[at].children = spans.children(container, source, &mut todo);
        }
        spans
    }

    /// Add the entry of a value node (`block_node` / `flow_node`); its container, if it has
    /// one yamlpath descends into, is queued.
    fn push_value<'t>(
        &mut self,
        node: Node<'t>,
        key: Option<Range<usize>>,
        todo: &mut Vec<(Node<'t>, usize)>,
    ) -> usize {
        let at = self.nodes.len();
        let children = named_children(&node);
        let first = node.child(0);
        // yamlpath's last step: through an alias to its anchor (ours to leave), past a leading
        // anchor to the node it names.
        let (value, ask) = match first.as_ref().map(Node::kind) {
            Some("alias") => (None, true),
            Some("anchor") => (
                Some(
                    children
                        .iter()
                        .find(|c| c.kind() != "anchor")
                        .unwrap_or(&node)
                        .byte_range(),
                ),
                false,
            ),
            _ => (Some(node.byte_range()), false),
        };
        // A step down starts at the first named child that is not an anchor.
        let inner = children.into_iter().find(|c| c.kind() != "anchor");
        let children = match inner.as_ref().map(Node::kind) {
            Some("alias") => Children::Ask,
            Some("block_mapping" | "flow_mapping" | "block_sequence" | "flow_sequence") => {
                if let Some(inner) = inner {
                    todo.push((inner, at));
                }
                Children::None
            }
            _ => Children::None,
        };
        self.nodes.push(Entry {
            value,
            key,
            ask,
            children,
        });
        at
    }

    fn push_other(
        &mut self,
        value: Option<Range<usize>>,
        key: Option<Range<usize>>,
        ask: bool,
    ) -> usize {
        self.nodes.push(Entry {
            value,
            key,
            ask,
            children: if ask { Children::Ask } else { Children::None },
        });
        self.nodes.len() - 1
    }

    /// The children of a mapping or sequence node, as yamlpath's descent finds them.
    fn children<'t>(
        &mut self,
        container: Node<'t>,
        source: &str,
        todo: &mut Vec<(Node<'t>, usize)>,
    ) -> Children {
        let kind = container.kind();
        if kind.ends_with("_mapping") {
            let mut keys: HashMap<String, usize> = HashMap::new();
            for child in named_children(&container) {
                let (key, bare) = if is_pair(&child) {
                    // A pair without a key stops yamlpath's search of the whole mapping.
                    let Some(key) = child.child_by_field_name("key") else {
                        return Children::Ask;
                    };
                    (key, false)
                } else if child.kind() == "flow_node" {
                    (child, true)
                } else {
                    continue;
                };
                let text = key_text(&key, source);
                if keys.contains_key(text) {
                    // yamlpath takes the first of duplicate keys.
                    continue;
                }
                let at = if bare {
                    // `{ foo }`: a key without a pair, whose key span yamlpath finds oddly.
                    self.push_other(None, None, true)
                } else {
                    match child.child_by_field_name("value") {
                        Some(value) if is_value_node(&value) => {
                            self.push_value(value, Some(key.byte_range()), todo)
                        }
                        Some(_) => self.push_other(None, None, true),
                        // A key without a value: yamlpath stops at the pair.
                        None => self.push_other(None, Some(key.byte_range()), false),
                    }
                };
                keys.insert(text.to_string(), at);
            }
            Children::Mapping(keys)
        } else {
            let mut items = Vec::new();
            for child in named_children(&container) {
                match child.kind() {
                    "block_sequence_item" => {
                        // An item without content makes yamlpath refuse the whole sequence.
                        let Some(inner) = named_children(&child).into_iter().find(is_value_node)
                        else {
                            return Children::Ask;
                        };
                        items.push(self.push_value(inner, None, todo));
                    }
                    "flow_node" => items.push(self.push_value(child, None, todo)),
                    "flow_pair" => items.push(self.push_other(None, None, true)),
                    _ => {}
                }
            }
            Children::Sequence(items)
        }
    }

    fn find(&self, steps: &[Step]) -> Result<Option<&Entry>, ()> {
        let Some(mut entry) = self.nodes.first() else {
            return Ok(None);
        };
        for step in steps {
            if entry.ask {
                return Err(());
            }
            let next = match (&entry.children, step) {
                (Children::Ask, _) => return Err(()),
                (Children::Mapping(keys), Step::Key(key)) => keys.get(key.as_str()),
                (Children::Sequence(items), Step::Index(index)) => items.get(*index),
                _ => None,
            };
            let Some(&next) = next else {
                return Ok(None);
            };
            entry = &self.nodes[next];
        }
        if entry.ask {
            return Err(());
        }
        Ok(Some(entry))
    }

    /// yamlpath's `query_exact` span of the value at `steps`.
    pub fn value(&self, steps: &[Step]) -> Answer {
        match self.find(steps) {
            Ok(entry) => Answer::Known(entry.and_then(|e| e.value.clone())),
            Err(()) => Answer::Ask,
        }
    }

    /// yamlpath's `query_key_only` span of the key at `steps`.
    pub fn key(&self, steps: &[Step]) -> Answer {
        if !matches!(steps.last(), Some(Step::Key(_))) {
            return Answer::Known(None);
        }
        match self.find(steps) {
            Ok(entry) => Answer::Known(entry.and_then(|e| e.key.clone())),
            Err(()) => Answer::Ask,
        }
    }
}

/// A key as yamlpath compares it: the text of its first named child that is not an anchor,
/// a quoted one with its first and last characters dropped (escapes are not decoded).
fn key_text<'s>(key: &Node<'_>, source: &'s str) -> &'s str {
    let scalar = named_children(key)
        .into_iter()
        .find(|c| c.kind() != "anchor");
    match scalar {
        Some(scalar) => {
            let text = source.get(scalar.byte_range()).unwrap_or("");
            if matches!(scalar.kind(), "single_quote_scalar" | "double_quote_scalar") {
                let mut chars = text.chars();
                chars.next();
                chars.next_back();
                chars.as_str()
            } else {
                text
            }
        }
        None => source.get(key.byte_range()).unwrap_or(""),
    }
}
