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
