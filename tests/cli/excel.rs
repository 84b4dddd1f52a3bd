//! Excel both ways: workbooks imported as their CSV twins are, reports and records written as
//! workbooks a reader opens, and text Excel would evaluate neutralised.

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

use crate::harness::{Env, code, stderr, stdout};

/// The one-stop book's columns, as the CSV tests of `entry.rs` write them.
const HEADER: [&str; 11] = [
    "STT",
    "Mã hồ sơ",
    "Tên thủ tục",
    "Lĩnh vực",
    "Ngày tiếp nhận",
    "Ngày hẹn trả",
    "Ngày trả kết quả",
    "Trạng thái",
    "Cán bộ xử lý",
    "Chủ hồ sơ",
    "Ghi chú",
];

/// The CSV twin: the same rows as text, dates day first.
const CSV_TWIN: &str = "\u{feff}STT;Mã hồ sơ;Tên thủ tục;Lĩnh vực;Ngày tiếp nhận;Ngày hẹn trả;Ngày trả kết quả;Trạng thái;Cán bộ xử lý;Chủ hồ sơ;Ghi chú\r\n\
1;000.00.27.H42-210301-0001;Đăng ký khai sinh;Hộ tịch;01/03/2021 08:15;02/03/2021;02/03/2021;Đã trả kết quả;Phạm Thị Cúc;Trần Văn Thủy;Nộp trực tiếp\r\n\
2;000.00.27.H42-210301-0002;Dang ky  khai sinh;Hộ tịch;01/03/2021;02/03/2021;;Đang xử lý;Nguyễn Khánh Hoà;Lê Thị Hòa;\r\n\
3;000.00.27.H42-210302-0001;Chứng thực bản sao;Chứng thực;02/03/2021;03/03/2021;04/03/2021;;Nguyễn Khánh Hòa;Đỗ Văn Khỏe;Trả qua bưu điện\r\n";

/// The same book as a clerk's workbook, written by a spreadsheet writer: a merged title and a
/// period line above the header, a row numbering the columns under it, dates as Excel dates
/// (one with a time of day, one a bare serial number whose format was lost, one typed as
/// text), the row numbers as numbers.
fn workbook() -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Sổ theo dõi").unwrap();
    let bold = Format::new().set_bold();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let date_time = Format::new().set_num_format("dd/mm/yyyy hh:mm");
    sheet
        .merge_range(0, 0, 0, 10, "SỔ THEO DÕI HỒ SƠ", &bold)
        .unwrap();
    sheet
        .merge_range(
            1,
            0,
            1,
            10,
            "Từ ngày 01/03/2021 đến ngày 31/03/2021",
            &Format::new(),
        )
        .unwrap();
    for (c, h) in HEADER.iter().enumerate() {
        sheet
            .write_string_with_format(3, c as u16, *h, &bold)
            .unwrap();
        sheet
            .write_string(4, c as u16, format!("({})", c + 1))
            .unwrap();
    }
    let day = |d: u8| ExcelDateTime::from_ymd(2021, 3, d).unwrap();
    // Row 6: a received date with a time of day, the others as dates.
    let r = 5;
    sheet.write_number(r, 0, 1).unwrap();
    sheet
        .write_string(r, 1, "000.00.27.H42-210301-0001")
        .unwrap();
    sheet.write_string(r, 2, "Đăng ký khai sinh").unwrap();
    sheet.write_string(r, 3, "Hộ tịch").unwrap();
    sheet
        .write_datetime_with_format(r, 4, day(1).and_hms(8, 15, 0).unwrap(), &date_time)
        .unwrap();
    sheet
        .write_datetime_with_format(r, 5, day(2), &date)
        .unwrap();
    sheet
        .write_datetime_with_format(r, 6, day(2), &date)
        .unwrap();
    sheet.write_string(r, 7, "Đã trả kết quả").unwrap();
    sheet.write_string(r, 8, "Phạm Thị Cúc").unwrap();
    sheet.write_string(r, 9, "Trần Văn Thủy").unwrap();
    sheet.write_string(r, 10, "Nộp trực tiếp").unwrap();
    // Row 7: the received date a bare serial number (44256 = 01/03/2021), the procedure
    // typed without diacritics and with a double space.
    let r = 6;
    sheet.write_number(r, 0, 2).unwrap();
    sheet
        .write_string(r, 1, "000.00.27.H42-210301-0002")
        .unwrap();
    sheet.write_string(r, 2, "Dang ky  khai sinh").unwrap();
    sheet.write_string(r, 3, "Hộ tịch").unwrap();
    sheet.write_number(r, 4, 44256).unwrap();
    sheet
        .write_datetime_with_format(r, 5, day(2), &date)
        .unwrap();
    sheet.write_string(r, 7, "Đang xử lý").unwrap();
    sheet.write_string(r, 8, "Nguyễn Khánh Hoà").unwrap();
    sheet.write_string(r, 9, "Lê Thị Hòa").unwrap();
    // Row 8: dates typed as text, day first.
    let r = 7;
    sheet.write_number(r, 0, 3).unwrap();
    sheet
        .write_string(r, 1, "000.00.27.H42-210302-0001")
        .unwrap();
    sheet.write_string(r, 2, "Chứng thực bản sao").unwrap();
    sheet.write_string(r, 3, "Chứng thực").unwrap();
    sheet.write_string(r, 4, "02/03/2021").unwrap();
    sheet.write_string(r, 5, "03/03/2021").unwrap();
    sheet.write_string(r, 6, "04/03/2021").unwrap();
    sheet.write_string(r, 8, "Nguyễn Khánh Hòa").unwrap();
    sheet.write_string(r, 9, "Đỗ Văn Khỏe").unwrap();
    sheet.write_string(r, 10, "Trả qua bưu điện").unwrap();
    // A second sheet, to be chosen by name.
    let other = book.add_worksheet();
    other.set_name("Ghi chú").unwrap();
    other.write_string(0, 0, "Không phải sổ").unwrap();
    book.save_to_buffer().unwrap()
}

