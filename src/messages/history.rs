//! The wording of the folder's history (git): the audit's findings, `verify`, `log`, `hook`.

use chrono::NaiveDate;

use super::Lang;
use crate::dates::Dmy;

/// The commit that added a row: its abbreviated id, its author and the author's date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Added {
    pub commit: String,
    pub author: String,
    pub date: NaiveDate,
}

impl Added {
    fn say(this: &Option<Added>, lang: Lang) -> String {
        match (this, lang) {
            (Some(a), Lang::Vi) => format!(
                "dòng do commit {} ({}, ngày {}) thêm vào",
                a.commit,
                a.author,
                Dmy(a.date)
            ),
            (Some(a), Lang::En) => format!(
                "added by commit {} ({}, {})",
                a.commit,
                a.author,
                a.date.format("%Y-%m-%d")
            ),
            (None, Lang::Vi) => "không tìm được commit đã thêm dòng".to_string(),
            (None, Lang::En) => "the commit that added it was not found".to_string(),
        }
    }
}

/// Why the audit did not run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Skipped {
    /// The folder is in no git work tree.
    NotGit,
    /// The repository has no commit yet.
    NoCommit,
    /// The commit has neither plan.toml nor a record file of the folder.
    NotTracked,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HistoryMsg {
    RowChanged {
        old_line: u64,
        old: String,
        new: String,
        added: Option<Added>,
    },
    RowRemoved {
        old_line: u64,
        old: String,
        added: Option<Added>,
    },
    RowMoved {
        old_line: u64,
        old: String,
        added: Option<Added>,
    },
    RowInserted {
        text: String,
    },
    FileRemoved {
        rows: u64,
        commit: String,
    },
    ConflictMarker {
        marker: String,
    },
    SequenceGap {
        /// The code of the day: unit and YYMMDD.
        day: String,
        date: Option<NaiveDate>,
        missing: Vec<String>,
    },
    AuditSkipped {
        why: Skipped,
    },
}

impl HistoryMsg {
    pub fn render(&self, lang: Lang) -> String {
        match lang {
            Lang::Vi => self.vi(),
            Lang::En => self.en(),
        }
    }

    fn en(&self) -> String {
        let added = |a: &Option<Added>| Added::say(a, Lang::En);
        match self {
            HistoryMsg::RowChanged {
                old_line,
                old,
                new,
                added: a,
            } => format!(
                "committed row changed (line {old_line} in the commit, {}): was “{old}”, now “{new}”; add a correcting row instead of editing",
                added(a)
            ),
            HistoryMsg::RowRemoved {
                old_line,
                old,
                added: a,
            } => format!(
                "committed row removed (line {old_line} in the commit, {}): “{old}”; put it back, rows are never deleted",
                added(a)
            ),
            HistoryMsg::RowMoved {
                old_line,
                old,
                added: a,
            } => format!(
                "committed row moved from line {old_line} ({}): “{old}”; committed rows stay in place",
                added(a)
            ),
            HistoryMsg::RowInserted { text } => format!(
                "new row among the committed rows: “{text}”; new rows go at the end of the file"
            ),
            HistoryMsg::FileRemoved { rows, commit } => format!(
                "committed file removed: it had {rows} rows in commit {commit}; restore it (git restore)"
            ),
            HistoryMsg::ConflictMarker { marker } => format!(
                "git conflict marker {marker}: a merge left this file unresolved; keep the rows of both sides, delete the marker lines, and set merge=union for records/*.csv in .gitattributes so that appended rows merge by themselves"
            ),
            HistoryMsg::SequenceGap { day, date, missing } => format!(
                "one-stop numbers of {day}{}: no dossier numbered {} before the highest new one; record the missing dossiers (or note why the number was skipped)",
                date.map(|d| format!(" ({})", d.format("%Y-%m-%d")))
                    .unwrap_or_default(),
                missing.join(", ")
            ),
            HistoryMsg::AuditSkipped {
                why: Skipped::NotGit,
            } => "not in a git repository: the audit of committed rows is skipped".to_string(),
            HistoryMsg::AuditSkipped {
                why: Skipped::NoCommit,
            } => "no commit yet: the audit of committed rows is skipped".to_string(),
            HistoryMsg::AuditSkipped {
                why: Skipped::NotTracked,
            } => {
                "the commit has no file of this plan folder: the audit of committed rows is skipped"
                    .to_string()
            }
        }
    }

