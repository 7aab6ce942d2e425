//! Keeping a reviewer's YAML comments through a save.
//!
//! The YAML library reads comments and drops them, so wasec remembers them
//! itself: every comment is tied to the key path of the line it stands
//! above (or ends), such as `answers/SEC05/notes` or
//! `follow_ups/SEC02-BP05/[id=3f9a]/owner`, and put back above (or after)
//! the line with the same path in the newly written text. Sequence items
//! are named by their first `key: value` (or their value) rather than
//! their position, so a comment follows its item when others are added or
//! removed. A comment whose place no longer exists is not dropped: it goes
//! to the end of the file under a note saying so.
//!
//! This reads block-style YAML line by line, the style wasec writes and
//! people edit; it does not need to understand every YAML construct,
//! because anything it cannot place still ends up at the end of the file.

/// Comment lines of wasec's own headers (current and earlier versions),
/// which `render` writes anew and must not be kept twice.
const OWN_HEADER_PREFIXES: &[&str] = &[
    "# wasec review file.",
    "# Comments you add are kept when wasec saves the file.",
];

const ORPHANS_NOTE: &str =
    "# Comments kept by wasec from an earlier version of this file (their place no longer exists):";

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Comments {
    /// Comment lines (without indentation) above the line with a path.
    before: Vec<(String, Vec<String>)>,
    /// A comment after the value on the line with a path.
    trailing: Vec<(String, String)>,
    /// Comment lines after the last content line.
    end: Vec<String>,
}

/// What one line of a file is.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Line {
    Blank,
    Comment(String),
    /// A line that starts a key or a sequence item; `trailing` is the byte
    /// offset of a comment after its value.
    Node {
        path: String,
        indent: usize,
        trailing: Option<usize>,
        /// The value ends on this line (a trailing comment can go there).
        can_trail: bool,
    },
    /// Inside a multi-line value.
    Continuation,
}

impl Comments {
    pub fn is_empty(&self) -> bool {
        self.before.is_empty() && self.trailing.is_empty() && self.end.is_empty()
    }

    /// The comments of `text`, tied to where they stand.
    pub fn extract(text: &str) -> Comments {
        let mut out = Comments::default();
        let mut pending: Vec<String> = Vec::new();
        for (raw, line) in text.lines().zip(classify(text)) {
            match line {
                Line::Comment(c) if !is_own_header(&c) => pending.push(c),
                Line::Node { path, trailing, .. } => {
                    if !pending.is_empty() {
                        out.before
                            .push((path.clone(), std::mem::take(&mut pending)));
                    }
                    if let Some(at) = trailing {
                        out.trailing.push((path, raw[at..].trim().to_string()));
                    }
                }
                _ => {}
            }
        }
        out.end = pending;
        out
    }

    /// `text` (freshly rendered) with the comments put back.
    pub fn reinsert(&self, text: &str) -> String {
        if self.is_empty() {
            return text.to_string();
        }
        let mut before: Vec<Option<&(String, Vec<String>)>> =
            self.before.iter().map(Some).collect();
        let mut trailing: Vec<Option<&(String, String)>> = self.trailing.iter().map(Some).collect();
        let mut out = String::with_capacity(text.len() + 256);
        for (raw, line) in text.lines().zip(classify(text)) {
            if let Line::Node {
                path,
                indent,
                trailing: existing,
                can_trail,
            } = &line
            {
                if let Some(slot) = before.iter_mut().find(|b| b.is_some_and(|b| &b.0 == path)) {
                    for c in &slot.take().expect("found above").1 {
                        out.push_str(&" ".repeat(*indent));
                        out.push_str(c);
                        out.push('\n');
                    }
                }
                out.push_str(raw);
                let slot = trailing
                    .iter_mut()
                    .find(|t| t.is_some_and(|t| &t.0 == path));
                if let Some(slot) = slot.filter(|_| existing.is_none() && *can_trail) {
                    out.push_str("  ");
                    out.push_str(&slot.take().expect("found above").1);
                }
            } else {
                out.push_str(raw);
            }
            out.push('\n');
        }
        let orphans: Vec<&String> = before
            .into_iter()
            .flatten()
            .flat_map(|(_, lines)| lines)
            .chain(trailing.into_iter().flatten().map(|(_, c)| c))
            .collect();
        if !orphans.is_empty() {
            out.push_str(ORPHANS_NOTE);
            out.push('\n');
            for c in orphans {
                out.push_str(c);
                out.push('\n');
            }
        }
        for c in &self.end {
            out.push_str(c);
            out.push('\n');
        }
        out
    }
}

