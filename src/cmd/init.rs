//! `kehoach init DIR`: a new plan folder, ready for git.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context as _, Result, bail};

use crate::cli::InitArgs;
use crate::messages::{Doing, Lang, Msg, doing};
use crate::records::Kind;

/// The skeleton plan: valid as it is, commented for the one who fills it in.
const PLAN: &str = include_str!("../../docs/skeleton/plan.toml");

/// Record files merge line by line across branches (two clerks appending on two machines), and
/// keep LF line ends whatever the platform, so that diffs stay readable.
const GITATTRIBUTES: &str = "\
# kehoach plan folder
# Record files only ever grow by whole lines: let git merge rows appended on two branches.
records/*.csv merge=union
records/**/*.csv merge=union
# Stable line ends for text; reports in Word format are binary.
*.csv text eol=lf
*.toml text eol=lf
*.md text eol=lf
*.docx binary
";

/// What kehoach leaves in the folder only while it writes, never data to commit: the undo
/// journal and the lock holder's name of an append (`records/.<kind>.csv.journal`,
/// `records/.<kind>.csv.holder`, see `records/journal.rs`), and the temporary file an output
/// is written to before it is renamed over its target (`.kehoach-XXXXXX.tmp`, `output.rs`), as
/// is an import into a record file with no rows (`records/.kehoach-<kind>.csv-XXXXXX.tmp`,
/// `records/append.rs`).
const GITIGNORE: &str = "\
# kehoach plan folder: files that exist only while kehoach writes, never to commit.
# The undo journal of an append, and who holds a record file's lock:
records/.*.journal
records/.*.holder
# An output (-o), or an import into a record file with no rows, being written
# before it takes its name:
.kehoach-*.tmp
";

pub fn run(lang: Lang, args: &InitArgs) -> Result<ExitCode> {
    let dir = &args.dir;
    if dir.join("plan.toml").exists() {
        bail!(
            "{}",
            Msg::InitPlanExists {
                dir: dir.display().to_string()
            }
            .render(lang)
        );
    }
    std::fs::create_dir_all(dir.join("records"))
        .with_context(|| doing(lang, Doing::Creating, dir.display()))?;
    create_new(lang, &dir.join("plan.toml"), PLAN)?;
    for kind in Kind::ALL {
        // With the change columns: new records get ids, and changes go in the same file.
        let header = crate::records::append::names(kind);
        let path = dir.join("records").join(format!("{}.csv", kind.name()));
        if !path.exists() {
            create_new(lang, &path, &format!("{}\n", header.join(",")))?;
        }
    }
    let attributes = dir.join(".gitattributes");
    if !attributes.exists() {
        create_new(lang, &attributes, GITATTRIBUTES)?;
    }
    let ignore = dir.join(".gitignore");
    if !ignore.exists() {
        create_new(lang, &ignore, GITIGNORE)?;
    }
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "{}",
        Msg::InitDone {
            dir: dir.display().to_string()
        }
        .render(lang)
    )?;
    Ok(ExitCode::SUCCESS)
}

fn create_new(lang: Lang, path: &Path, text: &str) -> Result<()> {
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .with_context(|| doing(lang, Doing::Creating, path.display()))?;
    file.write_all(text.as_bytes())?;
    file.sync_all()?;
    Ok(())
}
