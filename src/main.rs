//! The `stockroom` binary: parses the command line and hands it to the library.

use clap::Parser;

fn main() -> std::process::ExitCode {
    stockroom::cli::run(stockroom::cli::Cli::parse())
}
