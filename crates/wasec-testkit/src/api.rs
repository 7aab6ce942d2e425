//! Errors and request checks shaped like the service model
//! (botocore `wellarchitected/2020-03-31/service-2.json`): every error
//! carries the members its shape requires, every field is checked against
//! the model's length, count, enum and pattern constraints.

use serde_json::{Map, Value, json};

/// A modelled error: HTTP status, error code (`x-amzn-errortype`) and body.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    pub status: u16,
    pub code: &'static str,
    pub message: String,
    /// Members beside `Message` (ResourceId, ResourceType, QuotaCode, ...).
    pub fields: Map<String, Value>,
}

pub type ApiResult<T> = Result<T, ApiError>;

fn error(status: u16, code: &'static str, message: String, fields: Value) -> ApiError {
    let fields = match fields {
        Value::Object(m) => m,
        _ => Map::new(),
    };
    ApiError {
        status,
        code,
        message,
        fields,
    }
}

impl ApiError {
    /// 400 ValidationException with `Reason` FIELD_VALIDATION_FAILED and the field.
    pub fn field(name: &str, message: impl Into<String>) -> ApiError {
        let message = message.into();
        let fields = json!({
            "Reason": "FIELD_VALIDATION_FAILED",
            "Fields": [{ "Name": name, "Message": message }],
        });
        error(400, "ValidationException", message, fields)
    }

    /// 400 ValidationException with `Reason` OTHER.
    pub fn validation(message: impl Into<String>) -> ApiError {
        error(
            400,
            "ValidationException",
            message.into(),
            json!({ "Reason": "OTHER" }),
        )
    }

    /// 404 ResourceNotFoundException (ResourceId and ResourceType are required).
    pub fn not_found(kind: &str, id: &str, message: impl Into<String>) -> ApiError {
        let fields = json!({ "ResourceId": id, "ResourceType": kind });
        error(404, "ResourceNotFoundException", message.into(), fields)
    }

    /// 409 ConflictException (ResourceId and ResourceType are required).
    pub fn conflict(kind: &str, id: &str, message: impl Into<String>) -> ApiError {
        let fields = json!({ "ResourceId": id, "ResourceType": kind });
        error(409, "ConflictException", message.into(), fields)
    }

    /// 402 ServiceQuotaExceededException (QuotaCode and ServiceCode are required).
    pub fn quota(kind: &str, id: &str, quota: &str, message: impl Into<String>) -> ApiError {
        let fields = json!({
            "ResourceId": id, "ResourceType": kind,
            "QuotaCode": quota, "ServiceCode": "wellarchitected",
        });
        error(402, "ServiceQuotaExceededException", message.into(), fields)
    }

    pub fn access_denied(message: impl Into<String>) -> ApiError {
        error(403, "AccessDeniedException", message.into(), Value::Null)
    }

    /// An injected failure with the code that belongs to `status`.
    pub fn injected(status: u16) -> ApiError {
        match status {
            429 => error(
                429,
                "ThrottlingException",
                "Rate exceeded".into(),
                json!({ "ServiceCode": "wellarchitected" }),
            ),
            403 => ApiError::access_denied("injected: access denied"),
            409 => ApiError::conflict(
                "WORKLOAD",
                "-",
                "injected: a concurrent update is in progress",
            ),
            503 => error(
                503,
                "ServiceUnavailableException",
                "injected: service unavailable".into(),
                Value::Null,
            ),
            _ => error(
                500,
                "InternalServerException",
                "injected: internal error".into(),
                Value::Null,
            ),
        }
    }

    pub fn unknown_operation(method: &str, path: &str) -> ApiError {
        error(
            404,
            "UnknownOperationException",
            format!("no operation for {method} {path}"),
            Value::Null,
        )
    }

    /// The JSON body of the error response.
    pub fn body(&self) -> Value {
        let mut m = self.fields.clone();
        m.insert("Message".into(), json!(self.message));
        m.insert("__type".into(), json!(self.code));
        Value::Object(m)
    }
}

/// Length as the service counts it. UTF-16 code units are never fewer than
/// characters, so this is the stricter reading of the model's limits.
pub fn api_len(s: &str) -> usize {
    s.encode_utf16().count()
}

/// A JSON request body with typed, model-checked accessors.
pub struct Body<'a>(pub &'a Value);

impl<'a> Body<'a> {
    pub fn has(&self, name: &str) -> bool {
        self.0.get(name).is_some_and(|v| !v.is_null())
    }

