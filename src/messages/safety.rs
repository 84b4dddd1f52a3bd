//! The wording of the safety checks (issue 14): outputs refused, files that are not plain files
//! of the folder, appends put back after a crash or a failed write, a wait for another's lock.

use super::Lang;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Safety {
    /// `-o` names the folder's own data. `what`: "plan", "records", "templates", "template".
    OutputIsData { path: String, what: &'static str },
    /// `-o` names something other than a plain file. `what`: see [`type_vi`].
    OutputNotRegular { path: String, what: &'static str },
    /// `-o` names a read-only file.
    OutputReadOnly { path: String },
    /// A file to read is not a plain file (a FIFO, a device, a directory).
    NotRegular { path: String, what: &'static str },
    /// A file of the folder is a symlink to somewhere outside it.
    Outside { path: String, target: String },
    /// A journal left by a killed append: the file was cut back to its length before.
    Restored {
        file: String,
        length: u64,
        removed: u64,
    },
    /// A killed import's new file (for a record file with no rows) removed; the record file was
    /// never touched.
    Discarded { file: String, bytes: u64 },
    /// An append failed half-way: the file was cut back to its length before.
    RolledBack { file: String },
    /// Another process holds the lock of a record file.
    Waiting { file: String, holder: String },
    /// `check` printed the first findings of one code in a file; `count` more are not printed.
    MoreFindings { code: &'static str, count: usize },
}

impl Safety {
    pub fn render(&self, lang: Lang) -> String {
        match lang {
            Lang::Vi => self.vi(),
            Lang::En => self.en(),
        }
    }

    fn en(&self) -> String {
        match self {
            Safety::OutputIsData { path, what } => {
                let what = match *what {
                    "plan" => "the plan (plan.toml)",
                    "records" => "inside records/, the folder's record files",
                    "templates" => "inside templates/, the folder's report templates",
                    _ => "the template this report is rendered with",
                };
                format!(
                    "will not write the output to {path}: it is {what}. Choose another file for -o (or -o - for standard output)"
                )
            }
            Safety::OutputNotRegular { path, what } => format!(
                "will not write the output to {path}: it is a {}, not a plain file. Choose another file for -o",
                type_en(what)
            ),
            Safety::OutputReadOnly { path } => format!(
                "will not write the output to {path}: the file is read-only. Make it writable or choose another file for -o"
            ),
            Safety::NotRegular { path, what } => format!(
                "{path} is a {}, not a plain file: kehoach reads only plain files",
                type_en(what)
            ),
            Safety::Outside { path, target } => format!(
                "{path} is a link to {target}, outside the plan folder: kehoach reads only the folder's own files"
            ),
            Safety::Restored {
                file,
                length,
                removed,
            } => format!(
                "{file}: an earlier write was cut off (the process was stopped); the file is restored as it was before it ({length} bytes; {removed} bytes of the cut-off write removed)"
            ),
            Safety::Discarded { file, bytes } => format!(
                "{file}: an earlier import was stopped before it finished; the file is as it was before it (the {bytes} bytes it had written beside it are removed)"
            ),
            Safety::RolledBack { file } => format!(
                "{file} is unchanged: the write failed and what was written of it was removed"
            ),
            Safety::Waiting { file, holder } => format!(
                "waiting: {file} is being written by {holder}; kehoach goes on when it is done"
            ),
            Safety::MoreFindings { code, count } => format!(
                "… and {count} more {code} findings in this file, not printed (`kehoach check --format json` counts them under \"omitted\")"
            ),
        }
    }

    fn vi(&self) -> String {
        match self {
            Safety::OutputIsData { path, what } => {
                let what = match *what {
                    // A whole predicate: "là" (is) for what the path is, "nằm trong" (lies in)
                    // for where it is; "là nằm trong" is not Vietnamese.
                    "plan" => "là bản kế hoạch (plan.toml)",
                    "records" => "nằm trong records/, nơi giữ các tệp dữ liệu",
                    "templates" => "nằm trong templates/, nơi giữ các mẫu báo cáo",
                    _ => "là mẫu đang dùng để lập báo cáo này",
                };
                format!(
                    "không ghi kết quả vào {path}: tệp này {what}. Chọn tệp khác cho -o (hoặc -o - để in ra màn hình)"
                )
            }
            Safety::OutputNotRegular { path, what } => format!(
                "không ghi kết quả vào {path}: đó là {}, không phải tệp thường. Chọn tệp khác cho -o",
                type_vi(what)
            ),
            Safety::OutputReadOnly { path } => format!(
                "không ghi kết quả vào {path}: tệp chỉ cho đọc. Cho phép ghi tệp hoặc chọn tệp khác cho -o"
            ),
            Safety::NotRegular { path, what } => format!(
                "{path} là {}, không phải tệp thường: kehoach chỉ đọc tệp thường",
                type_vi(what)
            ),
            Safety::Outside { path, target } => format!(
                "{path} là liên kết tới {target}, nằm ngoài thư mục kế hoạch: kehoach chỉ đọc tệp của chính thư mục"
            ),
            Safety::Restored {
                file,
                length,
                removed,
            } => format!(
                "{file}: lần ghi trước bị ngắt giữa chừng (tiến trình bị dừng); đã khôi phục tệp như trước lần ghi đó ({length} byte; bỏ {removed} byte ghi dở)"
            ),
            Safety::Discarded { file, bytes } => format!(
                "{file}: lần nhập dữ liệu trước bị dừng giữa chừng; tệp vẫn như trước lần nhập đó (đã xóa {bytes} byte mà lần nhập đó ghi dở vào tệp tạm bên cạnh)"
            ),
            Safety::RolledBack { file } => {
                format!("{file} giữ nguyên: ghi không thành công và phần đã ghi dở đã được xóa")
            }
            Safety::Waiting { file, holder } => format!(
                "đang chờ: {file} đang được ghi bởi {holder}; kehoach sẽ tiếp tục khi việc ghi đó xong"
            ),
            Safety::MoreFindings { code, count } => format!(
                "… và {} vấn đề {code} khác của tệp này không in ra (`kehoach check --format json` đếm chúng ở \"omitted\")",
                crate::text::group_thousands(*count as u64)
            ),
        }
    }
}

fn type_en(what: &str) -> &'static str {
    match what {
        "directory" => "directory",
        "symlink" => "symbolic link",
        "fifo" => "FIFO (named pipe)",
        "device" => "device",
        "socket" => "socket",
        _ => "special file",
    }
}

fn type_vi(what: &str) -> &'static str {
    match what {
        "directory" => "thư mục",
        "symlink" => "liên kết tượng trưng",
        "fifo" => "ống dẫn có tên (FIFO)",
        "device" => "thiết bị",
        "socket" => "socket",
        _ => "tệp đặc biệt",
    }
}
