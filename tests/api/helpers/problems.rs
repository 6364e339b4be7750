//! Checks that an answer is the expected problem+json, and reads its fields.

use reqwest::{Response, StatusCode};
use serde_json::Value;

use super::TestApp;

impl TestApp {
    /// Checks that `response` is an RFC 9457 problem with this status and
    /// `code`, with every field of docs/API.md, and returns its body.
    pub async fn problem(&self, response: Response, status: StatusCode, code: &str) -> Value {
        let content_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let got = response.status();
        let text = response.text().await.expect("a body");
        assert_eq!(got, status, "unexpected status, body: {text}");
        assert_eq!(
            content_type.as_deref(),
            Some("application/problem+json"),
            "not a problem document: {text}"
        );
        let body: Value = serde_json::from_str(&text).expect("a JSON problem");
        assert_eq!(body["code"], code, "unexpected code in {body}");
        assert_eq!(body["status"], status.as_u16(), "status field of {body}");
        assert_eq!(
            body["type"],
            format!("https://stockroom.dev/problems/{}", code.replace('_', "-")),
            "type field of {body}"
        );
        for field in ["title", "detail"] {
            assert!(
                body[field].as_str().is_some_and(|s| !s.is_empty()),
                "`{field}` missing from {body}"
            );
        }
        body
    }

    /// Checks a 422 `validation_failed` naming `field` among its errors.
    pub async fn validation_problem(&self, response: Response, field: &str) -> Value {
        let body = self
            .problem(
                response,
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation_failed",
            )
            .await;
        assert!(
            Self::error_fields(&body).iter().any(|f| f == field),
            "no error for `{field}` in {body}"
        );
        body
    }

    /// The fields a validation problem names, in order.
    pub fn error_fields(problem: &Value) -> Vec<String> {
        problem["errors"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|e| e["field"].as_str().map(str::to_owned))
            .collect()
    }
}
