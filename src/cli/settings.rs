//! Settings from a TOML file (`--config`), and `stockroom config`, which
//! prints the settings `serve` would run with.
//!
//! A file value is used only when neither the flag nor the environment
//! variable gave one: the command line is parsed once, each file key whose
//! setting still has its default is appended as its flag, and the whole is
//! parsed again. So clap's own precedence (flag, then variable, then
//! default) holds, with the file slotted in before the default, and values
//! from a file go through the same checks as flags.

use std::ffi::OsString;

use clap::parser::ValueSource;
use clap::{CommandFactory, FromArgMatches};

use super::{Cli, Command};
use crate::config::ServeArgs;
use crate::config::redact_url;

/// The command line, with the `--config` file's values where nothing else set them.
pub fn parse_with_file(args: Vec<OsString>) -> Result<Cli, String> {
    let command = Cli::command();
    let matches = command
        .clone()
        .try_get_matches_from(&args)
        .unwrap_or_else(|e| e.exit());
    let cli = Cli::from_arg_matches(&matches).map_err(|e| e.to_string())?;
    let file = match &cli.command {
        Command::Serve(serve) | Command::Config(serve) => serve.config.clone(),
        _ => None,
    };
    let (Some(file), Some((name, sub))) = (file, matches.subcommand()) else {
        return Ok(cli);
    };
    let text = std::fs::read_to_string(&file)
        .map_err(|e| format!("cannot read the config file {}: {e}", file.display()))?;
    let table: toml::Table = text
        .parse()
        .map_err(|e| format!("the config file {} is not valid TOML: {e}", file.display()))?;
    let subcommand = command
        .find_subcommand(name)
        .ok_or_else(|| format!("no subcommand {name}"))?;
    let mut completed = args;
    for (key, value) in &table {
        let id = key.replace('-', "_");
        let known = subcommand
            .get_arguments()
            .find(|a| a.get_id().as_str() == id && a.get_long().is_some() && id != "config");
        let Some(arg) = known else {
            return Err(format!(
                "unknown setting `{key}` in {}; see `stockroom serve --help`",
                file.display()
            ));
        };
        if matches!(
            sub.value_source(&id),
            Some(ValueSource::CommandLine | ValueSource::EnvVariable)
        ) {
            continue;
        }
        let flag = format!("--{}", arg.get_long().unwrap_or(key));
        match value {
            toml::Value::Boolean(true) => completed.push(flag.into()),
            toml::Value::Boolean(false) => {}
            toml::Value::String(s) => completed.extend([flag.into(), s.into()]),
            toml::Value::Integer(n) => completed.extend([flag.into(), n.to_string().into()]),
            // A list (`trusted_proxies = ["127.0.0.1", "::1"]`) is one flag per item.
            toml::Value::Array(items) => {
                for item in items {
                    let toml::Value::String(s) = item else {
                        return Err(format!(
                            "`{key}` in {} must list strings, not {}",
                            file.display(),
                            item.type_str()
                        ));
                    };
                    completed.extend([flag.clone().into(), s.into()]);
                }
            }
            other => {
                return Err(format!(
                    "`{key}` in {} must be a string, a whole number or a boolean, not {}",
                    file.display(),
                    other.type_str()
                ));
            }
        }
    }
    Cli::try_parse_from_completed(completed)
}

impl Cli {
    fn try_parse_from_completed(args: Vec<OsString>) -> Result<Cli, String> {
        let matches = Cli::command()
            .try_get_matches_from(args)
            .map_err(|e| format!("in the config file: {e}"))?;
        Cli::from_arg_matches(&matches).map_err(|e| e.to_string())
    }
}

/// `stockroom config`: the effective settings as TOML, secrets redacted.
pub fn print(args: &ServeArgs) -> Result<(), String> {
    print!("{}", render(args));
    Ok(())
}

