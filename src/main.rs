//! The `stockroom` binary: parses the command line and hands it to the library.

fn main() -> std::process::ExitCode {
    stockroom::cli::main()
}
