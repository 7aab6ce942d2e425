//! Helpers: a double, an SDK client for it, push and pull runs that
//! capture what they print.

use std::time::Duration;
use wasec_core::review::WaToolLink;
use wasec_core::{Bank, Review};
use wasec_testkit::Double;
use wasec_watool::client::{WaClient, retry_config};
use wasec_watool::pull::{MergeOptions, MergeOutcome, PullOptions, pull, pull_into};
use wasec_watool::push::{PushOptions, PushOutcome, push};
use wasec_watool::resolve::Target;
use wasec_watool::{Error, Out, block_on};

pub const REGION: &str = "ap-northeast-1";

pub fn setup() -> (Bank, Double, Review) {
    let bank = Bank::embedded().unwrap();
    let double = Double::start(&bank).unwrap();
    let review = wasec_core::demo::review(&bank).unwrap();
    (bank, double, review)
}

/// An SDK configuration for the double: dummy credentials, short backoff.
pub async fn client(d: &Double, region: &str) -> WaClient {
    let conf = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .region(aws_config::Region::new(region.to_string()))
        .endpoint_url(d.endpoint())
        .test_credentials()
        .retry_config(retry_config(Duration::from_millis(5)))
        .load()
        .await;
    WaClient::from_sdk_config(&conf)
}

pub fn opts(target: Target) -> PushOptions {
    let mut o = PushOptions::new(target);
    o.create = true;
    o.backoff = Duration::from_millis(5);
    o
}

pub fn by_name(name: &str) -> PushOptions {
    opts(Target::Name(name.into()))
}

pub fn by_id(id: &str) -> PushOptions {
    opts(Target::Id(id.into()))
}

/// What a push did and printed.
pub struct Pushed {
    pub result: Result<PushOutcome, Error>,
    pub out: String,
    pub err: String,
}

impl Pushed {
    pub fn ok(self) -> PushOutcome {
        match self.result {
            Ok(o) => o,
            Err(e) => panic!("push failed: {e}\n{}\n{}", self.out, self.err),
        }
    }

    pub fn err_text(&self) -> String {
        match &self.result {
            Ok(_) => panic!("push succeeded:\n{}\n{}", self.out, self.err),
            Err(e) => e.to_string(),
        }
    }
}

/// Push `review`, keeping its link up to date the way the CLI does.
pub fn run_push(bank: &Bank, d: &Double, review: &mut Review, o: &PushOptions) -> Pushed {
    run_push_in(bank, d, REGION, review, o)
}

pub fn run_push_in(
    bank: &Bank,
    d: &Double,
    region: &str,
    review: &mut Review,
    o: &PushOptions,
) -> Pushed {
    let (mut a, mut b) = (Vec::new(), Vec::new());
    let mut link: Option<WaToolLink> = review.wa_tool.clone();
    let result = {
        let mut out = Out::new(&mut a, &mut b);
        block_on(async {
            let c = client(d, region).await;
            push(&c, bank, review, &mut link, o, &mut out).await
        })
    };
    if !o.dry_run {
        review.wa_tool = link;
    }
    Pushed {
        result,
        out: String::from_utf8(a).unwrap(),
        err: String::from_utf8(b).unwrap(),
    }
}

/// Pull a workload (or a milestone) into a new review; (result, warnings).
pub fn run_pull(
    bank: &Bank,
    d: &Double,
    id: &str,
    milestone: Option<&str>,
) -> (Result<Review, Error>, String, String) {
    let (mut a, mut b) = (Vec::new(), Vec::new());
    let o = PullOptions {
        workload_id: id.into(),
        milestone: milestone.map(str::to_string),
    };
    let r = {
        let mut out = Out::new(&mut a, &mut b);
        block_on(async {
            let c = client(d, REGION).await;
            pull(&c, bank, &o, &mut out).await
        })
    };
    (
        r,
        String::from_utf8(a).unwrap(),
        String::from_utf8(b).unwrap(),
    )
}

/// Create the workload with a first push; returns its id.
pub fn first_push(bank: &Bank, d: &Double, review: &mut Review, name: &str) -> String {
    run_push(bank, d, review, &by_name(name))
        .ok()
        .workload_id
        .unwrap()
}

pub fn choice(bank: &Bank, bp: &str) -> String {
    bank.bp(bp).unwrap().1.wa_choice_id.clone()
}

pub fn selected(d: &Double, id: &str, q: &str) -> Vec<String> {
    d.answer(id, q)["SelectedChoices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

pub fn choice_note(d: &Double, id: &str, q: &str, c: &str) -> String {
    d.answer(id, q)["ChoiceAnswers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["ChoiceId"] == c)
        .and_then(|a| a["Notes"].as_str())
        .unwrap_or_default()
        .to_string()
}

pub fn writes(d: &Double) -> usize {
    [
        "CreateWorkload",
        "UpdateAnswer",
        "UpdateWorkload",
        "CreateMilestone",
        "UpgradeLensReview",
    ]
    .iter()
    .map(|op| d.calls(op))
    .sum()
}

/// Merge the Tool's changes into `review`; (result, printed).
pub fn run_pull_into(
    bank: &Bank,
    d: &Double,
    review: &mut Review,
    o: &MergeOptions,
) -> (Result<MergeOutcome, Error>, String) {
    let (mut a, mut b) = (Vec::new(), Vec::new());
    let r = {
        let mut out = Out::new(&mut a, &mut b);
        block_on(async {
            let c = client(d, REGION).await;
            pull_into(&c, bank, review, o, &mut out).await
        })
    };
    (r, String::from_utf8(a).unwrap())
}