fn is_own_header(comment: &str) -> bool {
    OWN_HEADER_PREFIXES.iter().any(|p| comment.starts_with(p)) || comment == ORPHANS_NOTE
}

/// One frame of the path: a key or a sequence item, at an indentation.
#[derive(Debug)]
struct Frame {
    indent: usize,
    segment: String,
    item: bool,
    /// Segments of the children seen so far (to tell equal items apart).
    children: Vec<String>,
}

/// Classify every line of `text`.
fn classify(text: &str) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    // Inside a multi-line value: lines more indented than this belong to it
    // (block scalars), or lines until a closing quote or bracket.
    let mut block_above: Option<usize> = None;
    let mut open: Option<Open> = None;
    for raw in text.lines() {
        let trimmed = raw.trim_start();
        let indent = raw.len() - trimmed.len();
        if let Some(o) = &mut open {
            lines.push(Line::Continuation);
            if o.closes_in(raw) {
                open = None;
            }
            continue;
        }
        if let Some(col) = block_above {
            if trimmed.is_empty() || indent > col {
                lines.push(Line::Continuation);
                continue;
            }
            block_above = None;
        }
        if trimmed.is_empty() {
            lines.push(Line::Blank);
            continue;
        }
        if trimmed.starts_with('#') {
            lines.push(Line::Comment(trimmed.to_string()));
            continue;
        }
        let Some(node) = parse_node(trimmed) else {
            lines.push(Line::Continuation);
            continue;
        };
        let path = place(&mut stack, indent, &node);
        let value_at = indent + node.value_offset;
        let value = &raw[value_at..];
        match value_kind(value) {
            ValueKind::Block => block_above = Some(node.key_indent(indent)),
            ValueKind::Open(o) => open = Some(o),
            _ => {}
        }
        let trailing = trailing_comment(value).map(|i| value_at + i);
        lines.push(Line::Node {
            path,
            indent,
            trailing,
            can_trail: !matches!(value_kind(value), ValueKind::Block | ValueKind::Open(_)),
        });
    }
    lines
}

/// A line that starts a node: `key: value`, `- value` or `- key: value`.
#[derive(Debug)]
struct Node {
    item: Option<String>,
    key: Option<String>,
    /// Byte offset, from the first non-space character, of the value.
    value_offset: usize,
}

impl Node {
    /// The column of the key (for block scalars, whose lines are deeper).
    fn key_indent(&self, indent: usize) -> usize {
        if self.item.is_some() {
            indent + 2
        } else {
            indent
        }
    }
}

fn parse_node(trimmed: &str) -> Option<Node> {
    if let Some(rest) = trimmed
        .strip_prefix("- ")
        .or(if trimmed == "-" { Some("") } else { None })
    {
        let rest_at = trimmed.len() - rest.len();
        return Some(match split_key(rest) {
            Some((key, off)) => Node {
                item: Some(format!("{key}={}", scalar_text(&rest[off..]))),
                key: Some(key),
                value_offset: rest_at + off,
            },
            None => Node {
                item: Some(format!("={}", scalar_text(rest))),
                key: None,
                value_offset: rest_at,
            },
        });
    }
    let (key, off) = split_key(trimmed)?;
    Some(Node {
        item: None,
        key: Some(key),
        value_offset: off,
    })
}

/// `key: rest` -> (key, offset of rest). Keys may be quoted.
fn split_key(s: &str) -> Option<(String, usize)> {
    let (key, after) = if let Some(q @ ('"' | '\'')) = s.chars().next() {
        let end = s[1..].find(q)? + 1;
        (s[1..end].to_string(), end + 1)
    } else {
        let end = s.find(": ").or_else(|| s.strip_suffix(':').map(str::len))?;
        if s[..end].contains(['[', '{', '#']) {
            return None;
        }
        (s[..end].trim().to_string(), end)
    };
    let rest = &s[after..];
    let rest = rest.strip_prefix(':')?;
    if !(rest.is_empty() || rest.starts_with(' ')) {
        return None;
    }
    let value = rest.trim_start();
    Some((key, s.len() - value.len()))
}

