//! ECR: images scanned (on push, continuously, or by registry rule), tag
//! immutability, repository policies not public.
//!
//! Calls per Region: `DescribeRepositories` (paginated) and
//! `GetRegistryScanningConfiguration` concurrently, then
//! `GetRepositoryPolicy` per repository ("not found" means no policy).

use aws_sdk_ecr::Client;
use aws_sdk_ecr::types::{ImageTagMutability, ScanFrequency};
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use futures::StreamExt;

use super::ServiceCtx;
use crate::check::{CheckId, Failure, Finding};
use crate::tr;
use crate::util::{policy_text_is_public, sample};

const A_REPOS: &str = "ecr:DescribeRepositories";
const A_REGISTRY: &str = "ecr:GetRegistryScanningConfiguration";
const A_POLICY: &str = "ecr:GetRepositoryPolicy";

#[derive(Debug, Clone, PartialEq)]
struct Repo {
    arn: String,
    name: String,
    scan_on_push: bool,
    immutable: bool,
    /// `Ok(None)`: no policy.
    policy_public: Result<Option<bool>, Failure>,
}

/// Wildcard filters of registry scanning rules that actually scan.
type RegistryRules = Result<Vec<String>, Failure>;

pub async fn collect(cx: &ServiceCtx) -> Result<Vec<Finding>, Failure> {
    let client: Client = cx.client();
    let (repos, registry) = futures::join!(
        client
            .describe_repositories()
            .into_paginator()
            .items()
            .send()
            .try_collect(),
        client.get_registry_scanning_configuration().send(),
    );
    let repos = repos.map_err(|e| Failure::from_sdk(A_REPOS, &e))?;
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
        .map_err(|e| Failure::from_sdk(A_REGISTRY, &e));
    let mut repos: Vec<Repo> = futures::stream::iter(repos)
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
                    Ok(p) => Ok(p.policy_text().and_then(policy_text_is_public)),
                    Err(e) if e.code() == Some("RepositoryPolicyNotFoundException") => Ok(None),
                    Err(e) => Err(Failure::from_sdk(A_POLICY, &e)),
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
    repos.sort_by(|a, b| a.arn.cmp(&b.arn));
    Ok(evaluate(&repos, &rules))
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
    use CheckId::*;
    if repos.is_empty() {
        let none = tr!(
            "no ECR repository in this region",
            "このリージョンに ECR リポジトリはありません"
        );
        return [
            EcrImageScanning,
            IntegrityEcrTagImmutability,
            EcrRepositoryPolicyNotPublic,
        ]
        .into_iter()
        .map(|id| Finding::not_applicable(id, none.clone()))
        .collect();
    }
    vec![
        eval_scanning(repos, rules),
        eval_immutable(repos),
        eval_policy(repos),
    ]
}

fn eval_scanning(repos: &[Repo], rules: &RegistryRules) -> Finding {
    let id = CheckId::EcrImageScanning;
    let filters: &[String] = rules.as_deref().unwrap_or_default();
    let bad: Vec<&Repo> = repos
        .iter()
        .filter(|r| !r.scan_on_push && !filters.iter().any(|f| wildcard_match(f, &r.name)))
        .collect();
    let n = repos.len();
    if bad.is_empty() {
        return Finding::pass(
            id,
            tr!(
                "all {n} repositories are scanned automatically",
                "リポジトリ {n} 件すべてが自動でスキャンされています"
            ),
        );
    }
    // Without the registry rules an unscanned-looking repository may be covered.
    if let Err(f) = rules {
        return f.finding(id);
    }
    let (k, list) = (
        bad.len(),
        sample(&bad.iter().map(|r| r.name.clone()).collect::<Vec<_>>(), 5),
    );
    Finding::fail(
        id,
        tr!(
            "{k} of {n} repositories are scanned neither on push nor by a registry rule: {list}",
            "リポジトリ {n} 件中 {k} 件がプッシュ時にもレジストリのルールでもスキャンされていません: {list}"
        ),
    )
    .with_resources(bad.iter().map(|r| r.arn.clone()))
}

fn eval_immutable(repos: &[Repo]) -> Finding {
    let id = CheckId::IntegrityEcrTagImmutability;
    let bad: Vec<&Repo> = repos.iter().filter(|r| !r.immutable).collect();
    let n = repos.len();
    if bad.is_empty() {
        return Finding::pass(
            id,
            tr!(
                "all {n} repositories have immutable tags",
                "リポジトリ {n} 件すべてでタグが上書きできません"
            ),
        );
    }
    let (k, list) = (
        bad.len(),
        sample(&bad.iter().map(|r| r.name.clone()).collect::<Vec<_>>(), 5),
    );
    Finding::fail(
        id,
        tr!(
            "{k} of {n} repositories allow tags to be overwritten (MUTABLE): {list}",
            "リポジトリ {n} 件中 {k} 件でタグを上書きできます（MUTABLE）: {list}"
        ),
    )
    .with_resources(bad.iter().map(|r| r.arn.clone()))
}

fn eval_policy(repos: &[Repo]) -> Finding {
    let id = CheckId::EcrRepositoryPolicyNotPublic;
    let bad: Vec<&Repo> = repos
        .iter()
        .filter(|r| matches!(r.policy_public, Ok(Some(true))))
        .collect();
    let n = repos.len();
    if !bad.is_empty() {
        let (k, list) = (
            bad.len(),
            sample(&bad.iter().map(|r| r.name.clone()).collect::<Vec<_>>(), 5),
        );
        return Finding::fail(
            id,
            tr!(
                "{k} of {n} repository policies let any AWS principal in: {list}",
                "リポジトリポリシー {n} 件中 {k} 件が任意の AWS プリンシパルを許可しています: {list}"
            ),
        )
        .with_resources(bad.iter().map(|r| r.arn.clone()))
        .public(true);
    }
    match repos.iter().find_map(|r| r.policy_public.as_ref().err()) {
        Some(f) => f.finding(id),
        None => Finding::pass(
            id,
            tr!(
                "none of {n} repository policies is public",
                "リポジトリポリシー {n} 件のいずれも公開されていません"
            ),
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
        let e = Failure::new(
            A_REGISTRY,
            crate::check::FailureKind::AccessDenied,
            "AccessDeniedException",
        );
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
        e.policy_public = Err(Failure::new(
            A_POLICY,
            crate::check::FailureKind::AccessDenied,
            "AccessDeniedException",
        ));
        assert_eq!(eval_policy(&[e]).status, EvidenceStatus::Unknown);
    }
}
