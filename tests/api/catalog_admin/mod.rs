//! The catalog in the back office after creation: a product's status,
//! variants added, retired, moved and given a threshold, the filtered list,
//! its photos.

mod images;
mod list;
mod status;
mod variants;
