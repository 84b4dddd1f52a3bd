//! `kehoach report --format docx|html`: the official documents. The DOCX is opened as the ZIP
//! package it is: every part well-formed XML, declared in [Content_Types].xml, reachable through
//! the relationships; the Nghị định 30 header, title, dossier table and signer found in the text
//! of word/document.xml; A4, the margins and the page number from page 2 in the section. The
//! HTML is one file without network references, printing on A4, escaping all record text.

use std::collections::BTreeMap;
use std::io::{Cursor, Read};

use serde_json::Value;

use crate::harness::{Env, code, json, stderr, stdout};

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// A DOCX package: part name → bytes, in archive order.
struct Docx {
    parts: BTreeMap<String, Vec<u8>>,
    order: Vec<String>,
}

impl Docx {
    fn open(bytes: &[u8]) -> Docx {
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("a ZIP archive");
        let mut parts = BTreeMap::new();
        let mut order = Vec::new();
        for i in 0..archive.len() {
            let mut file = archive.by_index(i).unwrap();
            let mut data = Vec::new();
            file.read_to_end(&mut data).unwrap();
            let name = file.name().expect("a UTF-8 part name").to_string();
            order.push(name.clone());
            parts.insert(name, data);
        }
        Docx { parts, order }
    }

    fn text(&self, name: &str) -> &str {
        std::str::from_utf8(
            self.parts
                .get(name)
                .unwrap_or_else(|| panic!("no part {name}")),
        )
        .unwrap_or_else(|e| panic!("{name} is not UTF-8: {e}"))
    }

    fn xml(&self, name: &str) -> roxmltree::Document<'_> {
        roxmltree::Document::parse(self.text(name))
            .unwrap_or_else(|e| panic!("{name} is not well-formed XML: {e}"))
    }

    /// The targets of a relationships part, by id, resolved against the source part's folder.
    fn relationships(&self, rels: &str) -> BTreeMap<String, String> {
        let base = rels
            .strip_suffix(".rels")
            .and_then(|p| p.rsplit_once("_rels/"))
            .map(|(dir, _)| dir.to_string())
            .unwrap_or_default();
        let doc = self.xml(rels);
        doc.descendants()
            .filter(|n| n.has_tag_name("Relationship"))
            .map(|n| {
                let target = n.attribute("Target").unwrap();
                let resolved = match target.strip_prefix('/') {
                    Some(absolute) => absolute.to_string(),
                    None => format!("{base}{target}"),
                };
                (n.attribute("Id").unwrap().to_string(), resolved)
            })
            .collect()
    }
}

/// The text of a WordprocessingML part, one line per paragraph (a `w:br` is a space).
fn paragraphs(doc: &roxmltree::Document) -> Vec<String> {
    doc.descendants()
        .filter(|n| n.has_tag_name((W, "p")))
        .map(|p| {
            let mut line = String::new();
            for n in p.descendants() {
                if n.has_tag_name((W, "t")) {
                    line.push_str(n.text().unwrap_or(""));
                } else if n.has_tag_name((W, "br")) {
                    line.push(' ');
                }
            }
            line
        })
        .collect()
}

/// The rows of every table of the document as cell texts.
fn tables(doc: &roxmltree::Document) -> Vec<Vec<Vec<String>>> {
    doc.descendants()
        .filter(|n| n.has_tag_name((W, "tbl")))
        .map(|tbl| {
            tbl.children()
                .filter(|n| n.has_tag_name((W, "tr")))
                .map(|tr| {
                    tr.children()
                        .filter(|n| n.has_tag_name((W, "tc")))
                        .map(|tc| {
                            tc.descendants()
                                .filter(|n| n.has_tag_name((W, "t")))
                                .map(|t| t.text().unwrap_or(""))
                                .collect::<String>()
                        })
                        .collect()
                })
                .collect()
        })
        .collect()
}

fn w<'a>(node: roxmltree::Node<'a, '_>, attr: &str) -> Option<&'a str> {
    node.attribute((W, attr))
}

fn child<'a, 'i>(node: roxmltree::Node<'a, 'i>, name: &str) -> roxmltree::Node<'a, 'i> {
    node.children()
        .find(|n| n.has_tag_name((W, name)))
        .unwrap_or_else(|| panic!("no w:{name} in {:?}", node.tag_name()))
}

fn docx(env: &Env, args: &[&str]) -> Docx {
    let mut all = args.to_vec();
    all.extend(["--format", "docx", "-o", "out.docx"]);
    let out = env.run(&all);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    Docx::open(&std::fs::read(env.path().join("out.docx")).unwrap())
}

fn html(env: &Env, args: &[&str]) -> String {
    let mut all = args.to_vec();
    all.extend(["--format", "html"]);
    let out = env.run(&all);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    stdout(&out)
}

