//! Markdown: the document as GitHub-flavoured Markdown. Charts become
//! tables of their data (Markdown has no colour, so no legend speaks of
//! one); notes keep their paragraphs inside block quotes.

use crate::doc::{self, Block, Cell, Chart, Document, Link, Span, Style, Table, Text};
use std::fmt::Write;

/// Free text typed by people (notes, evidence summaries): Markdown
/// renderers pass raw HTML through, so angle brackets are escaped, and
/// characters that would start emphasis or a link are backslashed.
fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '*' | '_' | '[' | ']' | '`' | '\\' | '|' => {
                o.push('\\');
                o.push(c);
            }
            _ => o.push(c),
        }
    }
    o
}

fn span(s: &Span) -> String {
    if s.text.is_empty() {
        return String::new();
    }
    let t = esc(&s.text);
    // Emphasis markers must hug the text: keep outer spaces outside.
    let (lead, core, trail) = split_space(&t);
    let styled = match s.style {
        Style::Strong | Style::Alert if !core.is_empty() => format!("**{core}**"),
        Style::Muted if !core.is_empty() => format!("_{core}_"),
        _ => core.to_string(),
    };
    let linked = match &s.link {
        Some(Link::Anchor(a) | Link::PageOf(a)) => format!("[{styled}](#{})", anchor(a)),
        Some(Link::Url(u)) => format!("[{styled}]({u})"),
        None => styled,
    };
    format!("{lead}{linked}{trail}")
}

fn split_space(s: &str) -> (&str, &str, &str) {
    let core = s.trim();
    let start = s.len() - s.trim_start().len();
    (&s[..start], core, &s[start + core.len()..])
}

fn text(t: &Text) -> String {
    t.0.iter().map(span).collect()
}

/// GitHub lowercases heading anchors; ours are already plain ids.
fn anchor(id: &str) -> String {
    id.to_ascii_lowercase()
}

fn cell(c: &Cell) -> String {
    c.lines
        .iter()
        .map(|l| text(l).replace(['\r', '\n'], " "))
        .collect::<Vec<_>>()
        .join("<br>")
}

fn table(o: &mut String, t: &Table) {
    o.push('|');
    for c in &t.columns {
        let _ = write!(o, " {} |", esc(&c.title));
    }
    o.push_str("\n|");
    for _ in &t.columns {
        o.push_str("---|");
    }
    o.push('\n');
    for r in &t.rows {
        o.push('|');
        for (i, c) in r.cells.iter().enumerate() {
            let mut s = cell(c);
            if i == 0
                && let Some(a) = &r.anchor
            {
                s = format!("<a id=\"{}\"></a>{s}", anchor(a));
            }
            let _ = write!(o, " {s} |");
        }
        o.push('\n');
    }
    o.push('\n');
}

/// One table as Markdown (the CLI's `plan --markdown` prints the plan's).
pub fn table_markdown(t: &Table) -> String {
    let mut o = String::new();
    table(&mut o, t);
    o
}

pub fn render(d: &Document) -> String {
    let mut o = format!("# {}: {}\n\n", esc(&d.title), esc(&d.subtitle));
    for s in &d.sections {
        let hashes = if s.level == 1 { "##" } else { "###" };
        let _ = writeln!(
            o,
            "<a id=\"{}\"></a>\n\n{hashes} {}\n",
            anchor(&s.id),
            esc(&s.title)
        );
        for b in &s.blocks {
            block(&mut o, d, b);
        }
    }
    o
}

