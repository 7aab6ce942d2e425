use std::process::ExitCode;

fn main() -> ExitCode {
    wasec::cli::main()
}