#[test]
fn the_docx_package_is_complete_and_well_formed() {
    let env = Env::shipped();
    let doc = docx(&env, &["report", "quarter", "2021-Q3"]);
    for name in [
        "[Content_Types].xml",
        "_rels/.rels",
        "word/document.xml",
        "word/_rels/document.xml.rels",
        "word/styles.xml",
        "word/settings.xml",
        "word/header1.xml",
        "docProps/core.xml",
        "docProps/app.xml",
    ] {
        assert!(doc.parts.contains_key(name), "missing {name}");
    }
    assert_eq!(doc.order[0], "[Content_Types].xml");
    for name in doc.parts.keys() {
        doc.xml(name);
    }

    // Every part has a content type: an Override by name, or a Default by extension.
    let types = doc.xml("[Content_Types].xml");
    let defaults: BTreeMap<&str, &str> = types
        .descendants()
        .filter(|n| n.has_tag_name("Default"))
        .map(|n| {
            (
                n.attribute("Extension").unwrap(),
                n.attribute("ContentType").unwrap(),
            )
        })
        .collect();
    let overrides: BTreeMap<&str, &str> = types
        .descendants()
        .filter(|n| n.has_tag_name("Override"))
        .map(|n| {
            (
                n.attribute("PartName").unwrap(),
                n.attribute("ContentType").unwrap(),
            )
        })
        .collect();
    for name in doc.parts.keys().filter(|n| *n != "[Content_Types].xml") {
        let declared = overrides
            .get(format!("/{name}").as_str())
            .or_else(|| name.rsplit_once('.').and_then(|(_, ext)| defaults.get(ext)));
        assert!(declared.is_some(), "{name} has no content type");
    }
    for part in overrides.keys() {
        assert!(
            doc.parts.contains_key(&part[1..]),
            "[Content_Types].xml declares {part}, which is not in the package"
        );
    }
    assert_eq!(
        overrides["/word/document.xml"],
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    );
    assert_eq!(
        overrides["/word/header1.xml"],
        "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"
    );

    // The relationships point at parts that exist.
    let root = doc.relationships("_rels/.rels");
    assert!(root.values().any(|t| t == "word/document.xml"), "{root:?}");
    assert!(root.values().any(|t| t == "docProps/core.xml"), "{root:?}");
    for target in root.values() {
        assert!(doc.parts.contains_key(target), "_rels/.rels → {target}");
    }
    let rels = doc.relationships("word/_rels/document.xml.rels");
    for target in rels.values() {
        assert!(
            doc.parts.contains_key(target),
            "document.xml.rels → {target}"
        );
    }
    assert!(rels.values().any(|t| t == "word/styles.xml"), "{rels:?}");

    // Every r:id of the document is a relationship.
    let document = doc.xml("word/document.xml");
    for n in document.descendants() {
        if let Some(id) = n.attribute((R, "id")) {
            assert!(rels.contains_key(id), "r:id {id} has no relationship");
        }
    }

    // The properties name the document and its author, the authority.
    let core = doc.text("docProps/core.xml");
    assert!(core.contains("<dc:creator>Ủy ban nhân dân xã Sơn Hồng</dc:creator>"));
    assert!(core.contains(
        "<dc:title>Báo cáo kết quả thực hiện kỷ luật, kỷ cương hành chính quý III năm 2021</dc:title>"
    ));
    assert!(core.contains("2021-09-14T00:00:00Z"), "{core}");
}

