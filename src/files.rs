//! Which files of a plan folder kehoach reads: plain files inside the folder, never a symlink
//! that leads out of it, a FIFO (reading it would hang), a device or a directory.

use std::fs::FileType;
use std::io;
use std::path::{Path, PathBuf};

/// A kind of file in one word, for messages: "directory", "symlink", "fifo", "device",
/// "socket", "file".
pub fn type_name(ty: &FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt as _;
    if ty.is_dir() {
        "directory"
    } else if ty.is_symlink() {
        "symlink"
    } else if ty.is_fifo() {
        "fifo"
    } else if ty.is_block_device() || ty.is_char_device() {
        "device"
    } else if ty.is_socket() {
        "socket"
    } else {
        "file"
    }
}

/// The bytes of the file at `path`, as [`std::fs::read`] gives them; a big file (an import of
/// a million rows) read in two halves at once, which takes about half as long when the file is
/// in the system's cache, as it is right after it was written or read.
pub fn read_whole(path: &Path) -> io::Result<Vec<u8>> {
    use std::io::Read as _;
    use std::os::unix::fs::FileExt as _;
    const BIG: u64 = 16 << 20;
    let mut file = std::fs::File::open(path)?;
    let length = file.metadata()?.len();
    let Ok(size) = usize::try_from(length) else {
        return Err(io::Error::from(io::ErrorKind::OutOfMemory));
    };
    if length < BIG {
        let mut bytes = Vec::with_capacity(size);
        file.read_to_end(&mut bytes)?;
        return Ok(bytes);
    }
    let mut bytes = vec![0; size];
    let (first, second) = bytes.split_at_mut(size / 2);
    let at = first.len() as u64;
    let (a, b) = crate::par::join(
        || file.read_exact_at(first, 0),
        || file.read_exact_at(second, at),
    );
    a?;
    b?;
    // What was added to the file meanwhile, as a plain read would have it too.
    let mut rest = Vec::new();
    std::io::Seek::seek(&mut file, std::io::SeekFrom::Start(length))?;
    file.read_to_end(&mut rest)?;
    bytes.extend_from_slice(&rest);
    Ok(bytes)
}

/// Why a file of the folder may not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    /// Not a plain file (after following a symlink inside the folder): the kind, as
    /// [`type_name`] says it.
    NotPlain(&'static str),
    /// A symlink whose target lies outside the folder.
    Outside(PathBuf),
}

/// Checks that `path` (inside the folder `dir`) is a plain file of the folder: `Ok(false)` when
/// it does not exist, `Ok(true)` when it may be read.
pub fn check(dir: &Path, path: &Path) -> io::Result<Result<bool, Refused>> {
    let meta = match std::fs::symlink_metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Ok(false)),
        Err(e) => return Err(e),
    };
    if meta.file_type().is_symlink() {
        let Ok(real) = path.canonicalize() else {
            // A dangling link: as good as absent, but say what it is.
            return Ok(Err(Refused::NotPlain("symlink")));
        };
        let folder = dir.canonicalize()?;
        if !real.starts_with(&folder) {
            return Ok(Err(Refused::Outside(real)));
        }
        let meta = std::fs::metadata(&real)?;
        if !meta.is_file() {
            return Ok(Err(Refused::NotPlain(type_name(&meta.file_type()))));
        }
        return Ok(Ok(true));
    }
    if !meta.is_file() {
        return Ok(Err(Refused::NotPlain(type_name(&meta.file_type()))));
    }
    Ok(Ok(true))
}

/// Checks a file given by the user (outside the folder is fine): it must be a plain file once
/// links are followed.
pub fn check_given(path: &Path) -> io::Result<Result<(), Refused>> {
    let meta = std::fs::metadata(path)?;
    if meta.is_file() {
        Ok(Ok(()))
    } else {
        Ok(Err(Refused::NotPlain(type_name(&meta.file_type()))))
    }
}

/// The first file of the plan folder `dir` that kehoach would read but may not: plan.toml, the
/// entries of `records/` (and of its kind folders) and of `templates/`. Hidden entries (the
/// journal of an append, editor files) are not read and not checked. The path is relative.
pub fn check_folder(dir: &Path) -> io::Result<Option<(String, Refused)>> {
    if let Err(refused) = check(dir, &dir.join("plan.toml"))? {
        return Ok(Some(("plan.toml".into(), refused)));
    }
    for (sub, depth) in [("records", 2), ("templates", 1)] {
        if let Some(found) = check_entries(dir, &dir.join(sub), sub, depth)? {
            return Ok(Some(found));
        }
    }
    Ok(None)
}

fn check_entries(
    dir: &Path,
    folder: &Path,
    rel: &str,
    depth: u32,
) -> io::Result<Option<(String, Refused)>> {
    let entries = match std::fs::read_dir(folder) {
        Ok(entries) => entries,
        Err(e)
            if matches!(
                e.kind(),
                io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
            ) =>
        {
            return Ok(None);
        }
        Err(e) => return Err(e),
    };
    let mut names: Vec<_> = entries
        .map(|e| e.map(|e| e.file_name()))
        .collect::<io::Result<_>>()?;
    names.sort();
    for name in names {
        let text = name.to_string_lossy();
        if text.starts_with('.') {
            continue;
        }
        let path = folder.join(&name);
        let shown = format!("{rel}/{text}");
        let meta = std::fs::symlink_metadata(&path)?;
        if meta.is_dir() {
            // A folder named like a file would be taken for one; a kind's folder of split
            // files is read one level down.
            let lower = text.to_ascii_lowercase();
            if [".csv", ".md", ".html", ".htm", ".xml"]
                .iter()
                .any(|ext| lower.ends_with(ext))
            {
                return Ok(Some((shown, Refused::NotPlain("directory"))));
            }
            if depth > 1
                && let Some(found) = check_entries(dir, &path, &shown, depth - 1)?
            {
                return Ok(Some(found));
            }
            continue;
        }
        if let Err(refused) = check(dir, &path)? {
            return Ok(Some((shown, refused)));
        }
    }
    Ok(None)
}

/// The folder a file at `path` goes into (`.` for a bare name).
pub fn folder_of(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

#[cfg(test)]
mod tests {
    /// A big file read in two halves is the file, byte for byte (its halves cut inside a
    /// character and a row); a small one too.
    #[test]
    fn a_file_read_in_halves_is_the_file() {
        let dir = tempfile::tempdir().unwrap();
        for size in [0, 10, (16 << 20) + 3] {
            let bytes: Vec<u8> = "Nguyễn Văn Hòa,2021-03-01\n"
                .bytes()
                .cycle()
                .take(size)
                .collect();
            let path = dir.path().join(format!("f{size}.csv"));
            std::fs::write(&path, &bytes).unwrap();
            assert!(super::read_whole(&path).unwrap() == bytes, "size {size}");
        }
    }
}
