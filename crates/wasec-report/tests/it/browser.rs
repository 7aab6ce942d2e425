//! The HTML report in a real browser: headless Chromium lays out a test
//! copy of the page (the report itself has no script; the copy gets one
//! that writes the boxes and colours of key elements into the DOM), and
//! the test asserts on the layout: heat-map cells in their columns, no
//! white-on-white text, Japanese table cells wider than one character,
//! bars as long as their scores; and on paper: print rules give A4 pages.
//!
//! Chromium is the Debian package `chromium` (scripts/test.sh installs
//! it). Without it these tests fail with a message saying so.

use crate::common::*;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use wasec_core::Lang;
use wasec_report::{Format, Report};

fn chromium() -> PathBuf {
    if let Ok(p) = std::env::var("WASEC_CHROMIUM") {
        let p = PathBuf::from(p);
        assert!(p.is_file(), "WASEC_CHROMIUM={} does not exist", p.display());
        return p;
    }
    for name in ["chromium", "chromium-browser", "google-chrome"] {
        for dir in std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()) {
            let p = dir.join(name);
            if p.is_file() {
                return p;
            }
        }
    }
    panic!(
        "Chromium not found: the HTML layout tests need a headless browser. \
         Install the Debian package `chromium` (scripts/test.sh does) or set WASEC_CHROMIUM."
    );
}

/// Run Chromium headless with the given extra arguments on `file`; its stdout.
fn run_chromium(file: &Path, args: &[String]) -> String {
    let profile = tempfile::tempdir().unwrap();
    let mut child = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .arg(file)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromium");
    // Read stdout while waiting: a DOM larger than the pipe would block.
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = std::io::Read::read_to_end(&mut stdout, &mut s);
        s
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > Duration::from_secs(90) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium did not finish in 90 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "chromium failed: {status:?}");
    String::from_utf8_lossy(&reader.join().unwrap()).to_string()
}

