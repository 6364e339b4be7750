//! The store's verbs of the order desk: an order as staff see it, the
//! counts per status, its history, payments, notes, edits and returns.
//! Each one transaction.

use super::db::on_either;
use super::{Store, StoreError, order_desk, orders, returns};
use crate::domain::admin::Admin;
use crate::domain::limits::Limits;
use crate::domain::order::{
    HistoryEvent, Order, OrderEdit, PaymentInput, ReturnInput, StaffNote, StatusCounts,
};
use crate::domain::time;

impl Store {
    /// The order as the desk sees it: with its payment and its notes counted.
    pub async fn desk_order(&self, id: &str) -> Result<Order, StoreError> {
        let found = on_either!(read, self, id.to_owned(), |db, id| {
            orders::load(db, id, false)
        });
        Ok(found?.0)
    }

    pub async fn order_counts(&self) -> Result<StatusCounts, StoreError> {
        on_either!(read, self, (), |db, ()| orders::counts(db))
    }

    /// The order's life, oldest first: its creation, then every change.
    pub async fn order_history(&self, id: &str) -> Result<Vec<HistoryEvent>, StoreError> {
        on_either!(read, self, id.to_owned(), |db, id| order_desk::history(
            db, id
        ))
    }

    pub async fn record_payment(
        &self,
        id: &str,
        payment: PaymentInput,
        actor: &Admin,
    ) -> Result<Order, StoreError> {
        let data = (id.to_owned(), payment, actor.name.clone());
        on_either!(write, self, data, |db, (id, payment, actor)| {
            order_desk::record_payment(db, id, payment, actor)
        })
    }

    pub async fn add_order_note(
        &self,
        id: &str,
        note: String,
        actor: &Admin,
    ) -> Result<StaffNote, StoreError> {
        let data = (id.to_owned(), note, actor.name.clone());
        on_either!(write, self, data, |db, (id, note, actor)| {
            order_desk::add_note(db, id, note, actor)
        })
    }

    /// Changes an order's pickup number or delivery address.
    pub async fn edit_order(
        &self,
        id: &str,
        edit: OrderEdit,
        limits: &Limits,
        actor: &Admin,
    ) -> Result<Order, StoreError> {
        let data = (id.to_owned(), edit, limits.clone(), actor.name.clone());
        on_either!(write, self, data, |db, (id, edit, limits, actor)| {
            order_desk::edit(db, id, edit, limits, actor)
        })
    }

    /// Takes back units of a shipped or delivered order, with replacements
    /// taken from stock: all or nothing.
    pub async fn take_return(
        &self,
        id: &str,
        input: ReturnInput,
        limits: &Limits,
        actor: &Admin,
    ) -> Result<Order, StoreError> {
        let now = time::format(self.config().clock.now());
        let data = (
            id.to_owned(),
            input,
            limits.clone(),
            actor.name.clone(),
            now,
        );
        on_either!(write, self, data, |db, (id, input, limits, actor, now)| {
            returns::take_return(db, id, input, limits, actor, now.as_str())
        })
    }
}
