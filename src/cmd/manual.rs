//! `kehoach completions SHELL` and `kehoach man`: generated from the same command line
//! definition as `--help`, in the user's language.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;

use crate::cli::{Shell, vi};
use crate::messages::Lang;

pub fn completions(lang: Lang, shell: Shell) -> Result<ExitCode> {
    let mut cmd = vi::command(lang);
    let mut buf = Vec::new();
    let shell = match shell {
        Shell::Bash => clap_complete::Shell::Bash,
        Shell::Zsh => clap_complete::Shell::Zsh,
        Shell::Fish => clap_complete::Shell::Fish,
        Shell::Powershell => clap_complete::Shell::PowerShell,
    };
    clap_complete::generate(shell, &mut cmd, "kehoach", &mut buf);
    write_out(&buf)
}

pub fn man(lang: Lang) -> Result<ExitCode> {
    let mut buf = Vec::new();
    clap_mangen::Man::new(vi::command(lang)).render(&mut buf)?;
    write_out(&buf)
}

fn write_out(bytes: &[u8]) -> Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    out.write_all(bytes)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