#[test]
fn the_docx_says_what_the_decree_and_the_report_say() {
    let env = Env::shipped();
    let doc = docx(&env, &["report", "quarter", "2021-Q3"]);
    let document = doc.xml("word/document.xml");
    let lines = paragraphs(&document);
    let has = |s: &str| lines.iter().any(|l| l == s);
    let contains = |s: &str| lines.iter().any(|l| l.contains(s));
    for line in [
        "UBND HUYỆN HƯƠNG SƠN",
        "ỦY BAN NHÂN DÂN XÃ SƠN HỒNG",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Sơn Hồng, ngày 14 tháng 9 năm 2021",
        "BÁO CÁO",
        "Kết quả thực hiện kỷ luật, kỷ cương hành chính quý III năm 2021",
        "I. KẾT QUẢ THỰC HIỆN",
        "1. Kết quả thực hiện các nhiệm vụ theo Kế hoạch",
        "2. Kết quả giải quyết thủ tục hành chính",
        "II. ĐÁNH GIÁ CHUNG",
        "III. PHƯƠNG HƯỚNG, NHIỆM VỤ QUÝ IV NĂM 2021",
        "IV. ĐỀ XUẤT, KIẾN NGHỊ",
        "Nơi nhận:",
        "- Lưu: VPUBND xã.",
        "TM. ỦY BAN NHÂN DÂN",
        "CHỦ TỊCH",
        "Nguyễn Khánh Hòa",
    ] {
        assert!(has(line), "no paragraph {line:?} in:\n{}", lines.join("\n"));
    }
    // The number is left blank for the văn thư.
    assert!(
        lines.iter().any(|l| l.starts_with("Số:")
            && l.ends_with("/BC-UBND")
            && !l.contains(char::is_numeric)),
        "{lines:?}"
    );
    assert!(contains("Ủy ban nhân dân xã Sơn Hồng./."));

    // The dossier table holds the same numbers as the report context.
    let ctx = json(&env.run(&["report", "quarter", "2021-Q3", "--format", "json"]));
    let d = &ctx["dossiers"];
    let tables = tables(&document);
    let table = tables
        .iter()
        .find(|t| {
            t.first()
                .is_some_and(|r| r.first().is_some_and(|c| c == "Chỉ tiêu"))
        })
        .expect("the dossier table");
    let cell = |label: &str| {
        table
            .iter()
            .find(|r| r[0].starts_with(label))
            .unwrap_or_else(|| panic!("no row {label}: {table:?}"))[1]
            .clone()
    };
    let n = |v: &Value| v.as_u64().unwrap().to_string();
    assert_eq!(cell("Tồn kỳ trước chuyển sang"), n(&d["carried_in"]));
    assert_eq!(cell("Tiếp nhận mới trong kỳ"), n(&d["received"]));
    assert_eq!(cell("Tổng số phải giải quyết"), n(&d["total"]));
    assert_eq!(cell("Đã giải quyết"), n(&d["resolved"]["total"]));
    assert_eq!(cell("Đang giải quyết"), n(&d["pending"]["total"]));
    assert_eq!(cell("Tổng số phải giải quyết"), "404");
    // 363 of 383 (one Chứng thực dossier of the quarter was refused, not resolved).
    assert_eq!(cell("Tỷ lệ giải quyết đúng hạn"), "94,78%");
    let fields = tables
        .iter()
        .find(|t| t[0][0] == "Lĩnh vực")
        .expect("the table by field");
    assert_eq!(
        fields[0],
        [
            "Lĩnh vực",
            "Phải giải quyết",
            "Đã giải quyết",
            "Trước hạn",
            "Đúng hạn",
            "Quá hạn",
            "Đang giải quyết",
            "Tỷ lệ đúng hạn"
        ]
    );
    assert!(
        fields
            .iter()
            .any(|r| r[0] == "Chứng thực" && r[1] == "210" && r[7] == "94,63%"),
        "{fields:?}"
    );
    // The activity chart of the HTML is a table here, with its figures.
    let activities = tables
        .iter()
        .find(|t| t[0][0] == "Nhiệm vụ")
        .expect("the activities table");
    assert!(
        activities
            .iter()
            .any(|r| r[0] == "i) Củng cố hoạt động tiếp công dân" && r[1] == "13"),
        "{activities:?}"
    );
}

