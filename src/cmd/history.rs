//! `kehoach verify`, `kehoach log` and `kehoach hook`: the folder's history (git), read through
//! [`crate::history`].

use std::io::Write as _;
use std::process::ExitCode;

use anyhow::{Context as _, Result, bail};

use super::Ctx;
use crate::cli::{HookAction, HookArgs, LogArgs, VerifyArgs};
use crate::history::{Repo, blame, provenance};
use crate::messages::history::Say;
use crate::messages::{Doing, doing};
use crate::records::Kind;

/// `kehoach verify REPORT [--rev REV]`: 0 when the digest the report states is the digest of
/// the data now (or of the commit), 1 when it is not.
pub fn verify(ctx: &Ctx, args: &VerifyArgs) -> Result<ExitCode> {
    let lang = ctx.lang;
    // A plain file only (a FIFO would hang the read), as `import` takes its input.
    let reading = || doing(ctx.lang, Doing::Reading, args.report.display());
    if let Err(refused) = crate::files::check_given(&args.report).with_context(reading)? {
        let source = args.report.display().to_string();
        bail!("{}", crate::folder::refusal(source, refused).render(lang));
    }
    let bytes = crate::files::read_whole(&args.report).with_context(reading)?;
    let Some(stated) = provenance::digest_in_report(&bytes) else {
        bail!(
            "{}",
            Say::NoDigest {
                report: args.report.display().to_string()
            }
            .render(lang)
        );
    };
    // The digest as reports state it, then as reports made before the pieces did (see
    // `provenance`): the first that is the stated one, else the first.
    let schemes = [provenance::Scheme::Pieces, provenance::Scheme::Bytes];
    let (now, source) = match &args.rev {
        Some(rev) => {
            let repo = repo(ctx)?;
            let Some(commit) = repo.commit(rev)? else {
                bail!("{}", Say::UnknownRev { rev: rev.clone() }.render(lang));
            };
            // The files as stored, or as a checkout with CRLF line ends writes them (the
            // folder the report was made from may be such a checkout of the commit).
            let mut now = None;
            for crlf in [false, true] {
                let digests = provenance::digests_of_commit(&repo, commit.id, crlf, schemes)?;
                if let Some(same) = digests.iter().find(|d| **d == stated) {
                    now = Some(same.clone());
                    break;
                }
                now.get_or_insert_with(|| digests[0].clone());
            }
            (
                now.unwrap_or_default(),
                Say::SourceCommit {
                    commit: commit.short,
                },
            )
        }
        None => {
            let mut now = provenance::digest_of_folder(&ctx.dir, lang, schemes[0])?;
            if now != stated {
                let before = provenance::digest_of_folder(&ctx.dir, lang, schemes[1])?;
                if before == stated {
                    now = before;
                }
            }
            (now, Say::SourceFolder)
        }
    };
    let source = source.render(lang);
    let mut out = std::io::stdout().lock();
    if stated == now {
        writeln!(
            out,
            "{}",
            Say::Verified {
                digest: now,
                source
            }
            .render(lang)
        )?;
        Ok(ExitCode::SUCCESS)
    } else {
        writeln!(
            out,
            "{}",
            Say::NotVerified {
                stated,
                now,
                source
            }
            .render(lang)
        )?;
        Ok(ExitCode::from(1))
    }
}

fn repo(ctx: &Ctx) -> Result<Repo> {
    match Repo::discover(&ctx.dir, ctx.lang) {
        Some(repo) => Ok(repo),
        None => bail!("{}", Say::NotGit.render(ctx.lang)),
    }
}

/// The words for a kind's rows, as `check`'s summary says them.
fn rows_word(kind: Kind) -> (&'static str, &'static str) {
    match kind {
        Kind::Activities => ("hoạt động", "activities"),
        Kind::Dossiers => ("dòng hồ sơ", "dossier rows"),
        Kind::Violations => ("vi phạm", "violations"),
        Kind::Commendations => ("khen thưởng", "commendations"),
        Kind::Feedback => ("góp ý", "feedback"),
        Kind::Commitments => ("đăng ký cam kết", "commitments"),
        Kind::Ratings => ("xếp loại", "ratings"),
        Kind::Lapses => ("vi phạm chế độ báo cáo", "reporting lapses"),
    }
}

