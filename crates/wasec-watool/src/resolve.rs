//! Which workload a push writes to: by id, by name (owned by the caller's
//! account), by the review's link, or a new one. Nothing here writes.

use crate::client::{NewWorkload, WaClient, WorkloadInfo};
use crate::error::{ApiFailure, Error};
use crate::{Out, mapping, meta, text};
use wasec_core::Review;
use wasec_core::review::WaToolLink;

/// Which workload to write to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Id(String),
    Name(String),
    /// The workload the review is linked to (its `wa_tool` entry).
    Linked,
}

/// What the push will write to.
#[derive(Debug, Clone)]
pub enum Found {
    Existing(WorkloadInfo),
    /// Nothing matched and `--create` was given; checked, not created yet.
    Create(NewWorkload),
}

/// How to look for the workload.
pub struct Lookup<'a> {
    pub target: &'a Target,
    pub create: bool,
    pub relink: bool,
    pub profile_arns: &'a [String],
    pub review_template_arns: &'a [String],
}

pub async fn find(
    client: &WaClient,
    review: &Review,
    link: Option<&WaToolLink>,
    l: &Lookup<'_>,
    out: &mut Out<'_>,
) -> Result<Found, Error> {
    let region = client.region().to_string();
    let name = match l.target {
        Target::Id(id) => return by_id(client, id).await.map(Found::Existing),
        Target::Linked => {
            let link = link.ok_or_else(|| Error::Usage(text::no_target()))?;
            if link.region != region {
                return Err(Error::Usage(text::linked_elsewhere(link, &region)));
            }
            return by_id(client, &link.workload_id).await.map(Found::Existing);
        }
        Target::Name(n) => n.clone(),
    };
    if let Some(w) = by_name(client, &name, l.create, out).await? {
        return Ok(Found::Existing(w));
    }
    if !l.create {
        return Err(Error::Usage(text::no_such_name(&name, &region)));
    }
    check_not_duplicate(client, link, &name, l.relink, out).await?;
    if link.is_none() && !l.relink {
        check_other_regions(client, review, &name).await?;
    }
    let mut spec = meta::new_workload(review, &name, &region).map_err(Error::Invalid)?;
    spec.profile_arns = l.profile_arns.to_vec();
    spec.review_template_arns = l.review_template_arns.to_vec();
    spec.token = meta::create_token(&spec, &region);
    Ok(Found::Create(spec))
}

async fn by_id(client: &WaClient, id: &str) -> Result<WorkloadInfo, Error> {
    client.get_workload(id).await
}

/// The workload with this name (ignoring case and spaces) owned by the
/// caller's account. A match owned by another account (shared with the
/// caller) is never taken by name.
async fn by_name(
    client: &WaClient,
    name: &str,
    create: bool,
    out: &mut Out<'_>,
) -> Result<Option<WorkloadInfo>, Error> {
    let want = mapping::normalize_name(name);
    // A name prefix search may not ignore case and spaces as the Tool's
    // uniqueness check does: search by the first word, then everything.
    let first_word = name.split_whitespace().next().unwrap_or_default();
    let mut found = Vec::new();
    for prefix in [first_word, ""] {
        found = client.list_workloads(prefix).await?;
        found.retain(|w| mapping::normalize_name(&w.name) == want);
        if !found.is_empty() {
            break;
        }
    }
    if found.is_empty() {
        return Ok(None);
    }
    let me = client.caller_account().await?;
    let (mine, others): (Vec<_>, Vec<_>) = found
        .into_iter()
        .partition(|w| w.owner.is_empty() || w.owner == me);
    match mine.as_slice() {
        [w] => return by_id(client, &w.id).await.map(Some),
        [] => {}
        several => return Err(Error::Usage(text::several_named(name, several))),
    }
    if create {
        out.warn(text::shared_same_name(name, &others));
        return Ok(None);
    }
    Err(Error::Usage(text::only_shared(name, &others, &me)))
}

/// `--create` must not make a second copy of the workload the review is
/// already linked to (for example because `--region` is wrong).
async fn check_not_duplicate(
    client: &WaClient,
    link: Option<&WaToolLink>,
    name: &str,
    relink: bool,
    out: &mut Out<'_>,
) -> Result<(), Error> {
    let Some(link) = link else { return Ok(()) };
    if relink {
        out.warn(text::relinking(link));
        return Ok(());
    }
    if link.region != client.region() {
        return Err(Error::Usage(text::would_duplicate_region(
            link,
            name,
            client.region(),
        )));
    }
    match client.get_workload(&link.workload_id).await {
        Ok(w) => Err(Error::Usage(text::would_duplicate(link, &w.name, name))),
        Err(Error::Api {
            kind: ApiFailure::NotFound { .. },
            ..
        }) => {
            out.warn(text::linked_gone(link));
            Ok(())
        }
        Err(e) => Err(e),
    }
}

/// At most this many other Regions are searched before a create.
const MAX_OTHER_REGIONS: usize = 5;

/// An unlinked review about to create a workload: if one with the name
/// already exists in another AWS Region the review names, `--region` is
/// probably wrong.
async fn check_other_regions(client: &WaClient, review: &Review, name: &str) -> Result<(), Error> {
    let (aws, _) = meta::split_regions(&review.workload.regions);
    let want = mapping::normalize_name(name);
    let others = aws
        .iter()
        .filter(|r| r.as_str() != client.region())
        .take(MAX_OTHER_REGIONS);
    for r in others {
        let c = client.in_region(r);
        let first_word = name.split_whitespace().next().unwrap_or_default();
        let found = c.list_workloads(first_word).await?;
        if let Some(w) = found
            .iter()
            .find(|w| mapping::normalize_name(&w.name) == want)
        {
            return Err(Error::Usage(text::exists_in_other_region(
                name,
                &w.id,
                r,
                client.region(),
            )));
        }
    }
    Ok(())
}