#[test]
fn the_docx_section_is_a4_with_the_decree_margins_and_numbers_from_page_2() {
    let env = Env::shipped();
    let doc = docx(&env, &["report", "quarter", "2021-Q3"]);
    let document = doc.xml("word/document.xml");
    let body = child(document.root_element(), "body");
    let sect = body.children().rfind(|n| n.is_element()).expect("a body");
    assert!(
        sect.has_tag_name((W, "sectPr")),
        "the last of the body is the section"
    );
    let size = child(sect, "pgSz");
    assert_eq!((w(size, "w"), w(size, "h")), (Some("11906"), Some("16838")));
    assert_eq!(w(size, "orient"), None, "portrait");
    let margins = child(sect, "pgMar");
    assert_eq!(
        ["top", "bottom", "left", "right"].map(|a| w(margins, a)),
        [Some("1134"), Some("1134"), Some("1701"), Some("851")]
    );
    let header: u32 = w(margins, "header").unwrap().parse().unwrap();
    assert!((283..1134).contains(&header), "header distance {header}");
    child(sect, "titlePg");

    // The default header carries the PAGE field, centred; the first page's does not.
    let rels = doc.relationships("word/_rels/document.xml.rels");
    let headers: BTreeMap<&str, &str> = sect
        .children()
        .filter(|n| n.has_tag_name((W, "headerReference")))
        .map(|n| (w(n, "type").unwrap(), n.attribute((R, "id")).unwrap()))
        .collect();
    let default = doc.xml(&rels[headers["default"]]);
    let instr: String = default
        .descendants()
        .filter(|n| n.has_tag_name((W, "instrText")))
        .map(|n| n.text().unwrap_or(""))
        .collect();
    assert_eq!(instr.trim(), "PAGE");
    let kinds: Vec<&str> = default
        .descendants()
        .filter(|n| n.has_tag_name((W, "fldChar")))
        .filter_map(|n| w(n, "fldCharType"))
        .collect();
    assert_eq!(kinds, ["begin", "separate", "end"]);
    let first = doc.text(&rels[headers["first"]]);
    assert!(!first.contains("PAGE"), "{first}");
    let styles = doc.text("word/styles.xml");
    assert!(styles.contains(r#"w:styleId="Header"><w:name w:val="header"/><w:basedOn w:val="Normal"/><w:pPr><w:jc w:val="center"/>"#));

    // Times New Roman everywhere; the body 14 pt, justified, first line 1 cm, 6 pt after.
    let styles = doc.xml("word/styles.xml");
    let fonts = styles
        .descendants()
        .find(|n| n.has_tag_name((W, "rFonts")))
        .unwrap();
    for a in ["ascii", "hAnsi", "cs", "eastAsia"] {
        assert_eq!(w(fonts, a), Some("Times New Roman"));
    }
    let style = |id: &str| {
        styles
            .descendants()
            .find(|n| n.has_tag_name((W, "style")) && w(*n, "styleId") == Some(id))
            .unwrap_or_else(|| panic!("no style {id}"))
    };
    let body_style = style("Body");
    let ppr = child(body_style, "pPr");
    assert_eq!(w(child(ppr, "jc"), "val"), Some("both"));
    assert_eq!(w(child(ppr, "ind"), "firstLine"), Some("567"));
    let after: u32 = w(child(ppr, "spacing"), "after").unwrap().parse().unwrap();
    assert!(after >= 120);
    let sz = styles
        .descendants()
        .find(|n| n.has_tag_name((W, "sz")))
        .unwrap();
    assert_eq!(w(sz, "val"), Some("28"), "14 pt by default");
    let rpr = child(style("RecipientsHead"), "rPr");
    for tag in ["b", "i"] {
        child(rpr, tag);
    }
    assert_eq!(w(child(rpr, "sz"), "val"), Some("24"));
    assert_eq!(
        w(child(child(style("Recipient"), "rPr"), "sz"), "val"),
        Some("22")
    );
    child(child(style("Signer"), "rPr"), "b");
}

#[test]
fn the_number_is_printed_when_given() {
    let env = Env::shipped();
    let doc = docx(&env, &["report", "quarter", "2021-Q3", "--number", "85"]);
    let lines = paragraphs(&doc.xml("word/document.xml"));
    assert!(lines.iter().any(|l| l == "Số: 85/BC-UBND"), "{lines:?}");
    let page = html(&env, &["report", "quarter", "2021-Q3", "--number", "85"]);
    assert!(page.contains("Số: 85/BC-UBND"));
}

#[test]
fn the_same_command_gives_the_same_bytes() {
    let env = Env::shipped();
    let args = ["report", "year", "2021", "--format", "docx"];
    let first = env.run(&args);
    let second = env.run(&args);
    assert_eq!(code(&first), 0, "{}", stderr(&first));
    assert!(
        first.stdout.starts_with(b"PK\x03\x04"),
        "a pipe gets the DOCX"
    );
    assert!(
        first.stdout == second.stdout,
        "two runs, two different DOCX"
    );
    let mut archive = zip::ZipArchive::new(Cursor::new(first.stdout)).unwrap();
    for i in 0..archive.len() {
        let file = archive.by_index(i).unwrap();
        let t = file.last_modified().unwrap();
        assert_eq!((t.year(), t.month(), t.day()), (1980, 1, 1));
    }
}

#[test]
fn every_report_renders_as_html_and_docx() {
    let env = Env::shipped();
    for (kind, period, heading) in [
        ("quarter", "2021-Q1", "I. KẾT QUẢ THỰC HIỆN"),
        ("half", "2021-H2", "I. KẾT QUẢ THỰC HIỆN"),
        ("year", "2021", "6. Diễn biến theo quý"),
        ("officers", "2021", "II. CHI TIẾT TỪNG CÁN BỘ, CÔNG CHỨC"),
        ("month", "2021-06", "III. THEO THỦ TỤC HÀNH CHÍNH"),
    ] {
        let doc = docx(&env, &["report", kind, period]);
        for name in doc.parts.keys() {
            doc.xml(name);
        }
        let lines = paragraphs(&doc.xml("word/document.xml"));
        assert!(lines.iter().any(|l| l == heading), "{kind}: {lines:?}");
        assert!(lines.iter().any(|l| l == "Nguyễn Khánh Hòa"), "{kind}");
        let page = html(&env, &["report", kind, period]);
        assert!(page.contains(heading), "{kind}");
        // The month's one-stop report has tables, no charts.
        assert_eq!(
            page.contains("<svg class=\"chart\""),
            kind != "month",
            "{kind}: a chart"
        );
        assert!(page.trim_end().ends_with("</html>"));
    }
}

#[test]
fn the_year_report_charts_the_four_quarters_side_by_side() {
    let env = Env::shipped();
    let ctx = json(&env.run(&["report", "year", "2021", "--format", "json"]));
    let chart = &ctx["charts"]["activities"];
    assert_eq!(
        chart["series"],
        serde_json::json!(["Quý I/2021", "Quý II/2021", "Quý III/2021", "Quý IV/2021"])
    );
    let rows = chart["rows"].as_array().unwrap();
    assert_eq!(rows.len(), ctx["tasks"].as_array().unwrap().len());
    // Each task's four bars add up to its activities of the year.
    for (row, task) in rows.iter().zip(ctx["tasks"].as_array().unwrap()) {
        let sum: f64 = row["values"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_f64().unwrap())
            .sum();
        assert_eq!(sum as u64, task["activities"]["total"].as_u64().unwrap());
    }
    let rates = &ctx["charts"]["on_time_rate"];
    assert_eq!(rates["unit"], "percent");
    assert_eq!(rates["rows"].as_array().unwrap().len(), 4);
    assert_eq!(rates["rows"][2]["texts"][0], "94,78%");
    let page = html(&env, &["report", "year", "2021"]);
    for q in ["Quý I/2021", "Quý IV/2021", "94,78%"] {
        assert!(page.contains(&format!(">{q}</text>")), "{q}");
    }
}

#[test]
fn the_html_is_one_file_that_prints_on_a4() {
    let env = Env::shipped();
    let page = html(&env, &["report", "quarter", "2021-Q3"]);
    assert!(page.starts_with("<!DOCTYPE html>"), "{}", &page[..80]);
    for outside in [
        "http://", "https://", "<link", "<script", "<img", "<iframe", "@import", "url(",
    ] {
        assert!(!page.contains(outside), "the page refers to {outside}");
    }
    assert!(page.contains("@page { size: A4; margin: 20mm 15mm 20mm 30mm; }"));
    assert!(page.contains("font-family: \"Times New Roman\""));
    assert!(page.contains("@top-center { content: counter(page)"));
    assert!(page.contains("@page :first { @top-center { content: none; } }"));
    for text in [
        "UBND HUYỆN HƯƠNG SƠN",
        "ỦY BAN NHÂN DÂN<br>XÃ SƠN HỒNG",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Sơn Hồng, ngày 14 tháng 9 năm 2021",
        "<h1>BÁO CÁO</h1>",
        "Kết quả thực hiện kỷ luật, kỷ cương hành chính quý III năm 2021",
        "<h2>I. KẾT QUẢ THỰC HIỆN</h2>",
        "<td>Tổng số phải giải quyết</td><td class=\"n\">404</td>",
        "Nơi nhận:",
        "<div>TM. ỦY BAN NHÂN DÂN</div>",
        "<div>Nguyễn Khánh Hòa</div>",
        "Biểu đồ 2. Tỷ lệ hồ sơ giải quyết đúng hạn theo lĩnh vực, quý III năm 2021",
        ">94,63%</text>",
    ] {
        assert!(page.contains(text), "no {text:?}");
    }
}

#[test]
fn record_text_is_escaped_in_html_and_docx() {
    let env = Env::fixture("minimal");
    env.write(
        "records/activities.csv",
        "date,task,kind,summary,officers,evidence,deliverable,participants,note\n\
         2021-01-20,1,dissemination,<script>alert(1)</script> & “Quán triệt”,ct,<b>Biên bản</b>,,25,\n",
    );
    env.write(
        "records/dossiers.csv",
        "id,procedure,field,received,due,returned,status,officer,late_reason,apology,rescheduled,note\n\
         D1,ht-khai-sinh,<img src=x onerror=alert(2)>,2021-01-20,2021-01-21,2021-01-21,,vp1,,,,\n",
    );
    let page = html(&env, &["report", "quarter", "2021-Q1"]);
    assert!(!page.contains("<script"), "a raw script tag");
    assert!(!page.contains("<img"), "a raw img tag");
    assert!(!page.contains("<b>Biên"), "a raw b tag");
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; “Quán triệt”"));
    assert!(page.contains("(&lt;b&gt;Biên bản&lt;/b&gt;)"));
    // In the table by field and in the chart drawn from it.
    assert!(page.contains("<td>&lt;img src=x onerror=alert(2)&gt;</td>"));
    assert!(page.contains(">&lt;img src=x onerror=alert(2)&gt;</text>"));

    let doc = docx(&env, &["report", "quarter", "2021-Q1"]);
    let lines = paragraphs(&doc.xml("word/document.xml"));
    assert!(
        lines.iter().any(|l| l
            == "- Ngày 20/01/2021: <script>alert(1)</script> & “Quán triệt” (<b>Biên bản</b>)."),
        "{lines:?}"
    );
}

#[test]
fn the_provisional_and_data_error_notes_appear() {
    let env = Env::fixture("minimal");
    let args = ["report", "quarter", "2021-Q1", "--as-of", "2021-02-01"];
    let page = html(&env, &args);
    assert!(page.contains(
        "<strong>Bản tạm tính.</strong> Kỳ báo cáo chưa kết thúc: số liệu tính đến ngày 01/02/2021."
    ));
    let doc = docx(&env, &args);
    let lines = paragraphs(&doc.xml("word/document.xml"));
    assert!(
        lines
            .iter()
            .any(|l| l
                == "Bản tạm tính. Kỳ báo cáo chưa kết thúc: số liệu tính đến ngày 01/02/2021."),
        "{lines:?}"
    );

    env.write(
        "records/activities.csv",
        "date,task,kind,summary\n31/02/2021,1,meeting,Họp\n",
    );
    let args = ["report", "quarter", "2021-Q1", "--allow-errors"];
    let page = html(&env, &args);
    assert!(page.contains("<strong>Lưu ý:</strong> dữ liệu còn 1 lỗi chưa sửa"));
    let doc = docx(&env, &args);
    let lines = paragraphs(&doc.xml("word/document.xml"));
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("Lưu ý: dữ liệu còn 1 lỗi chưa sửa")),
        "{lines:?}"
    );
    // Without --allow-errors, no document.
    let out = env.run(&["report", "quarter", "2021-Q1", "--format", "docx"]);
    assert_eq!(code(&out), 1);
    assert!(out.stdout.is_empty());
}

