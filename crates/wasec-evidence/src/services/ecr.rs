//! ECR: images scanned (on push, continuously, or by registry rule), tag
//! immutability, repository policies not public.
//!
//! Calls per Region: `DescribeRepositories` (paginated) and
//! `GetRegistryScanningConfiguration` concurrently, then
//! `GetRepositoryPolicy` per repository ("not found" means no policy).

use aws_sdk_ecr::Client;
use aws_sdk_ecr::types::{ImageTagMutability, ScanFrequency};
use aws_smithy_types::error::metadata::{ErrorMetadata, ProvideErrorMetadata};
use futures::StreamExt;

use super::ServiceCtx;
use super::accessanalyzer::policy_is_public;
use crate::check::{CheckMeta, Finding, Scope};

const SCANNING: &str = "ecr.image_scanning";
const IMMUTABLE: &str = "integrity.ecr_tag_immutability";
const POLICY: &str = "resource_policies.not_public";

const A_REPOS: &str = "ecr:DescribeRepositories";
const A_REGISTRY: &str = "ecr:GetRegistryScanningConfiguration";
const A_POLICY: &str = "ecr:GetRepositoryPolicy";

/// Every check id this module reports; `resource_policies.not_public` is declared in `kms`.
const EMITS: &[&str] = &[SCANNING, IMMUTABLE, POLICY];

pub const CHECKS: &[CheckMeta] = &[
    CheckMeta {
        id: SCANNING,
        title_en: "ECR image vulnerability scanning",
        title_ja: "ECR イメージの脆弱性スキャン",
        bps: &["SEC06-BP01", "SEC11-BP02"],
        service: "ecr",
        actions: &[A_REPOS, A_REGISTRY],
        scope: Scope::Regional,
    },
    CheckMeta {
        id: IMMUTABLE,
        title_en: "ECR image tag immutability",
        title_ja: "ECR イメージタグの上書き禁止",
        bps: &["SEC06-BP04"],
        service: "ecr",
        actions: &[A_REPOS],
        scope: Scope::Regional,
    },
];

#[derive(Debug, Clone, PartialEq)]
struct Repo {
    arn: String,
    name: String,
    scan_on_push: bool,
    immutable: bool,
    /// `Ok(None)`: no policy.
    policy_public: Result<Option<bool>, ErrorMetadata>,
}

/// Wildcard filters of registry scanning rules that actually scan.
type RegistryRules = Result<Vec<String>, ErrorMetadata>;

pub async fn collect(cx: &ServiceCtx) -> Vec<Finding> {
    let client = Client::new(&cx.sdk);
    let (repos, registry) = futures::join!(
        client
            .describe_repositories()
            .into_paginator()
            .items()
            .send()
            .try_collect(),
        client.get_registry_scanning_configuration().send(),
    );
    let repos = match repos {
        Ok(r) => r,
        Err(e) => {
            return EMITS
                .iter()
                .map(|id| Finding::unknown_from(id, A_REPOS, &e))
                .collect();
        }
    };
    let rules: RegistryRules = registry
        .map(|r| {
            r.scanning_configuration()
                .map(|c| c.rules())
                .unwrap_or_default()
                .iter()
                .filter(|rule| *rule.scan_frequency() != ScanFrequency::Manual)
                .flat_map(|rule| {
                    rule.repository_filters()
                        .iter()
                        .map(|f| f.filter().to_string())
                })
                .collect()
        })
        .map_err(|e| e.meta().clone());
    let repos: Vec<Repo> = futures::stream::iter(repos)
        .map(|r| {
            let client = client.clone();
            async move {
                let name = r.repository_name().unwrap_or_default().to_string();
                let policy_public = match client
                    .get_repository_policy()
                    .repository_name(&name)
                    .send()
                    .await
                {
                    Ok(p) => Ok(p.policy_text().and_then(policy_is_public)),
                    Err(e) if e.code() == Some("RepositoryPolicyNotFoundException") => Ok(None),
                    Err(e) => Err(e.meta().clone()),
                };
                Repo {
                    arn: r.repository_arn().unwrap_or_default().to_string(),
                    name,
                    scan_on_push: r
                        .image_scanning_configuration()
                        .is_some_and(|c| c.scan_on_push()),
                    immutable: matches!(
                        r.image_tag_mutability(),
                        Some(
                            ImageTagMutability::Immutable
                                | ImageTagMutability::ImmutableWithExclusion
                        )
                    ),
                    policy_public,
                }
            }
        })
        .buffered(4)
        .collect()
        .await;
    evaluate(&repos, &rules)
}

/// ECR scanning filters: `*` matches any run of characters.
fn wildcard_match(pattern: &str, name: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == name;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !name.starts_with(first) || name.len() < first.len() + last.len() || !name.ends_with(last) {
        return false;
    }
    let mut rest = &name[first.len()..name.len() - last.len()];
    for mid in &parts[1..parts.len() - 1] {
        match rest.find(mid) {
            Some(i) => rest = &rest[i + mid.len()..],
            None => return false,
        }
    }
    true
}

