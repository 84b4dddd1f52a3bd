//! `kehoach rollup`: one consolidated report from many communes' reports (docs/rollup.md).
//!
//! A member is a commune's plan folder (its report is made here, as `report … --format json`
//! makes it, but never with its templates) or the JSON report context a commune sent. Either
//! way the member is read as that JSON shape ([`figures::MemberReport`]), so a folder and the
//! report made from it consolidate the same. Members are read in parallel; a member that is
//! missing, unreadable, of another period or scheme, or whose data has errors is left out of
//! the sums and listed by name with the reason, never dropped silently.

pub mod config;
pub mod figures;
pub mod xlsx;

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Serialize;

use crate::folder::Folder;
use crate::messages::rollup::Reason;
use crate::period::{Period, Size};
use crate::report::context::{self, Document, ReportKind, Signer};
use crate::scheme::Scheme;
use figures::{Counts, CountsOut, Duties, KindCount, MemberReport};

/// One place to read a commune from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// The commune's name when rollup.toml gives it (`[[communes]]`).
    pub name: Option<String>,
    /// As given (on the command line or in rollup.toml), for messages.
    pub label: String,
    pub path: PathBuf,
}

/// What a rollup is of, and how its members are judged.
#[derive(Debug, Clone)]
pub struct Request {
    pub period: Period,
    pub as_of: NaiveDate,
    /// Consolidate members whose data has errors too (they are still named).
    pub allow_errors: bool,
    /// The language of the errors of a member that cannot be read.
    pub lang: crate::messages::Lang,
}

impl Request {
    pub fn judged_at(&self) -> NaiveDate {
        context::judged_at(&self.period, self.as_of)
    }

    fn kind(&self) -> ReportKind {
        match self.period.size {
            Size::Quarter => ReportKind::Quarter,
            Size::Half => ReportKind::Half,
            _ => ReportKind::Year,
        }
    }
}

/// A member read: its report context, or why it is left out; and its authority when known
/// (a member left out is named by it).
#[derive(Debug)]
pub struct Read {
    pub authority: Option<String>,
    pub result: Result<MemberReport, Reason>,
}

/// Reads one member.
pub fn read_member(source: &Source, req: &Request) -> Read {
    let mut authority = None;
    let result = read_report(source, req, &mut authority).and_then(|report| {
        authority = Some(report.document.authority.clone());
        judge(report, req)
    });
    Read { authority, result }
}

fn read_report(
    source: &Source,
    req: &Request,
    authority: &mut Option<String>,
) -> Result<MemberReport, Reason> {
    let path = &source.path;
    if !path.exists() {
        return Err(Reason::Missing);
    }
    Ok(if path.is_dir() {
        report_of_folder(path, req, authority)?
    } else {
        let bytes = std::fs::read(path).map_err(|e| Reason::Unreadable(e.to_string()))?;
        serde_json::from_slice::<MemberReport>(&bytes).map_err(|e| {
            Reason::Unreadable(
                format!("{}:{}: {e}", e.line(), e.column())
                    .replace(&format!(" at line {} column {}", e.line(), e.column()), ""),
            )
        })?
    })
}

/// The checks a member's report must pass to be added up.
fn judge(report: MemberReport, req: &Request) -> Result<MemberReport, Reason> {
    if !matches!(report.kind.as_str(), "quarter" | "half" | "year") {
        return Err(Reason::OtherKind(report.kind));
    }
    if report.period.scheme != req.period.scheme {
        return Err(Reason::OtherScheme(report.period.scheme));
    }
    if report.period.code != req.period.code()
        || report.period.start != req.period.start
        || report.period.end != req.period.end
    {
        return Err(Reason::OtherPeriod(report.period.code));
    }
    if report.generated.judged_at != req.judged_at() {
        return Err(Reason::OtherDate(report.generated.judged_at));
    }
    if report.generated.data_errors > 0 && !req.allow_errors {
        return Err(Reason::DataErrors(report.generated.data_errors));
    }
    Ok(report)
}

