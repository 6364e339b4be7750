//! `stockroom admin`: the people who run the shop, their roles and their
//! ways in (an API token, or a one-time link to choose a password).

use chrono::Duration;
use clap::{Args, Subcommand};

use super::open_store;
use crate::config::{DatabaseArgs, PublicUrl};
use crate::domain::staff::Role;

/// Who `stockroom admin` acts as in the activity log.
const CLI_ACTOR: &str = "stockroom admin";

#[derive(Args, Debug)]
pub struct AdminArgs {
    #[command(subcommand)]
    action: AdminAction,
    #[command(flatten)]
    database: DatabaseArgs,
}

#[derive(Subcommand, Debug)]
enum AdminAction {
    /// Create a person and print their API token once (only a hash is
    /// kept), or with --password-setup a link to choose a password.
    Create {
        name: String,
        /// `owner` (everything) or `staff` (catalog, stock, orders).
        #[arg(long, default_value = "owner", value_parser = parse_role)]
        role: Role,
        /// Print a one-time link (valid 48 hours) to choose a password
        /// for the back office, instead of an API token.
        #[arg(long)]
        password_setup: bool,
        /// The shop's address, which the link starts with.
        #[arg(long, env = "STOCKROOM_PUBLIC_URL", default_value = PublicUrl::DEFAULT)]
        public_url: PublicUrl,
    },
    /// Revoke a person: their sessions, token and links end at once; what
    /// they did stays recorded under their name.
    Revoke { name: String },
    /// List the people who have or had access.
    List,
}

fn parse_role(value: &str) -> Result<Role, String> {
    value.parse().map_err(|_| "owner or staff".to_owned())
}

pub async fn run(args: AdminArgs) -> Result<(), String> {
    let store = open_store(&args.database).await?;
    match args.action {
        AdminAction::Create {
            name,
            role,
            password_setup: true,
            public_url,
        } => {
            let (person, link) = store
                .invite(&name, role, CLI_ACTOR, Duration::hours(48))
                .await
                .map_err(|e| e.to_string())?;
            println!(
                "{role} {} created. Open this link to choose a password (it works once, for 48 hours), then sign in with the name {}:",
                person.name, person.name
            );
            println!("{}", public_url.setup_url(&link.token));
        }
        AdminAction::Create { name, role, .. } => {
            let created = store
                .create_admin(&name, role)
                .await
                .map_err(|e| e.to_string())?;
            println!(
                "{role} {} created. Its API token, shown only this once:",
                created.admin.name
            );
            println!("{}", created.token.unwrap_or_default());
        }
        AdminAction::Revoke { name } => {
            store
                .revoke_admin(&name, CLI_ACTOR)
                .await
                .map_err(|e| e.to_string())?;
            println!("{name} revoked");
        }
        AdminAction::List => {
            for admin in store.list_admins().await.map_err(|e| e.to_string())? {
                let state = admin
                    .revoked_at
                    .map_or("active".to_owned(), |at| format!("revoked {at}"));
                let seen = admin.last_seen_at.unwrap_or_else(|| "never".to_owned());
                println!(
                    "{}\t{}\tcreated {}\tlast seen {seen}\t{state}",
                    admin.name, admin.role, admin.created_at
                );
            }
        }
    }
    Ok(())
}