    /// A string member, checked against min..=max when present.
    pub fn str_opt(&self, name: &str, min: usize, max: usize) -> ApiResult<Option<&'a str>> {
        let Some(v) = self.0.get(name).filter(|v| !v.is_null()) else {
            return Ok(None);
        };
        let s = v
            .as_str()
            .ok_or_else(|| ApiError::field(name, format!("{name} must be a string")))?;
        check_len(name, s, min, max)?;
        Ok(Some(s))
    }

    pub fn str_req(&self, name: &str, min: usize, max: usize) -> ApiResult<&'a str> {
        self.str_opt(name, min, max)?
            .ok_or_else(|| ApiError::field(name, format!("{name} is required")))
    }

    /// A list of strings with at most `max_items`, each min..=max long.
    pub fn strings(
        &self,
        name: &str,
        max_items: usize,
        min: usize,
        max: usize,
    ) -> ApiResult<Option<Vec<String>>> {
        let Some(v) = self.0.get(name).filter(|v| !v.is_null()) else {
            return Ok(None);
        };
        let items = v
            .as_array()
            .ok_or_else(|| ApiError::field(name, format!("{name} must be a list")))?;
        if items.len() > max_items {
            return Err(ApiError::field(
                name,
                format!(
                    "{name} has {} items; at most {max_items} are allowed",
                    items.len()
                ),
            ));
        }
        let mut out = Vec::new();
        for it in items {
            let s = it
                .as_str()
                .ok_or_else(|| ApiError::field(name, format!("{name} members are strings")))?;
            check_len(name, s, min, max)?;
            out.push(s.to_string());
        }
        Ok(Some(out))
    }

    pub fn bool_opt(&self, name: &str) -> ApiResult<Option<bool>> {
        match self.0.get(name).filter(|v| !v.is_null()) {
            None => Ok(None),
            Some(v) => v
                .as_bool()
                .map(Some)
                .ok_or_else(|| ApiError::field(name, format!("{name} must be a boolean"))),
        }
    }

    pub fn int_opt(&self, name: &str) -> ApiResult<Option<i64>> {
        match self.0.get(name).filter(|v| !v.is_null()) {
            None => Ok(None),
            Some(v) => v
                .as_i64()
                .map(Some)
                .ok_or_else(|| ApiError::field(name, format!("{name} must be an integer"))),
        }
    }

    /// A string member that must be one of `allowed`.
    pub fn enum_opt(&self, name: &str, allowed: &[&str]) -> ApiResult<Option<&'a str>> {
        let v = self.str_opt(name, 0, usize::MAX)?;
        if let Some(s) = v {
            check_enum(name, s, allowed)?;
        }
        Ok(v)
    }
}

pub fn check_len(name: &str, s: &str, min: usize, max: usize) -> ApiResult<()> {
    let n = api_len(s);
    if n < min || n > max {
        return Err(ApiError::field(
            name,
            format!("{name} must be {min} to {max} characters long (got {n})"),
        ));
    }
    Ok(())
}

pub fn check_enum(name: &str, s: &str, allowed: &[&str]) -> ApiResult<()> {
    if allowed.contains(&s) {
        Ok(())
    } else {
        Err(ApiError::field(
            name,
            format!("{name} must be one of {} (got {s:?})", allowed.join(", ")),
        ))
    }
}

/// `WorkloadId`: exactly 32 lowercase hex digits.
pub fn check_workload_id(id: &str) -> ApiResult<()> {
    if id.len() == 32
        && id
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        Ok(())
    } else {
        Err(ApiError::field(
            "WorkloadId",
            format!("WorkloadId must match [0-9a-f]{{32}} (got {id:?})"),
        ))
    }
}

/// `AwsAccountId`: exactly 12 digits.
pub fn check_account_id(name: &str, id: &str) -> ApiResult<()> {
    if id.len() == 12 && id.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(ApiError::field(
            name,
            format!("{name} members must be 12-digit account ids (got {id:?})"),
        ))
    }
}

/// `MilestoneNumber` (query or body): 1..=100.
pub fn milestone_number(raw: Option<&str>) -> ApiResult<Option<i64>> {
    let Some(raw) = raw else { return Ok(None) };
    match raw.parse::<i64>() {
        Ok(n) if (1..=100).contains(&n) => Ok(Some(n)),
        _ => Err(ApiError::field(
            "MilestoneNumber",
            format!("MilestoneNumber must be between 1 and 100 (got {raw:?})"),
        )),
    }
}

/// `MaxResults`: absent, or within 1..=`max`.
pub fn max_results(raw: Option<i64>, max: i64) -> ApiResult<usize> {
    match raw {
        None => Ok(max as usize),
        Some(n) if (1..=max).contains(&n) => Ok(n as usize),
        Some(n) => Err(ApiError::field(
            "MaxResults",
            format!("MaxResults must be between 1 and {max} (got {n})"),
        )),
    }
}

/// A query-string integer.
pub fn query_int(
    q: &std::collections::BTreeMap<String, String>,
    name: &str,
) -> ApiResult<Option<i64>> {
    q.get(name)
        .map(|v| {
            v.parse::<i64>()
                .map_err(|_| ApiError::field(name, format!("{name} must be an integer")))
        })
        .transpose()
}