    fn vi(&self) -> String {
        let added = |a: &Option<Added>| Added::say(a, Lang::Vi);
        match self {
            HistoryMsg::RowChanged {
                old_line,
                old,
                new,
                added: a,
            } => format!(
                "dòng đã commit bị sửa (dòng {old_line} trong commit, {}): trước là “{old}”, nay là “{new}”; muốn đính chính thì thêm dòng mới, không sửa dòng cũ",
                added(a)
            ),
            HistoryMsg::RowRemoved {
                old_line,
                old,
                added: a,
            } => format!(
                "dòng đã commit bị xóa (dòng {old_line} trong commit, {}): “{old}”; khôi phục dòng này, không xóa dòng đã ghi",
                added(a)
            ),
            HistoryMsg::RowMoved {
                old_line,
                old,
                added: a,
            } => format!(
                "dòng đã commit bị chuyển chỗ, trước ở dòng {old_line} ({}): “{old}”; dòng đã commit phải giữ nguyên vị trí",
                added(a)
            ),
            HistoryMsg::RowInserted { text } => format!(
                "dòng mới chen vào giữa các dòng đã commit: “{text}”; dòng mới ghi vào cuối tệp"
            ),
            HistoryMsg::FileRemoved { rows, commit } => format!(
                "tệp đã commit bị xóa: trong commit {commit} tệp có {rows} dòng; khôi phục tệp (git restore)"
            ),
            HistoryMsg::ConflictMarker { marker } => format!(
                "dấu xung đột git {marker}: một lần hợp nhất (merge) chưa giải quyết xong tệp này; giữ các dòng của cả hai bên, xóa các dòng đánh dấu, và đặt merge=union cho records/*.csv trong .gitattributes để các dòng ghi thêm tự hợp nhất"
            ),
            HistoryMsg::SequenceGap { day, date, missing } => format!(
                "số thứ tự hồ sơ một cửa {day}{}: không có hồ sơ số {} (nhỏ hơn số mới ghi lớn nhất); ghi bổ sung hồ sơ còn thiếu (hoặc ghi chú lý do bỏ số)",
                date.map(|d| format!(" (ngày {})", Dmy(d)))
                    .unwrap_or_default(),
                missing.join(", ")
            ),
            HistoryMsg::AuditSkipped {
                why: Skipped::NotGit,
            } => {
                "thư mục không thuộc kho git: bỏ qua việc đối chiếu các dòng đã commit".to_string()
            }
            HistoryMsg::AuditSkipped {
                why: Skipped::NoCommit,
            } => "kho git chưa có commit nào: bỏ qua việc đối chiếu các dòng đã commit".to_string(),
            HistoryMsg::AuditSkipped {
                why: Skipped::NotTracked,
            } => "commit không có tệp nào của thư mục kế hoạch này: bỏ qua việc đối chiếu các dòng đã commit"
                .to_string(),
        }
    }
}

/// The sentence a report states its provenance in (reports are in Vietnamese): where the data
/// came from and the digest that `kehoach verify` checks.
pub fn provenance_line(
    short: Option<&str>,
    in_git: bool,
    changed: &[String],
    digest: &str,
) -> String {
    let source = match (short, in_git) {
        (Some(short), _) if changed.is_empty() => format!("commit {short}, đúng như đã commit"),
        (Some(short), _) => format!(
            "commit {short} và các thay đổi chưa commit ({})",
            changed.join(", ")
        ),
        (None, true) => "kho git chưa có commit".to_string(),
        (None, false) => "thư mục không thuộc kho git".to_string(),
    };
    format!(
        "Nguồn dữ liệu: {source}; mã SHA-256 {DIGEST_SAID}{digest} (kiểm tra bằng lệnh kehoach verify)."
    )
}

