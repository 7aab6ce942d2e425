//! CSV: the improvement plan, one row per item (RFC 4180 quoting), for
//! spreadsheets and ticket imports. Column names stay English in both
//! languages so imports do not break; cell text follows the report language.

use crate::model::Report;

const HEADER: [&str; 16] = [
    "rank",
    "priority",
    "likelihood",
    "severity",
    "kind",
    "question",
    "bp_id",
    "title",
    "risk",
    "evidence_pass",
    "evidence_fail",
    "evidence_summary",
    "how_to_improve",
    "owner",
    "due",
    "status",
];

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    line(&mut out, HEADER.iter().map(|s| s.to_string()));
    for p in &report.plan {
        line(
            &mut out,
            [
                p.rank.to_string(),
                p.priority.as_str().into(),
                p.likelihood.as_str().into(),
                p.severity.as_str().into(),
                format!("{:?}", p.kind).to_lowercase(),
                p.question_id.clone(),
                p.bp_id.clone(),
                p.title.clone(),
                p.risk.to_string().to_lowercase(),
                p.evidence.pass.to_string(),
                p.evidence.fail.to_string(),
                p.evidence_summary.clone(),
                p.how_to_improve.join("\n"),
                p.owner.clone(),
                p.due.clone().unwrap_or_default(),
                p.status.as_str().into(),
            ]
            .into_iter(),
        );
    }
    out
}

fn line(out: &mut String, cells: impl Iterator<Item = String>) {
    for (i, c) in cells.enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&quote(&c));
    }
    out.push_str("\r\n");
}

/// Quote a field when it holds a comma, quote, or line break; a leading
/// '=', '+', '-' or '@' gets a ' prefix so spreadsheets do not run it as a
/// formula (review text is typed by people and may come from anywhere).
pub fn quote(s: &str) -> String {
    let guarded = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if guarded.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

#[cfg(test)]
mod tests {
    use super::quote;

    #[test]
    fn quoting() {
        assert_eq!(quote("plain"), "plain");
        assert_eq!(quote("a,b"), "\"a,b\"");
        assert_eq!(quote("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(quote("two\nlines"), "\"two\nlines\"");
        assert_eq!(quote("=1+1"), "'=1+1");
    }
}