/// Opaque page tokens bound to the listing they came from: a token from
/// another listing (other workload, other filter) is refused, as a real
/// service refuses a forged token. Hex keeps it inside the model's
/// `[A-Za-z0-9+/=_-]+` pattern.
pub fn page_token(scope: &str, offset: usize) -> String {
    format!("{scope}#{offset}")
        .bytes()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn page_offset(scope: &str, token: &str) -> ApiResult<usize> {
    let bad = || ApiError::field("NextToken", "the NextToken is not valid for this request");
    if token.is_empty() || !token.len().is_multiple_of(2) {
        return Err(bad());
    }
    let bytes: Option<Vec<u8>> = (0..token.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&token[i..i + 2], 16).ok())
        .collect();
    let text = String::from_utf8(bytes.ok_or_else(bad)?).map_err(|_| bad())?;
    let (s, n) = text.rsplit_once('#').ok_or_else(bad)?;
    if s != scope {
        return Err(bad());
    }
    n.parse().map_err(|_| bad())
}

/// One page of `items`; `page` is the effective page size.
pub fn paginate<T: Clone>(
    items: &[T],
    scope: &str,
    token: Option<&str>,
    page: usize,
) -> ApiResult<(Vec<T>, Option<String>)> {
    let start = match token {
        Some(t) => page_offset(scope, t)?,
        None => 0,
    };
    let end = (start + page.max(1)).min(items.len());
    let slice = items.get(start..end).unwrap_or(&[]).to_vec();
    let next = (end < items.len()).then(|| page_token(scope, end));
    Ok((slice, next))
}

/// Canonical JSON (object keys sorted at every level) for comparing the
/// parameters of two requests that share an idempotency token.
pub fn canonical(v: &Value) -> String {
    // serde_json may keep insertion order (preserve_order); build the
    // string by hand so key order never depends on that feature.
    fn write(v: &Value, out: &mut String) {
        match v {
            Value::Object(m) => {
                let mut keys: Vec<&String> = m.keys().collect();
                keys.sort();
                out.push('{');
                for (i, k) in keys.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(&Value::String((*k).clone()).to_string());
                    out.push(':');
                    write(&m[*k], out);
                }
                out.push('}');
            }
            Value::Array(a) => {
                out.push('[');
                for (i, x) in a.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write(x, out);
                }
                out.push(']');
            }
            other => out.push_str(&other.to_string()),
        }
    }
    let mut s = String::new();
    write(v, &mut s);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_tokens_are_bound_to_their_listing() {
        let items: Vec<u32> = (0..11).collect();
        let (p1, t1) = paginate(&items, "answers/w1", None, 4).unwrap();
        assert_eq!(p1, vec![0, 1, 2, 3]);
        let t1 = t1.unwrap();
        assert!(t1.bytes().all(|b| b.is_ascii_hexdigit()));
        let (p2, _) = paginate(&items, "answers/w1", Some(&t1), 4).unwrap();
        assert_eq!(p2, vec![4, 5, 6, 7]);
        assert!(paginate(&items, "answers/w2", Some(&t1), 4).is_err());
        assert!(paginate(&items, "answers/w1", Some("zz"), 4).is_err());
        let (p3, t3) =
            paginate(&items, "answers/w1", Some(&page_token("answers/w1", 8)), 4).unwrap();
        assert_eq!((p3, t3), (vec![8, 9, 10], None));
    }

    #[test]
    fn canonical_json_ignores_key_order() {
        let a: Value =
            serde_json::from_str(r#"{"b":1,"a":{"y":[1,{"d":2,"c":3}],"x":null}}"#).unwrap();
        let b: Value =
            serde_json::from_str(r#"{"a":{"x":null,"y":[1,{"c":3,"d":2}]},"b":1}"#).unwrap();
        assert_eq!(canonical(&a), canonical(&b));
        let c: Value =
            serde_json::from_str(r#"{"a":{"x":null,"y":[{"c":3,"d":2},1]},"b":1}"#).unwrap();
        assert_ne!(canonical(&a), canonical(&c));
    }

    #[test]
    fn model_checks() {
        assert!(check_workload_id(&"a".repeat(32)).is_ok());
        assert!(check_workload_id(&"A".repeat(32)).is_err());
        assert!(check_workload_id("abc").is_err());
        assert!(check_account_id("AccountIds", "123456789012").is_ok());
        assert!(check_account_id("AccountIds", "12345678901").is_err());
        assert!(milestone_number(Some("101")).is_err());
        assert_eq!(milestone_number(Some("7")).unwrap(), Some(7));
        assert!(max_results(Some(51), 50).is_err());
        assert_eq!(max_results(None, 100).unwrap(), 100);
        let e = ApiError::not_found("WORKLOAD", "w1", "gone");
        assert_eq!(e.body()["ResourceType"], "WORKLOAD");
        assert_eq!(e.body()["Message"], "gone");
    }
}
