//! The double's HTTP side on axum: the REST (restJson1) routes of the
//! operations it implements, STS GetCallerIdentity (the one STS call
//! wasec makes), and the admin routes under `/_double/`.
//!
//! Every API request must be SigV4-signed for the `wellarchitected`
//! service; the Region comes from the signature's credential scope, so
//! each Region has its own workloads. The signature itself is not checked
//! (the double knows no secrets).

use crate::api::{ApiError, ApiResult};
use crate::state::{Fault, LensSetup, State};
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State as Axum};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch, post, put};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};

pub type Shared = Arc<Mutex<State>>;
type Q = Query<BTreeMap<String, String>>;

pub fn lock(s: &Shared) -> MutexGuard<'_, State> {
    s.lock().unwrap_or_else(|p| p.into_inner())
}

/// The service leaves absent members out rather than sending null.
fn without_nulls(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(_, x)| !x.is_null())
                .map(|(k, x)| (k.clone(), without_nulls(x)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(without_nulls).collect()),
        other => other.clone(),
    }
}

fn json_response(status: u16, v: &Value, code: Option<&str>) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut r = (status, without_nulls(v).to_string()).into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    h.insert(
        "x-amzn-requestid",
        HeaderValue::from_static("00000000-0000-4000-8000-00000000d0b1"),
    );
    if let Some(c) = code.and_then(|c| HeaderValue::from_str(c).ok()) {
        h.insert("x-amzn-errortype", c);
    }
    r
}

fn respond(r: ApiResult<Value>) -> Response {
    match r {
        Ok(v) => json_response(200, &v, None),
        Err(e) => json_response(e.status, &e.body(), Some(e.code)),
    }
}

/// (region, service) from `Authorization: AWS4-HMAC-SHA256 Credential=AKID/DATE/REGION/SERVICE/aws4_request, ...`.
fn scope(headers: &HeaderMap) -> Option<(String, String)> {
    let auth = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let rest = auth.strip_prefix("AWS4-HMAC-SHA256 ")?;
    let cred = rest
        .split(',')
        .map(str::trim)
        .find_map(|p| p.strip_prefix("Credential="))?;
    let parts: Vec<&str> = cred.split('/').collect();
    (parts.len() == 5 && parts[4] == "aws4_request")
        .then(|| (parts[2].to_string(), parts[3].to_string()))
}

fn signed_region(headers: &HeaderMap, service: &str) -> ApiResult<String> {
    match scope(headers) {
        None => Err(ApiError::access_denied(
            "the request is not signed with SigV4",
        )),
        Some((_, s)) if s != service => Err(ApiError::access_denied(format!(
            "the request is signed for service {s}, not {service}"
        ))),
        Some((r, _)) => Ok(r),
    }
}

fn parse_body(body: &[u8]) -> ApiResult<Value> {
    if body.is_empty() {
        return Ok(json!({}));
    }
    serde_json::from_slice(body).map_err(|e| {
        let mut err = ApiError::validation(format!("cannot parse the request body: {e}"));
        err.fields.insert("Reason".into(), json!("CANNOT_PARSE"));
        err
    })
}

/// One API call: count it, check the signature, meet injected faults,
/// parse the body, run the operation.
fn call(
    d: &Shared,
    op: &'static str,
    headers: &HeaderMap,
    body: &[u8],
    f: impl FnOnce(&mut State, &str, &Value) -> ApiResult<Value>,
) -> Response {
    let mut st = lock(d);
    let fault = st.take_fault(op);
    let run = || -> ApiResult<Value> {
        let region = signed_region(headers, "wellarchitected")?;
        if let Some(e) = fault {
            return Err(e);
        }
        let body = parse_body(body)?;
        f(&mut st, &region, &body)
    };
    respond(run())
}

async fn create_workload(Axum(d): Axum<Shared>, h: HeaderMap, b: Bytes) -> Response {
    call(&d, "CreateWorkload", &h, &b, |st, r, body| {
        st.create_workload(r, body)
    })
}

async fn list_workloads(Axum(d): Axum<Shared>, h: HeaderMap, b: Bytes) -> Response {
    call(&d, "ListWorkloads", &h, &b, |st, r, body| {
        st.list_workloads(r, body)
    })
}

async fn get_workload(
    Axum(d): Axum<Shared>,
    Path(id): Path<String>,
    h: HeaderMap,
    b: Bytes,
) -> Response {
    call(&d, "GetWorkload", &h, &b, |st, r, _| {
        st.get_workload(r, &id)
    })
}

async fn update_workload(
    Axum(d): Axum<Shared>,
    Path(id): Path<String>,
    h: HeaderMap,
    b: Bytes,
) -> Response {
    call(&d, "UpdateWorkload", &h, &b, |st, r, body| {
        st.update_workload(r, &id, body)
    })
}

async fn get_lens_review(
    Axum(d): Axum<Shared>,
    Path((id, lens)): Path<(String, String)>,
    Query(q): Q,
    h: HeaderMap,
    b: Bytes,
) -> Response {
    call(&d, "GetLensReview", &h, &b, |st, r, _| {
        st.get_lens_review(r, &id, &lens, &q)
    })
}