#[test]
fn a_plan_folder_can_replace_any_part_by_name() {
    let env = Env::fixture("minimal");
    env.write(
        "templates/header1.docx.xml",
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <w:hdr xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
         <w:p><w:r><w:t>Trang riêng của {{ document.authority }}</w:t></w:r></w:p></w:hdr>",
    );
    env.write(
        "templates/quarter.html",
        "<p>{{ document.title }} — {{ plan.citation }}</p>",
    );
    let doc = docx(&env, &["report", "quarter", "2021-Q1"]);
    assert!(
        doc.text("word/header1.xml")
            .contains("Trang riêng của Ủy ban nhân dân xã Sơn Hồng")
    );
    // The other parts are still the built-in ones.
    assert!(doc.text("word/styles.xml").contains("Times New Roman"));
    let page = html(&env, &["report", "quarter", "2021-Q1"]);
    assert!(page.starts_with(
        "<p>Kết quả thực hiện kỷ luật, kỷ cương hành chính quý I năm 2021 — Kế hoạch số 01/KH-UBND"
    ));
}

#[test]
fn a_broken_part_template_names_its_file() {
    let env = Env::fixture("minimal");
    env.write(
        "templates/styles.docx.xml",
        "<w:styles>{{ nowhere.at_all }}</w:styles>",
    );
    let out = env.run(&[
        "report", "quarter", "2021-Q1", "--format", "docx", "-o", "x.docx",
    ]);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(err.contains("styles.docx.xml"), "{err}");
    assert!(!env.path().join("x.docx").exists(), "no half-written file");
}