/// What the provenance sentence says right before the digest: `verify` finds the digest a
/// report states after it.
pub const DIGEST_SAID: &str = "của dữ liệu đã đọc: ";

/// The texts of the history's commands (not findings).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Say {
    UnknownRev {
        rev: String,
    },
    NotGit,
    ChangedWhileRead,
    NoDigest {
        report: String,
    },
    Verified {
        digest: String,
        source: String,
    },
    NotVerified {
        stated: String,
        now: String,
        source: String,
    },
    SourceFolder,
    SourceCommit {
        commit: String,
    },
    HookInstalled {
        path: String,
    },
    HookExists {
        path: String,
    },
    LogNoRows,
    UnknownKind {
        kind: String,
        kinds: String,
    },
    Period {
        period: String,
    },
    LogNotCommitted,
    LogUnknownRef {
        kind: String,
        reference: String,
    },
    LogCommitLine {
        commit: String,
        author: String,
        date: NaiveDate,
        subject: String,
    },
    LogAdded {
        what: Vec<(u64, &'static str, &'static str)>,
    },
    LogRow {
        place: String,
        commit: Option<(String, String, NaiveDate)>,
        text: String,
    },
}

impl Say {
    /// The sentence in `lang`. Commit authors and subjects and the rows quoted come from
    /// anyone's repository: no raw control character reaches the terminal (it is written
    /// `<U+001B>`, as [`crate::messages::Msg::render`] writes it).
    pub fn render(&self, lang: Lang) -> String {
        crate::controls::visible(&self.text(lang)).into_owned()
    }

