//! Hostile text through every output (issue 14): strings that `check` lets through (a `|`, a
//! line break, a line start that Markdown reads as a heading, a list or a quote, markup, a
//! formula, zero-width characters, a very long word) put into every free-text field of the
//! records and of plan.toml, then every report format rendered and validated as its own syntax
//! reads it: Markdown by a CommonMark parser (no fake heading, list item, quote or raw HTML;
//! every table row keeps the header's column count), HTML with no markup from the data,
//! every XML part of the DOCX and the workbook parsed, JSON parsed and every string given back
//! exactly, the calendar parsed.

use std::collections::BTreeSet;
use std::io::Read as _;

use crate::harness::{Env, code, json, stderr, stdout};

/// The hostile strings. `FAKE` marks what would become syntax if it were not escaped.
fn corpus() -> Vec<String> {
    let mut c: Vec<String> = [
        "ô | cột | thừa |",
        "dòng một\n## I. FAKE heading",
        "## II. FAKE heading",
        "- FAKE item",
        "> FAKE quote",
        "1. FAKE numbered",
        "<script>alert('x')</script>",
        "]]><w:t>FAKE run</w:t>",
        "&amp; &lt; &#x41;",
        "=1+1",
        "@SUM(A1:A2)",
        "ẩn\u{200b}giữa\u{200d}nối\u{feff}",
        "\u{200f}dấu phải-trái",
        "*đậm* _nghiêng_ `mã` [liên kết](http://x.invalid) ~~gạch~~ \\",
        "{{ plan.title }} {% raw %}",
        "\"ngoặc\", 'đơn'; chấm phẩy",
        "xuống\r\ndòng\rCR\n\n> FAKE quote after blank",
        "---",
        "tab\tgiữa",
        "ngắt\u{2028}dòng Unicode",
        "a\\|b",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    c.push(format!("dài{}", "a".repeat(5000)));
    c
}

fn csv_cell(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The strings put into plan.toml, in place of the fixture's.
const PLAN_TEXTS: &[(&str, &str)] = &[
    ("Phạm Thị Cúc", "Phạm | Thị\n## FAKE heading Cúc"),
    (
        "Quán triệt, tuyên truyền",
        "<script>alert(1)</script> ]]> &amp; - Quán triệt",
    ),
    ("Báo cáo đánh giá", "> FAKE quote | =1+1 *đánh giá*"),
    ("Phổ biến, quán triệt", "1. FAKE numbered\r\n# FAKE heading"),
    ("Văn phòng - Thống kê", "- FAKE item | Văn phòng"),
];

/// The minimal fixture with the corpus in every free-text field: one row of each kind per
/// string, all in 2021-Q1 (15/12/2020 – 14/03/2021).
fn hostile_folder() -> Env {
    let env = Env::fixture("minimal");
    let mut plan = env.read("plan.toml");
    for (from, to) in PLAN_TEXTS {
        let quoted = format!("\"{from}\"");
        assert!(plan.contains(&quoted), "{from}");
        plan = plan.replace(&quoted, &toml_string(to));
    }
    env.write("plan.toml", plan);
    let mut activities = env.read("records/activities.csv");
    let mut feedback = env.read("records/feedback.csv");
    let mut violations = env.read("records/violations.csv");
    let mut commendations = env.read("records/commendations.csv");
    let mut commitments = env.read("records/commitments.csv");
    let mut dossiers = env.read("records/dossiers.csv");
    for (i, s) in corpus().iter().enumerate() {
        let s = csv_cell(s);
        let day = format!("2021-02-{:02}", 1 + i % 28);
        activities += &format!("{day},1,dissemination,{s},ct;vp1,{s},,3,{s}\n");
        feedback += &format!("{day},form,satisfied,vp1,{s},,{s}\n");
        violations += &format!("{day},vp1,{s},1,reminder,{s},{s}\n");
        commendations += &format!("{day},{s},{s},{s},{s},{s}\n");
        commitments += &format!("{day},vp1,1,{s}\n");
        dossiers += &format!(
            "H{i},ht-khai-sinh,Hộ tịch,2021-03-01,2021-03-02,2021-03-05,,vp1,{s},2021-03-02,,{s}\n"
        );
    }
    env.write("records/activities.csv", activities);
    env.write("records/feedback.csv", feedback);
    env.write("records/violations.csv", violations);
    env.write("records/commendations.csv", commendations);
    env.write("records/commitments.csv", commitments);
    env.write("records/dossiers.csv", dossiers);
    env
}

/// What a value is expected to read as once an output has laid it out: whitespace runs (a line
/// break included) one space, the ends trimmed.
fn squeeze(s: &str) -> String {
    s.split(|c: char| c.is_whitespace())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The texts a report must carry, squeezed: the activities' summaries and the plan's texts
/// (the deliverable, due in December, only in the year's report).
fn expected_texts(args: &[&str]) -> Vec<String> {
    corpus()
        .iter()
        .map(|s| squeeze(s))
        .chain(plan_texts(args).map(squeeze))
        .collect()
}

fn plan_texts(args: &[&str]) -> impl Iterator<Item = &'static str> {
    let year = args.contains(&"year");
    PLAN_TEXTS
        .iter()
        .map(|(_, to)| *to)
        .filter(move |t| year || !t.contains("đánh giá"))
}

/// Renders a report into a file and reads it back.
fn render(env: &Env, args: &[&str], format: &str) -> Vec<u8> {
    let name = format!("out.{format}");
    let mut all = args.to_vec();
    all.extend(["--format", format, "-o", &name]);
    let out = env.run(&all);
    assert_eq!(code(&out), 0, "{all:?}: {}", stderr(&out));
    no_raw_controls(&out);
    std::fs::read(env.path().join(&name)).unwrap()
}

/// Nothing a command prints carries a raw control character (tab and line ends aside).
fn no_raw_controls(out: &std::process::Output) {
    for text in [stdout(out), stderr(out)] {
        assert!(
            !text
                .chars()
                .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r')),
            "a raw control character in {text:?}"
        );
    }
}

const REPORTS: &[&[&str]] = &[
    &["report", "quarter", "2021-Q1"],
    &["report", "year", "2021"],
    &["report", "officers", "2021"],
];

#[test]
fn the_hostile_corpus_passes_check() {
    let env = hostile_folder();
    let out = env.run(&["check", "--format", "json"]);
    no_raw_controls(&out);
    let doc = json(&out);
    assert_eq!(
        doc["summary"]["errors"],
        0,
        "the corpus must pass check to test the outputs: {}",
        stdout(&out)
    );
}

/// Markdown: parsed as CommonMark with GFM tables, nothing of the data became syntax.
#[test]
fn markdown_reports_keep_their_structure() {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
    let env = hostile_folder();
    let clean = Env::fixture("minimal");
    for args in REPORTS {
        let md = String::from_utf8(render(&env, args, "md")).unwrap();
        let plain = String::from_utf8(render(&clean, args, "md")).unwrap();
        // Table rows: as many unescaped `|` as the table's header.
        for block in md.split("\n\n") {
            let rows: Vec<&str> = block.lines().filter(|l| l.starts_with('|')).collect();
            if let Some(header) = rows.first() {
                for row in &rows {
                    assert_eq!(
                        cell_bars(row),
                        cell_bars(header),
                        "{args:?}: a row with another column count than its header:\n{row}"
                    );
                }
            }
        }
        let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
        let headings = |text: &str| {
            let mut out = Vec::new();
            let mut heading: Option<String> = None;
            for event in Parser::new_ext(text, options) {
                match event {
                    Event::Start(Tag::Heading { .. }) => heading = Some(String::new()),
                    Event::End(TagEnd::Heading(_)) => out.extend(heading.take()),
                    Event::Text(t) => {
                        if let Some(h) = heading.as_mut() {
                            h.push_str(&t);
                        }
                    }
                    _ => {}
                }
            }
            out
        };
        // The same headings as over the fixture's own texts (an officer's name is a heading of
        // the officers report: it is put back as the fixture has it).
        let unchanged: Vec<String> = headings(&md)
            .into_iter()
            .map(|h| {
                PLAN_TEXTS
                    .iter()
                    .fold(h, |h, (from, to)| h.replace(&squeeze(to), from))
            })
            .collect();
        assert_eq!(
            unchanged,
            headings(&plain),
            "{args:?}: the data added or changed a heading"
        );
        // Every block the data could open, and the text as read.
        let mut text = String::new();
        let mut opened = Vec::new();
        let mut html = BTreeSet::new();
        let mut quote_depth = 0;
        let mut item_start = false;
        for event in Parser::new_ext(&md, options) {
            match event {
                Event::Start(Tag::BlockQuote(_)) => quote_depth += 1,
                Event::End(TagEnd::BlockQuote(_)) => quote_depth -= 1,
                Event::Start(Tag::Item) => item_start = true,
                Event::Start(Tag::List(Some(n))) => opened.push(format!("numbered list {n}")),
                Event::Start(Tag::CodeBlock(_)) => opened.push("code block".into()),
                Event::Start(Tag::Strikethrough) => opened.push("strikethrough".into()),
                Event::Start(Tag::Link { .. }) => opened.push("link".into()),
                Event::Rule => opened.push("rule".into()),
                Event::Html(h) | Event::InlineHtml(h) => {
                    html.insert(h.to_string());
                }
                Event::Text(t) | Event::Code(t) => {
                    if quote_depth > 0 && t.contains("FAKE") {
                        opened.push(format!("quote: {t}"));
                    }
                    if item_start && t.trim_start().starts_with("FAKE") {
                        opened.push(format!("item: {t}"));
                    }
                    item_start = false;
                    text.push_str(&t);
                }
                Event::SoftBreak | Event::HardBreak => text.push(' '),
                Event::End(_) | Event::Start(_) => text.push(' '),
                _ => {}
            }
        }
        assert_eq!(opened, Vec::<String>::new(), "{args:?}");
        let allowed: BTreeSet<String> = ["<br>", "<small>", "</small>"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert!(
            html.is_subset(&allowed),
            "{args:?}: raw HTML from the data: {html:?}"
        );
        assert_texts_in(&squeeze(&text), args, "md");
    }
}

/// The `|` of a Markdown table row that separate cells (a `\|` is a character of a cell).
fn cell_bars(row: &str) -> usize {
    let mut bars = 0;
    let mut backslashes = 0;
    for c in row.chars() {
        match c {
            '\\' => backslashes += 1,
            '|' if backslashes % 2 == 0 => {
                bars += 1;
                backslashes = 0
            }
            _ => backslashes = 0,
        }
    }
    bars
}

fn assert_texts_in(haystack: &str, args: &[&str], format: &str) {
    let texts = expected_texts(args);
    // The officers report prints the officers, not the activities' summaries.
    let needed: Vec<&String> = if args.contains(&"officers") {
        texts.iter().filter(|t| t.contains("Phạm | Thị")).collect()
    } else {
        // A unit's name is in the JSON only: the documents do not print it.
        texts
            .iter()
            .filter(|t| !t.contains("| Văn phòng"))
            .collect()
    };
    for t in needed {
        assert!(
            haystack.contains(t.as_str()),
            "{args:?} --format {format}: {t:?} is not read back as it was"
        );
    }
}

#[test]
fn html_reports_carry_no_markup_from_the_data() {
    let env = hostile_folder();
    for args in REPORTS {
        let html = String::from_utf8(render(&env, args, "html")).unwrap();
        let lower = html.to_lowercase();
        assert!(!lower.contains("<script"), "{args:?}");
        assert!(!lower.contains("<w:t>"), "{args:?}");
        for t in [
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;",
            "&amp;amp; &amp;lt;",
        ] {
            assert!(html.contains(t), "{args:?}: {t}");
        }
        // The text as a browser reads it: tags out, the five entities back.
        let mut text = String::new();
        let mut in_tag = false;
        for c in html.chars() {
            match c {
                '<' => in_tag = true,
                '>' if in_tag => {
                    in_tag = false;
                    text.push(' ')
                }
                c if !in_tag => text.push(c),
                _ => {}
            }
        }
        let text = text
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&amp;", "&");
        assert_texts_in(&squeeze(&text), args, "html");
    }
}

/// The text of every `t` element (w:t in Word, t in a workbook) of every XML part, each part
/// parsed by an XML parser.
fn xml_texts(zip_bytes: &[u8], what: &str) -> String {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip_bytes)).unwrap();
    let mut text = String::new();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let name = entry.name().unwrap().to_string();
        if !(name.ends_with(".xml") || name.ends_with(".rels")) {
            continue;
        }
        let mut xml = String::new();
        entry.read_to_string(&mut xml).unwrap();
        let doc = roxmltree::Document::parse(&xml)
            .unwrap_or_else(|e| panic!("{what}: {name} is not well-formed XML: {e}"));
        for node in doc.descendants() {
            if node.tag_name().name() == "t" {
                text.push_str(&ooxml_unescape(node.text().unwrap_or("")));
            }
            if node.tag_name().name() == "f" {
                panic!("{what}: a formula in {name}: {:?}", node.text());
            }
            if matches!(node.tag_name().name(), "p" | "si" | "c") {
                text.push(' ');
            }
        }
    }
    text
}

