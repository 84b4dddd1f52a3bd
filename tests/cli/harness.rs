//! The one way tests run the binary: a temporary copy of a fixture folder, a clean
//! environment, a fixed language and a fixed `--as-of` unless a test gives its own.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const BIN: &str = env!("CARGO_BIN_EXE_kehoach");

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub struct Env {
    pub dir: tempfile::TempDir,
}

impl Env {
    /// A temporary copy of `tests/fixtures/<name>`.
    pub fn fixture(name: &str) -> Env {
        let dir = tempfile::tempdir().expect("tempdir");
        copy_dir(&fixtures().join(name), dir.path());
        Env { dir }
    }

    /// A temporary copy of the repository's own plan folder (plan.toml and records/).
    pub fn shipped() -> Env {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::copy(repo_root().join("plan.toml"), dir.path().join("plan.toml")).unwrap();
        copy_dir(&repo_root().join("records"), &dir.path().join("records"));
        Env { dir }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) -> &Env {
        let path = self.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
        self
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path().join(rel)).unwrap()
    }

    /// A command for the binary in this folder, with a clean environment.
    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(BIN);
        cmd.current_dir(self.path()).env_clear().args(args);
        if let Some(path) = std::env::var_os("PATH") {
            cmd.env("PATH", path);
        }
        cmd
    }

    /// Runs the binary in English with a fixed as-of date (unless args give one).
    pub fn run(&self, args: &[&str]) -> Output {
        let mut all: Vec<&str> = vec!["--lang", "en"];
        if !args.contains(&"--as-of") && !args.contains(&"--lang") {
            all.extend(["--as-of", "2021-12-31"]);
        }
        all.extend(args);
        let out = self.cmd(&all).output().expect("run kehoach");
        assert_ne!(
            out.status.code(),
            Some(101),
            "kehoach panicked: {}",
            stderr(&out)
        );
        out
    }
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("stdout is UTF-8")
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

pub fn code(out: &Output) -> i32 {
    out.status.code().expect("exit code")
}

pub fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", stdout(out)))
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}