/// A commune folder's report context, made as `report … --format json` makes it (without the
/// work findings, which a rollup does not add up), read back as a [`MemberReport`].
fn report_of_folder(
    dir: &Path,
    req: &Request,
    authority: &mut Option<String>,
) -> Result<MemberReport, Reason> {
    if !dir.join(crate::plan::PLAN_FILE).is_file() {
        return Err(Reason::NoPlan);
    }
    let folder = Folder::load(dir, req.lang).map_err(|e| Reason::Unreadable(format!("{e:#}")))?;
    let errors = folder.errors() as u64;
    let Some(plan) = &folder.plan else {
        return Err(Reason::DataErrors(errors));
    };
    *authority = Some(plan.plan.authority.clone());
    if plan.reporting.periods != req.period.scheme {
        return Err(Reason::OtherScheme(plan.reporting.periods));
    }
    if plan.plan.year != req.period.year {
        return Err(Reason::OtherYear(plan.plan.year));
    }
    if errors > 0 && !req.allow_errors {
        return Err(Reason::DataErrors(errors));
    }
    let request = context::Request {
        kind: req.kind(),
        period: req.period,
        as_of: req.as_of,
        data_errors: errors as usize,
        number: None,
    };
    let counts = context::count_dossier_sums(plan, &folder.records.dossiers, &request);
    let mut report = context::build(
        plan,
        &folder.records,
        counts,
        &[],
        context::LapseTally::new(&request),
        &request,
    );
    // What a rollup does not add up is not written out only to be skipped: the activities one
    // by one (the breakdowns by procedure and officer were not counted).
    for task in &mut report.tasks {
        task.activities.list.clear();
    }
    // Through JSON text, which the reader skips through quickly where it reads nothing.
    let json = serde_json::to_vec(&report).map_err(|e| Reason::Unreadable(e.to_string()))?;
    serde_json::from_slice(&json).map_err(|e| Reason::Unreadable(e.to_string()))
}

/// Reads every member on all cores (one thread per core, each taking the next member when
/// done with one: folders of very different sizes are so shared evenly), in the sources' order.
pub fn read_members(sources: &[Source], req: &Request) -> Vec<Read> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    crate::par::in_turn(sources, cores, |s| read_member(s, req))
}