fn render(args: &ServeArgs) -> String {
    let quoted = |s: &str| format!("{s:?}");
    let database_url = args.database.url_or_default();
    let lines = [
        ("listen", quoted(&args.listen.to_string())),
        ("database_url", quoted(&redact_url(database_url))),
        ("demo", args.demo.to_string()),
        ("currency", quoted(&args.currency)),
        (
            "checkout_mode",
            quoted(&format!("{:?}", args.checkout_mode).to_lowercase()),
        ),
        ("checkout_batch_max", args.checkout_batch_max.to_string()),
        ("write_queue_max", args.write_queue_max.to_string()),
        ("checkout_timeout_ms", args.checkout_timeout_ms.to_string()),
        (
            "idempotency_ttl_hours",
            args.idempotency_ttl_hours.to_string(),
        ),
        ("sqlite_readers_max", args.sqlite_readers_max.to_string()),
        (
            "request_body_bytes_max",
            args.request_body_bytes_max.to_string(),
        ),
        ("order_lines_max", args.order_lines_max.to_string()),
        ("line_quantity_max", args.line_quantity_max.to_string()),
        (
            "rate_limit_per_second",
            args.rate_limit_per_second.to_string(),
        ),
        ("rate_limit_burst", args.rate_limit_burst.to_string()),
        (
            "rate_limit_addresses_max",
            args.rate_limit_addresses_max.to_string(),
        ),
        (
            "trusted_proxies",
            format!(
                "[{}]",
                args.trusted_proxies
                    .iter()
                    .map(|p| quoted(&p.to_string()))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ),
        ("public_url", quoted(&args.public_url().to_string())),
        (
            "allowed_hosts",
            format!(
                "[{}]",
                args.allowed_hosts
                    .iter()
                    .map(|h| quoted(&h.to_string()))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ),
        (
            "connections_max",
            args.connections.connections_max.to_string(),
        ),
        (
            "connections_per_address_max",
            args.connections.connections_per_address_max.to_string(),
        ),
        (
            "http_header_timeout_ms",
            args.connections.http_header_timeout_ms.to_string(),
        ),
        (
            "http_header_bytes_max",
            args.connections.http_header_bytes_max.to_string(),
        ),
        (
            "http_body_timeout_ms",
            args.connections.http_body_timeout_ms.to_string(),
        ),
        (
            "http_idle_timeout_ms",
            args.connections.http_idle_timeout_ms.to_string(),
        ),
        (
            "http_request_timeout_ms",
            args.connections.http_request_timeout_ms.to_string(),
        ),
        (
            "shutdown_timeout_ms",
            args.connections.shutdown_timeout_ms.to_string(),
        ),
        (
            "log_format",
            quoted(&format!("{:?}", args.log_format).to_lowercase()),
        ),
    ];
    let mut out = String::from("# stockroom: the settings `serve` would run with\n");
    for (key, value) in lines {
        out.push_str(&format!("{key} = {value}\n"));
    }
    match &args.metrics_token {
        Some(_) => out.push_str("metrics_token = \"***\"\n"),
        None => out
            .push_str("# metrics_token: not set, /metrics answers programs on this machine only\n"),
    }
    if let Some(file) = &args.config {
        out.push_str(&format!("# read from {}\n", file.display()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    fn cli(args: &[&str]) -> Result<Cli, String> {
        parse_with_file(args.iter().map(OsString::from).collect())
    }

    fn serve_args(cli: Cli) -> ServeArgs {
        match cli.command {
            Command::Serve(args) | Command::Config(args) => *args,
            _ => panic!("not serve"),
        }
    }

    #[test]
    fn a_file_value_counts_only_where_no_flag_gave_one() {
        let dir = tempfile::tempdir().expect("a folder");
        let file = dir.path().join("stockroom.toml");
        std::fs::write(
            &file,
            "checkout_batch_max = 32\norder-lines-max = 7\nmetrics_token = \"s3cret\"\n\
             trusted_proxies = [\"127.0.0.1\", \"10.0.0.0/8\"]\n",
        )
        .expect("written");
        let path = file.to_string_lossy().into_owned();
        let args = serve_args(
            cli(&[
                "stockroom",
                "config",
                "--config",
                &path,
                "--order-lines-max",
                "9",
            ])
            .expect("parsed"),
        );
        assert_eq!(args.checkout_batch_max, 32);
        assert_eq!(args.order_lines_max, 9);
        assert_eq!(args.sqlite_readers_max, 4, "the default stays");
        assert_eq!(args.trusted_proxies.len(), 2, "a list in the file");
        let printed = render(&args);
        assert!(printed.contains("metrics_token = \"***\""), "{printed}");
        assert!(
            printed.contains("trusted_proxies = [\"127.0.0.1\", \"10.0.0.0/8\"]"),
            "{printed}"
        );
        assert!(printed.contains("rate_limit_per_second = 5"), "{printed}");
        assert!(!printed.contains("s3cret"), "{printed}");
        assert!(!format!("{args:?}").contains("s3cret"));
    }

    #[test]
    fn an_unknown_key_or_a_bad_value_in_the_file_is_an_error() {
        let dir = tempfile::tempdir().expect("a folder");
        let file = dir.path().join("bad.toml");
        std::fs::write(&file, "batch = 3\n").expect("written");
        let path = file.to_string_lossy().into_owned();
        let error = cli(&["stockroom", "serve", "--config", &path]).err();
        assert!(error.is_some_and(|e| e.contains("`batch`")));
        std::fs::write(&file, "checkout_batch_max = 0\n").expect("written");
        assert!(cli(&["stockroom", "serve", "--config", &path]).is_err());
    }

    #[test]
    fn the_public_url_and_the_allowed_hosts_are_settings_checked_at_start_up() {
        let args = serve_args(cli(&["stockroom", "config"]).expect("parsed"));
        let printed = render(&args);
        assert!(
            printed.contains("public_url = \"http://127.0.0.1:8080\""),
            "{printed}"
        );
        assert!(printed.contains("allowed_hosts = []"), "{printed}");
        assert!(
            Config::from_args(&args).accepted_hosts().is_none(),
            "off by default"
        );

        let args = serve_args(
            cli(&[
                "stockroom",
                "config",
                "--public-url",
                "https://Shop.Example/",
                "--allowed-hosts",
                "www.shop.example,203.0.113.9",
            ])
            .expect("parsed"),
        );
        let printed = render(&args);
        assert!(
            printed.contains("public_url = \"https://shop.example\""),
            "{printed}"
        );
        assert!(
            printed.contains("allowed_hosts = [\"www.shop.example\", \"203.0.113.9\"]"),
            "{printed}"
        );
        let accepted = Config::from_args(&args).accepted_hosts().expect("on");
        assert!(accepted.contains(&"shop.example".parse().expect("a host")));

        for bad in [
            ["--public-url", "shop.example"],
            ["--allowed-hosts", "shop.example/admin"],
        ] {
            let mut args = vec!["stockroom", "serve"];
            args.extend(bad);
            assert!(
                Cli::try_parse_from_completed(args.iter().map(OsString::from).collect()).is_err()
            );
        }
    }

    #[test]
    fn database_passwords_are_redacted_in_the_printed_configuration() {
        let args = serve_args(
            cli(&[
                "stockroom",
                "config",
                "--database-url",
                "postgres://shop:pw@db/x",
            ])
            .expect("parsed"),
        );
        let printed = render(&args);
        assert!(printed.contains("shop:***@db"), "{printed}");
        assert!(!printed.contains(":pw@"), "{printed}");
    }
}