fn block(o: &mut String, d: &Document, b: &Block) {
    match b {
        Block::Lead(t) => {
            let _ = writeln!(o, "**{}**\n", text(t));
        }
        Block::Para(t) => {
            let _ = writeln!(o, "{}\n", text(t));
        }
        Block::Small(t) => {
            let _ = writeln!(o, "<sub>{}</sub>\n", text(t));
        }
        Block::Heading(h) => {
            let _ = writeln!(o, "#### {}\n", esc(h));
        }
        Block::Figures(fs) => {
            for f in fs {
                let _ = writeln!(
                    o,
                    "- **{}** {} ({})",
                    esc(&f.value),
                    esc(&f.label),
                    esc(&f.note)
                );
            }
            o.push('\n');
        }
        Block::Table(t) => table(o, t),
        Block::List(items) => {
            for i in items {
                let _ = writeln!(o, "- {}", text(i));
            }
            o.push('\n');
        }
        Block::Note { label, text } => {
            // Every line quoted, blank lines too, so a paragraph break
            // stays inside the quote instead of ending it.
            let _ = writeln!(o, "> **{}**\n>", esc(label));
            for line in text.lines() {
                let line = line.trim_end();
                if line.is_empty() {
                    o.push_str(">\n");
                } else {
                    let _ = writeln!(o, "> {}  ", esc(line));
                }
            }
            o.push('\n');
        }
        Block::Chart(c) => chart(o, c),
        Block::Facts(rows) => {
            o.push_str("| | |\n|---|---|\n");
            for (k, v) in rows {
                let _ = writeln!(o, "| {} | {} |", esc(k), text(v).replace('\n', " "));
            }
            o.push('\n');
        }
        Block::Toc => {
            for s in d.sections.iter().filter(|s| s.id != doc::id::CONTENTS) {
                let indent = if s.level == 1 { "" } else { "  " };
                let _ = writeln!(o, "{indent}- [{}](#{})", esc(&s.title), anchor(&s.id));
            }
            o.push('\n');
        }
        Block::Steps {
            anchor: a,
            badge,
            head,
            steps,
        } => {
            let badge = badge
                .as_ref()
                .map(|(_, t)| format!("**{}** ", esc(t)))
                .unwrap_or_default();
            let _ = writeln!(o, "<a id=\"{}\"></a>{badge}{}\n", anchor(a), text(head));
            for (i, s) in steps.iter().enumerate() {
                let _ = writeln!(o, "{}. {}", i + 1, esc(s));
            }
            o.push('\n');
        }
    }
}

fn chart(o: &mut String, c: &Chart) {
    match c {
        Chart::Bars(b) => {
            let _ = writeln!(o, "#### {}\n", esc(&b.title));
            let t = Table {
                columns: vec![
                    doc::Column {
                        title: String::new(),
                        width: 0.5,
                    },
                    doc::Column {
                        title: "0-100".into(),
                        width: 0.5,
                    },
                ],
                rows: b
                    .bars
                    .iter()
                    .map(|bar| {
                        let mut v = bar.text.clone();
                        if bar.declared != bar.value
                            && let Some(dv) = bar.declared
                        {
                            v.push_str(&format!(" ({dv:.0})"));
                        }
                        if bar.contradicted {
                            v.push_str(" ▲");
                        }
                        doc::Row {
                            anchor: None,
                            cells: vec![Cell::text(&bar.label), Cell::text(v)],
                        }
                    })
                    .collect(),
            };
            table(o, &t);
        }
        Chart::Heat(h) => {
            let _ = writeln!(o, "#### {}\n", esc(&h.title));
            let mut head = format!("| {} \\\\ {} |", esc(&h.row_title), esc(&h.col_title));
            for c in &h.cols {
                let _ = write!(head, " {} |", esc(c));
            }
            let _ = writeln!(o, "{head}");
            o.push('|');
            for _ in 0..=h.cols.len() {
                o.push_str("---|");
            }
            o.push('\n');
            for (label, row) in h.rows.iter().zip(&h.cells) {
                let _ = write!(o, "| **{}** |", esc(label));
                for c in row {
                    let _ = write!(o, " {} ({}) |", c.count, esc(&c.label));
                }
                o.push('\n');
            }
            let _ = writeln!(o, "\n<sub>{}</sub>\n", esc(&h.legend));
        }
        Chart::Trend(t) => {
            // The milestone table that follows has the chart's data.
            let _ = writeln!(o, "#### {}\n", esc(&t.title));
        }
    }
}