async fn upgrade_lens_review(
    Axum(d): Axum<Shared>,
    Path((id, lens)): Path<(String, String)>,
    h: HeaderMap,
    b: Bytes,
) -> Response {
    call(&d, "UpgradeLensReview", &h, &b, |st, r, body| {
        st.upgrade_lens_review(r, &id, &lens, body)
    })
}

async fn list_answers(
    Axum(d): Axum<Shared>,
    Path((id, lens)): Path<(String, String)>,
    Query(q): Q,
    h: HeaderMap,
    b: Bytes,
) -> Response {
    call(&d, "ListAnswers", &h, &b, |st, r, _| {
        st.list_answers(r, &id, &lens, &q)
    })
}

async fn get_answer(
    Axum(d): Axum<Shared>,
    Path((id, lens, qid)): Path<(String, String, String)>,
    Query(q): Q,
    h: HeaderMap,
    b: Bytes,
) -> Response {
    call(&d, "GetAnswer", &h, &b, |st, r, _| {
        st.get_answer(r, &id, &lens, &qid, &q)
    })
}

async fn update_answer(
    Axum(d): Axum<Shared>,
    Path((id, lens, qid)): Path<(String, String, String)>,
    h: HeaderMap,
    b: Bytes,
) -> Response {
    call(&d, "UpdateAnswer", &h, &b, |st, r, body| {
        st.update_answer(r, &id, &lens, &qid, body)
    })
}

async fn list_improvements(
    Axum(d): Axum<Shared>,
    Path((id, lens)): Path<(String, String)>,
    Query(q): Q,
    h: HeaderMap,
    b: Bytes,
) -> Response {
    call(&d, "ListLensReviewImprovements", &h, &b, |st, r, _| {
        st.list_improvements(r, &id, &lens, &q)
    })
}

async fn create_milestone(
    Axum(d): Axum<Shared>,
    Path(id): Path<String>,
    h: HeaderMap,
    b: Bytes,
) -> Response {
    call(&d, "CreateMilestone", &h, &b, |st, r, body| {
        st.create_milestone(r, &id, body)
    })
}

async fn list_milestones(
    Axum(d): Axum<Shared>,
    Path(id): Path<String>,
    h: HeaderMap,
    b: Bytes,
) -> Response {
    call(&d, "ListMilestones", &h, &b, |st, r, body| {
        st.list_milestones(r, &id, body)
    })
}

/// STS (awsQuery protocol): only GetCallerIdentity, answering the
/// configured account.
async fn sts(Axum(d): Axum<Shared>, h: HeaderMap, b: Bytes) -> Response {
    let mut st = lock(&d);
    *st.calls.entry("sts:GetCallerIdentity".into()).or_default() += 1;
    let form = String::from_utf8_lossy(&b);
    let action = form
        .split('&')
        .find_map(|p| p.strip_prefix("Action="))
        .unwrap_or_default();
    if scope(&h).is_none_or(|(_, s)| s != "sts") || action != "GetCallerIdentity" {
        let body = "<ErrorResponse><Error><Type>Sender</Type><Code>InvalidAction</Code>\
            <Message>the double answers only signed STS GetCallerIdentity</Message></Error></ErrorResponse>";
        return (
            StatusCode::BAD_REQUEST,
            [(header::CONTENT_TYPE, "text/xml")],
            body,
        )
            .into_response();
    }
    let account = &st.config.account;
    let body = format!(
        "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\
         <GetCallerIdentityResult><Arn>arn:aws:iam::{account}:user/wa-tool-double</Arn>\
         <UserId>AIDAWATOOLDOUBLE</UserId><Account>{account}</Account></GetCallerIdentityResult>\
         <ResponseMetadata><RequestId>00000000-0000-4000-8000-00000000d0b1</RequestId></ResponseMetadata>\
         </GetCallerIdentityResponse>"
    );
    (StatusCode::OK, [(header::CONTENT_TYPE, "text/xml")], body).into_response()
}

async fn unknown(method: axum::http::Method, uri: axum::http::Uri) -> Response {
    let e = ApiError::unknown_operation(method.as_str(), uri.path());
    json_response(e.status, &e.body(), Some(e.code))
}

/// Admin call: no signature, not counted as an API call.
fn admin(d: &Shared, b: &[u8], f: impl FnOnce(&mut State, &Value) -> ApiResult<Value>) -> Response {
    let mut st = lock(d);
    respond(parse_body(b).and_then(|body| f(&mut st, &body)))
}

async fn admin_calls(Axum(d): Axum<Shared>) -> Response {
    respond(Ok(lock(&d).calls_json()))
}

async fn admin_fault(Axum(d): Axum<Shared>, b: Bytes) -> Response {
    admin(&d, &b, |st, v| {
        let f = crate::api::Body(v);
        let fault = Fault {
            op: f.str_req("Operation", 1, 128)?.to_string(),
            status: f.int_opt("Status")?.unwrap_or(500) as u16,
            after: f.int_opt("After")?.unwrap_or(0) as usize,
            times: f.int_opt("Times")?.unwrap_or(1) as usize,
        };
        st.add_fault(fault);
        Ok(json!({}))
    })
}

