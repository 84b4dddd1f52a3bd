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
    // A name the catalogue lacks is kept as written, and said so, once, with its rows.
    assert!(
        said.contains(
            "~ procedure 'Chứng thực bản sao' is not in plan.toml's [[procedures]]: kept as written (1 rows)"
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

/// Names the catalogue lacks are listed once each with their rows, the first twenty unless
/// `--verbose`, the rest counted; an id the catalogue lacks is an error, not a name kept.
#[test]
fn procedure_names_the_catalogue_lacks_are_said_once_each() {
    let env = Env::fixture("minimal");
    let mut csv = String::from("Mã hồ sơ,Tên thủ tục,Ngày tiếp nhận,Ngày hẹn trả\n");
    for i in 1..=23 {
        // Thủ tục 1 twice, 2 to 23 once each.
        let name = format!("Thủ tục {}", i.max(2) - 1);
        csv.push_str(&format!("A-{i},{name},01/03/2021,04/03/2021\n"));
    }
    env.write("a.csv", &csv);
    let out = env.run(&["import", "dossiers", "a.csv", "--dry-run"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let said = tildes(&out);
    let kept = |name: &str, rows: usize| {
        format!(
            "~ procedure '{name}' is not in plan.toml's [[procedures]]: kept as written ({rows} rows)"
        )
    };
    assert_eq!(said.len(), 21, "{said:#?}");
    assert_eq!(said[0], kept("Thủ tục 1", 2));
    assert_eq!(said[19], kept("Thủ tục 20", 1));
    assert_eq!(
        said[20],
        "~ … and 2 more procedure names not in [[procedures]], kept as written (2 rows; --verbose lists them)"
    );
    let out = env.run(&["import", "dossiers", "a.csv", "--dry-run", "--verbose"]);
    let said = tildes(&out);
    assert_eq!(said.len(), 22, "{said:#?}");
    assert_eq!(said[21], kept("Thủ tục 22", 1));

    // Written as an id, it is not a name: the check refuses it, nothing is said as kept.
    let before = env.read("records/dossiers.csv");
    env.write(
        "b.csv",
        "Mã hồ sơ,Tên thủ tục,Ngày tiếp nhận,Ngày hẹn trả\nB-1,ht-khong-co,01/03/2021,04/03/2021\n",
    );
    let out = env.run(&["import", "dossiers", "b.csv"]);
    assert_eq!(code(&out), 1, "{}", stdout(&out));
    assert!(stderr(&out).contains("E219"), "{}", stderr(&out));
    assert!(
        !stdout(&out).contains("kept as written"),
        "{}",
        stdout(&out)
    );
    assert_eq!(env.read("records/dossiers.csv"), before);
}

/// The lines of what a command printed that begin with `~ `.
fn tildes(out: &std::process::Output) -> Vec<String> {
    let said = stdout(out);
    said.lines()
        .filter(|l| l.starts_with("~ "))
        .map(String::from)
        .collect()
}

/// A workbook's sheet as calamine reads it.
fn sheet_of(path: &std::path::Path, name: &str) -> calamine::Range<calamine::Data> {
    use calamine::Reader;
    let mut book = calamine::open_workbook_auto(path).expect("a workbook");
    book.worksheet_range(name).expect("the sheet")
}

/// A part of a workbook (an XML file in its zip).
fn part(path: &std::path::Path, name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut text = String::new();
    std::io::Read::read_to_string(&mut zip.by_name(name).unwrap(), &mut text).unwrap();
    text
}

/// The 0-based index of each sheet's XML part, by the sheet's name.
fn sheet_part(path: &std::path::Path, name: &str) -> String {
    use calamine::Reader;
    let book = calamine::open_workbook_auto(path).unwrap();
    let i = book.sheet_names().iter().position(|s| s == name).unwrap();
    format!("xl/worksheets/sheet{}.xml", i + 1)
}

/// Whether the cell at `cell` ("D6") is a text cell (not a formula) whose style has Excel's
/// quote prefix.
fn quoted_text_cell(path: &std::path::Path, sheet: &str, cell: &str) -> bool {
    let xml = part(path, &sheet_part(path, sheet));
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let c = doc
        .descendants()
        .find(|n| n.has_tag_name("c") && n.attribute("r") == Some(cell))
        .unwrap_or_else(|| panic!("no cell {cell}"));
    let is_text = c.attribute("t") == Some("s") && !c.children().any(|n| n.has_tag_name("f"));
    let style: usize = c.attribute("s").unwrap_or("0").parse().unwrap();
    let styles = part(path, "xl/styles.xml");
    let styles = roxmltree::Document::parse(&styles).unwrap();
    let xf = styles
        .descendants()
        .find(|n| n.has_tag_name("cellXfs"))
        .unwrap()
        .children()
        .filter(|n| n.has_tag_name("xf"))
        .nth(style)
        .unwrap();
    is_text && xf.attribute("quotePrefix") == Some("1")
}

#[test]
fn the_xlsx_report_reads_back_with_its_numbers_dates_and_formats() {
    use calamine::{Data, Reader};
    let env = Env::shipped();
    let out = env.run(&[
        "report", "quarter", "2021-Q3", "--format", "xlsx", "-o", "q3.xlsx",
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let json =
        crate::harness::json(&env.run(&["report", "quarter", "2021-Q3", "--format", "json"]));
    let path = env.path().join("q3.xlsx");

    let mut book = calamine::open_workbook_auto(&path).unwrap();
    assert_eq!(
        book.sheet_names(),
        [
            "Tổng hợp hồ sơ",
            "Theo lĩnh vực",
            "Theo thủ tục",
            "Theo cán bộ",
            "Hoạt động",
            "Sản phẩm",
            "Vi phạm",
            "Khen thưởng",
            "Ý kiến",
            "Nguyên nhân trễ hạn",
            "Tồn tại, hạn chế"
        ]
    );
    let styles = book.worksheet_style("Tổng hợp hồ sơ").unwrap();
    let summary = sheet_of(&path, "Tổng hợp hồ sơ");
    let at = |r: u32, c: u32| summary.get_value((r, c)).cloned().unwrap_or(Data::Empty);
    // The title and the period on top, the header on row 5.
    assert_eq!(
        at(0, 0),
        Data::String(
            "BÁO CÁO Kết quả thực hiện kỷ luật, kỷ cương hành chính quý III năm 2021".into()
        )
    );
    assert_eq!(
        at(1, 0),
        Data::String(
            "Ủy ban nhân dân xã Sơn Hồng: Quý III năm 2021 (từ ngày 15/06/2021 đến ngày 14/09/2021)"
                .into()
        )
    );
    assert_eq!(at(4, 0), Data::String("Chỉ tiêu".into()));
    // Counts are numbers, the same as the report's.
    let d = &json["dossiers"];
    for (row, key) in [(5, "carried_in"), (6, "received"), (7, "total")] {
        assert_eq!(at(row, 1), Data::Float(d[key].as_f64().unwrap()), "{key}");
    }
    assert_eq!(at(5, 1), Data::Float(9.0));
    assert_eq!(at(8, 0), Data::String("Đã giải quyết".into()));
    assert_eq!(
        at(8, 1),
        Data::Float(d["resolved"]["total"].as_f64().unwrap())
    );
    // The on-time rate is a fraction shown as a percentage: 94.78 % is 0.9478.
    assert_eq!(at(18, 0), Data::String("Tỷ lệ giải quyết đúng hạn".into()));
    let Data::Float(rate) = at(18, 1) else {
        panic!("the rate is not a number: {:?}", at(18, 1));
    };
    assert!(
        (rate - d["on_time_rate"].as_f64().unwrap() / 100.0).abs() < 1e-9,
        "{rate}"
    );
    assert!((rate - 0.9478).abs() < 1e-9, "{rate}");
    let format = |r, c| {
        styles
            .get((r, c))
            .and_then(|s| s.number_format.as_ref())
            .map(|f| f.format_code.clone())
    };
    assert_eq!(format(18, 1).as_deref(), Some("0.00%"));
    assert_eq!(format(5, 1).as_deref(), Some("#,##0"));

    // Dates are dates: the first activity of the quarter, 16/06/2021.
    let activities = sheet_of(&path, "Hoạt động");
    match activities.get_value((5, 1)) {
        Some(Data::DateTime(dt)) => assert_eq!(
            dt.as_datetime().unwrap().date(),
            chrono::NaiveDate::from_ymd_opt(2021, 6, 16).unwrap()
        ),
        other => panic!("not a date: {other:?}"),
    }
    let act_styles = book.worksheet_style("Hoạt động").unwrap();
    assert_eq!(
        act_styles
            .get((5, 1))
            .and_then(|s| s.number_format.as_ref())
            .map(|f| f.format_code.as_str()),
        Some("dd/mm/yyyy")
    );
    assert_eq!(
        activities.get_value((5, 3)),
        Some(&Data::String(
            "Sơ kết 6 tháng hoạt động của Bộ phận tiếp nhận và trả kết quả".into()
        ))
    );

    // The header row stays in view, and the columns fit their Vietnamese text.
    let xml = part(&path, &sheet_part(&path, "Tổng hợp hồ sơ"));
    assert!(
        xml.contains(
            r#"<pane ySplit="5" topLeftCell="A6" activePane="bottomLeft" state="frozen"/>"#
        ),
        "{xml}"
    );
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let width = doc
        .descendants()
        .find(|n| n.has_tag_name("col") && n.attribute("min") == Some("1"))
        .and_then(|n| n.attribute("width"))
        .and_then(|w| w.parse::<f64>().ok())
        .unwrap();
    let longest = "Tỷ lệ đúng hạn tính cả hồ sơ tồn".chars().count() as f64;
    assert!(width >= longest && width <= 60.0, "{width}");

    // The same data gives the same bytes.
    let out = env.run(&[
        "report",
        "quarter",
        "2021-Q3",
        "--format",
        "xlsx",
        "-o",
        "again.xlsx",
    ]);
    assert_eq!(code(&out), 0);
    assert_eq!(
        std::fs::read(&path).unwrap(),
        std::fs::read(env.path().join("again.xlsx")).unwrap()
    );
}

#[test]
fn formula_like_text_is_neutralised_in_every_excel_bound_output() {
    let env = Env::fixture("minimal");
    let formula = "=HYPERLINK(\"http://x.example\",\"Bấm vào đây\")";
    let activities = env.read("records/activities.csv");
    env.write(
        "records/activities.csv",
        format!(
            "{activities}2021-03-05,1,dissemination,\"{}\",ct,Biên bản 05/BB-UBND,,,\n",
            formula.replace('"', "\"\"")
        ),
    );
    let out = env.run(&["check", "--as-of", "2021-03-31"]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));

    // The report workbook: a text cell with Excel's quote prefix, reading back unchanged.
    let out = env.run(&[
        "report", "quarter", "2021-Q1", "--format", "xlsx", "-o", "r.xlsx",
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let path = env.path().join("r.xlsx");
    let sheet = sheet_of(&path, "Hoạt động");
    let row = (0..sheet.height() as u32)
        .find(|&r| sheet.get_value((r, 3)) == Some(&calamine::Data::String(formula.into())))
        .expect("the formula-like summary, unchanged");
    assert!(quoted_text_cell(
        &path,
        "Hoạt động",
        &format!("D{}", row + 1)
    ));
    // A cell of ordinary text has no quote prefix.
    assert!(!quoted_text_cell(&path, "Hoạt động", "D6"));

    // The records workbook too.
    let out = env.run(&["export", "activities", "--format", "xlsx", "-o", "e.xlsx"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let path = env.path().join("e.xlsx");
    let sheet = sheet_of(&path, "Hoạt động");
    let row = (0..sheet.height() as u32)
        .find(|&r| sheet.get_value((r, 3)) == Some(&calamine::Data::String(formula.into())))
        .expect("the formula-like summary, unchanged");
    assert!(quoted_text_cell(
        &path,
        "Hoạt động",
        &format!("D{}", row + 1)
    ));

    // CSV: a ' in front, which import takes off again.
    let out = env.run(&["export", "activities"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let csv = stdout(&out);
    assert!(
        csv.contains(&format!("\"'{}\"", formula.replace('"', "\"\""))),
        "{csv}"
    );
    let fresh = Env::fixture("minimal");
    fresh.write(
        "records/activities.csv",
        "date,task,kind,summary,officers,evidence,deliverable,participants,note\n",
    );
    fresh.write("a.csv", &csv);
    let out = fresh.run(&["import", "activities", "a.csv"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(
        fresh.read("records/activities.csv"),
        env.read("records/activities.csv")
    );
}

/// The record files of a folder with their headers only.
fn emptied(env: &Env) {
    for kind in [
        "activities",
        "dossiers",
        "violations",
        "commendations",
        "feedback",
        "commitments",
        "ratings",
    ] {
        let rel = format!("records/{kind}.csv");
        let text = env.read(&rel);
        let header = text.lines().next().unwrap();
        env.write(&rel, format!("{header}\n"));
    }
    // The commitments' judgements name rows of commitments.csv: they go with them.
    std::fs::remove_dir_all(env.path().join("records/commitments")).unwrap();
}

#[test]
fn an_export_imports_back_to_the_same_records() {
    let env = Env::shipped();
    let out = env.run(&["export", "-o", "out"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("exported 1515 rows of dossiers"),
        "{}",
        stderr(&out)
    );
    // Again into the folder it made, and with a slash after its name: each file replaced.
    for out_dir in ["out", "out/"] {
        let again = env.run(&["export", "-o", out_dir]);
        assert_eq!(code(&again), 0, "{out_dir}: {}", stderr(&again));
    }
    let dossiers = env.read("out/dossiers.csv");
    assert!(dossiers.starts_with("\u{feff}Mã hồ sơ,Tên thủ tục,Lĩnh vực,Ngày tiếp nhận,Ngày hẹn trả,Ngày trả kết quả,Trạng thái,Cán bộ xử lý,Lý do trễ hạn,Ngày xin lỗi,Ngày hẹn lại,Ghi chú,Hình thức nộp,Ngày yêu cầu bổ sung,Lý do từ chối\r\n"));
    let out = env.run(&["export", "--format", "xlsx", "-o", "all.xlsx"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));

    // From CSV: every kind into an empty folder, then the same export again.
    let fresh = Env::shipped();
    emptied(&fresh);
    for kind in [
        "activities",
        "dossiers",
        "violations",
        "commendations",
        "feedback",
        "commitments",
        "ratings",
    ] {
        let file = env.path().join(format!("out/{kind}.csv"));
        let out = fresh.run(&["import", kind, file.to_str().unwrap()]);
        assert_eq!(code(&out), 0, "{kind}: {}", stderr(&out));
    }
    let out = fresh.run(&["export", "-o", "out"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    for kind in [
        "activities",
        "dossiers",
        "violations",
        "commendations",
        "feedback",
        "commitments",
        "ratings",
    ] {
        let rel = format!("out/{kind}.csv");
        assert_eq!(fresh.read(&rel), env.read(&rel), "{kind}");
    }
    // The one-stop report of the reimported folder is the original's (but for its provenance
    // line: the digest of the bytes read, which are written differently).
    let report = |e: &Env| {
        let text = stdout(&e.run(&["report", "year", "2021"]));
        (text.lines())
            .filter(|l| !l.starts_with("<small>Nguồn dữ liệu:"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(report(&fresh), report(&env));

    // From the workbook: the dossiers' sheet, found by name, its header under the title rows.
    let fresh = Env::shipped();
    emptied(&fresh);
    let book = env.path().join("all.xlsx");
    let out = fresh.run(&[
        "import",
        "dossiers",
        book.to_str().unwrap(),
        "--sheet",
        "Hồ sơ thủ tục hành chính",
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stdout(&out).contains("Imported 1515 rows into records/dossiers.csv (")
            && stdout(&out).contains("header on row 4)"),
        "{}",
        stdout(&out)
    );
    let out = fresh.run(&["export", "dossiers", "-o", "d.csv"]);
    assert_eq!(code(&out), 0);
    assert_eq!(fresh.read("d.csv"), env.read("out/dossiers.csv"));
}

#[test]
fn export_says_what_it_cannot_do() {
    let env = Env::fixture("minimal");
    // Several kinds as CSV need a folder.
    let out = env.run(&["export", "activities", "dossiers"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("give a folder with -o DIR"),
        "{}",
        stderr(&out)
    );
    // A folder with errors is not exported.
    let activities = env.read("records/activities.csv");
    env.write(
        "records/activities.csv",
        format!("{activities}31/02/2021,1,meeting,Họp,ct,,,,\n"),
    );
    let out = env.run(&["export", "activities"]);
    assert_eq!(code(&out), 1);
    assert!(stderr(&out).contains("E204"), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("nothing exported"),
        "{}",
        stderr(&out)
    );
    assert!(stdout(&out).is_empty());
}

/// Issue 18: the same book saved by a real spreadsheet program. `tests/fixtures/excel/so.xlsx`
/// is what [`workbook`] writes (rust_xlsxwriter); `so.ods` and `so.xls` are that file saved by
/// LibreOffice Calc 7.4 (`soffice --headless --convert-to ods`, `--convert-to "xls:MS Excel 97"`):
/// the merged title rows, the dates as date cells (an OpenDocument file keeps them as ISO text,
/// one with a time of day), the bare serial number and the dates typed as text kept as they
/// were. Each imports to the records its CSV twin gives, and a second import adds nothing.
#[test]
fn the_book_saved_by_libreoffice_as_ods_and_xls_imports_as_its_csv_twin() {
    let twin = Env::fixture("minimal");
    twin.write("so.csv", CSV_TWIN);
    let out = twin.run(&["import", "dossiers", "so.csv"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let expected = twin.read("records/dossiers.csv");
    let fixtures = crate::harness::fixtures().join("excel");
    for name in ["so.xlsx", "so.ods", "so.xls"] {
        let env = Env::fixture("minimal");
        env.write(name, std::fs::read(fixtures.join(name)).unwrap());
        let out = env.run(&["import", "dossiers", name]);
        assert_eq!(code(&out), 0, "{name}: {}", stderr(&out));
        let said = stdout(&out);
        assert!(
            said.contains(&format!(
                "Imported 3 rows into records/dossiers.csv ({name} (dossiers), sheet 'Sổ theo dõi', header on row 4); skipped 0 already present."
            )),
            "{name}: {said}"
        );
        assert_eq!(env.read("records/dossiers.csv"), expected, "{name}");

        let out = env.run(&["import", "dossiers", name]);
        assert_eq!(code(&out), 0, "{name}: {}", stderr(&out));
        assert!(
            stdout(&out).contains("Imported 0 rows")
                && stdout(&out).contains("skipped 3 already present"),
            "{name}: {}",
            stdout(&out)
        );
        assert_eq!(env.read("records/dossiers.csv"), expected, "{name}");
    }
}

/// The month's report as a workbook, on the hand-counted dossiers of `onestop.rs`: the new
/// rows are numbers and the online share a percentage, the late reasons a sheet, most
/// frequent first.
#[test]
fn the_month_report_as_a_workbook_has_the_one_stop_rows() {
    use calamine::{Data, Reader};
    let env = Env::fixture("minimal");
    env.write("records/dossiers.csv", crate::onestop::COUNTED);
    let out = env.run(&[
        "report",
        "month",
        "2021-04",
        "--as-of",
        "2021-04-30",
        "--format",
        "xlsx",
        "-o",
        "t4.xlsx",
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let path = env.path().join("t4.xlsx");
    let mut book = calamine::open_workbook_auto(&path).unwrap();
    assert_eq!(book.sheet_names()[0], "Tổng hợp hồ sơ");
    let styles = book.worksheet_style("Tổng hợp hồ sơ").unwrap();
    let summary = sheet_of(&path, "Tổng hợp hồ sơ");
    let row_of = |label: &str| {
        (0..summary.height() as u32)
            .find(|&r| summary.get_value((r, 0)) == Some(&Data::String(label.into())))
            .unwrap_or_else(|| panic!("no row {label}"))
    };
    let value = |label: &str| summary.get_value((row_of(label), 1)).cloned();
    for (label, n) in [
        ("Tồn kỳ trước chuyển sang", 1.0),
        ("Tiếp nhận mới trong kỳ", 9.0),
        ("Tiếp nhận mới: trực tiếp", 4.0),
        ("Tiếp nhận mới: qua dịch vụ bưu chính công ích", 1.0),
        ("Tiếp nhận mới: trực tuyến", 3.0),
        ("– Trực tuyến toàn trình", 1.0),
        ("– Trực tuyến một phần", 1.0),
        ("Tiếp nhận mới: chưa ghi hình thức nộp", 1.0),
        ("Rút hồ sơ", 1.0),
        ("Dừng giải quyết", 1.0),
        ("Từ chối", 1.0),
        ("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ đã phát hành", 2.0),
        ("Văn bản xin lỗi đã phát hành", 1.0),
    ] {
        assert_eq!(value(label), Some(Data::Float(n)), "{label}");
    }
    // 3 of 9 received online: 33.33 %, the fraction 0.3333 shown as a percentage.
    let share = row_of("Tỷ lệ hồ sơ tiếp nhận trực tuyến");
    let Some(Data::Float(f)) = summary.get_value((share, 1)).cloned() else {
        panic!("the share is not a number");
    };
    assert!((f - 0.3333).abs() < 1e-9, "{f}");
    let format = |r: u32| {
        styles
            .get((r, 1))
            .and_then(|s| s.number_format.as_ref())
            .map(|f| f.format_code.clone())
    };
    assert_eq!(format(share).as_deref(), Some("0.00%"));
    assert_eq!(format(row_of("Từ chối")).as_deref(), Some("#,##0"));
    let reasons = sheet_of(&path, "Nguyên nhân trễ hạn");
    let header = (0..reasons.height() as u32)
        .find(|&r| reasons.get_value((r, 0)) == Some(&Data::String("Nguyên nhân trễ hạn".into())))
        .expect("the header");
    assert_eq!(
        reasons.get_value((header + 1, 0)),
        Some(&Data::String("Chờ xác minh".into()))
    );
    assert_eq!(reasons.get_value((header + 1, 1)), Some(&Data::Float(3.0)));
    assert_eq!(
        reasons.get_value((header + 2, 0)),
        Some(&Data::String("Hồ sơ phải xác minh thêm".into()))
    );
}