/// A workbook's text with its `_xHHHH_` escapes (a carriage return is `_x000D_`) decoded.
fn ooxml_unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find("_x") {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        let code = tail
            .get(2..6)
            .filter(|_| tail.get(6..7) == Some("_"))
            .and_then(|h| u32::from_str_radix(h, 16).ok())
            .and_then(char::from_u32);
        match code {
            Some(c) => {
                out.push(c);
                rest = &tail[7..];
            }
            None => {
                out.push_str("_x");
                rest = &tail[2..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[test]
fn docx_and_xlsx_parts_parse_and_hold_the_text() {
    let env = hostile_folder();
    for args in REPORTS {
        let docx = render(&env, args, "docx");
        assert_texts_in(&squeeze(&xml_texts(&docx, "docx")), args, "docx");
        let xlsx = render(&env, args, "xlsx");
        let text = squeeze(&xml_texts(&xlsx, "xlsx"));
        // The workbook's tables hold the records' texts and the officers' names (a task is
        // named by its id there).
        let needed = corpus()
            .iter()
            .map(|s| squeeze(s))
            .filter(|_| !args.contains(&"officers"))
            .chain([squeeze(PLAN_TEXTS[0].1)])
            .collect::<Vec<_>>();
        for t in needed {
            assert!(text.contains(&t), "{args:?} --format xlsx: {t:?}");
        }
    }
}

#[test]
fn json_reports_give_every_string_back_exactly() {
    let env = hostile_folder();
    fn strings(v: &serde_json::Value, out: &mut BTreeSet<String>) {
        match v {
            serde_json::Value::String(s) => {
                out.insert(s.clone());
            }
            serde_json::Value::Array(a) => a.iter().for_each(|v| strings(v, out)),
            serde_json::Value::Object(o) => o.values().for_each(|v| strings(v, out)),
            _ => {}
        }
    }
    for args in &REPORTS[..2] {
        let bytes = render(&env, args, "json");
        let doc: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        let mut found = BTreeSet::new();
        strings(&doc, &mut found);
        for s in corpus() {
            assert!(
                found.contains(s.trim()),
                "{args:?}: {s:?} is not in the JSON as it was"
            );
        }
        for s in plan_texts(args) {
            assert!(found.contains(s), "{args:?}: {s:?}");
        }
    }
}

#[test]
fn the_calendar_parses_and_holds_the_titles() {
    let env = hostile_folder();
    let out = env.run(&[
        "deadlines",
        "--format",
        "ics",
        "--as-of",
        "2021-01-01",
        "--days",
        "400",
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    no_raw_controls(&out);
    let ics = stdout(&out);
    for line in ics.split("\r\n") {
        assert!(line.len() <= 75, "an unfolded line: {line:?}");
    }
    let calendar: icalendar::Calendar = ics.parse().expect("the calendar parses");
    let summaries: String = calendar
        .components
        .iter()
        .filter_map(|c| c.as_event())
        .filter_map(|e| icalendar::Component::get_summary(e).map(str::to_string))
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        summaries.contains("> FAKE quote | =1+1 *đánh giá*"),
        "{summaries}"
    );
}
