//! The `skew` binary: parse arguments, run, exit. All logic lives in the library.

fn main() -> std::process::ExitCode {
    std::process::ExitCode::SUCCESS
}