#[test]
fn a_workbook_imports_to_the_same_records_as_its_csv_twin() {
    let twin = Env::fixture("minimal");
    twin.write("so.csv", CSV_TWIN);
    let out = twin.run(&["import", "dossiers", "so.csv"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));

    let env = Env::fixture("minimal");
    env.write("so.xlsx", workbook());
    let out = env.run(&["import", "dossiers", "so.xlsx"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let said = stdout(&out);
    assert!(
        said.contains("+ so.xlsx:6 → records/dossiers.csv:5:")
            && said.contains("+ so.xlsx:8 → records/dossiers.csv:7:"),
        "rows are named by their row in the sheet: {said}"
    );
    assert!(
        said.contains(
            "~ procedure 'Dang ky  khai sinh' read as ht-khai-sinh \"Đăng ký khai sinh\" (1 rows)"
        ),
        "{said}"
    );
    assert!(
        said.contains(
            "Imported 3 rows into records/dossiers.csv (so.xlsx (dossiers), sheet 'Sổ theo dõi', header on row 4); skipped 0 already present."
        ),
        "{said}"
    );
    let records = env.read("records/dossiers.csv");
    assert_eq!(records, twin.read("records/dossiers.csv"));
    assert!(
        records.ends_with(
            "000.00.27.H42-210301-0001,ht-khai-sinh,Hộ tịch,2021-03-01,2021-03-02,2021-03-02,,vp1,,,,Nộp trực tiếp\n\
             000.00.27.H42-210301-0002,ht-khai-sinh,Hộ tịch,2021-03-01,2021-03-02,,,ct,,,,\n\
             000.00.27.H42-210302-0001,Chứng thực bản sao,Chứng thực,2021-03-02,2021-03-03,2021-03-04,,ct,,,,Trả qua bưu điện\n"
        ),
        "{records}"
    );

    // A second import adds nothing.
    let out = env.run(&["import", "dossiers", "so.xlsx"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stdout(&out).contains("Imported 0 rows")
            && stdout(&out).contains("skipped 3 already present"),
        "{}",
        stdout(&out)
    );
    assert_eq!(env.read("records/dossiers.csv"), records);
    let out = env.run(&["check", "--as-of", "2021-03-31"]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
}

#[test]
fn a_sheet_is_chosen_by_name_and_a_missing_one_is_named() {
    let env = Env::fixture("minimal");
    env.write("so.xlsx", workbook());
    let before = env.read("records/dossiers.csv");
    // The second sheet has no header of dossiers: its first row is reported.
    let out = env.run(&["import", "dossiers", "so.xlsx", "--sheet", "ghi chu"]);
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).contains("so.xlsx:1:1: E206 unknown column 'Không phải sổ' for dossiers"),
        "{}",
        stderr(&out)
    );
    let out = env.run(&["import", "dossiers", "so.xlsx", "--sheet", "Quý 1"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out)
            .contains("the workbook has no sheet 'Quý 1'; its sheets: 'Sổ theo dõi', 'Ghi chú'"),
        "{}",
        stderr(&out)
    );
    // Not a workbook at all, though named like one.
    env.write("hong.xlsx", b"PK\x03\x04 not really a zip");
    let out = env.run(&["import", "dossiers", "hong.xlsx"]);
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).contains("hong.xlsx: E202 the file cannot be read as a workbook"),
        "{}",
        stderr(&out)
    );
    assert_eq!(env.read("records/dossiers.csv"), before);
}