/// Issue 17: the plan says whom each kind of report is addressed to; the report carries
/// "Kính gửi:" under its title in every format, and its Nơi nhận begins with the addressees.
#[test]
fn reports_are_addressed_as_the_plan_says() {
    let env = Env::fixture("minimal");
    let plan = env.read("plan.toml").replace(
        "recipients = [\"Phòng Nội vụ\", \"Lưu: VT\"]\n",
        "recipients = [\"Phòng Nội vụ\", \"Lưu: VT\"]\n\n[reporting.addressees]\n\
         quarter = [\"UBND huyện Hương Sơn\"]\n\
         year = [\"UBND huyện Hương Sơn\", \"Phòng Nội vụ\"]\n",
    );
    assert!(plan.contains("[reporting.addressees]"));
    env.write("plan.toml", &plan);
    let args = ["report", "quarter", "2021-Q1", "--as-of", "2021-03-20"];

    let out = env.run(&args);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let md = stdout(&out);
    assert!(md.contains("\n\nKính gửi: UBND huyện Hương Sơn.\n"), "{md}");
    assert!(
        md.contains("| - UBND huyện Hương Sơn;<br>- Phòng Nội vụ;<br>- Lưu: VT. |"),
        "{md}"
    );

    let page = html(&env, &args);
    assert!(
        page.contains("<p class=\"addressees\">Kính gửi: UBND huyện Hương Sơn.</p>"),
        "{page}"
    );
    assert!(
        page.contains("<div>- UBND huyện Hương Sơn;</div>"),
        "{page}"
    );

    let doc = docx(&env, &args);
    let lines = paragraphs(&doc.xml("word/document.xml"));
    let title = lines
        .iter()
        .position(|l| l.starts_with("Kết quả thực hiện kỷ luật"))
        .expect("the title");
    let to = lines
        .iter()
        .position(|l| l == "Kính gửi: UBND huyện Hương Sơn.")
        .unwrap_or_else(|| panic!("{lines:?}"));
    assert!(to > title, "{lines:?}");
    let nn = lines.iter().position(|l| l == "Nơi nhận:").unwrap();
    assert_eq!(
        lines[nn + 1..nn + 4],
        ["- UBND huyện Hương Sơn;", "- Phòng Nội vụ;", "- Lưu: VT."]
    );

    // Several addressees: a list; a name already among the recipients is listed once.
    let out = env.run(&["report", "year", "2021", "--as-of", "2021-12-20"]);
    let md = stdout(&out);
    assert!(
        md.contains("Kính gửi:\n\n- UBND huyện Hương Sơn;\n- Phòng Nội vụ.\n"),
        "{md}"
    );
    assert!(
        md.contains("| - UBND huyện Hương Sơn;<br>- Phòng Nội vụ;<br>- Lưu: VT. |"),
        "{md}"
    );
    // A kind the plan addresses to no one has no "Kính gửi:".
    let out = env.run(&["report", "half", "2021-H1", "--as-of", "2021-06-20"]);
    assert!(!stdout(&out).contains("Kính gửi"), "{}", stdout(&out));
}

