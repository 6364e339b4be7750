//! `stockroom admin`: the people who run the shop, and their tokens.

use clap::{Args, Subcommand};

use super::open_store;
use crate::config::DatabaseArgs;

#[derive(Args, Debug)]
pub struct AdminArgs {
    #[command(subcommand)]
    action: AdminAction,
    #[command(flatten)]
    database: DatabaseArgs,
}

#[derive(Subcommand, Debug)]
enum AdminAction {
    /// Create an admin and print its bearer token, once: only a hash is kept.
    Create { name: String },
    /// Revoke an admin's token; what it did stays recorded under its name.
    Revoke { name: String },
    /// List the admins.
    List,
}

pub async fn run(args: AdminArgs) -> Result<(), String> {
    let store = open_store(&args.database).await?;
    match args.action {
        AdminAction::Create { name } => {
            let created = store.create_admin(&name).await.map_err(|e| e.to_string())?;
            println!(
                "admin `{}` created. Its token, shown only this once:",
                created.admin.name
            );
            println!("{}", created.token);
        }
        AdminAction::Revoke { name } => {
            store.revoke_admin(&name).await.map_err(|e| e.to_string())?;
            println!("admin `{name}` revoked");
        }
        AdminAction::List => {
            for admin in store.list_admins().await.map_err(|e| e.to_string())? {
                let state = admin
                    .revoked_at
                    .map_or("active".to_owned(), |at| format!("revoked {at}"));
                println!("{}\tcreated {}\t{state}", admin.name, admin.created_at);
            }
        }
    }
    Ok(())
}