#[test]
fn a_bad_cell_in_a_workbook_is_named_by_row_and_column_and_nothing_is_written() {
    let env = Env::fixture("minimal");
    let before = env.read("records/dossiers.csv");
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in ["Mã hồ sơ", "Tên thủ tục", "Ngày tiếp nhận", "Ngày hẹn trả"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    sheet.write_string(1, 0, "A-1").unwrap();
    sheet.write_string(1, 1, "Khai sinh").unwrap();
    sheet.write_string(1, 2, "01/03/2021").unwrap();
    sheet.write_string(1, 3, "02/03/2021").unwrap();
    sheet.write_string(2, 0, "A-2").unwrap();
    sheet.write_string(2, 1, "Khai sinh").unwrap();
    sheet.write_string(2, 2, "31/02/2021").unwrap();
    sheet.write_string(2, 3, "02/03/2021").unwrap();
    env.write("bad.xlsx", book.save_to_buffer().unwrap());
    let out = env.run(&["import", "dossiers", "bad.xlsx"]);
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).contains("bad.xlsx:3:3: E204 received date 31/02/2021 is not a date"),
        "{}",
        stderr(&out)
    );
    assert_eq!(env.read("records/dossiers.csv"), before);
}

#[test]
fn an_ambiguous_procedure_name_is_an_error_listing_the_candidates() {
    let env = Env::fixture("minimal");
    let plan = env.read("plan.toml");
    env.write(
        "plan.toml",
        format!(
            "{plan}\n[[procedures]]\nid = \"ht-nhan-cmc\"\nname = \"Đăng ký nhận cha, mẹ, con\"\nfield = \"Hộ tịch\"\ndays = 3\n\n\
             [[procedures]]\nid = \"ht-nhan-cmc-nn\"\nname = \"Nhận cha, mẹ, con\"\nfield = \"Hộ tịch\"\ndays = 3\n"
        ),
    );
    let before = env.read("records/dossiers.csv");
    env.write(
        "a.csv",
        "Mã hồ sơ,Tên thủ tục,Ngày tiếp nhận,Ngày hẹn trả\nA-1,nhan cha me con,01/03/2021,04/03/2021\n",
    );
    let out = env.run(&["import", "dossiers", "a.csv"]);
    assert_eq!(code(&out), 1, "{}", stdout(&out));
    assert!(
        stderr(&out).contains(
            "a.csv:2:2: E219 procedure 'nhan cha me con' could be any of: ht-nhan-cmc \"Đăng ký nhận cha, mẹ, con\", ht-nhan-cmc-nn \"Nhận cha, mẹ, con\""
        ),
        "{}",
        stderr(&out)
    );
    assert_eq!(env.read("records/dossiers.csv"), before);
}
