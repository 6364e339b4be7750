//! The shop's settings on PostgreSQL, as every checkout reads them.

use deadpool_postgres::GenericClient;

use super::db::Pg;
use super::transaction::TxError;
use crate::domain::settings::Settings;
use crate::store::settings;

/// The settings; with `lock`, their row stays locked until the transaction ends.
pub async fn load_settings<C: GenericClient>(client: &C, lock: bool) -> Result<Settings, TxError> {
    settings::load(&Pg(client), lock).await
}