    fn text(&self, lang: Lang) -> String {
        let vi = lang == Lang::Vi;
        match self {
            Say::UnknownRev { rev } => {
                if vi {
                    format!(
                        "không tìm thấy phiên bản '{rev}' trong kho git (tên nhánh, thẻ hoặc mã commit)"
                    )
                } else {
                    format!(
                        "no revision '{rev}' in the git repository (a branch, tag or commit id)"
                    )
                }
            }
            Say::NotGit => lang
                .pick(
                    "thư mục kế hoạch không thuộc kho git nào",
                    "the plan folder is in no git repository",
                )
                .to_string(),
            Say::ChangedWhileRead => lang
                .pick(
                    "tệp thay đổi trong khi đang đọc; chạy lại",
                    "the file changed while it was read; run again",
                )
                .to_string(),
            Say::NoDigest { report } => {
                if vi {
                    format!(
                        "{report} không ghi mã SHA-256 của dữ liệu (báo cáo lập bằng phiên bản kehoach cũ, hoặc không phải báo cáo của kehoach)"
                    )
                } else {
                    format!(
                        "{report} states no SHA-256 digest of its data (made by an older kehoach, or not a kehoach report)"
                    )
                }
            }
            Say::SourceFolder => lang
                .pick(
                    "dữ liệu hiện có trong thư mục",
                    "the data now in the folder",
                )
                .to_string(),
            Say::SourceCommit { commit } => {
                if vi {
                    format!("dữ liệu của commit {commit}")
                } else {
                    format!("the data of commit {commit}")
                }
            }
            Say::Verified { digest, source } => {
                if vi {
                    format!("khớp: báo cáo được lập từ đúng {source} ({digest})")
                } else {
                    format!("matches: the report was made from exactly {source} ({digest})")
                }
            }
            Say::NotVerified {
                stated,
                now,
                source,
            } => {
                if vi {
                    format!(
                        "không khớp: báo cáo ghi {stated}, còn {source} có mã {now}; dữ liệu đã thay đổi kể từ khi lập báo cáo"
                    )
                } else {
                    format!(
                        "does not match: the report states {stated}, {source} gives {now}; the data changed since the report was made"
                    )
                }
            }
            Say::HookInstalled { path } => {
                if vi {
                    format!("đã ghi {path}: mỗi lần commit sẽ chạy `kehoach check --since HEAD`")
                } else {
                    format!("wrote {path}: each commit now runs `kehoach check --since HEAD`")
                }
            }
            Say::HookExists { path } => {
                if vi {
                    format!(
                        "{path} đã có và không phải do kehoach ghi: không ghi đè (dùng --force để thay)"
                    )
                } else {
                    format!(
                        "{path} exists and was not written by kehoach: left alone (--force replaces it)"
                    )
                }
            }
            Say::UnknownKind { kind, kinds } => {
                if vi {
                    format!("không có loại bản ghi '{kind}': dùng {kinds}")
                } else {
                    format!("no record kind '{kind}': use {kinds}")
                }
            }
            Say::Period { period } => {
                if vi {
                    format!("kỳ '{period}'")
                } else {
                    format!("the period '{period}'")
                }
            }
            Say::LogNoRows => lang.pick("không có dòng nào", "no rows").to_string(),
            Say::LogNotCommitted => lang.pick("chưa commit", "not committed yet").to_string(),
            Say::LogUnknownRef { kind, reference } => {
                if vi {
                    format!("không có dòng nào của {kind} ứng với '{reference}'")
                } else {
                    format!("no row of {kind} for '{reference}'")
                }
            }
            Say::LogCommitLine {
                commit,
                author,
                date,
                subject,
            } => {
                if vi {
                    format!("commit {commit} — {author}, ngày {}: {subject}", Dmy(*date))
                } else {
                    format!(
                        "commit {commit} — {author}, {}: {subject}",
                        date.format("%Y-%m-%d")
                    )
                }
            }
            Say::LogAdded { what } => {
                let parts: Vec<String> = what
                    .iter()
                    .map(|(n, v, e)| {
                        let n = match lang {
                            Lang::Vi => crate::text::group_thousands(*n),
                            Lang::En => n.to_string(),
                        };
                        format!("{n} {}", lang.pick(v, e))
                    })
                    .collect();
                format!("  {} {}", lang.pick("thêm", "added"), parts.join(", "))
            }
            Say::LogRow {
                place,
                commit,
                text,
            } => match commit {
                Some((id, author, date)) => {
                    if vi {
                        format!(
                            "{place}  commit {id}, {author}, ngày {}: {text}",
                            Dmy(*date)
                        )
                    } else {
                        format!(
                            "{place}  commit {id}, {author}, {}: {text}",
                            date.format("%Y-%m-%d")
                        )
                    }
                }
                None => format!("{place}  ({}): {text}", Say::LogNotCommitted.render(lang)),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_history_message_is_in_both_languages() {
        let d = NaiveDate::from_ymd_opt(2021, 3, 5).unwrap();
        let a = Some(Added {
            commit: "a1b2c3d".into(),
            author: "Nguyễn Văn A".into(),
            date: d,
        });
        let samples = [
            HistoryMsg::RowChanged {
                old_line: 3,
                old: "x".into(),
                new: "y".into(),
                added: a.clone(),
            },
            HistoryMsg::RowRemoved {
                old_line: 3,
                old: "x".into(),
                added: None,
            },
            HistoryMsg::RowMoved {
                old_line: 3,
                old: "x".into(),
                added: a,
            },
            HistoryMsg::RowInserted { text: "x".into() },
            HistoryMsg::FileRemoved {
                rows: 3,
                commit: "a1b2c3d".into(),
            },
            HistoryMsg::ConflictMarker {
                marker: "<<<<<<<".into(),
            },
            HistoryMsg::SequenceGap {
                day: "H42-210305".into(),
                date: Some(d),
                missing: vec!["0002".into()],
            },
            HistoryMsg::AuditSkipped {
                why: Skipped::NotGit,
            },
            HistoryMsg::AuditSkipped {
                why: Skipped::NoCommit,
            },
            HistoryMsg::AuditSkipped {
                why: Skipped::NotTracked,
            },
        ];
        for m in &samples {
            let (vi, en) = (m.render(Lang::Vi), m.render(Lang::En));
            assert_ne!(vi, en);
            assert_eq!(crate::text::nfc(&vi), vi);
            assert!(
                en.is_ascii() || en.contains('“') || en.contains("Nguyễn"),
                "{en}"
            );
        }
    }
}