/// The addressees are strict: a key that is not a kind of report is a plan error.
#[test]
fn an_addressee_of_an_unknown_report_kind_is_a_plan_error() {
    let env = Env::fixture("minimal");
    let plan = env.read("plan.toml").replace(
        "recipients = [\"Phòng Nội vụ\", \"Lưu: VT\"]\n",
        "recipients = [\"Phòng Nội vụ\", \"Lưu: VT\"]\n\n[reporting.addressees]\nquater = [\"UBND huyện\"]\n",
    );
    env.write("plan.toml", &plan);
    let out = env.run(&["check"]);
    assert_ne!(code(&out), 0);
    let all = format!("{}{}", stdout(&out), stderr(&out));
    assert!(all.contains("plan.toml:"), "{all}");
    assert!(all.contains("quater"), "{all}");
}

/// Issue 17: the banner only before the period's data cut-off (its last day). The quarterly
/// report made on its due day (the quarter's last day, 14/03 under nd09) is final in every
/// format; the day before it is provisional.
#[test]
fn the_report_made_on_its_due_day_has_no_provisional_banner() {
    let env = Env::fixture("minimal");
    let on_due_day = ["report", "quarter", "2021-Q1", "--as-of", "2021-03-14"];
    let out = env.run(&on_due_day);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(!stdout(&out).contains("Bản tạm tính"), "{}", stdout(&out));
    assert!(!html(&env, &on_due_day).contains("Bản tạm tính"));
    let doc = docx(&env, &on_due_day);
    let lines = paragraphs(&doc.xml("word/document.xml"));
    assert!(
        !lines.iter().any(|l| l.contains("Bản tạm tính")),
        "{lines:?}"
    );
    let mut json_args = on_due_day.to_vec();
    json_args.extend(["--format", "json"]);
    assert_eq!(
        json(&env.run(&json_args))["generated"]["provisional"],
        false
    );

    let the_day_before = ["report", "quarter", "2021-Q1", "--as-of", "2021-03-13"];
    assert!(stdout(&env.run(&the_day_before)).contains("**Bản tạm tính.**"));
}

/// The rows of the dossier statistics ("Chỉ tiêu", "Số hồ sơ") and the late reasons, as a
/// Markdown report prints them: what the HTML and the DOCX must say too.
fn markdown_statistics(md: &str) -> (Vec<(String, String)>, Vec<String>) {
    let rows = md
        .lines()
        .skip_while(|l| *l != "| Chỉ tiêu | Số hồ sơ |")
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .map(|l| {
            let cells: Vec<String> = l
                .trim_matches('|')
                .split(" | ")
                .map(|c| c.trim().replace("**", ""))
                .collect();
            (cells[0].clone(), cells[1].clone())
        })
        .collect();
    (rows, markdown_reasons(md))
}

fn markdown_reasons(md: &str) -> Vec<String> {
    md.lines()
        .skip_while(|l| *l != "Nguyên nhân trễ hạn (số hồ sơ):")
        .skip(1)
        .skip_while(|l| l.is_empty())
        .take_while(|l| l.starts_with("- "))
        .map(str::to_string)
        .collect()
}

/// The text of an HTML fragment: tags dropped, the escapes Tera writes undone.
fn html_text(fragment: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in fragment.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.replace("&#x2F;", "/")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
        .trim()
        .to_string()
}

fn html_statistics(page: &str) -> (Vec<(String, String)>, Vec<String>) {
    let at = page
        .find("<th>Chỉ tiêu</th>")
        .expect("the table of statistics");
    let table = &page[at..at + page[at..].find("</table>").unwrap()];
    let rows = table
        .split("<tr")
        .skip(1)
        .map(|row| {
            // `<tr class="strong">`: the attributes are not text.
            let row = &row[row.find('>').unwrap() + 1..];
            let cells: Vec<String> = row.split("</td>").map(html_text).collect();
            (cells[0].clone(), cells[1].clone())
        })
        .collect();
    let reasons = page
        .split("<p>Nguyên nhân trễ hạn (số hồ sơ):</p>")
        .nth(1)
        .map(|rest| {
            rest.lines()
                .skip(1)
                .take_while(|l| l.starts_with("<p>- "))
                .map(html_text)
                .collect()
        })
        .unwrap_or_default();
    (rows, reasons)
}