async fn admin_clear_faults(Axum(d): Axum<Shared>) -> Response {
    lock(&d).clear_faults();
    respond(Ok(json!({})))
}

async fn admin_risk(Axum(d): Axum<Shared>, b: Bytes) -> Response {
    admin(&d, &b, |st, v| {
        let f = crate::api::Body(v);
        st.force_risk(f.str_req("QuestionId", 1, 128)?, f.str_req("Risk", 1, 32)?);
        Ok(json!({}))
    })
}

async fn admin_config(Axum(d): Axum<Shared>, b: Bytes) -> Response {
    admin(&d, &b, |st, v| {
        if let Some(n) = crate::api::Body(v).int_opt("PageSize")? {
            st.config.page_size = n.max(1) as usize;
        }
        Ok(json!({ "PageSize": st.config.page_size, "Account": st.config.account }))
    })
}

async fn admin_lens(Axum(d): Axum<Shared>, Path(id): Path<String>, b: Bytes) -> Response {
    admin(&d, &b, |st, v| {
        st.set_lens(&id, &LensSetup::from_json(v)?)?;
        Ok(json!({}))
    })
}

async fn admin_answer(
    Axum(d): Axum<Shared>,
    Path((id, qid)): Path<(String, String)>,
    b: Bytes,
) -> Response {
    admin(&d, &b, |st, v| {
        st.console_update_answer(&id, &qid, v)?;
        st.peek_answer(&id, &qid)
    })
}

async fn admin_peek_answer(
    Axum(d): Axum<Shared>,
    Path((id, qid)): Path<(String, String)>,
) -> Response {
    respond(lock(&d).peek_answer(&id, &qid))
}

async fn admin_workload(Axum(d): Axum<Shared>, Path(id): Path<String>, b: Bytes) -> Response {
    admin(&d, &b, |st, v| {
        st.console_update_workload(&id, v)?;
        st.peek_workload(&id)
    })
}

async fn admin_profile(Axum(d): Axum<Shared>, b: Bytes) -> Response {
    admin(&d, &b, |st, v| {
        st.register_profile(crate::api::Body(v).str_req("ProfileArn", 1, 2084)?);
        Ok(json!({}))
    })
}

async fn admin_template(Axum(d): Axum<Shared>, b: Bytes) -> Response {
    admin(&d, &b, |st, v| {
        let arn = crate::api::Body(v)
            .str_req("TemplateArn", 1, 250)?
            .to_string();
        st.register_template(&arn, v.get("Answers").unwrap_or(&json!({})))?;
        Ok(json!({}))
    })
}

pub fn router(state: Shared) -> Router {
    Router::new()
        .route("/", post(sts))
        .route("/workloads", post(create_workload))
        .route("/workloadsSummaries", post(list_workloads))
        .route("/workloads/{id}", get(get_workload).patch(update_workload))
        .route("/workloads/{id}/lensReviews/{lens}", get(get_lens_review))
        .route(
            "/workloads/{id}/lensReviews/{lens}/upgrade",
            put(upgrade_lens_review),
        )
        .route(
            "/workloads/{id}/lensReviews/{lens}/answers",
            get(list_answers),
        )
        .route(
            "/workloads/{id}/lensReviews/{lens}/answers/{qid}",
            get(get_answer).patch(update_answer),
        )
        .route(
            "/workloads/{id}/lensReviews/{lens}/improvements",
            get(list_improvements),
        )
        .route("/workloads/{id}/milestones", post(create_milestone))
        .route("/workloads/{id}/milestonesSummaries", post(list_milestones))
        .route("/_double/calls", get(admin_calls))
        .route(
            "/_double/faults",
            post(admin_fault).delete(admin_clear_faults),
        )
        .route("/_double/risk", post(admin_risk))
        .route("/_double/config", put(admin_config))
        .route("/_double/profiles", post(admin_profile))
        .route("/_double/templates", post(admin_template))
        .route("/_double/workloads/{id}", patch(admin_workload))
        .route("/_double/workloads/{id}/lens", put(admin_lens))
        .route(
            "/_double/workloads/{id}/answers/{qid}",
            get(admin_peek_answer).patch(admin_answer),
        )
        .fallback(unknown)
        .with_state(state)
}

/// Serve on `listener` until the process ends, on a thread of its own.
pub fn spawn(state: Shared, listener: std::net::TcpListener) -> std::io::Result<()> {
    listener.set_nonblocking(true)?;
    std::thread::Builder::new()
        .name("wa-tool-double".into())
        .spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a tokio runtime starts");
            rt.block_on(async move {
                let l = tokio::net::TcpListener::from_std(listener)
                    .expect("the listener is non-blocking");
                let _ = axum::serve(l, router(state)).await;
            });
        })?;
    Ok(())
}
