//! The wording of `kehoach export`.

use super::Lang;

pub fn needs_output(lang: Lang) -> &'static str {
    lang.pick(
        "xuất Parquet cần -o THƯ_MỤC: các tệp được ghi theo cấu trúc kind=…/commune=…/year=…/ trong thư mục đó",
        "a Parquet export needs -o DIR: the files are written under it as kind=…/commune=…/year=…/",
    )
}

pub fn not_built(lang: Lang) -> &'static str {
    lang.pick(
        "bản kehoach này được biên dịch không kèm tính năng Parquet: cài lại với `cargo install --path . --features parquet`",
        "this kehoach was built without Parquet: install it with `cargo install --path . --features parquet`",
    )
}

/// The line after an export: how many files and rows, and where.
pub fn written(lang: Lang, files: usize, rows: usize, dir: &str) -> String {
    match lang {
        Lang::Vi => format!("kehoach: đã ghi {files} tệp Parquet ({rows} dòng) vào {dir}"),
        Lang::En => format!("kehoach: wrote {files} Parquet files ({rows} rows) under {dir}"),
    }
}
