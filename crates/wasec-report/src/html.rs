//! HTML: the document as one self-contained file (inline CSS, no scripts,
//! no network), written with maud, which checks the markup at compile time
//! and escapes every interpolated value. Print rules give A4 pages with a
//! part per page, repeated table headers and colours kept.

use crate::doc::{
    Bar, Bars, Block, Cell, Chart, Document, Heat, Link, Section, Span, Style, Table, Text, Tone,
    Trend,
};
use maud::{DOCTYPE, Markup, PreEscaped, html};

const CSS: &str = r#"
:root{--navy:#1f3a5f;--ink:#1b1f24;--muted:#5b6675;--rule:#c5ccd6;--pale:#eef1f5;--zebra:#f7f9fb;
--crit:#b71c1c;--high:#e65100;--med:#f9a825;--low:#2e7d32;
--b0:#c62828;--b1:#ef6c00;--b2:#9e9d24;--b3:#2e7d32;--neutral:#9aa5b1}
*{box-sizing:border-box}
body{font-family:"BIZ UDPGothic","Hiragino Sans","Noto Sans CJK JP","Noto Sans JP",Meiryo,system-ui,sans-serif;color:var(--ink);max-width:1100px;margin:0 auto;padding:24px;line-height:1.55;font-size:15px}
header.title{background:var(--navy);color:#fff;padding:18px 24px;border-bottom:5px solid var(--high)}
header.title h1{margin:4px 0;font-size:28px;border:0;color:#fff}
header.title p{margin:0;color:#c9d6e8}
h2{color:var(--navy);border-bottom:2px solid var(--navy);margin:2em 0 .6em;font-size:22px}
h3{color:var(--navy);border-bottom:1px solid var(--rule);margin:1.6em 0 .5em;font-size:18px}
h4{color:var(--navy);margin:1.2em 0 .4em;font-size:15px}
a{color:#174f8c}
p.lead{font-size:20px;font-weight:bold;color:var(--navy);margin:.6em 0}
p.small,.legend{color:var(--muted);font-size:13px}
.strong{font-weight:bold}.alert{color:var(--crit);font-weight:bold}.muted{color:var(--muted)}
.figures{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:10px;margin:12px 0}
.figure{background:var(--pale);border-left:4px solid var(--navy);padding:8px 12px}
.figure b{display:block;font-size:28px;line-height:1.2}
.figure span{display:block;font-size:13px}.figure small{display:block;color:var(--muted);font-size:12px}
.wrap{overflow-x:auto;margin:8px 0 16px}
table{border-collapse:collapse;width:100%;font-size:13px;table-layout:fixed}
table.data{min-width:600px}
th,td{border:1px solid var(--rule);padding:4px 6px;vertical-align:top;text-align:left;overflow-wrap:anywhere;line-break:strict}
thead th{background:var(--navy);color:#fff}
table.data tbody tr:nth-child(even) td{background:var(--zebra)}
td p{margin:0 0 .25em}
.badge{display:inline-block;padding:1px 7px;border-radius:3px;font-weight:bold;font-size:12px;white-space:nowrap;color:#fff;background:var(--neutral)}
.t-critical{background:var(--crit);color:#fff}.t-high{background:var(--high);color:#fff}
.t-medium{background:var(--med);color:var(--ink)}.t-low{background:var(--low);color:#fff}
.t-b0{background:var(--b0);color:#fff}.t-b1{background:var(--b1);color:#fff}.t-b2{background:var(--b2);color:#fff}.t-b3{background:var(--b3);color:#fff}
.t-neutral{background:var(--neutral);color:#fff}.t-navy{background:var(--navy);color:#fff}
.f-critical{border-left-color:var(--crit)}.f-high{border-left-color:var(--high)}.f-medium{border-left-color:var(--med)}
.f-low{border-left-color:var(--low)}.f-b0{border-left-color:var(--b0)}.f-b1{border-left-color:var(--b1)}
.f-b2{border-left-color:var(--b2)}.f-b3{border-left-color:var(--b3)}.f-neutral{border-left-color:var(--neutral)}
table.facts{table-layout:auto}table.facts th{background:var(--pale);color:var(--ink);width:24%;white-space:nowrap}
.note{background:var(--pale);padding:8px 14px;margin:10px 0;border-left:4px solid var(--rule)}
.note p{margin:.35em 0}.note .label{font-weight:bold;color:var(--muted);font-size:13px}
nav.toc ol{padding-left:1.4em}nav.toc li{margin:2px 0}
.bars{margin:10px 0}
.bar-row{display:grid;grid-template-columns:minmax(140px,220px) 1fr 90px;gap:8px;align-items:center;margin:3px 0;font-size:13px}
.bar-track{position:relative;height:16px;background:var(--pale)}
.bar-declared{position:absolute;top:0;left:0;height:16px;border:1.5px solid var(--muted);background:transparent}
.bar-fill{position:absolute;top:2px;left:0;height:12px}
.bar-value{font-weight:bold;white-space:nowrap}
.band-legend{display:flex;gap:14px;flex-wrap:wrap;font-size:12px;color:var(--muted)}
.band-legend i{display:inline-block;width:12px;height:10px;margin-right:4px;vertical-align:middle}
table.heat{width:auto;table-layout:fixed}
table.heat th{background:#fff;color:var(--ink);border:0;text-align:center;font-weight:bold;padding:4px 8px}
table.heat th.row{text-align:right}
table.heat td.cell{width:120px;height:64px;text-align:center;vertical-align:middle;border:2px solid #fff;font-weight:bold}
table.heat td.cell b{display:block;font-size:22px}
table.heat td.cell small{display:block;font-size:11px;font-weight:normal}
table.heat td.empty{opacity:.28}
.steps{margin:8px 0 14px}.steps p{margin:0 0 4px}.steps ol{margin:0;padding-left:1.6em}
svg.trend{max-width:100%;height:auto;display:block;margin:6px 0}
@media print{
 @page{size:A4;margin:14mm 12mm}
 body{max-width:none;padding:0;font-size:10.5px}
 section.part{break-before:page}
 section.part:first-of-type{break-before:auto}
 section.question{break-before:page}
 h2,h3,h4{break-after:avoid}
 tr,.figure,.steps,.bar-row,table.heat{break-inside:avoid}
 thead{display:table-header-group}
 table.data{min-width:0}
 .wrap{overflow:visible}
 *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
 a{color:inherit;text-decoration:none}
}
"#;

fn tone(t: Tone) -> &'static str {
    match t {
        Tone::Critical => "critical",
        Tone::High => "high",
        Tone::Medium => "medium",
        Tone::Low => "low",
        Tone::Band(0) => "b0",
        Tone::Band(1) => "b1",
        Tone::Band(2) => "b2",
        Tone::Band(_) => "b3",
        Tone::Neutral => "neutral",
        Tone::Navy => "navy",
    }
}

pub fn render(d: &Document) -> String {
    let page = html! {
        (DOCTYPE)
        html lang=(d.lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (d.title) " — " (d.subtitle) }
                style { (PreEscaped(CSS)) }
            }
            body {
                header.title {
                    p { (d.date) }
                    h1 { (d.title) }
                    p { (d.subtitle) }
                }
                main {
                    @for s in &d.sections { (section(d, s)) }
                }
            }
        }
    };
    let mut s = page.into_string();
    s.push('\n');
    s
}

fn section(d: &Document, s: &Section) -> Markup {
    let class = if s.level == 1 { "part" } else { "question" };
    html! {
        section.(class) id=(s.id) {
            @if s.level == 1 { h2 { (s.title) } } @else { h3 { (s.title) } }
            @for b in &s.blocks { (block(d, s, b)) }
        }
    }
}

fn span(s: &Span) -> Markup {
    let class = match s.style {
        Style::Plain => None,
        Style::Strong => Some("strong"),
        Style::Alert => Some("alert"),
        Style::Muted => Some("muted"),
    };
    let inner = html! {
        @if let Some(c) = class { span class=(c) { (s.text) } } @else { (s.text) }
    };
    match &s.link {
        Some(Link::Anchor(a) | Link::PageOf(a)) => html! { a href={ "#" (a) } { (inner) } },
        Some(Link::Url(u)) => html! { a href=(u) { (inner) } },
        None => inner,
    }
}

fn text(t: &Text) -> Markup {
    html! { @for s in &t.0 { (span(s)) } }
}

fn cell(c: &Cell) -> Markup {
    html! {
        @if let Some(t) = c.badge {
            @for l in &c.lines { span class={ "badge t-" (tone(t)) } { (text(l)) } }
        } @else if c.lines.len() == 1 {
            (text(&c.lines[0]))
        } @else {
            @for l in &c.lines { p { (text(l)) } }
        }
    }
}

fn table(t: &Table) -> Markup {
    html! {
        div.wrap {
            table.data {
                colgroup {
                    @for c in &t.columns { col style={ "width:" (format!("{:.1}", c.width * 100.0)) "%" }; }
                }
                thead { tr { @for c in &t.columns { th { (c.title) } } } }
                tbody {
                    @for r in &t.rows {
                        tr id=[r.anchor.as_deref()] {
                            @for c in &r.cells { td { (cell(c)) } }
                        }
                    }
                }
            }
        }
    }
}

/// People's text: blank lines separate paragraphs, single line breaks stay.
fn note_paragraphs(text: &str) -> Vec<Vec<&str>> {
    let mut paras: Vec<Vec<&str>> = vec![Vec::new()];
    for line in text.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            if !paras.last().is_some_and(Vec::is_empty) {
                paras.push(Vec::new());
            }
        } else {
            paras.last_mut().unwrap().push(line);
        }
    }
    paras.retain(|p| !p.is_empty());
    paras
}

fn block(d: &Document, s: &Section, b: &Block) -> Markup {
    match b {
        Block::Lead(t) => html! { p.lead { (text(t)) } },
        Block::Para(t) => html! { p { (text(t)) } },
        Block::Small(t) => html! { p.small { (text(t)) } },
        Block::Heading(h) => html! {
            @if s.level == 1 { h3 { (h) } } @else { h4 { (h) } }
        },
        Block::Figures(fs) => html! {
            div.figures {
                @for f in fs {
                    div class={ "figure f-" (tone(f.tone)) } {
                        b { (f.value) } span { (f.label) } small { (f.note) }
                    }
                }
            }
        },
        Block::Table(t) => table(t),
        Block::List(items) => html! { ul { @for i in items { li { (text(i)) } } } },
        Block::Note { label, text } => html! {
            div.note {
                p.label { (label) }
                @for para in note_paragraphs(text) {
                    p {
                        @for (i, line) in para.iter().enumerate() {
                            @if i > 0 { br; }
                            (line)
                        }
                    }
                }
            }
        },
        Block::Chart(Chart::Bars(b)) => bars(b),
        Block::Chart(Chart::Heat(h)) => heat(h),
        Block::Chart(Chart::Trend(t)) => trend(t),
        Block::Facts(rows) => html! {
            div.wrap {
                table.facts {
                    @for (k, v) in rows { tr { th { (k) } td { (text(v)) } } }
                }
            }
        },
        Block::Toc => html! {
            nav.toc {
                ol {
                    @for (i, top) in d.sections.iter().enumerate().filter(|(_, x)| x.level == 1 && x.id != crate::doc::id::CONTENTS) {
                        li {
                            a href={ "#" (top.id) } { (top.title) }
                            @let subs: Vec<&Section> = d.sections[i + 1..].iter().take_while(|x| x.level == 2).collect();
                            @if !subs.is_empty() {
                                ol { @for q in subs { li { a href={ "#" (q.id) } { (q.title) } } } }
                            }
                        }
                    }
                }
            }
        },
        Block::Steps {
            anchor,
            badge,
            head,
            steps,
        } => html! {
            div.steps id=(anchor) {
                p {
                    @if let Some((t, label)) = badge { span class={ "badge t-" (tone(*t)) } { (label) } " " }
                    (text(head))
                }
                ol { @for st in steps { li { (st) } } }
            }
        },
    }
}

fn bars(b: &Bars) -> Markup {
    let pct = |v: Option<f64>| format!("{:.1}%", v.unwrap_or(0.0).clamp(0.0, 100.0));
    html! {
        h4 { (b.title) }
        div.bars {
            @for bar in &b.bars { (bar_row(bar, &pct)) }
        }
        div.band-legend {
            @for (t, label) in &b.bands { span { i class={ "t-" (tone(*t)) } {} (label) } }
        }
        p.legend { (b.legend) }
    }
}

fn bar_row(bar: &Bar, pct: &dyn Fn(Option<f64>) -> String) -> Markup {
    let outline = bar.declared.is_some() && bar.declared > bar.value;
    html! {
        div.bar-row id={ "bar-" (bar.id) } {
            span.bar-label { (bar.label) }
            div.bar-track {
                @if outline { div.bar-declared style={ "width:" (pct(bar.declared)) } {} }
                div class={ "bar-fill t-" (tone(bar.tone)) } style={ "width:" (pct(bar.value)) } {}
            }
            span.bar-value {
                (bar.text)
                @if bar.contradicted { " " span.alert { "▲" } }
            }
        }
    }
}

fn heat(h: &Heat) -> Markup {
    html! {
        h4 { (h.title) }
        div.wrap {
            table.heat {
                thead {
                    tr {
                        th.row { (h.row_title) " \\ " (h.col_title) }
                        @for c in &h.cols { th.col { (c) } }
                    }
                }
                tbody {
                    @for (label, row) in h.rows.iter().zip(&h.cells) {
                        tr {
                            th.row { (label) }
                            @for c in row {
                                td class={ "cell t-" (tone(c.priority.into())) @if c.count == 0 { " empty" } } {
                                    b { (c.count) } small { (c.label) }
                                }
                            }
                        }
                    }
                }
            }
        }
        p.legend { (h.legend) }
    }
}

/// A line chart of the score per milestone, declared and evidence-adjusted,
/// with the HRI/MRI counts under each point.
fn trend(t: &Trend) -> Markup {
    let (w, h, left, top, plot_h) = (720.0, 250.0, 40.0, 16.0, 150.0);
    let n = t.points.len().max(1);
    // Room for the point labels at both ends.
    let step = (w - left - 180.0) / (n.max(2) - 1) as f64;
    let x = |i: usize| left + 90.0 + step * i as f64;
    let y = |v: f64| top + plot_h * (1.0 - v / 100.0);
    let line = |pick: &dyn Fn(&crate::doc::TrendPoint) -> Option<f64>| -> String {
        t.points
            .iter()
            .enumerate()
            .filter_map(|(i, p)| pick(p).map(|v| format!("{:.1},{:.1}", x(i), y(v))))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let declared = line(&|p| p.declared);
    let adjusted = line(&|p| p.adjusted);
    html! {
        h4 { (t.title) }
        svg.trend xmlns="http://www.w3.org/2000/svg" viewBox={ "0 0 " (w) " " (h) } width=(w) height=(h) role="img" aria-label=(t.title) {
            @for g in [0.0, 25.0, 50.0, 75.0, 100.0] {
                line x1=(left) x2=(w - 10.0) y1=(y(g)) y2=(y(g)) stroke="#c5ccd6" stroke-width="0.6" {}
                text x=(left - 6.0) y=(y(g) + 4.0) font-size="10" text-anchor="end" fill="#5b6675" { (g) }
            }
            polyline points=(declared) fill="none" stroke="#9aa5b1" stroke-width="2" stroke-dasharray="5 4" {}
            polyline points=(adjusted) fill="none" stroke="#1f3a5f" stroke-width="2.5" {}
            @for (i, p) in t.points.iter().enumerate() {
                @if let Some(v) = p.adjusted { circle cx=(x(i)) cy=(y(v)) r="4" fill="#1f3a5f" {} text x=(x(i)) y=(y(v) - 8.0) font-size="11" font-weight="bold" text-anchor="middle" fill="#1f3a5f" { (format!("{v:.1}")) } }
                @if let Some(v) = p.declared { circle cx=(x(i)) cy=(y(v)) r="3" fill="#9aa5b1" {} }
                text x=(x(i)) y=(top + plot_h + 18.0) font-size="11" text-anchor="middle" fill="#1b1f24" { (p.label) }
                text x=(x(i)) y=(top + plot_h + 32.0) font-size="10" text-anchor="middle" fill="#5b6675" { (p.date) }
                text x=(x(i)) y=(top + plot_h + 48.0) font-size="10" text-anchor="middle" fill="#b71c1c" { (t.high_label) " " (p.high) " · " (t.medium_label) " " (p.medium) }
            }
        }
        p.legend {
            span style="color:#1f3a5f;font-weight:bold" { "━ " } (t.adjusted_label) " · "
            span style="color:#9aa5b1;font-weight:bold" { "┅ " } (t.declared_label)
        }
    }
}
