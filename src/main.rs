//! The `skew` binary: parse arguments, run, exit. All logic lives in the library.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    // a bug in skew must never print a panic trace at a user: say what happened, exit 2
    std::panic::set_hook(Box::new(|info| {
        // a dependency's parser panicking on hostile input is caught and reported as a
        // parse error by the library: nothing to say here
        if skew::diagnostic::in_guarded_parser() {
            return;
        }
        let location = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let payload = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        eprintln!("error: internal error in skew{location}: {payload}");
        eprintln!("this is a bug; please report it with the command you ran");
    }));
    let cli = match skew::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            // --help and --version are not errors
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match std::panic::catch_unwind(|| skew::run(cli)) {
        Ok(status) => ExitCode::from(status as u8),
        Err(_) => ExitCode::from(2),
    }
}
