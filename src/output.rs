//! Where a command's output goes (`-o FILE`), and writing it there whole or not at all.
//!
//! `-o -` and no `-o` are standard output. A file is checked before any work is done: never the
//! folder's own data (plan.toml, anything under `records/` or `templates/`, the template in use),
//! never something other than a plain file (a directory, a symlink, a device, a FIFO), never a
//! read-only file. It is then written to a temporary file created exclusively, with an
//! unpredictable name, in the target's own directory; synced; given the permissions of the file
//! it replaces; and renamed over it. A crash or a full disk leaves the old file as it was.

use std::fs::Permissions;
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};

use anyhow::{Context as _, Result, anyhow};

use crate::files::folder_of;
use crate::messages::{Doing, Lang, Safety, doing};
use crate::plan::PLAN_FILE;

/// Where the output goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Stdout,
    File(PathBuf),
}

/// Resolves `-o` against the plan folder `dir` and the template in use; refuses (an error, exit
/// 2) any target that would overwrite the folder's data or is not a plain, writable file.
pub fn target(
    lang: Lang,
    dir: &Path,
    output: Option<&Path>,
    template: Option<&Path>,
) -> Result<Target> {
    let Some(path) = output else {
        return Ok(Target::Stdout);
    };
    if path.as_os_str() == "-" {
        return Ok(Target::Stdout);
    }
    let shown = path.display().to_string();
    if let Some(what) = folder_data(dir, path, template) {
        return Err(anyhow!(
            "{}",
            Safety::OutputIsData { path: shown, what }.render(lang)
        ));
    }
    match std::fs::symlink_metadata(path) {
        Ok(meta) if !meta.file_type().is_file() => Err(anyhow!(
            "{}",
            Safety::OutputNotRegular {
                path: shown,
                what: crate::files::type_name(&meta.file_type()),
            }
            .render(lang)
        )),
        Ok(meta) if meta.permissions().readonly() => Err(anyhow!(
            "{}",
            Safety::OutputReadOnly { path: shown }.render(lang)
        )),
        Ok(_) => Ok(Target::File(path.to_path_buf())),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Target::File(path.to_path_buf())),
        Err(e) => Err(e).with_context(|| doing(lang, Doing::Writing, &shown)),
    }
}

/// What of the folder's own data `path` would overwrite, if any: "plan", "records",
/// "templates" or "template".
fn folder_data(dir: &Path, path: &Path, template: Option<&Path>) -> Option<&'static str> {
    let target = resolve(path);
    let folder = resolve(dir);
    if let Some(template) = template
        && resolve(template) == target
    {
        return Some("template");
    }
    let rel = target.strip_prefix(&folder).ok()?;
    let mut parts = rel.components();
    match parts.next() {
        Some(Component::Normal(first)) if first == PLAN_FILE && parts.next().is_none() => {
            Some("plan")
        }
        Some(Component::Normal(first)) if first == "records" => Some("records"),
        Some(Component::Normal(first)) if first == "templates" => Some("templates"),
        _ => None,
    }
}

/// The absolute path `path` stands for, symlinks resolved: the whole path when it exists,
/// else its nearest existing ancestor resolved and the rest appended as written.
pub fn resolve(path: &Path) -> PathBuf {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    if let Ok(real) = absolute.canonicalize() {
        return real;
    }
    let mut rest = Vec::new();
    let mut here = absolute.as_path();
    loop {
        match (here.parent(), here.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                here = parent;
                if let Ok(mut real) = here.canonicalize() {
                    for name in rest.iter().rev() {
                        real.push(name);
                    }
                    return real;
                }
            }
            _ => return absolute,
        }
    }
}

/// Writes to the target: standard output as it comes, a file whole or not at all.
pub fn write_with(
    lang: Lang,
    target: &Target,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<()> {
    match target {
        Target::Stdout => {
            let mut out = io::stdout().lock();
            write(&mut out)?;
            out.flush()?;
            Ok(())
        }
        Target::File(path) => {
            write_file(path, write).with_context(|| doing(lang, Doing::Writing, path.display()))
        }
    }
}

/// [`write_with`] for bytes already made.
pub fn write_bytes(lang: Lang, target: &Target, bytes: &[u8]) -> Result<()> {
    write_with(lang, target, |w| w.write_all(bytes))
}

/// A temporary file beside `path` (created exclusively, unpredictable name, removed if anything
/// fails), synced, given the permissions of the file it replaces, renamed over it.
fn write_file(path: &Path, write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = folder_of(path);
    let keep = match std::fs::symlink_metadata(path) {
        Ok(meta) => Some(meta.permissions()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(e),
    };
    // 0666 less the umask, as for any file the user creates; the old file's mode if it exists.
    let tmp = tempfile::Builder::new()
        .prefix(".kehoach-")
        .suffix(".tmp")
        .permissions(Permissions::from_mode(0o666))
        .tempfile_in(dir)?;
    {
        let mut w = io::BufWriter::with_capacity(1 << 16, tmp.as_file());
        write(&mut w)?;
        w.flush()?;
    }
    if let Some(permissions) = keep {
        tmp.as_file().set_permissions(permissions)?;
    }
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    // The rename itself to disk: sync the directory.
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(PLAN_FILE), "").unwrap();
        std::fs::create_dir_all(dir.path().join("records")).unwrap();
        dir
    }

    #[test]
    fn the_folder_data_is_refused_however_it_is_spelled() {
        let dir = folder();
        let d = dir.path();
        let refused = |p: PathBuf, template: Option<&Path>| {
            target(Lang::En, d, Some(&p), template).expect_err(&p.display().to_string())
        };
        refused(d.join("plan.toml"), None);
        refused(d.join("records/../plan.toml"), None);
        refused(d.join("records/activities.csv"), None);
        refused(d.join("records/new/x.csv"), None);
        refused(d.join("templates/quarter.md"), None);
        let template = d.join("mine.md");
        std::fs::write(&template, "x").unwrap();
        refused(d.join("./mine.md"), Some(&template));
        assert_eq!(
            target(Lang::En, d, Some(&d.join("report.md")), None).unwrap(),
            Target::File(d.join("report.md"))
        );
        assert_eq!(
            target(Lang::En, d, Some(Path::new("-")), None).unwrap(),
            Target::Stdout
        );
        assert_eq!(target(Lang::En, d, None, None).unwrap(), Target::Stdout);
    }

    #[test]
    fn a_symlink_into_the_folder_is_refused() {
        let dir = folder();
        let other = tempfile::tempdir().unwrap();
        let link = other.path().join("out");
        std::os::unix::fs::symlink(dir.path().join("records"), &link).unwrap();
        let err = target(Lang::En, dir.path(), Some(&link.join("a.csv")), None).unwrap_err();
        assert!(err.to_string().contains("records"), "{err}");
    }

    #[test]
    fn a_file_is_replaced_whole_keeping_its_mode() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.md");
        std::fs::write(&path, "old").unwrap();
        std::fs::set_permissions(&path, Permissions::from_mode(0o640)).unwrap();
        write_bytes(Lang::En, &Target::File(path.clone()), b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
        // A failed write leaves the old file and no temporary file.
        let err = write_with(Lang::En, &Target::File(path.clone()), |w| {
            w.write_all(b"half")?;
            Err(io::Error::other("disk full"))
        });
        assert!(err.is_err());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