/// A scalar's text for naming an item: quotes and trailing comment off.
fn scalar_text(value: &str) -> String {
    let v = match trailing_comment(value) {
        Some(i) => &value[..i],
        None => value,
    };
    v.trim().trim_matches(['"', '\'']).to_string()
}

/// Put a node on the stack and return its path.
fn place(stack: &mut Vec<Frame>, indent: usize, node: &Node) -> String {
    // A sequence item may sit at its parent key's indentation
    // (`key:\n- item`); siblings and anything deeper are popped.
    while let Some(top) = stack.last() {
        let pop = if node.item.is_some() {
            top.indent > indent || (top.indent == indent && top.item)
        } else {
            top.indent >= indent
        };
        if !pop {
            break;
        }
        stack.pop();
    }
    if let Some(item) = &node.item {
        let segment = unique_child(stack, format!("[{item}]"));
        stack.push(Frame {
            indent,
            segment,
            item: true,
            children: Vec::new(),
        });
        if let Some(key) = &node.key {
            let segment = unique_child(stack, key.clone());
            stack.push(Frame {
                indent: indent + 2,
                segment,
                item: false,
                children: Vec::new(),
            });
        }
    } else if let Some(key) = &node.key {
        let segment = unique_child(stack, key.clone());
        stack.push(Frame {
            indent,
            segment,
            item: false,
            children: Vec::new(),
        });
    }
    stack
        .iter()
        .map(|f| f.segment.as_str())
        .collect::<Vec<_>>()
        .join("/")
}

/// The segment, with `#n` added when an equal sibling came before.
fn unique_child(stack: &mut [Frame], segment: String) -> String {
    let Some(parent) = stack.last_mut() else {
        return segment;
    };
    let seen = parent.children.iter().filter(|c| **c == segment).count();
    parent.children.push(segment.clone());
    if seen == 0 {
        segment
    } else {
        format!("{segment}#{}", seen + 1)
    }
}

#[derive(Debug)]
enum ValueKind {
    /// Nothing after the key: a nested block follows.
    Empty,
    /// `|` or `>`: a block scalar follows.
    Block,
    /// A quoted scalar or flow collection that goes on past this line.
    Open(Open),
    Scalar,
    Flow,
}

#[derive(Debug)]
enum Open {
    Quote(char),
    Brackets(i32),
}

impl Open {
    /// Whether this continuation line closes the value.
    fn closes_in(&mut self, line: &str) -> bool {
        match self {
            Open::Quote(q) => line.contains(*q),
            Open::Brackets(depth) => {
                *depth += bracket_balance(line);
                *depth <= 0
            }
        }
    }
}

fn bracket_balance(s: &str) -> i32 {
    let mut depth = 0;
    let mut quote = None;
    for c in s.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '[' | '{') => depth += 1,
            (None, ']' | '}') => depth -= 1,
            (None, '#') => break,
            _ => {}
        }
    }
    depth
}

fn value_kind(value: &str) -> ValueKind {
    let v = value.trim();
    if v.is_empty() || v.starts_with('#') {
        return ValueKind::Empty;
    }
    if v.starts_with(['|', '>']) {
        return ValueKind::Block;
    }
    if let Some(q @ ('"' | '\'')) = v.chars().next() {
        let closed = v[1..].contains(q);
        return if closed {
            ValueKind::Scalar
        } else {
            ValueKind::Open(Open::Quote(q))
        };
    }
    if v.starts_with(['[', '{']) {
        let depth = bracket_balance(v);
        return if depth > 0 {
            ValueKind::Open(Open::Brackets(depth))
        } else {
            ValueKind::Flow
        };
    }
    ValueKind::Scalar
}

/// Byte offset of a ` #` comment in a value, outside quotes.
fn trailing_comment(value: &str) -> Option<usize> {
    let mut quote = None;
    let mut prev_space = true;
    for (i, c) in value.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') if prev_space => quote = Some(c),
            (None, '#') if prev_space => return Some(i),
            _ => {}
        }
        prev_space = c == ' ' || c == '\t';
    }
    None
}

#[cfg(test)]
mod tests;
