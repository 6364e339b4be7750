//! Sends one claimed delivery through its channel (`crate::notify`).
//! TEMPORARY: filled in when the channels land.

use std::sync::Arc;

use crate::config::Config;
use crate::domain::delivery::Attempt;
use crate::store::{Claimed, Store};

pub struct Sender {
    _store: Store,
    _config: Arc<Config>,
}

impl Sender {
    pub fn new(store: Store, config: Arc<Config>) -> Sender {
        Sender {
            _store: store,
            _config: config,
        }
    }

    pub async fn send(&self, _claimed: &Claimed) -> Attempt {
        Attempt::Failed {
            response_status: None,
            error: "not yet".into(),
        }
    }
}
