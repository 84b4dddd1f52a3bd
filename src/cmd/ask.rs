//! Interactive entry at the counter: when standard input is a terminal and `add` (or
//! `dossier open`) lacks a required option, it asks for each one in turn, with completion from
//! the plan (Tab, or the arrows through the list) and the default in brackets, as hledger's
//! `add` does. Piped or scripted runs never ask: a missing option is the usual error.
//!
//! The prompts ([`inquire`]) write to standard error, so standard output stays the command's.

use std::io::IsTerminal as _;

use anyhow::{Result, bail};

use super::Ctx;
use crate::cli::{AddArgs, AddKind};
use crate::messages::{Lang, Say};
use crate::plan::Plan;
use crate::records::{ActivityKind, Channel};

/// What a prompt asks for: its label and where its suggestions come from.
pub use crate::messages::PromptField as Field;

/// Whether prompts may be shown: standard input is a terminal.
pub fn interactive() -> bool {
    std::io::stdin().is_terminal()
}

/// Asks for the required options of `add KIND` that are missing, when interactive.
pub fn fill_add(ctx: &Ctx, args: &mut AddArgs) -> Result<()> {
    if !interactive() {
        return Ok(());
    }
    let Some(plan) = plan(ctx) else { return Ok(()) };
    let ask = |slot: &mut Option<String>, field| fill(ctx.lang, &plan, slot, field, None);
    // Once something has to be asked, the date is asked first, the as-of date offered.
    let today = crate::dates::dmy(ctx.as_of);
    let date = |slot: &mut Option<String>| fill(ctx.lang, &plan, slot, Field::Date, Some(&today));
    let none = |slots: &[&Option<String>]| slots.iter().any(|s| s.is_none());
    match &mut args.what {
        AddKind::Activity(r) => {
            if none(&[&r.task, &r.kind, &r.summary]) {
                date(&mut r.date)?;
            }
            ask(&mut r.task, Field::Task)?;
            ask(&mut r.kind, Field::ActivityKind)?;
            ask(&mut r.summary, Field::Summary)?;
        }
        AddKind::Dossier(_) => {}
        AddKind::Violation(r) => {
            if none(&[&r.officer, &r.description]) {
                date(&mut r.date)?;
            }
            ask(&mut r.officer, Field::Officer)?;
            ask(&mut r.description, Field::Description)?;
        }
        AddKind::Commendation(r) => {
            if none(&[&r.recipient, &r.form]) {
                date(&mut r.date)?;
            }
            ask(&mut r.recipient, Field::Recipient)?;
            ask(&mut r.form, Field::Form)?;
        }
        AddKind::Feedback(r) => {
            if none(&[&r.channel]) {
                date(&mut r.date)?;
            }
            ask(&mut r.channel, Field::Channel)?;
        }
        AddKind::Commitment(r) => {
            if none(&[&r.officer, &r.task, &r.commitment]) {
                date(&mut r.date)?;
            }
            ask(&mut r.officer, Field::Officer)?;
            ask(&mut r.task, Field::Task)?;
            ask(&mut r.commitment, Field::Commitment)?;
        }
        AddKind::Lapse(r) => {
            if none(&[&r.report, &r.lapse]) {
                date(&mut r.date)?;
            }
        }
        AddKind::Rating(r) => {
            if none(&[&r.officer]) {
                date(&mut r.date)?;
            }
            ask(&mut r.officer, Field::Officer)?;
        }
    }
    Ok(())
}

/// Asks for `dossier open`'s procedure when it is missing, when interactive.
pub fn fill_dossier(ctx: &Ctx, args: &mut crate::cli::DossierArgs) -> Result<()> {
    if !interactive() {
        return Ok(());
    }
    if let crate::cli::DossierStep::Open { procedure, .. } = &mut args.step
        && let Some(plan) = plan(ctx)
    {
        fill(ctx.lang, &plan, procedure, Field::Procedure, None)?;
    }
    Ok(())
}

fn plan(ctx: &Ctx) -> Option<Plan> {
    Plan::load(&ctx.dir).ok()?.1.plan
}

/// Asks for one value if `slot` is empty and standard input is a terminal.
pub fn fill(
    lang: Lang,
    plan: &Plan,
    slot: &mut Option<String>,
    field: Field,
    default: Option<&str>,
) -> Result<()> {
    if slot.as_deref().is_some_and(|s| !s.trim().is_empty()) || !interactive() {
        return Ok(());
    }
    let choices = suggestions(lang, plan, field);
    let label = format!("{}:", Say::Prompt { field }.render(lang));
    let help = Say::PromptHelp.render(lang);
    let mut prompt = inquire::Text::new(&label).with_help_message(&help);
    if let Some(d) = default {
        prompt = prompt.with_default(d);
    }
    if !choices.is_empty() {
        prompt = prompt.with_autocomplete(Choices(choices.clone()));
    }
    let answer = match prompt.prompt() {
        Ok(answer) => answer,
        Err(
            inquire::InquireError::OperationCanceled | inquire::InquireError::OperationInterrupted,
        ) => bail!("{}", Say::Cancelled.render(lang)),
        Err(e) => bail!("{e}"),
    };
    // A suggestion "tp1 — Võ Thị Giang" stands for its id.
    let answer = match answer.split_once(SEP) {
        Some((id, _)) if choices.contains(&answer) => id.to_string(),
        _ => answer.trim().to_string(),
    };
    if !answer.is_empty() {
        *slot = Some(answer);
    }
    Ok(())
}

const SEP: &str = " — ";

/// The suggestions that hold what was typed (without diacritics); Tab takes the highlighted
/// one, else the first.
#[derive(Clone)]
struct Choices(Vec<String>);

impl Choices {
    fn matching(&self, input: &str) -> Vec<String> {
        let key = crate::text::fold(input);
        self.0
            .iter()
            .filter(|c| key.is_empty() || crate::text::fold(c).contains(&key))
            .cloned()
            .collect()
    }
}

impl inquire::Autocomplete for Choices {
    fn get_suggestions(&mut self, input: &str) -> Result<Vec<String>, inquire::CustomUserError> {
        Ok(self.matching(input))
    }

    fn get_completion(
        &mut self,
        input: &str,
        highlighted: Option<String>,
    ) -> Result<inquire::autocompletion::Replacement, inquire::CustomUserError> {
        Ok(highlighted.or_else(|| self.matching(input).into_iter().next()))
    }
}

/// The values offered for a field, as "id — name".
fn suggestions(lang: Lang, plan: &Plan, field: Field) -> Vec<String> {
    let pair = |id: &str, name: &str| format!("{id}{SEP}{name}");
    match field {
        Field::Task => plan
            .tasks
            .iter()
            .map(|t| pair(t.id.get_ref(), &t.title))
            .collect(),
        Field::Officer | Field::Recipient => plan
            .officers
            .iter()
            .map(|o| pair(o.id.get_ref(), &o.name))
            .collect(),
        Field::Procedure => plan
            .procedures
            .iter()
            .map(|p| pair(p.id.get_ref(), &p.name))
            .collect(),
        Field::ActivityKind => ActivityKind::ALL
            .iter()
            .map(|k| pair(k.code(), lang.pick(k.label(), k.label_en())))
            .collect(),
        Field::Channel => Channel::ALL
            .iter()
            .map(|k| pair(k.code(), lang.pick(k.label(), k.label_en())))
            .collect(),
        Field::Date | Field::Summary | Field::Description | Field::Form | Field::Commitment => {
            Vec::new()
        }
    }
}
