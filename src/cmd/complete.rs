//! Dynamic shell completion (`source <(COMPLETE=bash kehoach)`): the shell asks the binary for
//! the values of an option as it is typed, so `--task`, `--officer(s)`, `--recipient`,
//! `--procedure` and a dossier's code complete from the plan folder of the current directory
//! (`$KEHOACH_DIR`, else the nearest plan.toml upwards): task ids, officer ids (also from a
//! name typed without diacritics: "gia" offers tp1, Võ Thị Giang), procedure ids, and the codes
//! of the dossiers still open (also from their tail: "0001").
//!
//! The completers are attached here, by argument name, to the command line `cli.rs` defines,
//! so the definition itself stays as it is. A folder that cannot be read completes nothing.

use std::ffi::OsStr;
use std::path::PathBuf;

use clap::Command;
use clap_complete::engine::{ArgValueCompleter, CompletionCandidate};

use crate::messages::Lang;
use crate::plan::Plan;

/// Handles a completion request, if this run is one (`COMPLETE` set by the shell's script),
/// and exits; otherwise returns at once.
pub fn handle(lang: Lang) {
    clap_complete::CompleteEnv::with_factory(move || command(lang)).complete();
}

/// The command line with value completers on the arguments that name plan or folder things.
pub fn command(lang: Lang) -> Command {
    attach(crate::cli::vi::command(lang), "")
}

fn attach(mut cmd: Command, path: &str) -> Command {
    let ids: Vec<String> = cmd
        .get_arguments()
        .map(|a| a.get_id().to_string())
        .collect();
    for id in ids {
        let completer = match id.as_str() {
            "task" => Some(ArgValueCompleter::new(tasks)),
            "officer" => Some(ArgValueCompleter::new(officers)),
            "officers" | "recipient" => Some(ArgValueCompleter::new(officer_list)),
            "procedure" => Some(ArgValueCompleter::new(procedures)),
            "id" if path.starts_with("dossier") || path == "add dossier" => {
                Some(ArgValueCompleter::new(open_dossiers))
            }
            _ => None,
        };
        if let Some(completer) = completer {
            cmd = cmd.mut_arg(&id, |a| a.add(completer));
        }
    }
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for name in names {
        let sub = if path.is_empty() {
            name.clone()
        } else {
            format!("{path} {name}")
        };
        cmd = cmd.mut_subcommand(&name, |s| attach(s, &sub));
    }
    cmd
}

/// The plan folder as the command would find it, without `-C` (a completer does not see the
/// other arguments).
fn folder() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("KEHOACH_DIR") {
        return Some(PathBuf::from(dir));
    }
    let cwd = std::env::current_dir().ok()?;
    cwd.ancestors()
        .find(|d| d.join(crate::plan::PLAN_FILE).is_file())
        .map(|d| d.to_path_buf())
}

fn plan() -> Option<Plan> {
    let (_, loaded) = Plan::load(&folder()?).ok()?;
    loaded.plan
}

/// The items whose id starts with `typed`; when none does, those with a word of the name
/// starting with it, without diacritics ("gia" → tp1, Võ Thị Giang).
fn candidates(typed: &OsStr, items: Vec<(String, String)>) -> Vec<CompletionCandidate> {
    let typed = typed.to_string_lossy();
    let by_id: Vec<&(String, String)> = items
        .iter()
        .filter(|(v, _)| v.starts_with(typed.as_ref()))
        .collect();
    let chosen = if by_id.is_empty() {
        let folded = crate::text::fold(&typed);
        items
            .iter()
            .filter(|(_, name)| {
                !folded.is_empty()
                    && (crate::text::fold(name).starts_with(&folded)
                        || crate::text::fold(name)
                            .split(' ')
                            .any(|w| w.starts_with(&folded)))
            })
            .collect()
    } else {
        by_id
    };
    chosen
        .into_iter()
        .map(|(value, name)| CompletionCandidate::new(value).help(Some(name.clone().into())))
        .collect()
}

fn tasks(typed: &OsStr) -> Vec<CompletionCandidate> {
    let Some(plan) = plan() else {
        return Vec::new();
    };
    let items = plan
        .tasks
        .iter()
        .map(|t| (t.id.get_ref().clone(), t.title.clone()))
        .collect();
    candidates(typed, items)
}

fn officer_items(plan: &Plan) -> Vec<(String, String)> {
    plan.officers
        .iter()
        .map(|o| (o.id.get_ref().clone(), o.name.clone()))
        .collect()
}

fn officers(typed: &OsStr) -> Vec<CompletionCandidate> {
    let Some(plan) = plan() else {
        return Vec::new();
    };
    candidates(typed, officer_items(&plan))
}

/// `--officers ct;tp` completes the last of the list.
fn officer_list(typed: &OsStr) -> Vec<CompletionCandidate> {
    let Some(plan) = plan() else {
        return Vec::new();
    };
    let typed = typed.to_string_lossy();
    let cut = typed.rfind([';', ',']).map_or(0, |i| i + 1);
    let (done, last) = typed.split_at(cut);
    candidates(OsStr::new(last), officer_items(&plan))
        .into_iter()
        .map(|c| c.add_prefix(done))
        .collect()
}

fn procedures(typed: &OsStr) -> Vec<CompletionCandidate> {
    let Some(plan) = plan() else {
        return Vec::new();
    };
    let items = plan
        .procedures
        .iter()
        .map(|p| (p.id.get_ref().clone(), p.name.clone()))
        .collect();
    candidates(typed, items)
}

/// The codes of the dossiers not ended yet (no return, withdrawal or stop), by prefix or by
/// tail.
fn open_dossiers(typed: &OsStr) -> Vec<CompletionCandidate> {
    let Some(dir) = folder() else {
        return Vec::new();
    };
    let Ok(folder) = crate::folder::Folder::load(&dir, Lang::default()) else {
        return Vec::new();
    };
    let typed = typed.to_string_lossy();
    let today = super::clock::today();
    folder
        .records
        .dossiers
        .iter()
        .filter(|d| crate::check::dossier_state(d, today) == crate::check::DossierState::Open)
        .map(|d| d.id().into_owned())
        .filter(|id| id.starts_with(typed.as_ref()) || id.ends_with(typed.as_ref()))
        .map(CompletionCandidate::new)
        .collect()
}
