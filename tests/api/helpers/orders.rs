//! Buyers' and admins' calls on orders: placing them (alone or many at
//! once), the cart check, reading and moving an order on.

use std::sync::Arc;

use reqwest::{Method, Response, StatusCode};
use serde_json::{Value, json};

use super::TestApp;

impl TestApp {
    pub async fn post_order(&self, body: &Value, idempotency_key: Option<&str>) -> Response {
        let mut request = self.request(Method::POST, "/api/v1/orders").json(body);
        if let Some(key) = idempotency_key {
            request = request.header("Idempotency-Key", key);
        }
        request.send().await.expect("the request is sent")
    }

    pub async fn set_status(&self, order_id: &str, status: &str) -> Response {
        self.admin_post(
            &format!("/api/v1/admin/orders/{order_id}/status"),
            &json!({"status": status}),
        )
        .await
    }

    /// Runs `n` copies of `task` as tasks of their own, held at a barrier
    /// until all of them exist and then released together; answers in index order.
    pub async fn together<F, Fut, T>(self: &Arc<Self>, n: usize, task: F) -> Vec<T>
    where
        F: Fn(Arc<TestApp>, usize) -> Fut,
        Fut: std::future::Future<Output = T> + Send + 'static,
        T: Send + 'static,
    {
        let barrier = Arc::new(tokio::sync::Barrier::new(n));
        let handles: Vec<_> = (0..n)
            .map(|i| {
                let (barrier, work) = (barrier.clone(), task(self.clone(), i));
                tokio::spawn(async move {
                    barrier.wait().await;
                    work.await
                })
            })
            .collect();
        let mut answers = Vec::with_capacity(n);
        for handle in handles {
            answers.push(handle.await.expect("a task of the rush"));
        }
        answers
    }

    /// Posts an order and reads the answer: status and JSON body.
    pub async fn place(&self, body: &Value, idempotency_key: Option<&str>) -> (StatusCode, Value) {
        let response = self.post_order(body, idempotency_key).await;
        let status = response.status();
        (status, response.json().await.expect("a JSON answer"))
    }

    /// One order as the back office sees it.
    pub async fn admin_order(&self, id: &str) -> Value {
        let response = self.admin_get(&format!("/api/v1/admin/orders/{id}")).await;
        assert_eq!(
            response.status(),
            StatusCode::OK,
            "admin read of order {id}"
        );
        response.json().await.expect("an order")
    }

    /// `POST /api/v1/cart/check`.
    pub async fn check_cart(&self, body: &Value) -> Response {
        self.request(Method::POST, "/api/v1/cart/check")
            .json(body)
            .send()
            .await
            .expect("the request is sent")
    }

    /// A buyer reading an order, with the access token given (if any).
    pub async fn buyer_order(&self, id: &str, access_token: Option<&str>) -> Response {
        let mut request = self.request(Method::GET, &format!("/api/v1/orders/{id}"));
        if let Some(token) = access_token {
            request = request.bearer_auth(token);
        }
        request.send().await.expect("the request is sent")
    }
}
