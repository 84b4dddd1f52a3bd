//! `kehoach completions SHELL` and `kehoach man [COMMAND…]`: generated from the same command
//! line definition as `--help`, in the user's language.
//!
//! The manual is one language at a time: clap_mangen writes its section headings in English,
//! so for Vietnamese they are replaced here. It names no page that is not there: where
//! clap_mangen lists `kehoach-check(1)`, the page says `kehoach check`, whose own page
//! `kehoach man check` prints.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Result, bail};

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

/// The page of `kehoach` itself, or of the command named by `path` (`["add", "activity"]`).
pub fn man(lang: Lang, path: &[String]) -> Result<ExitCode> {
    write_out(page(lang, path)?.as_bytes())
}

/// The roff text of a page.
pub fn page(lang: Lang, path: &[String]) -> Result<String> {
    let mut cmd = without_help_subcommands(vi::command(lang));
    // Built, the subcommands know their full names ("kehoach check", "kehoach-check").
    cmd.build();
    for word in path {
        let Some(sub) = cmd.find_subcommand(word).cloned() else {
            let names: Vec<&str> = cmd
                .get_subcommands()
                .filter(|s| !s.is_hide_set())
                .map(|s| s.get_name())
                .collect();
            let names = names.join(", ");
            bail!(
                "{}",
                match lang {
                    Lang::Vi => format!(
                        "không có trang hướng dẫn cho '{}': các lệnh là {names}",
                        path.join(" ")
                    ),
                    Lang::En => format!(
                        "no manual page for '{}': the commands are {names}",
                        path.join(" ")
                    ),
                }
            );
        };
        cmd = sub;
    }
    let subs: Vec<String> = cmd
        .get_subcommands()
        .filter(|s| !s.is_hide_set())
        .map(|s| s.get_name().to_string())
        .collect();
    let display = cmd
        .get_display_name()
        .unwrap_or_else(|| cmd.get_name())
        .to_string();
    let bin = cmd
        .get_bin_name()
        .unwrap_or_else(|| cmd.get_name())
        .to_string();
    let mut buf = Vec::new();
    clap_mangen::Man::new(cmd)
        .title(display.clone())
        .source(format!("kehoach {}", env!("CARGO_PKG_VERSION")))
        .render(&mut buf)?;
    let roff = String::from_utf8_lossy(&buf).into_owned();
    Ok(localize(&roff, lang, &display, &bin, &subs, path))
}

/// clap's `help` subcommands (`kehoach add help`) are not commands with a page.
fn without_help_subcommands(cmd: clap::Command) -> clap::Command {
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    let mut cmd = cmd.disable_help_subcommand(true);
    for name in names {
        cmd = cmd.mut_subcommand(&name, without_help_subcommands);
    }
    cmd
}

/// One language, and no page that does not exist.
fn localize(
    roff: &str,
    lang: Lang,
    display: &str,
    bin: &str,
    subs: &[String],
    path: &[String],
) -> String {
    let esc = |s: &str| s.replace('-', "\\-");
    let headings: &[(&str, &str)] = match lang {
        Lang::Vi => &[
            (".SH NAME", ".SH TÊN"),
            (".SH SYNOPSIS", ".SH \"CÚ PHÁP\""),
            (".SH DESCRIPTION", ".SH \"MÔ TẢ\""),
            (".SH OPTIONS", ".SH \"TÙY CHỌN\""),
            (".SH SUBCOMMANDS", ".SH \"LỆNH\""),
            (".SH Lệnh", ".SH \"LỆNH\""),
            (".SH EXTRA", ".SH \"VÍ DỤ\""),
            (".SH VERSION", ".SH \"PHIÊN BẢN\""),
        ],
        Lang::En => &[
            (".SH SUBCOMMANDS", ".SH COMMANDS"),
            (".SH EXTRA", ".SH EXAMPLES"),
        ],
    };
    let mut out = String::with_capacity(roff.len() + 256);
    for line in roff.lines() {
        let mut line = line.to_string();
        if let Some((_, to)) = headings.iter().find(|(from, _)| line == *from) {
            line = to.to_string();
        }
        for sub in subs {
            if line == format!("{}(1)", esc(&format!("{display}-{sub}"))) {
                line = format!("\\fB{}\\fR", esc(&format!("{bin} {sub}")));
            }
        }
        out.push_str(&line);
        out.push('\n');
    }
    if !subs.is_empty() {
        let (heading, lead) = match lang {
            Lang::Vi => (".SH \"XEM THÊM\"", "Trang hướng dẫn của từng lệnh:"),
            Lang::En => (".SH \"SEE ALSO\"", "The page of each command:"),
        };
        out.push_str(heading);
        out.push('\n');
        out.push_str(lead);
        out.push('\n');
        let base: Vec<&str> = path.iter().map(String::as_str).collect();
        for sub in subs {
            let mut words = base.clone();
            words.push(sub);
            out.push_str(".br\n");
            out.push_str(&format!("\\fBkehoach man {}\\fR\n", esc(&words.join(" "))));
        }
    }
    out
}

fn write_out(bytes: &[u8]) -> Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    out.write_all(bytes)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
