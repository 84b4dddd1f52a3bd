//! A plan folder, loaded: the plan, the records, and every data problem found on the way.

use std::path::Path;

use anyhow::{Context as _, Result};

use crate::findings::{Finding, Severity};
use crate::messages::{Doing, Lang, doing};
use crate::plan::{PLAN_FILE, Plan};
use crate::records::Records;
use crate::records::read::LoadOptions;

pub struct Folder {
    /// The text of plan.toml, for turning plan spans into lines.
    pub plan_source: String,
    /// `None` when plan.toml could not be read as a plan (its errors are in `findings`).
    pub plan: Option<Plan>,
    pub records: Records,
    /// Data errors of the plan and the records (work findings come from [`crate::check`]).
    pub findings: Vec<Finding>,
}

impl Folder {
    /// Loads the plan and, when it could be read, every record file. Only I/O fails (said in
    /// `lang`).
    pub fn load(dir: &Path, lang: Lang) -> Result<Folder> {
        Folder::load_inner(dir, lang, None, LoadOptions::default())
    }

    /// [`Folder::load`], the records read as `options` say (they change how fast, never what).
    pub fn load_with(dir: &Path, lang: Lang, options: LoadOptions<'_>) -> Result<Folder> {
        Folder::load_inner(dir, lang, None, options)
    }

    /// [`Folder::load`] as the folder would be with `extra` appended to the file it names
    /// (see [`crate::records::read::Extra`]): what an appending command checks before writing.
    pub fn load_extra(
        dir: &Path,
        lang: Lang,
        extra: crate::records::read::Extra<'_>,
    ) -> Result<Folder> {
        Folder::load_inner(dir, lang, Some(extra), LoadOptions::default())
    }

    fn load_inner(
        dir: &Path,
        lang: Lang,
        extra: Option<crate::records::read::Extra<'_>>,
        options: LoadOptions<'_>,
    ) -> Result<Folder> {
        check_readable(dir, lang)?;
        let (plan_source, loaded) = Plan::load(dir)
            .with_context(|| doing(lang, Doing::Reading, dir.join(PLAN_FILE).display()))?;
        let mut findings = loaded.findings;
        let Some(plan) = loaded.plan else {
            return Ok(Folder {
                plan_source,
                plan: None,
                records: Records::default(),
                findings,
            });
        };
        let read = match extra {
            Some(extra) => crate::records::read::load_extra(dir, &plan, extra),
            None => crate::records::read::load_with(dir, &plan, options),
        }
        .with_context(|| doing(lang, Doing::Reading, dir.join("records").display()))?;
        findings.extend(read.findings);
        Ok(Folder {
            plan_source,
            plan: Some(plan),
            records: read.records,
            findings,
        })
    }

    pub fn errors(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity() == Severity::Error)
            .count()
    }
}

/// An error, said in `lang`, when the folder holds a file kehoach would read but may not: only
/// plain files of the folder are read, never through a link out of it, never a FIFO (reading
/// it would hang), a device or a directory.
pub fn check_readable(dir: &Path, lang: Lang) -> Result<()> {
    if let Some((path, refused)) = crate::files::check_folder(dir)
        .with_context(|| doing(lang, Doing::Reading, dir.display()))?
    {
        anyhow::bail!("{}", refusal(path, refused).render(lang));
    }
    Ok(())
}

/// A file kehoach will not read, said.
pub fn refusal(path: String, refused: crate::files::Refused) -> crate::messages::Safety {
    use crate::messages::Safety;
    match refused {
        crate::files::Refused::NotPlain(what) => Safety::NotRegular { path, what },
        crate::files::Refused::Outside(target) => Safety::Outside {
            path,
            target: target.display().to_string(),
        },
    }
}
