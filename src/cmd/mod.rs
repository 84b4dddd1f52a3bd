//! The commands: each file is the glue for one verb (load → call the domain → print → exit code).
//! This module resolves the command line once into a [`Ctx`] and dispatches.

mod add;
mod amend;
pub mod ask;
mod check;
pub mod clock;
pub mod complete;
mod counter;
mod deadlines;
mod export;
mod history;
mod ics;
mod import;
mod init;
mod manual;
mod report;
mod reports_due;
mod rollup;
mod show;
mod style;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context as _, Result, bail};
use chrono::NaiveDate;

use crate::cli::{Cli, Command};
use crate::messages::{Lang, Msg};
use crate::plan::PLAN_FILE;

/// What every command needs, resolved once from the command line and the environment.
pub struct Ctx {
    /// The plan folder.
    pub dir: PathBuf,
    /// The date deadlines are judged at: `--as-of`, else today. Nothing else reads the clock.
    pub as_of: NaiveDate,
    pub lang: Lang,
    /// How standard output is painted.
    pub style: style::Style,
}

pub fn run(cli: Cli) -> Result<ExitCode> {
    let env = |name: &str| std::env::var(name).ok();
    let lang = Lang::resolve(cli.lang, env);
    let as_of = cli.as_of.unwrap_or_else(clock::today);
    let style = style::Style {
        on: style::use_color(
            cli.color,
            std::io::IsTerminal::is_terminal(&std::io::stdout()),
            std::env::var_os("NO_COLOR").as_deref(),
        ),
    };
    let ctx = |dir: Option<PathBuf>| -> Result<Ctx> {
        let dir = find_dir(dir, lang)?;
        recover(&dir, lang)?;
        Ok(Ctx {
            dir,
            as_of,
            lang,
            style,
        })
    };
    match cli.command {
        Command::Check(args) => check::run(&ctx(cli.dir)?, &args),
        Command::Deadlines(args) => deadlines::run(&ctx(cli.dir)?, &args),
        Command::Report(args) => report::run(&ctx(cli.dir)?, &args),
        Command::Rollup(args) => rollup::run(lang, as_of, &args),
        Command::Add(mut args) => {
            let ctx = ctx(cli.dir)?;
            ask::fill_add(&ctx, &mut args)?;
            counter::resolve_add(&ctx, &mut args)?;
            add::add(&ctx, &args)
        }
        Command::Dossier(mut args) => {
            let ctx = ctx(cli.dir)?;
            ask::fill_dossier(&ctx, &mut args)?;
            add::dossier(&ctx, &args)
        }
        Command::Import(args) => import::run(&ctx(cli.dir)?, &args),
        Command::Reports(crate::cli::ReportsCommand::Due(args)) => {
            reports_due::run(&ctx(cli.dir)?, &args)
        }
        Command::Export(args) => export::run(&ctx(cli.dir)?, &args),
        Command::Show(args) => show::run(&ctx(cli.dir)?, &args),
        Command::Amend(args) => amend::amend(&ctx(cli.dir)?, &args),
        Command::Void(args) => amend::void(&ctx(cli.dir)?, &args),
        Command::Violation(command) => amend::violation(&ctx(cli.dir)?, &command),
        Command::Feedback(command) => amend::feedback(&ctx(cli.dir)?, &command),
        Command::Verify(args) => history::verify(&ctx(cli.dir)?, &args),
        Command::Log(args) => history::log(&ctx(cli.dir)?, &args),
        Command::Hook(args) => history::hook(&ctx(cli.dir)?, &args),
        Command::Init(args) => init::run(lang, &args),
        Command::Completions(args) => manual::completions(lang, args.shell),
        Command::Man(args) => manual::man(lang, &args.command),
    }
}

/// Puts back any record file an append killed half-way left behind, removes what a killed
/// import into a file with no rows had written beside it, and says so.
fn recover(dir: &Path, lang: Lang) -> Result<()> {
    let restored = crate::records::journal::recover(dir).with_context(|| {
        crate::messages::doing(
            lang,
            crate::messages::Doing::Writing,
            dir.join("records").display(),
        )
    })?;
    for r in restored {
        use crate::records::journal::Restored;
        let said = match r {
            Restored::CutBack {
                file,
                length,
                removed,
            } => crate::messages::Safety::Restored {
                file,
                length,
                removed,
            },
            Restored::Discarded { file, bytes } => {
                crate::messages::Safety::Discarded { file, bytes }
            }
        };
        eprintln!("kehoach: {}", said.render(lang));
    }
    Ok(())
}

/// `-C DIR`, else `$KEHOACH_DIR`, else the nearest folder upwards holding plan.toml.
fn find_dir(flag: Option<PathBuf>, lang: Lang) -> Result<PathBuf> {
    let explicit = flag.or_else(|| std::env::var_os("KEHOACH_DIR").map(PathBuf::from));
    if let Some(dir) = explicit {
        if !dir.join(PLAN_FILE).is_file() {
            bail!(
                "{}",
                Msg::NoPlanIn {
                    dir: dir.display().to_string()
                }
                .render(lang)
            );
        }
        return Ok(dir);
    }
    let cwd = std::env::current_dir().context(Msg::ReadingCurrentDir.render(lang))?;
    let mut here: &Path = &cwd;
    loop {
        if here.join(PLAN_FILE).is_file() {
            return Ok(here.to_path_buf());
        }
        match here.parent() {
            Some(parent) => here = parent,
            None => bail!(
                "{}",
                Msg::NoPlanFound {
                    cwd: cwd.display().to_string()
                }
                .render(lang)
            ),
        }
    }
}

/// Prints the data errors of a folder to stderr (used when a command cannot go on) as `check`
/// prints them: at most [`crate::findings::SHOWN_PER_CODE`] of one code in one file, the rest
/// counted (a file whose every row is wrong has a million), without colours.
fn print_errors(ctx: &Ctx, folder: &crate::folder::Folder) -> Result<()> {
    use crate::findings::{self, Severity};
    let order = findings::output_order(&folder.findings);
    let errors =
        (order.iter().map(|&i| &folder.findings[i])).filter(|f| f.severity() == Severity::Error);
    let shown = findings::bounded(errors, findings::SHOWN_PER_CODE, &[]);
    let plain = style::Style { on: false };
    let mut err = std::io::stderr().lock();
    std::io::Write::write_all(&mut err, &check::finding_lines(ctx.lang, plain, &shown))?;
    Ok(())
}
