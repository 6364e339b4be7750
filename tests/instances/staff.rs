//! Sign-in across three instances on one PostgreSQL: sessions, revocations
//! and failed sign-ins live in the database, so every instance sees what
//! another did, at once.

use reqwest::Method;
use serde_json::{Value, json};

use crate::cluster::Cluster;
use crate::shop::Answer;

const PASSWORD: &str = "une phrase assez longue";

impl Cluster {
    /// Invites `name` as staff through instance 0 and chooses [`PASSWORD`]
    /// through its setup link on instance 1.
    async fn staff_member(&self, name: &str) {
        let body = json!({"name": name, "role": "staff"});
        let (status, invited) = self
            .admin_send(0, Method::POST, "/api/v1/admin/staff", Some(&body))
            .await;
        assert_eq!(status, 201, "{invited}");
        let setup = json!({"token": invited["setup_token"], "password": PASSWORD});
        let response = self
            .client
            .post(format!("{}/api/v1/auth/setup", self.base(1)))
            .json(&setup)
            .send()
            .await
            .expect("an answer");
        assert_eq!(response.status(), 204);
    }

    /// `POST /api/v1/auth/login` on one instance: the status, the body, and
    /// the session cookie's token if one was set.
    async fn sign_in(
        &self,
        instance: usize,
        name: &str,
        password: &str,
    ) -> (Answer, Option<String>) {
        let response = self
            .client
            .post(format!("{}/api/v1/auth/login", self.base(instance)))
            .json(&json!({"name": name, "password": password}))
            .send()
            .await
            .expect("an answer");
        let token = response
            .headers()
            .get("set-cookie")
            .and_then(|v| v.to_str().ok())
            .and_then(|c| c.strip_prefix("stockroom_session="))
            .and_then(|c| c.split(';').next())
            .map(str::to_owned);
        let status = response.status().as_u16();
        (
            (status, response.json().await.unwrap_or(Value::Null)),
            token,
        )
    }

    /// A request with a session cookie (and a CSRF token) on one instance.
    async fn with_session(
        &self,
        instance: usize,
        (token, csrf): (&str, Option<&str>),
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> Answer {
        let mut request = self
            .client
            .request(method, format!("{}{path}", self.base(instance)))
            .header("Cookie", format!("stockroom_session={token}"));
        if let Some(csrf) = csrf {
            request = request.header("X-CSRF-Token", csrf);
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request.send().await.expect("an answer");
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }
}

#[tokio::test]
async fn a_session_opened_on_one_instance_works_on_the_others_until_a_revocation_on_any() {
    let Some(cluster) = Cluster::start(3, "staff_sessions_across_instances").await else {
        return;
    };
    let sku = cluster.create_product("robe-ete", &[("M".into(), 5)]).await[0].clone();
    cluster.staff_member("aya").await;
    let (answer, token) = cluster.sign_in(0, "aya", PASSWORD).await;
    assert_eq!(answer.0, 200, "{answer:?}");
    let token = token.expect("a session cookie");
    let (status, me) = cluster
        .with_session(0, (&token, None), Method::GET, "/api/v1/auth/me", None)
        .await;
    assert_eq!(status, 200);
    let csrf = me["csrf_token"].as_str().expect("a CSRF token").to_owned();

    // Instances B and C know the session, and the CSRF token made on A.
    for instance in [1, 2] {
        let (status, me) = cluster
            .with_session(
                instance,
                (&token, None),
                Method::GET,
                "/api/v1/auth/me",
                None,
            )
            .await;
        assert_eq!(
            (status, &me["name"]),
            (200, &json!("aya")),
            "instance {instance}"
        );
        let restock = format!("/api/v1/admin/stock/{sku}/restock");
        let body = json!({"quantity": 1});
        let session = (token.as_str(), Some(csrf.as_str()));
        let (status, restocked) = cluster
            .with_session(instance, session, Method::POST, &restock, Some(&body))
            .await;
        assert_eq!(status, 200, "instance {instance}: {restocked}");
        assert_eq!(restocked["movement"]["actor"], "aya");
    }

    let revoked = cluster
        .client
        .delete(format!("{}/api/v1/admin/staff/aya", cluster.base(1)))
        .bearer_auth(&cluster.admin_token)
        .send()
        .await
        .expect("an answer");
    assert_eq!(revoked.status(), 204);
    for instance in [0, 2] {
        for path in ["/api/v1/auth/me", "/api/v1/admin/orders"] {
            let (status, problem) = cluster
                .with_session(instance, (&token, None), Method::GET, path, None)
                .await;
            assert_eq!(status, 401, "instance {instance}, {path}: {problem}");
        }
    }
}

#[tokio::test]
async fn failed_sign_ins_spread_over_three_instances_are_counted_together() {
    let Some(cluster) = Cluster::start(3, "sign_in_failures_across_instances").await else {
        return;
    };
    cluster.staff_member("aya").await;

    for attempt in 0..10 {
        let (answer, _) = cluster.sign_in(attempt, "aya", "pas le bon mot").await;
        assert_eq!(answer.0, 401, "attempt {attempt}: {answer:?}");
    }
    // The 11th, on any instance, waits; the right password too.
    for instance in 0..3 {
        for password in ["pas le bon mot", PASSWORD] {
            let ((status, problem), token) = cluster.sign_in(instance, "aya", password).await;
            assert_eq!(status, 429, "instance {instance}: {problem}");
            assert_eq!(problem["code"], "too_many_attempts");
            assert!(token.is_none());
        }
    }
}

// Thirty wrong passwords for one name sent at once, ten to each instance:
// each attempt is counted, under a lock of the counts, before its password
// is checked, so ten are checked and twenty wait, whichever instance they
// reached. (A row lock would not do: the name has no count yet.)
#[tokio::test]
async fn wrong_passwords_sent_at_once_to_three_instances_are_counted_one_by_one() {
    let Some(cluster) = Cluster::start(3, "sign_in_rush_across_instances").await else {
        return;
    };
    cluster.staff_member("aya").await;

    let attempts = (0..30).map(|attempt| {
        let cluster = &cluster;
        async move { cluster.sign_in(attempt, "aya", "pas le bon mot").await.0 }
    });
    let answers = futures::future::join_all(attempts).await;
    let count = |status| answers.iter().filter(|(s, _)| *s == status).count();
    assert_eq!((count(401), count(429)), (10, 20), "{answers:?}");
}
