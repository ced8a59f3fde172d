//! The `journeylab` command line: parse → `journeylab::api` → print.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
