//! What the counter types, made exact before a row is written: the next one-stop code of the
//! day, a dossier named by the tail of its code, officers and procedures named loosely
//! ([`crate::lookup`]). Something that fits two things is refused with the candidates listed;
//! something that fits nothing is left as typed, for the shared check to name.

use anyhow::{Result, bail};

use super::Ctx;
use crate::cli::{AddArgs, AddKind};
use crate::lookup::{self, Found};
use crate::messages::{Lang, Say};
use crate::plan::Plan;
use crate::records::Records;

/// The refusal of an input that fits several things.
fn ambiguous(lang: Lang, typed: &str, candidates: Vec<(String, String)>) -> String {
    Say::Ambiguous {
        typed: typed.to_string(),
        candidates,
    }
    .render(lang)
}

/// A required option left out (where clap cannot require it, since a terminal may ask).
pub fn missing(lang: Lang, option: &str) -> String {
    Say::Missing {
        option: option.to_string(),
    }
    .render(lang)
}

/// An officer's id from what was typed; typed text that names no officer stays as it is.
pub fn officer(plan: &Plan, lang: Lang, typed: &str) -> Result<String, String> {
    match lookup::officer(plan, typed) {
        Found::One(id) => Ok(id),
        Found::Many(c) => Err(ambiguous(lang, typed, c)),
        Found::None => Ok(typed.to_string()),
    }
}

/// A list of officers ("ct; giang"), each resolved.
pub fn officers(plan: &Plan, lang: Lang, typed: &str) -> Result<String, String> {
    let ids = typed
        .split([';', ','])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| officer(plan, lang, s))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(ids.join(";"))
}

/// A procedure's id from what was typed.
pub fn procedure(plan: &Plan, lang: Lang, typed: &str) -> Result<String, String> {
    match lookup::procedure(plan, typed) {
        Found::One(id) => Ok(id),
        Found::Many(c) => Err(ambiguous(lang, typed, c)),
        Found::None => Ok(typed.to_string()),
    }
}

/// The code of a dossier already in the records, from its whole code or its tail; `None`
/// when nothing fits.
pub fn known_dossier(
    records: &Records,
    lang: Lang,
    typed: &str,
    as_of: chrono::NaiveDate,
) -> Result<Option<String>, String> {
    // A whole code, as typed or pasted, is found at once (it is the one answer a search of
    // every code would give).
    if records.dossiers.get(typed.trim()).is_some() {
        return Ok(Some(typed.trim().to_string()));
    }
    match lookup::dossier(records.dossiers.iter().map(|d| d.id()), typed, as_of) {
        Found::One(id) => Ok(Some(id)),
        Found::Many(c) => Err(ambiguous(lang, typed, c)),
        Found::None => Ok(None),
    }
}

/// The code of a dossier being opened: the one typed, else the next of its day of reception
/// under the plan's `unit_code` (or the unit code most of the folder's dossiers carry).
pub fn new_dossier_id(
    plan: &Plan,
    records: &Records,
    lang: Lang,
    typed: Option<&str>,
    received: &str,
) -> Result<String, String> {
    if let Some(id) = typed.map(str::trim).filter(|s| !s.is_empty()) {
        return Ok(id.to_string());
    }
    let Some(day) = crate::entry::date(received).and_then(|d| crate::dates::parse(&d)) else {
        return Err(Say::NoDayForCode {
            received: received.to_string(),
        }
        .render(lang));
    };
    // The ids read as they are made again, never all held (a province has a million).
    let ids = || records.dossiers.iter().map(|d| d.id());
    let unit = plan
        .plan
        .unit_code
        .clone()
        .or_else(|| lookup::unit_code_of(ids()))
        .ok_or_else(|| Say::NoUnitCode.render(lang))?;
    Ok(lookup::next_dossier_id(&unit, day, ids()))
}

/// `add KIND`: officers and procedures named loosely become their ids before the row is made.
pub fn resolve_add(ctx: &Ctx, args: &mut AddArgs) -> Result<()> {
    let Some(plan) = Plan::load(&ctx.dir).ok().and_then(|(_, l)| l.plan) else {
        return Ok(());
    };
    let lang = ctx.lang;
    let fix = |slot: &mut Option<String>,
               f: fn(&Plan, Lang, &str) -> Result<String, String>|
     -> Result<()> {
        if let Some(typed) = slot.as_deref() {
            match f(&plan, lang, typed) {
                Ok(id) => *slot = Some(id),
                Err(message) => bail!("{message}"),
            }
        }
        Ok(())
    };
    match &mut args.what {
        AddKind::Activity(r) => fix(&mut r.officers, officers)?,
        AddKind::Dossier(r) => {
            fix(&mut r.officer, officer)?;
            fix(&mut r.procedure, procedure)?;
        }
        AddKind::Violation(r) => fix(&mut r.officer, officer)?,
        AddKind::Commendation(r) => {
            // A collective's name stays as written: only a name that fits one officer is one.
            if let Some(typed) = r.recipient.as_deref()
                && let Found::One(id) = lookup::officer(&plan, typed)
            {
                r.recipient = Some(id);
            }
        }
        AddKind::Feedback(r) => fix(&mut r.officer, officer)?,
        AddKind::Commitment(r) => fix(&mut r.officer, officer)?,
        AddKind::Rating(r) => fix(&mut r.officer, officer)?,
        AddKind::Lapse(r) => fix(&mut r.officer, officer)?,
    }
    Ok(())
}