fn evaluate(repos: &[Repo], rules: &RegistryRules) -> Vec<Finding> {
    if repos.is_empty() {
        return EMITS
            .iter()
            .map(|id| Finding::not_applicable(id, "no ECR repository in this Region"))
            .collect();
    }
    vec![
        eval_scanning(repos, rules),
        eval_immutable(repos),
        eval_policy(repos),
    ]
}

fn eval_scanning(repos: &[Repo], rules: &RegistryRules) -> Finding {
    let filters: &[String] = rules.as_deref().unwrap_or_default();
    let bad: Vec<String> = repos
        .iter()
        .filter(|r| !r.scan_on_push && !filters.iter().any(|f| wildcard_match(f, &r.name)))
        .map(|r| r.arn.clone())
        .collect();
    let n = repos.len();
    if bad.is_empty() {
        return Finding::pass(
            SCANNING,
            format!("all {n} repository(ies) are scanned automatically"),
        );
    }
    // Without the registry rules an unscanned-looking repository may be covered.
    if let Err(e) = rules {
        return Finding::unknown_from(SCANNING, A_REGISTRY, e);
    }
    Finding::fail(
        SCANNING,
        format!(
            "{} of {n} repository(ies) not scanned on push or continuously",
            bad.len()
        ),
    )
    .with_resources(bad)
}

fn eval_immutable(repos: &[Repo]) -> Finding {
    let bad: Vec<String> = repos
        .iter()
        .filter(|r| !r.immutable)
        .map(|r| r.arn.clone())
        .collect();
    let n = repos.len();
    if bad.is_empty() {
        Finding::pass(
            IMMUTABLE,
            format!("all {n} repository(ies) have immutable tags"),
        )
    } else {
        Finding::fail(
            IMMUTABLE,
            format!(
                "{} of {n} repository(ies) allow tags to be overwritten",
                bad.len()
            ),
        )
        .with_resources(bad)
    }
}

fn eval_policy(repos: &[Repo]) -> Finding {
    let bad: Vec<String> = repos
        .iter()
        .filter(|r| matches!(r.policy_public, Ok(Some(true))))
        .map(|r| r.arn.clone())
        .collect();
    let n = repos.len();
    if !bad.is_empty() {
        return Finding::fail(
            POLICY,
            format!(
                "{} of {n} repository policy(ies) allow any AWS principal",
                bad.len()
            ),
        )
        .with_resources(bad)
        .public(true);
    }
    match repos.iter().find_map(|r| r.policy_public.as_ref().err()) {
        Some(e) => Finding::unknown_from(POLICY, A_POLICY, e),
        None => Finding::pass(
            POLICY,
            format!("none of {n} repository policy(ies) is public"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasec_core::review::EvidenceStatus;

    fn repo(name: &str) -> Repo {
        Repo {
            arn: format!("arn:{name}"),
            name: name.into(),
            scan_on_push: true,
            immutable: true,
            policy_public: Ok(None),
        }
    }

    #[test]
    fn wildcard_filters() {
        assert!(wildcard_match("*", "anything"));
        assert!(wildcard_match("prod-*", "prod-api"));
        assert!(wildcard_match("*-api", "prod-api"));
        assert!(wildcard_match("a*b*c", "aXXbYYc"));
        assert!(!wildcard_match("prod-*", "dev-api"));
        assert!(!wildcard_match("a*b*c", "acb"));
        assert!(wildcard_match("exact", "exact"));
        assert!(!wildcard_match("ab*ba", "aba"));
    }

    #[test]
    fn good_repos_pass_and_no_repos_is_not_applicable() {
        assert!(
            evaluate(&[repo("a")], &Ok(vec![]))
                .iter()
                .all(|f| f.status == EvidenceStatus::Pass)
        );
        assert!(
            evaluate(&[], &Ok(vec![]))
                .iter()
                .all(|f| f.status == EvidenceStatus::NotApplicable)
        );
    }

    #[test]
    fn registry_rule_covers_repo_without_scan_on_push() {
        let mut r = repo("prod-api");
        r.scan_on_push = false;
        assert_eq!(
            eval_scanning(std::slice::from_ref(&r), &Ok(vec!["prod-*".into()])).status,
            EvidenceStatus::Pass
        );
        let f = eval_scanning(std::slice::from_ref(&r), &Ok(vec!["dev-*".into()]));
        assert_eq!(f.status, EvidenceStatus::Fail);
        assert_eq!(f.resources, vec!["arn:prod-api".to_string()]);
        let e = ErrorMetadata::builder()
            .code("AccessDeniedException")
            .build();
        assert_eq!(eval_scanning(&[r], &Err(e)).status, EvidenceStatus::Unknown);
    }

    #[test]
    fn mutable_tags_fail() {
        let mut r = repo("a");
        r.immutable = false;
        assert_eq!(eval_immutable(&[r, repo("b")]).status, EvidenceStatus::Fail);
    }

    #[test]
    fn public_policy_fails_and_errors_are_unknown() {
        let mut r = repo("a");
        r.policy_public = Ok(Some(true));
        let f = eval_policy(&[r]);
        assert_eq!(f.status, EvidenceStatus::Fail);
        assert!(f.public);
        let mut e = repo("b");
        e.policy_public = Err(ErrorMetadata::builder()
            .code("AccessDeniedException")
            .build());
        assert_eq!(eval_policy(&[e]).status, EvidenceStatus::Unknown);
    }
}