/// `kehoach log [KIND REF] [--period P]`.
pub fn log(ctx: &Ctx, args: &LogArgs) -> Result<ExitCode> {
    let repo = repo(ctx)?;
    match (&args.kind, &args.reference) {
        (Some(kind), Some(reference)) => log_record(ctx, &repo, kind, reference),
        _ => log_folder(ctx, &repo, args.period.as_deref()),
    }
}

/// Per commit (newest first), how many rows of each kind it added.
fn log_folder(ctx: &Ctx, repo: &Repo, period: Option<&str>) -> Result<ExitCode> {
    let lang = ctx.lang;
    let period = match period {
        Some(p) => {
            let (_, loaded) = crate::plan::Plan::load(&ctx.dir)
                .with_context(|| doing(ctx.lang, Doing::Reading, crate::plan::PLAN_FILE))?;
            let scheme = loaded
                .plan
                .map(|p| p.reporting.periods)
                .unwrap_or(crate::plan::Scheme::Nd09);
            Some(
                crate::period::Period::parse(scheme, p)
                    .map_err(|e| anyhow::anyhow!("{e}"))
                    .with_context(|| {
                        Say::Period {
                            period: p.to_string(),
                        }
                        .render(lang)
                    })?,
            )
        }
        None => None,
    };
    let Some(head) = repo.commit("HEAD")? else {
        println!("{}", Say::LogNoRows.render(lang));
        return Ok(ExitCode::SUCCESS);
    };
    let walk = repo
        .repo
        .rev_walk([head.id])
        .sorting(gix::revision::walk::Sorting::ByCommitTime(
            Default::default(),
        ))
        .all()
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut any = false;
    for info in walk {
        let info = info.map_err(|e| anyhow::anyhow!("{e}"))?;
        let commit = repo.info(info.id)?;
        if let Some(p) = &period
            && !p.contains(commit.date.date_naive())
        {
            continue;
        }
        let parents = repo.parents(info.id)?;
        let mut added = [0u64; Kind::COUNT];
        // Change rows (fill, correct, void) of any kind: no new record.
        let mut changes = 0;
        for file in repo.record_files(info.id)? {
            let Some(kind) = crate::history::kind_of(&file.rel) else {
                continue;
            };
            let mut before: Vec<gix::ObjectId> = parents
                .iter()
                .filter_map(|p| repo.blob_at(*p, &file.rel).ok().flatten())
                .collect();
            if before.is_empty() {
                // A file new at its place: its rows may have been moved there (a `git mv`, a
                // file split by month) from the kind's other files, which add no record.
                for p in &parents {
                    before.extend(
                        (repo.record_files(*p)?.into_iter())
                            .filter(|f| crate::history::kind_of(&f.rel) == Some(kind))
                            .map(|f| f.id),
                    );
                }
            }
            if before.contains(&file.id) {
                continue;
            }
            let (records, changed) = added_rows(repo, file.id, &before)?;
            added[kind as usize] += records;
            changes += changed;
        }
        let mut what: Vec<(u64, &'static str, &'static str)> = Kind::ALL
            .iter()
            .filter(|k| added[**k as usize] > 0)
            .map(|k| {
                let (vi, en) = rows_word(*k);
                (added[*k as usize], vi, en)
            })
            .collect();
        if changes > 0 {
            what.push((
                changes,
                "dòng thay đổi (bổ sung, đính chính, hủy)",
                "change rows (fill, correct, void)",
            ));
        }
        if what.is_empty() {
            continue;
        }
        any = true;
        writeln!(
            out,
            "{}",
            Say::LogCommitLine {
                commit: commit.short.clone(),
                author: commit.author.clone(),
                date: commit.date.date_naive(),
                subject: commit.subject.clone(),
            }
            .render(lang)
        )?;
        writeln!(out, "{}", Say::LogAdded { what }.render(lang))?;
    }
    if !any {
        writeln!(out, "{}", Say::LogNoRows.render(lang))?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// The data rows of blob `id` that none of the `before` blobs has (a new file's header is not
/// a row), as (records, change rows): a row whose `change` cell is set fills, corrects or
/// voids a record, and adds none.
fn added_rows(repo: &Repo, id: gix::ObjectId, before: &[gix::ObjectId]) -> Result<(u64, u64)> {
    let bytes = repo.blob(id)?;
    let lines = blame::lines(&bytes);
    let Some((&header, rows)) = lines.split_first() else {
        return Ok((0, 0));
    };
    let header = header.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(header);
    let change = (0..)
        .map_while(|i| cell(header, i))
        .position(|c| c.trim() == "change");
    let count = |added: &[&[u8]]| {
        let changes = change.map_or(0, |i| {
            (added.iter())
                .filter(|l| cell(l, i).is_some_and(|c| !c.trim().is_empty()))
                .count()
        });
        Ok(((added.len() - changes) as u64, changes as u64))
    };
    if before.is_empty() {
        return count(rows);
    }
    let mut olds = Vec::new();
    for b in before {
        let old = repo.blob(*b)?;
        // Rows appended to a parent's version: count the rest, nothing to compare.
        if before.len() == 1 && bytes.starts_with(&old) && old.ends_with(b"\n") {
            return count(&blame::lines(&bytes[old.len()..]));
        }
        olds.push(old);
    }
    let known: std::collections::HashSet<&[u8]> = (olds.iter())
        .flat_map(|old| blame::lines(old))
        .map(blame::bare)
        .collect();
    let added: Vec<&[u8]> = rows
        .iter()
        .copied()
        .filter(|l| !known.contains(blame::bare(l)))
        .collect();
    count(&added)
}

/// Cell `i` of one line of a record file, as the csv crate reads it; `None` past its last.
/// A line with no quote is split at its commas (a province's first commit has a million).
fn cell(line: &[u8], i: usize) -> Option<String> {
    let text = |c: &[u8]| String::from_utf8_lossy(c).into_owned();
    if !line.contains(&b'"') {
        return line.split(|&b| b == b',').nth(i).map(text);
    }
    let mut record = csv::ByteRecord::new();
    (csv::ReaderBuilder::new().has_headers(false).flexible(true))
        .from_reader(line)
        .read_byte_record(&mut record)
        .ok()?;
    record.get(i).map(text)
}

/// The rows of one record, each with the commit that added it.
fn log_record(ctx: &Ctx, repo: &Repo, kind: &str, reference: &str) -> Result<ExitCode> {
    let lang = ctx.lang;
    let kind_name = kind.trim().to_lowercase();
    let kind = Kind::from_name(&kind_name)
        .or_else(|| Kind::from_name(&format!("{kind_name}s")))
        .or_else(|| {
            Kind::ALL
                .into_iter()
                .find(|k| k.name().starts_with(&kind_name))
        });
    let Some(kind) = kind else {
        bail!(
            "{}",
            Say::UnknownKind {
                kind: kind_name,
                kinds: Kind::ALL.map(|k| k.name()).join(", "),
            }
            .render(lang)
        );
    };
    // Only the folder's own plain files are read: not a FIFO, nor a link out of it.
    crate::folder::check_readable(&ctx.dir, lang)?;
    let (files, _) = crate::records::read::record_files(&ctx.dir)
        .with_context(|| doing(ctx.lang, Doing::Reading, "records"))?;
    let files: Vec<String> = files
        .iter()
        .filter(|(k, _)| *k == kind)
        .map(|(_, rel)| rel.to_string_lossy().replace('\\', "/"))
        .collect();
    // (file, line, text) of the record's rows.
    let mut rows: Vec<(String, u64, String)> = Vec::new();
    let by_line = match reference.rsplit_once(':') {
        Some((file, line)) => line.parse::<u64>().ok().map(|l| (file.to_string(), l)),
        None => reference
            .parse::<u64>()
            .ok()
            .filter(|_| kind != Kind::Dossiers)
            .map(|l| (format!("records/{}.csv", kind.name()), l)),
    };
    // A place names one of the kind's record files, with or without `records/` (as `show`,
    // `amend` and a change row's `ref` write it); any other path is no row of this kind.
    let by_line = by_line.and_then(|(file, line)| {
        let file = file.trim();
        (files.iter())
            .find(|f| f.as_str() == file || f.strip_prefix("records/") == Some(file))
            .map(|f| (f.clone(), line))
    });
    // What the record's other rows name it by: its id, or its place (as a change row's `ref`
    // writes it, with or without `records/`).
    let mut names = vec![reference.trim().to_string()];
    let mut first = None;
    // The file of the place, read once: it is one of the kind's files searched below.
    let mut placed: Option<(String, Vec<u8>)> = None;
    let by_place = by_line.is_some();
    if let Some((file, line)) = by_line
        && let Ok(bytes) = crate::history::read_file(&ctx.dir.join(&file))
        && let Some(text) = blame::lines(&bytes).get(line.saturating_sub(1) as usize)
        && line > 1
    {
        let place = format!("{file}:{line}");
        names = vec![
            place.strip_prefix("records/").unwrap_or(&place).to_string(),
            place,
        ];
        names.extend(id_of(&bytes, text));
        first = Some((
            file.clone(),
            line,
            String::from_utf8_lossy(text).into_owned(),
        ));
        placed = Some((file, bytes));
    }
    if !by_place || first.is_some() {
        for file in &files {
            let bytes = match placed.take_if(|(f, _)| f == file) {
                Some((_, bytes)) => bytes,
                None => crate::history::read_file(&ctx.dir.join(file))
                    .with_context(|| doing(ctx.lang, Doing::Reading, file))?,
            };
            rows.extend(
                (rows_naming(&bytes, &names).into_iter())
                    .map(|(line, text)| (file.clone(), line, text))
                    .filter(|row| {
                        first
                            .as_ref()
                            .is_none_or(|f| (&f.0, f.1) != (&row.0, row.1))
                    }),
            );
        }
        rows.extend(first);
        rows.sort_by(|a, b| {
            let at = |f: &String| files.iter().position(|x| x == f);
            (at(&a.0), a.1).cmp(&(at(&b.0), b.1))
        });
    }
    if rows.is_empty() {
        bail!(
            "{}",
            Say::LogUnknownRef {
                kind: kind.name().to_string(),
                reference: reference.to_string()
            }
            .render(lang)
        );
    }
    let head = repo.commit("HEAD")?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for file in files.iter().filter(|f| rows.iter().any(|r| &r.0 == *f)) {
        let mine: Vec<&(String, u64, String)> = rows.iter().filter(|r| &r.0 == file).collect();
        let texts: Vec<&[u8]> = mine.iter().map(|r| r.2.as_bytes()).collect();
        let by = match &head {
            Some(head) => blame::added_by(repo, head.id, file, &texts)?,
            None => vec![None; texts.len()],
        };
        for (row, by) in mine.iter().zip(by) {
            let commit = match by {
                Some(id) => {
                    let info = repo.info(id)?;
                    Some((info.short, info.author, info.date.date_naive()))
                }
                None => None,
            };
            writeln!(
                out,
                "{}",
                Say::LogRow {
                    place: format!("{}:{}", row.0, row.1),
                    commit,
                    text: row.2.trim_end_matches('\r').to_string(),
                }
                .render(lang)
            )?;
        }
    }
    // A row given by place that is in no record file of the kind is still shown above.
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// The `id` cell of the row `line` of a record file (`bytes`), if it has one.
fn id_of(bytes: &[u8], line: &[u8]) -> Option<String> {
    let header = blame::lines(bytes).into_iter().next()?;
    let header = header.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(header);
    let column = (0..)
        .map_while(|i| cell(header, i))
        .position(|c| c.trim().eq_ignore_ascii_case("id"))?;
    let id = cell(blame::bare(line), column)?.trim().to_string();
    (!id.is_empty()).then_some(id)
}

/// The rows (line, text) of a CSV file that name a record by one of `names`: in their `id`
/// column, or as the record a change row changes (`ref`).
fn rows_naming(bytes: &[u8], names: &[String]) -> Vec<(u64, String)> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut record = csv::ByteRecord::new();
    let mut columns: Option<Vec<usize>> = None;
    let lines = blame::lines(bytes);
    let mut at_lines = crate::records::RecordLines::new(bytes);
    let mut out = Vec::new();
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(_) => continue,
        }
        let start = record.position().map_or(0, csv::Position::byte);
        let Ok(line) = at_lines.line_of(start) else {
            break;
        };
        let Some(columns) = &columns else {
            let found: Vec<usize> = (record.iter().enumerate())
                .filter(|(_, h)| {
                    let h = String::from_utf8_lossy(h);
                    let h = h.trim().trim_start_matches('\u{feff}');
                    h.eq_ignore_ascii_case("id") || h.eq_ignore_ascii_case("ref")
                })
                .map(|(i, _)| i)
                .collect();
            if found.is_empty() {
                return out;
            }
            columns = Some(found);
            continue;
        };
        let names_it = columns.iter().any(|&i| {
            record.get(i).is_some_and(|c| {
                let c = String::from_utf8_lossy(c);
                names.iter().any(|n| c.trim() == n.trim())
            })
        });
        if names_it && let Some(text) = lines.get(line as usize - 1) {
            out.push((line, String::from_utf8_lossy(text).into_owned()));
        }
    }
    out
}