/// The consolidated report: what `rollup --format json` prints and its templates read
/// (documented field by field in docs/rollup.md).
#[derive(Debug, Clone, Serialize)]
pub struct RollupContext {
    /// Always `rollup`.
    pub kind: &'static str,
    pub generated: Generated,
    pub document: Document,
    /// What the document consolidates, in a sentence (`plan.citation`, as in the reports).
    pub plan: Citation,
    pub period: PeriodInfo,
    pub communes: CommuneCounts,
    pub dossiers: DossiersOut,
    pub violations: ViolationsOut,
    pub commendations: CommendationsOut,
    pub feedback: FeedbackOut,
    pub duties: Duties,
    /// One row per commune consolidated, ranked by on-time rate.
    pub members: Vec<MemberRow>,
    /// The communes left out of the sums, by name, with the reason.
    pub left_out: Vec<LeftOutRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Generated {
    pub as_of: NaiveDate,
    pub judged_at: NaiveDate,
    pub provisional: bool,
    pub data_errors: u64,
    pub tool: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Citation {
    pub citation: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct PeriodInfo {
    pub code: String,
    pub label: String,
    pub short_label: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub scheme: Scheme,
    pub size: Size,
}

#[derive(Debug, Clone, Copy, Serialize)]
pub struct CommuneCounts {
    /// Members named: sources given, and communes of rollup.toml.
    pub sources: usize,
    pub consolidated: usize,
    pub left_out: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct DossiersOut {
    #[serde(flatten)]
    pub overall: CountsOut,
    pub by_field: Vec<KeyedOut>,
    /// The members' late reasons added up, most frequent first.
    pub late_reasons: Vec<figures::ReasonCount>,
}

#[derive(Debug, Clone, Serialize)]
pub struct KeyedOut {
    pub key: String,
    pub name: String,
    #[serde(flatten)]
    pub counts: CountsOut,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct ViolationsOut {
    pub total: u64,
    pub formal_discipline: u64,
    pub repeats: u64,
    pub pending: u64,
    pub by_action: Vec<KindCount>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct CommendationsOut {
    pub total: u64,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct FeedbackOut {
    pub total: u64,
    pub by_rating: Vec<KindCount>,
    pub unrated: u64,
    pub by_channel: Vec<KindCount>,
    pub handled: u64,
    pub unhandled: u64,
    pub satisfaction_rate: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MemberRow {
    /// 1 for the highest on-time rate.
    pub rank: usize,
    pub name: String,
    pub source: String,
    pub received: u64,
    pub total: u64,
    pub resolved: u64,
    pub on_time_rate: Option<f64>,
    pub overdue: u64,
    pub violations: u64,
    pub missed_duties: u64,
    pub data_errors: u64,
    pub provisional: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct LeftOutRow {
    pub name: String,
    pub source: String,
    pub reason: &'static str,
    pub reason_text: String,
    pub reason_text_en: String,
}

/// The consolidating body's document fields, from rollup.toml (placeholders where it is silent).
pub struct Body<'a> {
    pub config: &'a config::Config,
    pub number: Option<String>,
}

/// "Ủy ban nhân dân xã Sơn Hồng" → "Xã Sơn Hồng": a member's name from its authority.
pub fn commune_name(authority: &str) -> String {
    let rest = ["Ủy ban nhân dân ", "Uỷ ban nhân dân ", "UBND "]
        .iter()
        .find_map(|p| authority.strip_prefix(p))
        .unwrap_or(authority)
        .trim();
    let mut chars = rest.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => authority.to_string(),
    }
}

/// Adds up the members read, ranks them, and lists the ones left out.
pub fn consolidate(body: &Body, req: &Request, read: Vec<(Source, Read)>) -> RollupContext {
    let sources = read.len();
    let mut overall = Counts::default();
    let mut by_field: Vec<(String, String, Counts)> = Vec::new();
    let mut late_reasons = figures::Reasons::default();
    let mut violations = ViolationsOut::default();
    let mut commendations = CommendationsOut::default();
    let mut feedback = FeedbackOut::default();
    let mut duties = Duties::default();
    let mut members = Vec::new();
    let mut left_out = Vec::new();
    let mut data_errors = 0;
    let mut provisional = req.as_of <= req.period.end;
    // A commune is added up once: the first source naming it (by its name, folded) counts, a
    // later one is left out as a duplicate (its report sent twice, its folder and its JSON).
    let mut seen: Vec<(String, String)> = Vec::new();
    for (source, Read { authority, result }) in read {
        let result = result.and_then(|report| {
            let name = source
                .name
                .clone()
                .unwrap_or_else(|| commune_name(&report.document.authority));
            let key = crate::text::fold(&name);
            match seen.iter().find(|(k, _)| *k == key) {
                Some((_, first)) => Err(Reason::Duplicate(first.clone())),
                None => {
                    seen.push((key, source.label.clone()));
                    Ok(report)
                }
            }
        });
        let report = match result {
            Ok(report) => report,
            Err(reason) => {
                left_out.push(LeftOutRow {
                    name: source.name.clone().unwrap_or_else(|| {
                        authority.map_or_else(|| source.label.clone(), |a| commune_name(&a))
                    }),
                    source: source.label,
                    reason: reason.code(),
                    reason_text: reason.render(crate::messages::Lang::Vi),
                    reason_text_en: reason.render(crate::messages::Lang::En),
                });
                continue;
            }
        };
        let d = &report.dossiers.overall;
        overall.add(d);
        late_reasons.add(&report.dossiers.late_reasons);
        for f in &report.dossiers.by_field {
            match by_field.iter_mut().find(|(key, _, _)| *key == f.key) {
                Some((_, _, c)) => c.add(&f.counts),
                None => by_field.push((f.key.clone(), f.name.clone(), f.counts)),
            }
        }
        let v = &report.violations;
        violations.total += v.total;
        violations.formal_discipline += v.formal_discipline;
        violations.repeats += v.repeats;
        violations.pending += v.pending;
        figures::add_kinds(&mut violations.by_action, &v.by_action);
        commendations.total += report.commendations.total;
        let f = &report.feedback;
        feedback.total += f.total;
        feedback.unrated += f.unrated;
        feedback.handled += f.handled;
        feedback.unhandled += f.unhandled;
        figures::add_kinds(&mut feedback.by_rating, &f.by_rating);
        figures::add_kinds(&mut feedback.by_channel, &f.by_channel);
        let mine = report.duties();
        duties.met += mine.met;
        duties.missed += mine.missed;
        duties.waived += mine.waived;
        duties.open += mine.open;
        data_errors += report.generated.data_errors;
        provisional |= report.generated.provisional;
        members.push(MemberRow {
            rank: 0,
            name: source
                .name
                .clone()
                .unwrap_or_else(|| commune_name(&report.document.authority)),
            source: source.label,
            received: d.received,
            total: d.total,
            resolved: d.resolved.total,
            on_time_rate: d.on_time_rate(),
            overdue: d.overdue(),
            violations: v.total,
            missed_duties: mine.missed,
            data_errors: report.generated.data_errors,
            provisional: report.generated.provisional,
        });
    }
    // Highest on-time rate first; communes that resolved nothing last; then by name.
    members.sort_by_cached_key(|m| {
        (
            m.on_time_rate.is_none(),
            std::cmp::Reverse(m.on_time_rate.map(|r| (r * 100.0).round() as i64)),
            crate::text::fold(&m.name),
            m.source.clone(),
        )
    });
    for (i, m) in members.iter_mut().enumerate() {
        m.rank = i + 1;
    }
    violations
        .by_action
        .sort_by_key(|k| ACTIONS.iter().position(|a| *a == k.kind));
    let late_reasons = late_reasons.ranked();
    let rated: u64 = feedback.by_rating.iter().map(|k| k.count).sum();
    let satisfied: u64 = feedback
        .by_rating
        .iter()
        .filter(|k| k.kind != "dissatisfied")
        .map(|k| k.count)
        .sum();
    feedback.satisfaction_rate = crate::report::stats::percent(satisfied, rated);
    by_field.sort_by_cached_key(|(key, name, _)| (crate::text::fold(name), key.clone()));
    let judged_at = req.judged_at();
    let cfg = body.config;
    let placeholder = |s: &Option<String>, p: &str| s.clone().unwrap_or_else(|| p.to_string());
    let authority = placeholder(&cfg.authority, "(Tên cơ quan tổng hợp)");
    let place = placeholder(&cfg.place, "(Địa danh)");
    let label = req.period.label();
    let consolidated = members.len();
    RollupContext {
        kind: "rollup",
        generated: Generated {
            as_of: req.as_of,
            judged_at,
            provisional,
            data_errors,
            tool: format!("kehoach {}", env!("CARGO_PKG_VERSION")),
        },
        document: Document {
            number: body.number.clone(),
            symbol: placeholder(&cfg.symbol, "BC"),
            authority_upper: authority.to_uppercase(),
            authority,
            parent_authority: cfg.parent_authority.clone(),
            parent_authority_upper: cfg.parent_authority.as_ref().map(|p| p.to_uppercase()),
            place_date: format!("{place}, {}", crate::dates::document_date(judged_at)),
            place,
            date: judged_at,
            doc_type: "BÁO CÁO".into(),
            title: cfg.title.clone().unwrap_or_else(|| {
                format!(
                    "Tổng hợp kết quả thực hiện kỷ luật, kỷ cương hành chính và giải quyết thủ tục hành chính của cấp xã {}",
                    lower_first(&label)
                )
            }),
            addressees: cfg.addressees.clone(),
            recipients: if cfg.recipients.is_empty() {
                vec!["Lưu: VT".into()]
            } else {
                cfg.recipients.clone()
            },
            signer: match &cfg.signer {
                Some(s) => Signer {
                    authority_line: s.authority_line.clone(),
                    title: s.title.clone(),
                    name: s.name.clone(),
                },
                None => Signer {
                    authority_line: "(Quyền hạn ký)".into(),
                    title: "(Chức vụ người ký)".into(),
                    name: "(Họ và tên)".into(),
                },
            },
        },
        plan: Citation {
            citation: format!(
                "Tổng hợp báo cáo của {consolidated}/{sources} xã, phường {}",
                lower_first(&label)
            ),
        },
        period: PeriodInfo {
            code: req.period.code(),
            label,
            short_label: req.period.short_label(),
            start: req.period.start,
            end: req.period.end,
            scheme: req.period.scheme,
            size: req.period.size,
        },
        communes: CommuneCounts {
            sources,
            consolidated,
            left_out: left_out.len(),
        },
        dossiers: DossiersOut {
            overall: overall.into(),
            by_field: by_field
                .into_iter()
                .map(|(key, name, counts)| KeyedOut {
                    key,
                    name,
                    counts: counts.into(),
                })
                .collect(),
            late_reasons,
        },
        violations,
        commendations,
        feedback,
        duties,
        members,
        left_out,
    }
}

/// The forms of handling, mildest first (as the reports order them).
const ACTIONS: &[&str] = &[
    "reminder",
    "criticism",
    "reprimand",
    "warning",
    "salary-reduction",
    "demotion",
    "dismissal-from-post",
    "dismissal",
];

fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The sources of a rollup, from the command line and rollup.toml: folders and JSON files as
/// they are, rollup.toml files opened (their globs expanded, their communes named), each path
/// once. Returns the config read (the last rollup.toml given) and the sources.
pub fn sources(
    lang: crate::messages::Lang,
    args: &[PathBuf],
) -> anyhow::Result<(config::Config, Vec<Source>)> {
    let mut config = config::Config::default();
    let mut out: Vec<Source> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut push = |out: &mut Vec<Source>, source: Source| {
        let key = std::fs::canonicalize(&source.path).unwrap_or_else(|_| source.path.clone());
        if seen.insert(key) {
            out.push(source);
        }
    };
    for arg in args {
        let toml = if arg.is_dir() && !arg.join(crate::plan::PLAN_FILE).exists() {
            Some(arg.join(config::FILE)).filter(|p| p.is_file())
        } else if arg.extension().is_some_and(|e| e == "toml") {
            Some(arg.clone())
        } else {
            None
        };
        let Some(toml) = toml else {
            let label = arg.display().to_string();
            push(
                &mut out,
                Source {
                    name: None,
                    label,
                    path: arg.clone(),
                },
            );
            continue;
        };
        let cfg = config::Config::load(lang, &toml)?;
        let base = toml.parent().unwrap_or(Path::new("")).to_path_buf();
        for c in &cfg.communes {
            push(
                &mut out,
                Source {
                    name: Some(c.name.clone()),
                    label: c.source.clone(),
                    path: config::resolve(&base, &c.source),
                },
            );
        }
        for pattern in &cfg.sources {
            let full = config::resolve(&base, pattern);
            let text = full.to_string_lossy().into_owned();
            let matched: Vec<PathBuf> = match glob::glob(&text) {
                Ok(paths) => {
                    let mut v: Vec<PathBuf> = paths.filter_map(Result::ok).collect();
                    v.sort();
                    v
                }
                Err(e) => anyhow::bail!("{}: sources: {pattern}: {e}", toml.display()),
            };
            if matched.is_empty() {
                // A pattern that finds nothing is itself a missing member.
                push(
                    &mut out,
                    Source {
                        name: None,
                        label: pattern.clone(),
                        path: full,
                    },
                );
            }
            for path in matched {
                let label = path
                    .strip_prefix(&base)
                    .unwrap_or(&path)
                    .display()
                    .to_string();
                push(
                    &mut out,
                    Source {
                        name: None,
                        label,
                        path,
                    },
                );
            }
        }
        config = cfg;
    }
    Ok((config, out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_member_is_named_after_its_authority() {
        assert_eq!(commune_name("Ủy ban nhân dân xã Sơn Hồng"), "Xã Sơn Hồng");
        assert_eq!(commune_name("UBND phường Bắc Hà"), "Phường Bắc Hà");
        assert_eq!(commune_name("Thị trấn X"), "Thị trấn X");
    }
}
