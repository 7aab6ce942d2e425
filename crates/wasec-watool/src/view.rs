//! The Tool's own view of the workload (its risks and improvement items),
//! read after a push or pull and kept beside wasec's scoring.

use crate::client::{Improvement, LensInfo, WaClient};
use crate::error::Error;
use crate::plan;
use std::collections::BTreeMap;
use wasec_core::Bank;
use wasec_core::review::QuestionRisk;
use wasec_core::review::sync::{ToolChoice, ToolView};

/// GetLensReview (the pillar's risk counts, fresh after writes) and
/// ListLensReviewImprovements.
pub async fn read(
    client: &WaClient,
    bank: &Bank,
    id: &str,
    milestone: Option<i32>,
    risks: BTreeMap<String, QuestionRisk>,
    other_choices: Vec<ToolChoice>,
) -> Result<ToolView, Error> {
    let lens = client.lens_review(id, milestone).await?;
    let items = client.list_improvements(id, milestone).await?;
    Ok(build(bank, &lens, &items, risks, other_choices))
}

pub fn build(
    bank: &Bank,
    lens: &LensInfo,
    items: &[Improvement],
    risks: BTreeMap<String, QuestionRisk>,
    other_choices: Vec<ToolChoice>,
) -> ToolView {
    ToolView {
        read_at: wasec_core::now(),
        lens_version: lens.version.clone(),
        lens_status: lens.status.clone(),
        risk_counts: lens.risk_counts,
        risks,
        improvements: plan::improvements(bank, items),
        other_choices,
    }
}