/// The first line of the hook kehoach writes: how it knows its own hook again.
const HOOK_MARK: &str = "# kehoach pre-commit hook";

/// `kehoach hook install [--force]`.
pub fn hook(ctx: &Ctx, args: &HookArgs) -> Result<ExitCode> {
    let HookAction::Install { force } = args.action;
    let repo = repo(ctx)?;
    let hooks = repo.repo.common_dir().join("hooks");
    let path = hooks.join("pre-commit");
    if let Ok(old) = std::fs::read_to_string(&path)
        && !old.contains(HOOK_MARK)
        && !force
    {
        eprintln!(
            "kehoach: {}",
            Say::HookExists {
                path: path.display().to_string()
            }
            .render(ctx.lang)
        );
        return Ok(ExitCode::from(1));
    }
    let folder = if repo.prefix.is_empty() {
        ".".to_string()
    } else {
        repo.prefix.trim_end_matches('/').to_string()
    };
    let exe = std::env::current_exe()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|_| "kehoach".to_string());
    let quote = |s: &str| format!("'{}'", s.replace('\'', "'\\''"));
    let script = format!(
        "#!/bin/sh\n{HOOK_MARK} (kehoach hook install): the rows this commit adds are checked\n\
         # before it is made; `git commit --no-verify` skips it.\n\
         KEHOACH=$(command -v kehoach || echo {})\n\
         exec \"$KEHOACH\" -C {} check --since HEAD\n",
        quote(&exe),
        quote(&folder),
    );
    std::fs::create_dir_all(&hooks)
        .with_context(|| doing(ctx.lang, Doing::Creating, hooks.display()))?;
    std::fs::write(&path, script)
        .with_context(|| doing(ctx.lang, Doing::Writing, path.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755))
            .with_context(|| doing(ctx.lang, Doing::Writing, path.display()))?;
    }
    println!(
        "{}",
        Say::HookInstalled {
            path: path.display().to_string()
        }
        .render(ctx.lang)
    );
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_is_found_on_its_line_whatever_the_line_ends() {
        for eol in ["\n", "\r\n"] {
            let text = ["id,x", "D1,a", "\"D2\",\"b", "c\"", "", "D2,d", ""].join(eol);
            let found = rows_naming(text.as_bytes(), &["D2".to_string()]);
            let lines: Vec<u64> = found.iter().map(|(line, _)| *line).collect();
            assert_eq!(lines, [3, 6], "{eol:?}");
            assert_eq!(found[1].1.trim_end_matches('\r'), "D2,d");
        }
    }
}