fn docx_statistics(doc: &Docx) -> (Vec<(String, String)>, Vec<String>) {
    let document = doc.xml("word/document.xml");
    let rows = tables(&document)
        .into_iter()
        .find(|t| t[0][0] == "Chỉ tiêu")
        .expect("the table of statistics")
        .into_iter()
        .skip(1)
        .map(|r| (r[0].clone(), r[1].clone()))
        .collect();
    let lines = paragraphs(&document);
    let reasons = lines
        .iter()
        .skip_while(|l| *l != "Nguyên nhân trễ hạn (số hồ sơ):")
        .skip(1)
        .take_while(|l| l.starts_with("- "))
        .cloned()
        .collect();
    (rows, reasons)
}

/// Issue 18: the one-stop rows (received by channel, the online share, withdrawn, stopped and
/// refused, requests for more papers, apology letters, the late reasons grouped) say the same
/// in the HTML and the DOCX as in the Markdown, in every report that shows them.
#[test]
fn the_one_stop_statistics_are_the_same_in_markdown_html_and_docx() {
    let env = Env::fixture("minimal");
    env.write("records/dossiers.csv", crate::onestop::COUNTED);
    for (kind, period) in [
        ("month", "2021-04"),
        ("quarter", "2021-Q2"),
        ("half", "2021-H1"),
        ("year", "2021"),
    ] {
        let args = ["report", kind, period, "--as-of", "2021-04-30"];
        let out = env.run(&args);
        assert_eq!(code(&out), 0, "{}", stderr(&out));
        let md = markdown_statistics(&stdout(&out));
        let labels: Vec<&str> = md.0.iter().map(|(l, _)| l.as_str()).collect();
        for row in [
            "– Trực tiếp",
            "– Qua dịch vụ bưu chính công ích",
            "– Trực tuyến (toàn trình: 1; một phần: 1)",
            "– Chưa ghi hình thức nộp",
            "Tỷ lệ hồ sơ tiếp nhận trực tuyến",
            "Rút hồ sơ, dừng giải quyết, từ chối",
            "– Rút hồ sơ",
            "– Dừng giải quyết",
            "– Từ chối",
            "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ đã phát hành",
            "Văn bản xin lỗi đã phát hành",
        ] {
            assert!(
                labels.contains(&row),
                "{kind}: no row {row:?} in {labels:?}"
            );
        }
        assert!(
            // A count stays on the line of its reason (a no-break space before it).
            md.1.first().is_some_and(|r| r == "- Chờ xác minh:\u{a0}3."),
            "{kind}: {:?}",
            md.1
        );
        assert_eq!(html_statistics(&html(&env, &args)), md, "{kind}: HTML");
        assert_eq!(docx_statistics(&docx(&env, &args)), md, "{kind}: DOCX");
    }
}

/// The monthly report as the official document, in both formats: its text as read in the
/// pages LibreOffice and Chromium printed (scripts/render-docx.sh, scripts/render-html.sh).
#[test]
fn the_monthly_report_of_june_2021_as_html_and_docx() {
    let env = Env::shipped();
    let args = ["report", "month", "2021-06", "--as-of", "2022-01-15"];
    let masked = |text: String| match text.find("sha256:") {
        Some(at) if text.len() >= at + 71 => {
            format!("{}sha256:…{}", &text[..at], &text[at + 71..])
        }
        _ => text,
    };
    let doc = docx(&env, &args);
    for name in doc.parts.keys() {
        doc.xml(name);
    }
    let document = doc.xml("word/document.xml");
    // Paragraphs outside tables, then each table as rows of cells.
    let mut text: Vec<String> = document
        .descendants()
        .filter(|n| n.has_tag_name((W, "p")))
        .filter(|p| !p.ancestors().any(|a| a.has_tag_name((W, "tbl"))))
        .map(|p| {
            p.descendants()
                .filter(|n| n.has_tag_name((W, "t")))
                .map(|t| t.text().unwrap_or(""))
                .collect::<String>()
        })
        .filter(|l| !l.is_empty())
        .collect();
    for table in tables(&document) {
        text.push(String::new());
        text.extend(table.iter().map(|r| r.join(" | ")));
    }
    insta::assert_snapshot!("report_month_2021_06_docx", masked(text.join("\n")));

    let page = html(&env, &args);
    let body = &page[page.find("<h1>").unwrap()..page.find("<table class=\"closing\">").unwrap()];
    insta::assert_snapshot!("report_month_2021_06_html", body);
    // The same figures as the Markdown report.
    let md = stdout(&env.run(&args));
    assert_eq!(html_statistics(&page), markdown_statistics(&md));
    assert_eq!(docx_statistics(&doc), markdown_statistics(&md));
}
