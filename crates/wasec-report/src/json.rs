//! JSON: the report model as a versioned document (`"schema": "wasec.report/1"`).
//! Field meanings are documented in the crate README.

use crate::model::Report;

pub fn render(report: &Report) -> Result<String, serde_json::Error> {
    let mut s = serde_json::to_string_pretty(report)?;
    s.push('\n');
    Ok(s)
}
