//! The `kehoach` binary: parse the command line, run, print any error once, exit.

use std::process::ExitCode;

fn main() -> ExitCode {
    // A shell asking for completions (`source <(COMPLETE=bash kehoach)`) is answered, and the
    // process ends there.
    kehoach::cmd::complete::handle(kehoach::cli::early_lang(
        &std::env::args_os().collect::<Vec<_>>(),
    ));
    let cli = match kehoach::cli::parse(std::env::args_os().collect()) {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    match kehoach::run(cli) {
        Ok(code) => code,
        Err(err) => {
            // `kehoach deadlines | head` closes the pipe early: that is success, not an error.
            if kehoach::is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            // A path or a value in the chain never brings a raw control character along.
            eprintln!(
                "kehoach: {}",
                kehoach::controls::visible(&format!("{err:#}"))
            );
            ExitCode::from(2)
        }
    }
}
