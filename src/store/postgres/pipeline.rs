//! Pipelining: several statements of one transaction sent in one flight and
//! answered in order, so a batched checkout costs about one round trip to
//! PostgreSQL instead of one per statement.
//!
//! tokio-postgres sends a request when its future is first polled, and
//! PostgreSQL runs requests in the order they arrive (the crate documents
//! both). So polling every step once, in order, before waiting on any sends
//! them in that order. A step must be a prepared statement or a simple query:
//! a statement given as text would be prepared first and sent late.
//! After an error PostgreSQL refuses every later statement of the
//! transaction (25P02), so the first error is the one that tells why.

use std::future::{Future, poll_fn};
use std::pin::Pin;
use std::task::Poll;

use deadpool_postgres::Transaction;
use tokio_postgres::{Row, Statement};

use super::sql::Params;

/// One statement's answer: its rows (none for a simple query).
pub type StepResult = Result<Vec<Row>, tokio_postgres::Error>;

/// One statement waiting to be sent.
pub type Step<'a> = Pin<Box<dyn Future<Output = StepResult> + Send + 'a>>;

/// A prepared statement with its parameters.
pub fn statement<'a>(
    tx: &'a Transaction<'_>,
    statement: &'a Statement,
    params: &'a Params<'a>,
) -> Step<'a> {
    // tokio-postgres's own method, which sends on first poll.
    let tx: &'a tokio_postgres::Transaction<'_> = tx;
    Box::pin(tx.query(statement, params))
}

/// Statements without parameters or answers (`savepoint`, `release`…).
pub fn simple<'a>(tx: &'a Transaction<'_>, sql: &'static str) -> Step<'a> {
    let tx: &'a tokio_postgres::Transaction<'_> = tx;
    Box::pin(async move { tx.batch_execute(sql).await.map(|()| Vec::new()) })
}

/// Sends every step in order, then waits for all of their answers (a
/// step's future borrows the transaction, so none is left behind);
/// answers their rows, or the first error.
pub async fn run_all(mut steps: Vec<Step<'_>>) -> Result<Vec<Vec<Row>>, tokio_postgres::Error> {
    let mut answers: Vec<Option<StepResult>> = steps.iter().map(|_| None).collect();
    poll_fn(|cx| {
        let mut waiting = false;
        for (step, answer) in steps.iter_mut().zip(answers.iter_mut()) {
            if answer.is_none() {
                match step.as_mut().poll(cx) {
                    Poll::Ready(result) => *answer = Some(result),
                    Poll::Pending => waiting = true,
                }
            }
        }
        if waiting {
            Poll::Pending
        } else {
            Poll::Ready(())
        }
    })
    .await;
    answers.into_iter().flatten().collect()
}