const PROBE: &str = r#"<script>
(function () {
  function box(e) {
    var r = e.getBoundingClientRect(), cs = getComputedStyle(e);
    var bg = cs.backgroundColor, p = e;
    while (bg === 'rgba(0, 0, 0, 0)' && p.parentElement) { p = p.parentElement; bg = getComputedStyle(p).backgroundColor; }
    var range = document.createRange(); range.selectNodeContents(e);
    var tops = {}; Array.prototype.forEach.call(range.getClientRects(), function (q) { if (q.width > 0) tops[Math.round(q.top)] = 1; });
    return {x: r.left, y: r.top, w: r.width, h: r.height, lines: Object.keys(tops).length, color: cs.color, bg: bg,
            fs: parseFloat(cs.fontSize), lh: parseFloat(cs.lineHeight) || parseFloat(cs.fontSize) * 1.2,
            opacity: parseFloat(cs.opacity), text: e.textContent.trim()};
  }
  var all = function (s, root) { return Array.prototype.slice.call((root || document).querySelectorAll(s)); };
  var out = {
    viewport: window.innerWidth,
    heatCols: all('table.heat thead th.col').map(box),
    heatRows: all('table.heat tbody tr').map(function (tr) { return all('td.cell', tr).map(box); }),
    badges: all('.badge').map(box),
    cells: all('table.data td').map(box),
    bars: all('.bar-row').map(function (r) {
      return {id: r.id, fill: box(r.querySelector('.bar-fill')), track: box(r.querySelector('.bar-track'))};
    })
  };
  var pre = document.createElement('pre');
  pre.id = 'layout';
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
</script>"#;

/// Lay out the report's HTML at `width` pixels and read back the probe.
fn layout(r: &Report, width: u32) -> Value {
    let html = text(r, Format::Html);
    let probe = html.replace("</body>", &format!("{PROBE}</body>"));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.html");
    std::fs::write(&file, probe).unwrap();
    let dom = run_chromium(
        &file,
        &[
            format!("--window-size={width},2000"),
            "--dump-dom".to_string(),
        ],
    );
    let start = dom.find("<pre id=\"layout\">").expect("the probe ran") + 17;
    let end = start + dom[start..].find("</pre>").unwrap();
    let json = dom[start..end]
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    serde_json::from_str(&json).unwrap()
}

fn f(v: &Value, k: &str) -> f64 {
    v[k].as_f64().unwrap_or_else(|| panic!("{k} in {v}"))
}

/// "rgb(1, 2, 3)" or "rgba(1, 2, 3, 0.5)" -> (r, g, b).
fn rgb(s: &str) -> (f64, f64, f64) {
    let inner = &s[s.find('(').unwrap() + 1..s.find(')').unwrap()];
    let n: Vec<f64> = inner
        .split(',')
        .map(|x| x.trim().parse().unwrap())
        .collect();
    (n[0], n[1], n[2])
}

/// WCAG contrast ratio between two colours.
fn contrast(a: &str, b: &str) -> f64 {
    let lum = |(r, g, b): (f64, f64, f64)| {
        let ch = |c: f64| {
            let c = c / 255.0;
            if c <= 0.03928 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * ch(r) + 0.7152 * ch(g) + 0.0722 * ch(b)
    };
    let (x, y) = (lum(rgb(a)), lum(rgb(b)));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}

fn assert_heat_map(l: &Value, what: &str) {
    let cols = l["heatCols"].as_array().unwrap();
    let rows = l["heatRows"].as_array().unwrap();
    assert_eq!(cols.len(), 3, "{what}: severity low, medium, high");
    assert_eq!(rows.len(), 4, "{what}: likelihood critical..low");
    for (ri, row) in rows.iter().enumerate() {
        let row = row.as_array().unwrap();
        assert_eq!(row.len(), 3, "{what}: row {ri}");
        for (ci, cell) in row.iter().enumerate() {
            let col = &cols[ci];
            let mid = f(cell, "x") + f(cell, "w") / 2.0;
            assert!(
                mid > f(col, "x") && mid < f(col, "x") + f(col, "w"),
                "{what}: cell {ri},{ci} at {mid} is not under its column {col}"
            );
            assert!(f(cell, "w") > 60.0 && f(cell, "h") > 40.0, "{what}: {cell}");
            assert!(
                (f(cell, "y") - f(&row[0], "y")).abs() < 1.0,
                "{what}: row {ri} aligned"
            );
            let c = contrast(
                cell["color"].as_str().unwrap(),
                cell["bg"].as_str().unwrap(),
            );
            assert!(
                c >= 2.5,
                "{what}: cell {ri},{ci} text on its fill has contrast {c:.2}: {cell}"
            );
            if f(cell, "opacity") < 1.0 {
                assert!(
                    cell["text"].as_str().unwrap().starts_with('0'),
                    "only empty cells fade"
                );
            }
        }
    }
    // The demo's only critical item is in the critical x high cell, visible.
    let crit = &rows[0].as_array().unwrap()[2];
    assert!(
        !crit["text"].as_str().unwrap().starts_with('0'),
        "{what}: {crit}"
    );
    assert_eq!(f(crit, "opacity"), 1.0);
}

fn assert_badges_readable(l: &Value, what: &str) {
    let badges = l["badges"].as_array().unwrap();
    assert!(badges.len() > 20, "{what}");
    for b in badges {
        let c = contrast(b["color"].as_str().unwrap(), b["bg"].as_str().unwrap());
        assert!(
            c >= 2.5,
            "{what}: badge {:?} has contrast {c:.2}",
            b["text"]
        );
        assert!(f(b, "w") > 8.0, "{what}: {b}");
    }
}

fn assert_cells_wide_enough(l: &Value, what: &str) {
    let cells = l["cells"].as_array().unwrap();
    assert!(cells.len() > 100, "{what}");
    for c in cells {
        let text = c["text"].as_str().unwrap();
        if text.chars().count() < 2 {
            continue;
        }
        // Two full-width characters fit on a line: no stacking of one
        // character per line.
        assert!(
            text.is_ascii() || f(c, "w") >= 2.0 * f(c, "fs") + 8.0,
            "{what}: a cell {}px wide holds {text:?}",
            f(c, "w")
        );
        // Line boxes of the cell's text (a paragraph per line of a cell
        // counts too, so allow one line per paragraph).
        let lines = f(c, "lines");
        let chars = text.chars().count() as f64;
        assert!(
            lines * 2.0 <= chars + 2.0,
            "{what}: {text:?} takes {lines} lines"
        );
    }
}

fn assert_bars(l: &Value, r: &Report, what: &str) {
    let bars = l["bars"].as_array().unwrap();
    assert_eq!(bars.len(), r.questions.len());
    for (bar, q) in bars.iter().zip(&r.questions) {
        let want = q.evidence_adjusted.score.unwrap_or(0.0) / 100.0;
        let got = f(&bar["fill"], "w") / f(&bar["track"], "w");
        assert!(
            (got - want).abs() < 0.02,
            "{what}: {} bar {got:.3} for {want:.3}",
            q.id
        );
    }
}

#[test]
fn the_html_report_lays_out_in_a_browser() {
    for lang in Lang::ALL {
        let r = report(&demo(), lang);
        let l = layout(&r, 1280);
        let what = format!("demo {lang} at 1280px");
        assert_heat_map(&l, &what);
        assert_badges_readable(&l, &what);
        assert_cells_wide_enough(&l, &what);
        assert_bars(&l, &r, &what);
    }
}

#[test]
fn japanese_tables_keep_their_width_in_a_narrow_window() {
    let r = report(&stress(), Lang::Ja);
    let l = layout(&r, 700);
    assert_eq!(f(&l, "viewport"), 700.0);
    assert_cells_wide_enough(&l, "stress ja at 700px");
    assert_heat_map(&l, "stress ja at 700px");
}

#[test]
fn the_html_report_prints_on_a4_with_a_page_per_part() {
    let r = report(&demo(), Lang::Ja);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.html");
    std::fs::write(&file, text(&r, Format::Html)).unwrap();
    let pdf = dir.path().join("printed.pdf");
    run_chromium(
        &file,
        &[
            format!("--print-to-pdf={}", pdf.display()),
            "--no-pdf-header-footer".to_string(),
        ],
    );
    let doc = lopdf::Document::load(&pdf).expect("chromium printed a PDF");
    let pages = doc.get_pages();
    let parts = wasec_report::doc::build(&r)
        .sections
        .iter()
        .filter(|s| s.level == 1)
        .count();
    assert!(
        pages.len() >= parts + r.questions.len() - 1,
        "{} pages for {parts} parts and {} questions",
        pages.len(),
        r.questions.len()
    );
    let first = doc
        .get_object(*pages.get(&1).unwrap())
        .unwrap()
        .as_dict()
        .unwrap();
    let media = first.get(b"MediaBox").unwrap().as_array().unwrap();
    let w = media[2]
        .as_float()
        .unwrap_or_else(|_| media[2].as_i64().unwrap() as f32);
    assert!((w - 595.0).abs() < 2.0, "A4 width, got {w}");
}
