//! Deterministic generator of the sample records of UBND xã Sơn Hồng for Kế hoạch 06/KH-UBND
//! (kỷ luật, kỷ cương hành chính năm 2021).
//!
//! It writes the record files of PRODUCT.md §4 under `DIR/records/`: `activities.csv`,
//! `dossiers.csv`, `violations.csv`, `commendations.csv`, `feedback.csv`, `commitments.csv`
//! with the year-end judgement of each commitment in `commitments/changes.csv` (fill rows, as
//! `kehoach` appends them to a file without change columns), `ratings.csv` and `lapses.csv`,
//! covering the plan's reporting year under Nghị định 09/2019 (15/12/2020 – 14/12/2021) as of
//! 14/12/2021. The data is realistic and free of data errors on purpose: what the tool should
//! find in it is work left undone (three missed weeks of citizen reception, a month without a
//! "giao ban" meeting, meetings without minutes, a quarter without dissemination, a late task-5
//! decision, late dossiers without a reason or an apology, open overdue dossiers, a repeated
//! violation and a reprimand, two officers who registered no commitment, an officer rated
//! "Hoàn thành nhiệm vụ" in the year of his reprimand).
//!
//! ```text
//! cargo run --release --example generate -- --out DIR [--dossiers N] [--seed S] [--plan FILE]
//! ```
//!
//! - `--out DIR`: writes `DIR/records/*.csv`, creating the folder (required).
//! - `--dossiers N`: dossiers received in the year (default 1500); the carried-in ones (received
//!   in early December 2020), the outcome shares, the feedback (about N/15 rows) and, above the
//!   sample's size, the activities (routine ones added, about 153·N/1500 in all) scale with it;
//!   the other files stay the same. Used for benchmarks.
//! - `--seed S`: the seed of the built-in splitmix64 generator (default 2021). The same seed and
//!   size always give the same bytes.
//! - `--plan FILE`: also copies FILE to `DIR/plan.toml`.
//! - The shape of other people's data (the benchmark's matrix, `scripts/bench-shapes.sh`):
//!   `--ids global` (a 6-digit sequence over the whole file instead of one per day), `--ids
//!   other` (another agency's codes, `SH.HT-QXKBMA`, no numeric tail), `--ids uuid` (UUIDs,
//!   whose last digits are chance: about five in eight end in one), `--procedure-names` (the
//!   catalogue's names instead of its ids), `--lapses 0.3` (30 % of the dossiers late or
//!   overdue, none with an apology), `--messy` (every file with a BOM, CRLF, its columns
//!   shuffled, 25 % of the dates as dd/mm/yyyy, 20 % of the non-ASCII text cells in NFD),
//!   `--notes` (a note of its own on every dossier row), `--sort-returned` (the dossier file's
//!   rows sorted by their return date, as a spreadsheet sorts a column: blank cells last, so
//!   that a dossier's return row comes long before the row that received it).
//!
//! The example uses only std, `csv`, `chrono` and `unicode-normalization`, not the `kehoach`
//! library, so that it builds whatever state the library is in; `tests/cli/bounded.rs` includes
//! it as a module to make its folders. A summary (rows per file, dossier outcomes, reception weeks)
//! is printed to stderr.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::error::Error;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::{Datelike, NaiveDate, Weekday};

type Res<T> = Result<T, Box<dyn Error>>;

/// Build a date from literal parts known to be valid.
fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("valid literal date")
}

/// First day of the reporting year (nd09 year 2021).
fn start() -> NaiveDate {
    d(2020, 12, 15)
}

/// Last day of the reporting year, and the as-of date of the sample.
fn end() -> NaiveDate {
    d(2021, 12, 14)
}

// ---------------------------------------------------------------------------------------------
// Random numbers: splitmix64, so that the output depends on nothing but the seed.

struct Rng(u64);

impl Rng {
    /// An independent stream for one part of the output, so that e.g. the activities do not
    /// change when `--dossiers` does.
    fn stream(seed: u64, salt: u64) -> Rng {
        let mut r = Rng(seed ^ salt.wrapping_mul(0xA076_1D64_78BD_642F));
        r.next_u64();
        r
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        ((self.next_u64() as u128 * n as u128) >> 64) as usize
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// Uniform in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// Index drawn with the given integer weights.
    fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u32 = weights.iter().sum();
        let mut x = self.below(total as usize) as u32;
        for (i, &w) in weights.iter().enumerate() {
            if x < w {
                return i;
            }
            x -= w;
        }
        weights.len() - 1
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }

    /// `k` distinct items of `items` (all of them if there are fewer), in their original order.
    fn choose(&mut self, items: &[usize], k: usize) -> Vec<usize> {
        let mut v = items.to_vec();
        let k = k.min(v.len());
        for i in 0..k {
            let j = self.range(i, v.len() - 1);
            v.swap(i, j);
        }
        v.truncate(k);
        v.sort_unstable();
        v
    }
}

// ---------------------------------------------------------------------------------------------
// Working days.

const HOLIDAYS: [(i32, u32, u32); 12] = [
    (2021, 1, 1),
    (2021, 2, 10),
    (2021, 2, 11),
    (2021, 2, 12),
    (2021, 2, 15),
    (2021, 2, 16),
    (2021, 4, 21),
    (2021, 4, 30),
    (2021, 5, 3),
    (2021, 9, 2),
    (2021, 9, 3),
    (2022, 1, 3),
];

/// Mon–Fri minus the holidays, between 2020-11-01 and 2022-12-31.
struct Calendar {
    base: NaiveDate,
    work: Vec<NaiveDate>,
    /// For each calendar day from `base`: index in `work` of the first working day on or after it.
    next: Vec<u32>,
    is_work: Vec<bool>,
}

impl Calendar {
    fn new() -> Calendar {
        let base = d(2020, 11, 1);
        let last = d(2022, 12, 31);
        let holidays: Vec<NaiveDate> = HOLIDAYS.iter().map(|&(y, m, dd)| d(y, m, dd)).collect();
        let mut cal = Calendar {
            base,
            work: Vec::new(),
            next: Vec::new(),
            is_work: Vec::new(),
        };
        let mut day = base;
        while day <= last {
            let working =
                !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) && !holidays.contains(&day);
            cal.next.push(cal.work.len() as u32);
            cal.is_work.push(working);
            if working {
                cal.work.push(day);
            }
            day = day.succ_opt().expect("date in range");
        }
        cal
    }

    fn offset(&self, day: NaiveDate) -> usize {
        (day - self.base).num_days() as usize
    }

    fn is_working(&self, day: NaiveDate) -> bool {
        self.is_work[self.offset(day)]
    }

    /// Index of the first working day on or after `day`.
    fn idx(&self, day: NaiveDate) -> usize {
        self.next[self.offset(day)] as usize
    }

    fn at(&self, i: usize) -> NaiveDate {
        self.work[i]
    }

    /// The `n`-th working day after the working day `day` (`n = 0`: `day` itself).
    fn add(&self, day: NaiveDate, n: usize) -> NaiveDate {
        self.work[self.idx(day) + n]
    }

    /// Working days in `[from, to]`.
    fn between(&self, from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
        self.work[self.idx(from)..self.idx(to.succ_opt().expect("date in range"))].to_vec()
    }
}

// ---------------------------------------------------------------------------------------------
// The shape of the data: the benchmark's matrix (issue 20). Today's shape by default.

/// How dossier ids are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Ids {
    /// `000.00.27.H42-YYMMDD-NNNN`, a sequence per day (today's shape).
    #[default]
    PerDay,
    /// `000.00.27.H42-YYMMDD-NNNNNN`, one 6-digit sequence over the whole file (sparse per day).
    Global,
    /// Another agency's codes entirely, with no numeric tail: `SH.HT-QXKBMA`.
    Other,
    /// UUIDs (version 4's layout), distinct for distinct dossiers: `e41238fe-31a5-45af-…`.
    Uuid,
}

/// What `--ids`, `--procedure-names`, `--lapses`, `--messy`, `--notes` and `--sort-returned`
/// ask for.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Shape {
    pub ids: Ids,
    /// The procedure column holds the catalogue's names instead of its ids.
    pub procedure_names: bool,
    /// This share of the dossiers received is late (resolved late or still open past the due
    /// date), none of them with an apology: about that many W307/W309 warnings.
    pub lapses: Option<f64>,
    /// Every record file with a BOM, CRLF line ends and its columns shuffled; 25 % of the dates
    /// written dd/mm/yyyy and 20 % of the non-ASCII text cells in NFD.
    pub messy: bool,
    /// Every dossier row without a note gets one of its own (an office that writes one on each
    /// row): a million and more distinct texts.
    pub notes: bool,
    /// The dossier file's rows sorted by the `returned` column, blank cells last, as a clerk's
    /// spreadsheet sorts it: the rows of one dossier far apart, most of them in the other half
    /// of the file.
    pub sort_returned: bool,
}

thread_local! {
    static SHAPE: std::cell::Cell<Shape> = std::cell::Cell::new(Shape::default());
}

fn shape() -> Shape {
    SHAPE.with(|s| s.get())
}

// ---------------------------------------------------------------------------------------------
// Procedures and dossiers.

struct Procedure {
    id: &'static str,
    /// The catalogue's name (plan.toml), written instead of the id with `--procedure-names`.
    name: &'static str,
    field: &'static str,
    /// Processing time in working days.
    days: usize,
    /// Relative frequency per 1000 dossiers.
    weight: u32,
    /// Relative frequency among the dossiers carried in from early December 2020.
    carried_weight: u32,
    officers: &'static [(&'static str, u32)],
}

const HO_TICH: &[(&str, u32)] = &[("tp1", 55), ("tp2", 45)];
const CHUNG_THUC: &[(&str, u32)] = &[("tp1", 35), ("tp2", 30), ("vp2", 35)];
const DAT_DAI: &[(&str, u32)] = &[("dc1", 50), ("dc2", 50)];
const XA_HOI: &[(&str, u32)] = &[("vh2", 1)];

#[rustfmt::skip]
const PROCEDURES: &[Procedure] = &[
    Procedure { id: "ht-khai-sinh", name: "Đăng ký khai sinh", field: "Hộ tịch", days: 1, weight: 150, carried_weight: 0, officers: HO_TICH },
    Procedure { id: "ht-khai-tu", name: "Đăng ký khai tử", field: "Hộ tịch", days: 1, weight: 45, carried_weight: 0, officers: HO_TICH },
    Procedure { id: "ht-ket-hon", name: "Đăng ký kết hôn", field: "Hộ tịch", days: 5, weight: 40, carried_weight: 3, officers: HO_TICH },
    Procedure { id: "ht-trich-luc", name: "Cấp bản sao trích lục hộ tịch", field: "Hộ tịch", days: 1, weight: 90, carried_weight: 0, officers: HO_TICH },
    Procedure { id: "ht-hon-nhan", name: "Cấp Giấy xác nhận tình trạng hôn nhân", field: "Hộ tịch", days: 3, weight: 80, carried_weight: 4, officers: HO_TICH },
    Procedure { id: "ht-cai-chinh", name: "Thay đổi, cải chính, bổ sung thông tin hộ tịch", field: "Hộ tịch", days: 3, weight: 25, carried_weight: 2, officers: HO_TICH },
    Procedure { id: "ct-ban-sao", name: "Chứng thực bản sao từ bản chính giấy tờ, văn bản", field: "Chứng thực", days: 1, weight: 340, carried_weight: 0, officers: CHUNG_THUC },
    Procedure { id: "ct-chu-ky", name: "Chứng thực chữ ký trong các giấy tờ, văn bản", field: "Chứng thực", days: 1, weight: 110, carried_weight: 0, officers: CHUNG_THUC },
    Procedure { id: "ct-hop-dong", name: "Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản, quyền sử dụng đất, nhà ở", field: "Chứng thực", days: 2, weight: 45, carried_weight: 2, officers: CHUNG_THUC },
    Procedure { id: "dd-hoa-giai", name: "Hòa giải tranh chấp đất đai", field: "Đất đai", days: 30, weight: 5, carried_weight: 1, officers: DAT_DAI },
    Procedure { id: "dd-xac-nhan", name: "Xác nhận hồ sơ đề nghị cấp Giấy chứng nhận quyền sử dụng đất lần đầu", field: "Đất đai", days: 10, weight: 20, carried_weight: 2, officers: DAT_DAI },
    Procedure { id: "btxh-tro-cap", name: "Trợ cấp xã hội hằng tháng đối với đối tượng bảo trợ xã hội", field: "Bảo trợ xã hội", days: 7, weight: 40, carried_weight: 3, officers: XA_HOI },
    Procedure { id: "ncc-mai-tang", name: "Hỗ trợ chi phí mai táng cho người có công với cách mạng", field: "Người có công", days: 5, weight: 10, carried_weight: 1, officers: XA_HOI },
];

const OFFICER_IDS: &[&str] = &["tp1", "tp2", "vp2", "dc1", "dc2", "vh2"];

fn officer_index(id: &str) -> u8 {
    OFFICER_IDS
        .iter()
        .position(|o| *o == id)
        .expect("one-stop officer") as u8
}

fn procedure_index(id: &str) -> u8 {
    PROCEDURES
        .iter()
        .position(|p| p.id == id)
        .expect("known procedure") as u8
}

const LATE_REASONS_COMMON: &[&str] = &[
    "Phần mềm một cửa điện tử gặp sự cố, chậm luân chuyển hồ sơ",
    "Công chức thụ lý đi tập huấn, chưa kịp bàn giao hồ sơ",
    "Hồ sơ phải xác minh thêm, chưa có kết quả xác minh đúng hẹn",
];
const LATE_REASONS_HO_TICH: &[&str] = &[
    "Phải xác minh thông tin hộ tịch tại nơi cư trú trước đây của người yêu cầu",
    "Chờ UBND xã nơi đăng ký trước đây cung cấp thông tin hộ tịch",
];
const LATE_REASONS_CHUNG_THUC: &[&str] = &[
    "Hợp đồng cần xác minh thêm về quyền sở hữu tài sản giao dịch",
    "Người ký chưa có mặt đầy đủ để ký trước mặt người thực hiện chứng thực",
];
const LATE_REASONS_DAT_DAI: &[&str] = &[
    "Phải đo đạc, xác minh thực địa; mưa lớn kéo dài không thể tiến hành",
    "Các bên tranh chấp chưa có mặt đầy đủ để tổ chức hòa giải",
    "Chờ ý kiến của Phòng Tài nguyên và Môi trường huyện",
];
const LATE_REASONS_XA_HOI: &[&str] = &[
    "Chờ Hội đồng xét duyệt trợ cấp xã họp xét",
    "Chờ ý kiến của Phòng Lao động - Thương binh và Xã hội huyện",
];

fn late_reasons(field: &str) -> &'static [&'static str] {
    match field {
        "Hộ tịch" => LATE_REASONS_HO_TICH,
        "Chứng thực" => LATE_REASONS_CHUNG_THUC,
        "Đất đai" => LATE_REASONS_DAT_DAI,
        _ => LATE_REASONS_XA_HOI,
    }
}

const NOTES: &[&str] = &[
    "",
    "Nộp trực tuyến qua Cổng dịch vụ công",
    "Tiếp nhận qua dịch vụ bưu chính công ích",
    "Công dân rút hồ sơ để bổ sung giấy tờ",
    "Người nộp đề nghị rút hồ sơ",
    "Các bên tự thỏa thuận được, rút đơn đề nghị hòa giải",
    "Dừng giải quyết do hồ sơ không đủ điều kiện theo quy định",
    "Dừng giải quyết do phát hiện giấy tờ không hợp lệ",
    "Dừng giải quyết theo văn bản của cơ quan có thẩm quyền",
];
const NOTE_ONLINE: u8 = 1;
const NOTE_POST: u8 = 2;
const NOTE_WITHDRAWN: [u8; 2] = [3, 4];
const NOTE_WITHDRAWN_LAND: u8 = 5;
const NOTE_STOPPED: [u8; 3] = [6, 7, 8];

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Outcome {
    Early,
    OnTime,
    Late,
    Withdrawn,
    Stopped,
    /// Refused (Phiếu từ chối, mẫu 03): ended the day after reception, with a reason.
    Refused,
    OpenInTime,
    OpenOverdue,
}

/// How a dossier was submitted (the `channel` column).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Channel {
    Direct,
    Postal,
    /// Online, the whole procedure (toàn trình) or part of it (một phần).
    OnlineFull,
    OnlinePartial,
}

impl Channel {
    fn code(self) -> &'static str {
        match self {
            Channel::Direct => "direct",
            Channel::Postal => "postal",
            Channel::OnlineFull => "online-full",
            Channel::OnlinePartial => "online-partial",
        }
    }
}

/// Why a dossier was refused (Phiếu từ chối tiếp nhận giải quyết hồ sơ).
const REFUSAL_REASONS: &[&str] = &[
    "Hồ sơ không thuộc thẩm quyền giải quyết của UBND xã",
    "Người yêu cầu không đủ điều kiện theo quy định",
    "Yêu cầu đã được giải quyết trước đó",
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Split {
    /// Everything in the reception row (edited in place).
    InPlace,
    /// The return (and its status, reason, apology) in a later row.
    Later,
}

struct Dossier {
    received: NaiveDate,
    due: NaiveDate,
    returned: Option<NaiveDate>,
    apology: Option<NaiveDate>,
    rescheduled: Option<NaiveDate>,
    seq: u32,
    /// The dossier's place in id order, from 1 (for ids of another shape than per-day).
    gseq: u32,
    procedure: u8,
    officer: u8,
    /// 0: none, otherwise index + 1 into the late reasons of the field.
    reason: u8,
    note_open: u8,
    note_end: u8,
    outcome: Outcome,
    split: Split,
    carried: bool,
    channel: Channel,
    /// The day a request for more papers (Phiếu yêu cầu bổ sung, mẫu 02) was issued.
    supplement: Option<NaiveDate>,
    /// 0: none, otherwise index + 1 into [`REFUSAL_REASONS`].
    refusal: u8,
}

impl Dossier {
    fn proc(&self) -> &'static Procedure {
        &PROCEDURES[self.procedure as usize]
    }

    fn id(&self, out: &mut String) {
        out.clear();
        let r = self.received;
        let (y, m, d) = (r.year() % 100, r.month(), r.day());
        let _ = match shape().ids {
            Ids::PerDay => write!(out, "000.00.27.H42-{y:02}{m:02}{d:02}-{:04}", self.seq),
            Ids::Global => write!(out, "000.00.27.H42-{y:02}{m:02}{d:02}-{:06}", self.gseq),
            Ids::Other => {
                let unit = match self.proc().field {
                    "Hộ tịch" => "SH.HT",
                    "Chứng thực" => "SH.CT",
                    "Đất đai" => "SH.DD",
                    _ => "SH.XH",
                };
                // Six letters, distinct for distinct numbers below 26^6 (7919 is prime to 26).
                let mut v = u64::from(self.gseq) * 7919 % 308_915_776;
                let mut letters = [b'A'; 6];
                for l in letters.iter_mut().rev() {
                    *l = b'A' + (v % 26) as u8;
                    v /= 26;
                }
                write!(
                    out,
                    "{unit}-{}",
                    std::str::from_utf8(&letters).expect("ASCII letters")
                )
            }
            Ids::Uuid => {
                // The first eight digits a bijection of the number (an odd multiplier), so
                // distinct; the rest as random as the number's own stream makes them.
                let first = self.gseq.wrapping_mul(0x9E37_79B1);
                let mut rest = Rng::stream(u64::from(self.gseq), 0x5555);
                let (b, c) = (rest.next_u64(), rest.next_u64());
                write!(
                    out,
                    "{first:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
                    b >> 48,
                    b >> 36 & 0xFFF,
                    0x8000 | (b >> 20 & 0x3FFF),
                    c & 0xFFFF_FFFF_FFFF
                )
            }
        };
    }

    fn status(&self) -> &'static str {
        match self.outcome {
            Outcome::Withdrawn => "withdrawn",
            Outcome::Stopped => "stopped",
            Outcome::Refused => "refused",
            _ => "",
        }
    }

    fn late_reason(&self) -> &'static str {
        if self.reason == 0 {
            ""
        } else {
            let field = self.proc().field;
            let r = self.reason as usize - 1;
            if r < LATE_REASONS_COMMON.len() {
                LATE_REASONS_COMMON[r]
            } else {
                late_reasons(field)[r - LATE_REASONS_COMMON.len()]
            }
        }
    }

    /// Whether the apology (with reason and new date) gets a later row of its own, before the
    /// return.
    fn apology_row(&self) -> bool {
        self.split == Split::Later
            && self.apology.is_some()
            && self.returned.is_none_or(|r| self.apology < Some(r))
    }
}

struct DossierStats {
    received_in_year: usize,
    carried_in: usize,
    early: usize,
    on_time: usize,
    late: usize,
    withdrawn: usize,
    stopped: usize,
    refused: usize,
    supplements: usize,
    /// Received in the year by channel: direct, postal, online (whole), online (part).
    channels: [usize; 4],
    open_in_time: usize,
    open_overdue: usize,
    late_without_reason: usize,
    overdue_without_reason: usize,
    late_without_apology: usize,
    overdue_without_apology: usize,
    rescheduled: usize,
    rows: usize,
    later_rows: usize,
}

/// Spread `n` over the days in proportion to `weights`, exactly (largest remainder).
fn apportion(n: usize, weights: &[f64]) -> Vec<usize> {
    let total: f64 = weights.iter().sum();
    if total <= 0.0 {
        return vec![0; weights.len()];
    }
    let quotas: Vec<f64> = weights.iter().map(|w| n as f64 * w / total).collect();
    let mut counts: Vec<usize> = quotas.iter().map(|q| q.floor() as usize).collect();
    let given: usize = counts.iter().sum();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by(|&a, &b| {
        let ra = quotas[a] - quotas[a].floor();
        let rb = quotas[b] - quotas[b].floor();
        rb.total_cmp(&ra).then(a.cmp(&b))
    });
    for &i in order.iter().take(n.saturating_sub(given)) {
        counts[i] += 1;
    }
    counts
}

fn scaled(n: usize, per_1500: f64) -> usize {
    (n as f64 * per_1500 / 1500.0).round() as usize
}

/// The dossiers in the order of their ids (received date, then sequence of the day): the
/// carried-in ones of early December 2020, then `n` received in the year.
fn generate_dossiers(cal: &Calendar, n: usize, seed: u64) -> Vec<Dossier> {
    let mut rng = Rng::stream(seed, 1);
    let weights: Vec<u32> = PROCEDURES.iter().map(|p| p.weight).collect();
    let carried_weights: Vec<u32> = PROCEDURES.iter().map(|p| p.carried_weight).collect();
    let mut out: Vec<Dossier> = Vec::with_capacity(n + n / 100 + 1);
    let new = |received: NaiveDate, seq: u32, p: usize, officer: u8, carried: bool| Dossier {
        received,
        due: cal.add(received, PROCEDURES[p].days),
        returned: None,
        apology: None,
        rescheduled: None,
        seq,
        gseq: 0,
        procedure: p as u8,
        officer,
        reason: 0,
        note_open: 0,
        note_end: 0,
        outcome: Outcome::OnTime,
        split: Split::InPlace,
        carried,
        channel: Channel::Direct,
        supplement: None,
        refusal: 0,
    };
    let pick_officer = |rng: &mut Rng, p: usize| -> u8 {
        let offs = PROCEDURES[p].officers;
        let w: Vec<u32> = offs.iter().map(|o| o.1).collect();
        officer_index(offs[rng.weighted(&w)].0)
    };

    // Carried in: received 1–14/12/2020, due on or after 15/12/2020, returned in the year.
    let first_day = start();
    let early_dec = cal.between(d(2020, 12, 1), d(2020, 12, 14));
    let mut carried: Vec<Dossier> = Vec::new();
    for _ in 0..(n as f64 / 100.0).round() as usize {
        let p = rng.weighted(&carried_weights);
        let days = PROCEDURES[p].days;
        let ok: Vec<NaiveDate> = early_dec
            .iter()
            .copied()
            .filter(|&r| cal.add(r, days) >= first_day)
            .collect();
        let received = *rng.pick(&ok);
        let officer = pick_officer(&mut rng, p);
        let mut x = new(received, 0, p, officer, true);
        let lo = cal.idx(first_day);
        let hi = cal.idx(x.due);
        // Mostly on or just before the due date.
        let i = if rng.chance(0.4) {
            hi
        } else {
            rng.range(lo, hi)
        };
        x.returned = Some(cal.at(i));
        carried.push(x);
    }
    carried.sort_by_key(|x| x.received);
    let mut last = None;
    let mut seq = 0;
    for x in &mut carried {
        if last != Some(x.received) {
            seq = 0;
            last = Some(x.received);
        }
        seq += 1;
        x.seq = seq;
    }
    out.extend(carried);
    let carried_n = out.len();

    // Received in the year: spread over the working days with weekday and month factors.
    let days = cal.between(start(), end());
    let day_weights: Vec<f64> = days
        .iter()
        .map(|day| {
            let wd = [1.25, 1.05, 1.0, 0.95, 0.9][day.weekday().num_days_from_monday() as usize];
            let month = match (day.year(), day.month()) {
                (2020, _) => 1.05,
                (_, 1) => 1.25,
                (_, 2) if day.day() >= 17 => 1.3,
                (_, 2) => 0.9,
                (_, 7) | (_, 8) => 1.15,
                (_, 9) | (_, 10) => 0.9,
                _ => 1.0,
            };
            wd * month * (0.75 + 0.5 * rng.unit())
        })
        .collect();
    let counts = apportion(n, &day_weights);
    for (&day, &count) in days.iter().zip(&counts) {
        for s in 1..=count {
            let p = rng.weighted(&weights);
            let officer = pick_officer(&mut rng, p);
            let mut x = new(day, s as u32, p, officer, false);
            let r = rng.below(100);
            x.note_open = if r < 6 {
                NOTE_ONLINE
            } else if r < 7 {
                NOTE_POST
            } else {
                0
            };
            out.push(x);
        }
    }

    // Intended outcomes in exact shares, then shuffled.
    let mut outcomes: Vec<Outcome> = Vec::with_capacity(n);
    for (o, share) in [
        (Outcome::Withdrawn, 0.02),
        (Outcome::Stopped, 0.01),
        (Outcome::Late, shape().lapses.unwrap_or(0.05)),
        (Outcome::OnTime, 0.33),
    ] {
        let k = (n as f64 * share).round() as usize;
        outcomes.extend(std::iter::repeat_n(o, k.min(n - outcomes.len())));
    }
    outcomes.resize(n, Outcome::Early);
    rng.shuffle(&mut outcomes);
    for (x, o) in out[carried_n..].iter_mut().zip(outcomes) {
        x.outcome = o;
    }
    // tp1 is commended (05/07/2021) for "không có hồ sơ trễ hạn 6 tháng đầu năm 2021": none of
    // the dossiers tp1 received by 30/06/2021 is late. Each that would be trades its outcome
    // with the next dossier of another officer resolved early or on time: the shares stay.
    let tp1 = officer_index("tp1");
    for i in carried_n..out.len() {
        let x = &out[i];
        if x.officer != tp1 || x.received > d(2021, 6, 30) || x.outcome != Outcome::Late {
            continue;
        }
        let other = (i + 1..out.len()).find(|&j| {
            out[j].officer != tp1 && matches!(out[j].outcome, Outcome::Early | Outcome::OnTime)
        });
        if let Some(j) = other {
            out[i].outcome = out[j].outcome;
            out[j].outcome = Outcome::Late;
        }
    }

    // The land dossier of dc1 returned late without reason nor apology (violation of 18/05/2021).
    let special = out[carried_n..]
        .iter()
        .position(|x| x.received >= d(2021, 4, 19))
        .map(|i| i + carried_n)
        .filter(|&i| out[i].received <= d(2021, 4, 23));
    if let Some(i) = special {
        let x = &mut out[i];
        x.procedure = procedure_index("dd-xac-nhan");
        x.officer = officer_index("dc1");
        x.due = cal.add(x.received, x.proc().days);
        x.returned = Some(cal.add(x.due, 5));
        x.outcome = Outcome::Late;
        x.note_open = 0;
    }

    // A handful still open past their due date at the end of the year.
    let candidates: Vec<usize> = (carried_n..out.len())
        .filter(|&i| {
            let x = &out[i];
            x.received >= d(2021, 11, 15)
                && x.due >= d(2021, 12, 1)
                && x.due < end()
                && matches!(x.outcome, Outcome::Early | Outcome::OnTime | Outcome::Late)
        })
        .collect();
    let overdue = rng.choose(&candidates, (n as f64 / 300.0).round() as usize);
    for &i in &overdue {
        out[i].outcome = Outcome::OpenOverdue;
    }

    // Dates of the outcomes; anything that would end after the year stays open.
    for x in out[carried_n..].iter_mut() {
        let ri = cal.idx(x.received);
        let days = x.proc().days;
        let di = ri + days;
        let ei = cal.idx(end());
        let returned = match x.outcome {
            Outcome::Early => Some(cal.at(rng.range(ri, di - 1))),
            Outcome::OnTime => Some(cal.at(di)),
            Outcome::Late if x.returned.is_some() => x.returned,
            Outcome::Late if di < ei => {
                let spread =
                    [1, 1, 1, 2, 2, 3, 4, 5][rng.below(8)] * if days >= 10 { 2 } else { 1 };
                Some(cal.at((di + spread).min(ei)))
            }
            Outcome::Late => None,
            Outcome::Withdrawn | Outcome::Stopped => Some(cal.at(rng.range(ri, di).min(ei))),
            Outcome::Refused | Outcome::OpenOverdue | Outcome::OpenInTime => None,
        };
        // Of those still within their time at the end, most are not returned yet.
        let pending = x.due > end()
            && matches!(x.outcome, Outcome::Early | Outcome::OnTime)
            && rng.chance(0.6);
        match returned {
            Some(r) if r <= end() && !pending => x.returned = Some(r),
            _ => {
                x.returned = None;
                if x.outcome != Outcome::OpenOverdue {
                    x.outcome = Outcome::OpenInTime;
                }
            }
        }
    }
    for x in out[..carried_n].iter_mut() {
        let r = x.returned.expect("carried dossiers are returned");
        x.outcome = if r < x.due {
            Outcome::Early
        } else {
            Outcome::OnTime
        };
    }

    // Late reasons and apologies: most have both; a few have neither or one of them.
    let late: Vec<usize> = (0..out.len())
        .filter(|&i| out[i].outcome == Outcome::Late && Some(i) != special)
        .collect();
    let special_n = usize::from(special.is_some());
    let overdue_no_apology = overdue.first().copied().filter(|_| overdue.len() >= 3);
    let no_reason = rng.choose(&late, scaled(n, 8.0).saturating_sub(special_n));
    let no_apology = if shape().lapses.is_some() {
        late.clone()
    } else {
        rng.choose(
            &late,
            scaled(n, 6.0)
                .saturating_sub(special_n)
                .saturating_sub(usize::from(overdue_no_apology.is_some())),
        )
    };
    let mut with_late: Vec<usize> = late.clone();
    with_late.extend(overdue.iter().copied());
    with_late.sort_unstable();
    for i in with_late {
        let x = &mut out[i];
        let field = x.proc().field;
        if no_reason.binary_search(&i).is_err() {
            // Mostly a reason of the field, else one of the common ones.
            let r = if rng.chance(0.7) {
                LATE_REASONS_COMMON.len() + rng.below(late_reasons(field).len())
            } else {
                rng.below(LATE_REASONS_COMMON.len())
            };
            x.reason = r as u8 + 1;
        }
        if no_apology.binary_search(&i).is_ok() || Some(i) == overdue_no_apology {
            continue;
        }
        // Issued when the delay became known: around the due date.
        let di = cal.idx(x.due);
        let lo = cal.idx(x.received).max(di.saturating_sub(1));
        let mut a = cal.at(rng.range(lo, di + 2));
        if let Some(r) = x.returned {
            a = a.min(r);
        }
        a = a.min(end());
        x.apology = Some(a);
        match x.returned {
            Some(r) if rng.chance(0.5) => {
                let hi = cal.idx(r) + 2;
                x.rescheduled = Some(cal.at(rng.range(di + 1, hi)));
            }
            None => x.rescheduled = Some(cal.add(end(), rng.range(2, 6))),
            _ => {}
        }
    }

    // Notes of withdrawn and stopped dossiers (unless the reception row already has a note,
    // which a later row may not change); how each fact is recorded.
    for (i, x) in out.iter_mut().enumerate() {
        let note_end = match x.outcome {
            Outcome::Withdrawn if x.procedure == procedure_index("dd-hoa-giai") => {
                NOTE_WITHDRAWN_LAND
            }
            Outcome::Withdrawn => *rng.pick(&NOTE_WITHDRAWN),
            Outcome::Stopped => *rng.pick(&NOTE_STOPPED),
            _ => 0,
        };
        if x.note_open == 0 {
            x.note_end = note_end;
        }
        let later = match x.outcome {
            Outcome::OpenInTime => false,
            Outcome::OpenOverdue => x.apology.is_some() && rng.chance(0.5),
            _ => Some(i) == special || rng.chance(0.4),
        };
        x.split = if later { Split::Later } else { Split::InPlace };
    }
    one_stop_facts(cal, &mut out, seed);
    for (i, x) in out.iter_mut().enumerate() {
        x.gseq = i as u32 + 1;
    }
    out
}

/// Channels, requests for more papers and refusals, drawn from streams of their own so that
/// every other fact of the sample stays as it was.
///
/// - Channels: the dossiers noted as sent online or by post are; of the others, a share that
///   grows from 2 % (December 2020) to 20 % (December 2021) came online too, the rest in
///   person (the carried-in ones all in person). Of the online ones, the whole procedure online
///   (toàn trình) grows from 30 % to 60 %.
/// - About 4 % of the dossiers resolved before or on their due date got a request for more
///   papers the working day after reception (procedures of 2 days or more).
/// - About 0.6 % of those resolved early were refused instead, the working day after reception.
fn one_stop_facts(cal: &Calendar, out: &mut [Dossier], seed: u64) {
    let mut channels = Rng::stream(seed, 11);
    let mut papers = Rng::stream(seed, 12);
    let mut refusals = Rng::stream(seed, 13);
    for x in out.iter_mut() {
        if x.carried {
            continue;
        }
        // Months since December 2020: 0 to 12.
        let month = ((x.received.year() - 2020) * 12 + x.received.month() as i32 - 12).clamp(0, 12);
        let grown = f64::from(month) / 12.0;
        let online = x.note_open == NOTE_ONLINE || channels.chance(0.02 + 0.18 * grown);
        let full = channels.chance(0.3 + 0.3 * grown);
        x.channel = if x.note_open == NOTE_POST {
            Channel::Postal
        } else if online && full {
            Channel::OnlineFull
        } else if online {
            Channel::OnlinePartial
        } else {
            Channel::Direct
        };
        let next_day = cal.add(x.received, 1);
        if matches!(x.outcome, Outcome::Early | Outcome::OnTime)
            && x.proc().days >= 2
            && papers.chance(0.04)
            && next_day <= x.due
            && x.returned.is_some_and(|r| next_day <= r)
        {
            x.supplement = Some(next_day);
        }
        if x.outcome == Outcome::Early
            && x.supplement.is_none()
            && refusals.chance(0.006)
            && next_day <= x.due
            && next_day <= end()
        {
            x.outcome = Outcome::Refused;
            x.returned = Some(next_day.min(x.due));
            x.refusal = refusals.below(REFUSAL_REASONS.len()) as u8 + 1;
            x.note_end = 0;
        }
    }
}

fn dossier_stats(out: &[Dossier], rows: usize, later_rows: usize) -> DossierStats {
    let mut s = DossierStats {
        received_in_year: 0,
        carried_in: 0,
        early: 0,
        on_time: 0,
        late: 0,
        withdrawn: 0,
        stopped: 0,
        refused: 0,
        supplements: 0,
        channels: [0; 4],
        open_in_time: 0,
        open_overdue: 0,
        late_without_reason: 0,
        overdue_without_reason: 0,
        late_without_apology: 0,
        overdue_without_apology: 0,
        rescheduled: 0,
        rows,
        later_rows,
    };
    for x in out {
        if x.carried {
            s.carried_in += 1;
        } else {
            s.received_in_year += 1;
        }
        // Check the categories from the dates, not from the intention.
        let outcome = match (x.outcome, x.returned) {
            (Outcome::Withdrawn, _) => Outcome::Withdrawn,
            (Outcome::Stopped, _) => Outcome::Stopped,
            (Outcome::Refused, _) => Outcome::Refused,
            (_, Some(r)) if r < x.due => Outcome::Early,
            (_, Some(r)) if r == x.due => Outcome::OnTime,
            (_, Some(_)) => Outcome::Late,
            (_, None) if x.due >= end() => Outcome::OpenInTime,
            (_, None) => Outcome::OpenOverdue,
        };
        assert_eq!(
            outcome, x.outcome,
            "outcome of a dossier received {}",
            x.received
        );
        match outcome {
            Outcome::Early => s.early += 1,
            Outcome::OnTime => s.on_time += 1,
            Outcome::Late => {
                s.late += 1;
                s.late_without_reason += usize::from(x.reason == 0);
                s.late_without_apology += usize::from(x.apology.is_none());
            }
            Outcome::Withdrawn => s.withdrawn += 1,
            Outcome::Stopped => s.stopped += 1,
            Outcome::Refused => s.refused += 1,
            Outcome::OpenInTime => s.open_in_time += 1,
            Outcome::OpenOverdue => {
                s.open_overdue += 1;
                s.overdue_without_reason += usize::from(x.reason == 0);
                s.overdue_without_apology += usize::from(x.apology.is_none());
            }
        }
        s.rescheduled += usize::from(x.rescheduled.is_some());
        s.supplements += usize::from(x.supplement.is_some());
        if !x.carried {
            s.channels[x.channel as usize] += 1;
        }
    }
    s
}

/// Reusable cells of one CSV row.
struct Row {
    cells: Vec<String>,
}

impl Row {
    fn new(n: usize) -> Row {
        Row {
            cells: vec![String::new(); n],
        }
    }

    fn clear(&mut self) {
        for c in &mut self.cells {
            c.clear();
        }
    }

    fn set(&mut self, i: usize, s: &str) {
        self.cells[i].clear();
        self.cells[i].push_str(s);
    }

    fn date(&mut self, i: usize, day: Option<NaiveDate>) {
        self.cells[i].clear();
        if let Some(day) = day {
            let _ = write!(
                self.cells[i],
                "{:04}-{:02}-{:02}",
                day.year(),
                day.month(),
                day.day()
            );
        }
    }
}

const DOSSIER_HEADER: [&str; 15] = [
    "id",
    "procedure",
    "field",
    "received",
    "due",
    "returned",
    "status",
    "officer",
    "late_reason",
    "apology",
    "rescheduled",
    "note",
    "channel",
    "supplement",
    "refusal_reason",
];

/// Which fact a row of dossiers.csv records; rows are ordered by (date, id, kind).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Fact {
    Received = 0,
    Apology = 1,
    Returned = 2,
}

fn write_dossiers(path: &Path, out: &[Dossier]) -> Res<(usize, usize)> {
    let mut w = csv::Writer::from_path(path)?;
    w.write_record(DOSSIER_HEADER)?;
    let mut row = Row::new(DOSSIER_HEADER.len());
    // Later rows waiting for their date: (date, received, seq, fact, index).
    type Key = (NaiveDate, NaiveDate, u32, Fact, usize);
    let mut heap: BinaryHeap<Reverse<Key>> = BinaryHeap::new();
    let (mut rows, mut later_rows) = (0, 0);
    let mut emit =
        |w: &mut csv::Writer<fs::File>, row: &mut Row, x: &Dossier, fact: Fact| -> Res<()> {
            row.clear();
            x.id(&mut row.cells[0]);
            let p = x.proc();
            let all = x.split == Split::InPlace;
            if fact == Fact::Received {
                row.set(
                    1,
                    if shape().procedure_names {
                        p.name
                    } else {
                        p.id
                    },
                );
                row.set(2, p.field);
                row.date(3, Some(x.received));
                row.date(4, Some(x.due));
                row.set(7, OFFICER_IDS[x.officer as usize]);
                row.set(11, NOTES[x.note_open as usize]);
                row.set(12, x.channel.code());
                row.date(13, x.supplement);
            }
            if all || fact == Fact::Returned {
                row.date(5, x.returned);
                row.set(6, x.status());
                if x.refusal != 0 {
                    row.set(14, REFUSAL_REASONS[x.refusal as usize - 1]);
                }
                if x.note_end != 0 {
                    row.set(11, NOTES[x.note_end as usize]);
                }
            }
            if all || fact == Fact::Apology || (fact == Fact::Returned && !x.apology_row()) {
                row.set(8, x.late_reason());
                row.date(9, x.apology);
                row.date(10, x.rescheduled);
            }
            if shape().notes && row.cells[11].is_empty() {
                let _ = write!(row.cells[11], "Đã nhận đủ giấy tờ, hẹn trả lần {rows}");
            }
            w.write_record(&row.cells)?;
            rows += 1;
            if fact != Fact::Received {
                later_rows += 1;
            }
            Ok(())
        };
    for (i, x) in out.iter().enumerate() {
        let key: Key = (x.received, x.received, x.seq, Fact::Received, i);
        while heap.peek().is_some_and(|Reverse(k)| *k < key) {
            let Reverse(k) = heap.pop().expect("peeked");
            emit(&mut w, &mut row, &out[k.4], k.3)?;
        }
        emit(&mut w, &mut row, x, Fact::Received)?;
        if x.split == Split::Later {
            if x.apology_row() {
                let a = x.apology.expect("apology row has a date");
                heap.push(Reverse((a, x.received, x.seq, Fact::Apology, i)));
            }
            if let Some(r) = x.returned {
                heap.push(Reverse((r, x.received, x.seq, Fact::Returned, i)));
            }
        }
    }
    while let Some(Reverse(k)) = heap.pop() {
        emit(&mut w, &mut row, &out[k.4], k.3)?;
    }
    w.flush()?;
    Ok((rows, later_rows))
}

// ---------------------------------------------------------------------------------------------
// Activities.

enum Evidence {
    None,
    Text(String),
    /// Minutes numbered in the office's single series of biên bản: the prefix, then "NN/BB-UBND".
    Bb(&'static str),
    /// A report in the office's series "NN/BC-UBND": the prefix, then the number.
    Bc(&'static str),
}

struct Activity {
    date: NaiveDate,
    task: &'static str,
    kind: &'static str,
    summary: String,
    officers: &'static str,
    evidence: Evidence,
    deliverable: &'static str,
    participants: Option<u32>,
    note: String,
}

fn act(
    date: NaiveDate,
    task: &'static str,
    kind: &'static str,
    summary: &str,
    officers: &'static str,
    evidence: Evidence,
) -> Activity {
    Activity {
        date,
        task,
        kind,
        summary: summary.to_string(),
        officers,
        evidence,
        deliverable: "",
        participants: None,
        note: String::new(),
    }
}

impl Activity {
    fn people(mut self, n: u32) -> Activity {
        self.participants = Some(n);
        self
    }

    fn note(mut self, s: &str) -> Activity {
        self.note = s.to_string();
        self
    }
}

/// For folders bigger than the sample: routine activities (checks of the one-stop book, reviews,
/// trainings) in proportion to the dossiers, on working days, so that a folder of N dossiers has
/// about 153·N/1500 activities like the sample. None for the sample's size or less.
fn routine_activities(cal: &Calendar, n_dossiers: usize, have: usize, seed: u64) -> Vec<Activity> {
    const ROUTINE: &[(&str, &str, &str, &str)] = &[
        (
            "3",
            "review",
            "Kiểm tra, đối chiếu Sổ theo dõi hồ sơ với phần mềm một cửa",
            "vp2",
        ),
        (
            "3",
            "other",
            "Cập nhật niêm yết công khai thủ tục hành chính",
            "vp2;tp1",
        ),
        (
            "4",
            "review",
            "Tổng hợp phiếu đánh giá mức độ hài lòng của công dân",
            "vp1",
        ),
        (
            "8",
            "inspection",
            "Kiểm tra việc chấp hành giờ giấc làm việc",
            "pct-kt;vp1",
        ),
        (
            "11",
            "assessment",
            "Theo dõi việc thực hiện nội dung đã đăng ký của cán bộ, công chức",
            "vp1",
        ),
        (
            "1",
            "training",
            "Sinh hoạt chuyên đề về văn hóa công sở",
            "pct-vx;vh1",
        ),
    ];
    let want = scaled(n_dossiers, 153.0);
    if n_dossiers <= 1500 || want <= have {
        return Vec::new();
    }
    let days = cal.between(start(), end());
    let mut rng = Rng::stream(seed, 7);
    (0..want - have)
        .map(|i| {
            let (task, kind, summary, officers) = *rng.pick(ROUTINE);
            let day = *rng.pick(&days);
            act(
                day,
                task,
                kind,
                &format!("{summary} (lần {})", i + 1),
                officers,
                Evidence::Text(format!("Sổ theo dõi, mục {}", i + 1)),
            )
        })
        .collect()
}

/// Report numbers of the year's single series: roughly proportional to the day of the year,
/// so that the fixed "112/BC-UBND ngày 10/12/2021" fits in.
fn bc_number(day: NaiveDate) -> u32 {
    let doy = day.ordinal0();
    if day.year() == 2020 {
        1 + doy * 140 / 365
    } else {
        1 + doy * 111 / 343
    }
}

fn ddmmyyyy(day: NaiveDate) -> String {
    format!("{:02}/{:02}/{}", day.day(), day.month(), day.year())
}

struct ReceptionWeeks {
    held: usize,
    missed: Vec<String>,
}

const MISSED_WEEKS: [(i32, u32); 3] = [(2021, 15), (2021, 29), (2021, 44)];

const RECEPTION_TOPICS: &[&str] = &[
    "tranh chấp ranh giới thửa đất",
    "cấp giấy chứng nhận quyền sử dụng đất",
    "chế độ chính sách người có công",
    "bình xét hộ nghèo, hộ cận nghèo",
    "ô nhiễm môi trường do chăn nuôi",
    "sửa chữa đường giao thông nông thôn",
    "trợ cấp bảo trợ xã hội",
    "bồi thường, hỗ trợ giải phóng mặt bằng",
    "trật tự, tiếng ồn trong khu dân cư",
    "xây dựng nhà ở trên đất nông nghiệp",
];

const RECEPTION_NOTES: &[&str] = &[
    "",
    "",
    "Đã trả lời trực tiếp tại buổi tiếp",
    "Chuyển đơn cho công chức Địa chính xác minh, báo cáo",
    "Giao công chức Văn hóa - Xã hội kiểm tra, trả lời công dân",
    "Hướng dẫn công dân gửi đơn đến cơ quan có thẩm quyền",
];

fn receptions(cal: &Calendar, rng: &mut Rng, acts: &mut Vec<Activity>) -> ReceptionWeeks {
    let mut weeks: Vec<Vec<NaiveDate>> = Vec::new();
    let mut last_week = None;
    for day in cal.between(start(), end()) {
        let w = day.iso_week();
        if last_week != Some((w.year(), w.week())) {
            weeks.push(Vec::new());
            last_week = Some((w.year(), w.week()));
        }
        weeks.last_mut().expect("pushed").push(day);
    }
    let mut held = 0;
    let mut missed = Vec::new();
    // The Chairman's day is Thursday; otherwise the nearest working day of the week.
    let preference = [
        Weekday::Thu,
        Weekday::Wed,
        Weekday::Fri,
        Weekday::Tue,
        Weekday::Mon,
    ];
    let mut page = 43;
    for week in weeks {
        let w = week[0].iso_week();
        if MISSED_WEEKS.contains(&(w.year(), w.week())) {
            missed.push(format!("{}-W{:02}", w.year(), w.week()));
            continue;
        }
        let day = preference
            .iter()
            .find_map(|wd| week.iter().find(|x| x.weekday() == *wd))
            .copied()
            .expect("a week of the year has a working day");
        if day.year() == 2021 && page > 40 {
            page = 1; // A new book for 2021.
        }
        let n = [0u32, 1, 2, 3, 4, 5][rng.weighted(&[2, 4, 5, 4, 2, 1])];
        let (summary, note) = if n == 0 {
            (
                "Chủ tịch UBND xã tiếp công dân định kỳ tại trụ sở; không có công dân đến kiến nghị"
                    .to_string(),
                "",
            )
        } else {
            let a = *rng.pick(RECEPTION_TOPICS);
            let topics = if n >= 2 && rng.chance(0.5) {
                let b = *rng.pick(RECEPTION_TOPICS);
                if a == b {
                    a.to_string()
                } else {
                    format!("{a}; {b}")
                }
            } else {
                a.to_string()
            };
            (
                format!(
                    "Chủ tịch UBND xã tiếp công dân định kỳ: {n} lượt công dân, phản ánh về {topics}"
                ),
                *rng.pick(RECEPTION_NOTES),
            )
        };
        acts.push(
            act(
                day,
                "9",
                "reception",
                &summary,
                "ct",
                Evidence::Text(format!("Sổ tiếp công dân, trang {page}")),
            )
            .people(n)
            .note(note),
        );
        page += 1 + n / 3;
        held += 1;
    }
    ReceptionWeeks { held, missed }
}

/// The first Monday on or after the 3rd of the month, or the next working day.
fn giao_ban_day(cal: &Calendar, y: i32, m: u32) -> NaiveDate {
    let mut day = d(y, m, 3);
    while day.weekday() != Weekday::Mon {
        day = day.succ_opt().expect("in range");
    }
    cal.at(cal.idx(day))
}

const GIAO_BAN_TOPICS: &[&str] = &[
    "triển khai Kế hoạch số 06/KH-UBND về kỷ luật, kỷ cương hành chính",
    "công tác chuẩn bị đón Tết Nguyên đán Tân Sửu",
    "đôn đốc giải quyết hồ sơ TTHC đúng hạn",
    "công tác bầu cử đại biểu Quốc hội và HĐND các cấp",
    "công tác phòng, chống dịch COVID-19",
    "thu ngân sách và tiến độ xây dựng nông thôn mới",
    "công tác phòng, chống thiên tai, lụt bão",
    "chấn chỉnh giờ giấc làm việc, văn hóa công sở",
];

/// Evidence as written in the table of fixed activities.
#[derive(Clone, Copy)]
enum Ev {
    No,
    T(&'static str),
    Bb(&'static str),
    Bc(&'static str),
}

/// One activity of the year as a table row: date, task, kind, summary, officers, evidence,
/// participants, deliverable, note.
struct Fixed(
    (i32, u32, u32),
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    Ev,
    Option<u32>,
    &'static str,
    &'static str,
);

use Ev::{Bb, Bc, No, T};

/// The dated activities of the year, by task (the monthly and weekly ones are made in code).
#[rustfmt::skip]
const FIXED: &[Fixed] = &[
    // Task 1: dissemination in quarters I, II and IV; none in quarter III (15/06–14/09/2021).
    Fixed((2020, 12, 28), "1", "dissemination", "Quán triệt Chỉ thị số 26/CT-TTg về tăng cường kỷ luật, kỷ cương trong cơ quan hành chính nhà nước tại cuộc họp cơ quan cuối năm",
        "ct;vp1", Bb("Biên bản họp cơ quan "), Some(19), "", ""),
    Fixed((2021, 1, 22), "1", "dissemination", "Hội nghị quán triệt, triển khai Kế hoạch số 06/KH-UBND ngày 15/01/2021 về thực hiện kỷ luật, kỷ cương hành chính năm 2021",
        "ct;pct-vx;vp1;tp1", Bb("Biên bản hội nghị quán triệt "), Some(24), "", ""),
    Fixed((2021, 2, 26), "1", "dissemination", "Quán triệt Nghị quyết số 04-NQ/TW về tăng cường xây dựng, chỉnh đốn Đảng; yêu cầu cán bộ, công chức viết bài thu hoạch",
        "ct;pct-vx", Bb("Biên bản hội nghị quán triệt "), Some(22), "", "Thu 20 bài thu hoạch"),
    Fixed((2021, 3, 3), "1", "dissemination", "Phổ biến Nghị định số 112/2020/NĐ-CP về xử lý kỷ luật cán bộ, công chức, viên chức",
        "pct-vx;tp1", Bb("Biên bản hội nghị phổ biến "), Some(21), "", ""),
    Fixed((2021, 4, 16), "1", "dissemination", "Quán triệt Quy chế văn hóa công sở ban hành theo Quyết định số 129/2007/QĐ-TTg",
        "pct-vx;vp1", Bb("Biên bản hội nghị quán triệt "), Some(20), "", ""),
    Fixed((2021, 5, 24), "1", "dissemination", "Quán triệt Quy định số 55-QĐ/TW về tăng cường vai trò nêu gương của cán bộ, đảng viên",
        "ct;pct-vx", Bb("Biên bản hội nghị quán triệt "), Some(23), "", ""),
    Fixed((2021, 6, 1), "1", "dissemination", "Phổ biến Chỉ thị số 32/2006/CT-TTg về chấn chỉnh kỷ luật, kỷ cương trong giải quyết công việc của người dân cho công chức Bộ phận một cửa",
        "tp1", No, Some(7), "", ""),
    Fixed((2021, 10, 11), "1", "dissemination", "Phổ biến Chỉ thị số 05/2008/CT-TTg về nâng cao hiệu quả sử dụng thời gian làm việc",
        "pct-vx;vp1", Bb("Biên bản hội nghị phổ biến "), Some(21), "", ""),
    Fixed((2021, 11, 15), "1", "dissemination", "Tuyên truyền Nghị định số 20/2008/NĐ-CP về tiếp nhận, xử lý phản ánh, kiến nghị trên hệ thống truyền thanh xã",
        "vh1", T("Nhật ký phát thanh tháng 11/2021"), None, "", ""),
    Fixed((2021, 12, 2), "1", "dissemination", "Quán triệt Luật Phòng, chống tham nhũng và Luật Thực hành tiết kiệm, chống lãng phí",
        "ct;tp1", Bb("Biên bản hội nghị quán triệt "), Some(22), "", ""),

    // Task 2: assessment of the one-stop desk; the report is the deliverable.
    Fixed((2021, 6, 16), "2", "assessment", "Sơ kết 6 tháng hoạt động của Bộ phận tiếp nhận và trả kết quả",
        "ct;vp1;vp2;tp1", Bb("Biên bản sơ kết "), Some(12), "", ""),
    Fixed((2021, 11, 29), "2", "review", "Lấy ý kiến tổ chức, công dân về hoạt động Bộ phận một cửa phục vụ xây dựng Báo cáo đánh giá",
        "vp1;vp2", T("Tổng hợp 120 phiếu lấy ý kiến"), None, "", ""),
    Fixed((2021, 12, 10), "2", "assessment", "Hội nghị đánh giá hoạt động Bộ phận một cửa năm 2021; ban hành Báo cáo đánh giá và Kế hoạch nâng cao chất lượng, hiệu quả hoạt động",
        "ct;pct-kt;vp1;vp2;tp1;tp2", T("Báo cáo số 112/BC-UBND ngày 10/12/2021"), Some(18), "2-bao-cao", ""),

    // Task 3: the one-stop desk, publication and review of procedures (monthly rows in code).
    Fixed((2021, 1, 11), "3", "assignment", "Kiện toàn Bộ phận tiếp nhận và trả kết quả; phân công công chức trực tiếp nhận hồ sơ",
        "ct", T("Quyết định số 08/QĐ-UBND ngày 11/01/2021"), None, "", ""),
    Fixed((2021, 1, 13), "3", "review", "Niêm yết công khai bộ thủ tục hành chính cấp xã tại Bộ phận một cửa",
        "vp2;tp1", T("Danh mục TTHC niêm yết ngày 13/01/2021"), None, "", ""),
    Fixed((2021, 3, 11), "3", "review", "Kiểm tra, đối chiếu Sổ theo dõi hồ sơ với phần mềm một cửa; đôn đốc hồ sơ sắp đến hạn",
        "vp1;vp2", T("Sổ theo dõi hồ sơ"), None, "", ""),
    Fixed((2021, 3, 15), "3", "review", "Rà soát thủ tục hành chính lĩnh vực hộ tịch, chứng thực",
        "tp1;tp2", T("Báo cáo rà soát TTHC quý I/2021"), None, "", ""),
    Fixed((2021, 5, 10), "3", "training", "Tập huấn sử dụng phần mềm một cửa điện tử và Cổng dịch vụ công trực tuyến",
        "vp2;tp1;tp2;dc1;dc2;vh2", T("Danh sách học viên"), Some(8), "", ""),
    Fixed((2021, 6, 9), "3", "review", "Kiểm tra, đối chiếu Sổ theo dõi hồ sơ với phần mềm một cửa; đôn đốc hồ sơ sắp đến hạn",
        "vp1;vp2", T("Sổ theo dõi hồ sơ"), None, "", ""),
    Fixed((2021, 6, 21), "3", "review", "Cập nhật niêm yết TTHC theo Quyết định công bố danh mục TTHC mới của UBND tỉnh",
        "vp2", T("Danh mục TTHC niêm yết ngày 21/06/2021"), None, "", ""),
    Fixed((2021, 9, 8), "3", "review", "Kiểm tra, đối chiếu Sổ theo dõi hồ sơ với phần mềm một cửa; đôn đốc hồ sơ sắp đến hạn",
        "vp1;vp2", T("Sổ theo dõi hồ sơ"), None, "", ""),
    Fixed((2021, 9, 20), "3", "review", "Rà soát, đề xuất đơn giản hóa TTHC lĩnh vực đất đai, bảo trợ xã hội",
        "dc1;dc2;vh2", T("Báo cáo rà soát TTHC quý III/2021"), None, "", ""),
    Fixed((2021, 9, 28), "3", "training", "Bồi dưỡng nghiệp vụ hộ tịch, chứng thực cho công chức Tư pháp - Hộ tịch",
        "tp1;tp2", T("Giấy chứng nhận bồi dưỡng của Phòng Tư pháp huyện"), Some(2), "", ""),
    Fixed((2021, 12, 7), "3", "review", "Kiểm tra, đối chiếu Sổ theo dõi hồ sơ với phần mềm một cửa; đôn đốc hồ sơ sắp đến hạn",
        "vp1;vp2", T("Sổ theo dõi hồ sơ"), None, "", ""),

    // Task 4: attitude towards citizens.
    Fixed((2021, 1, 14), "4", "other", "Công khai số điện thoại đường dây nóng của Chủ tịch UBND xã tại Bộ phận một cửa",
        "ct;vp2", T("Thông báo số 01/TB-UBND ngày 14/01/2021"), None, "", ""),
    Fixed((2021, 3, 12), "4", "review", "Tổng hợp kết quả đánh giá mức độ hài lòng của công dân quý I/2021",
        "vp1", T("Bảng tổng hợp phiếu đánh giá quý I/2021"), None, "", ""),
    Fixed((2021, 4, 22), "4", "training", "Tập huấn kỹ năng giao tiếp, ứng xử với tổ chức, công dân cho công chức Bộ phận một cửa",
        "pct-vx;vp2;tp1;tp2;dc1;dc2;vh2", T("Danh sách học viên; tài liệu tập huấn"), Some(9), "", ""),
    Fixed((2021, 6, 11), "4", "review", "Tổng hợp kết quả đánh giá mức độ hài lòng của công dân quý II/2021",
        "vp1", T("Bảng tổng hợp phiếu đánh giá quý II/2021"), None, "", ""),
    Fixed((2021, 7, 19), "4", "other", "Chấn chỉnh thái độ phục vụ, yêu cầu công chức một cửa có mặt đầy đủ tại bàn tiếp nhận sau phản ánh của công dân",
        "ct;vp2", T("Thông báo kết luận số 52/TB-UBND ngày 19/07/2021"), None, "", ""),
    Fixed((2021, 9, 13), "4", "review", "Tổng hợp kết quả đánh giá mức độ hài lòng của công dân quý III/2021",
        "vp1", T("Bảng tổng hợp phiếu đánh giá quý III/2021"), None, "", ""),
    Fixed((2021, 11, 30), "4", "other", "Xác minh phản ánh của công dân về thái độ của công chức Tư pháp - Hộ tịch",
        "pct-vx;tp2", Bb("Biên bản làm việc "), None, "", "Đang xem xét trách nhiệm"),
    Fixed((2021, 12, 13), "4", "review", "Tổng hợp kết quả đánh giá mức độ hài lòng của công dân quý IV/2021",
        "vp1", T("Bảng tổng hợp phiếu đánh giá quý IV/2021"), None, "", ""),

    // Task 5: the assignment decision, due 31/01/2021, signed late on 05/02/2021.
    Fixed((2021, 1, 12), "5", "review", "Rà soát vị trí việc làm, chức năng, nhiệm vụ của các bộ phận chuyên môn",
        "ct;vp1", T("Bảng rà soát vị trí việc làm"), None, "", ""),
    Fixed((2021, 2, 5), "5", "assignment", "Ban hành Quyết định phân công nhiệm vụ cụ thể cho từng cán bộ, công chức năm 2021",
        "ct;vp1", T("Quyết định số 15/QĐ-UBND ngày 05/02/2021"), None, "5-phan-cong", ""),
    Fixed((2021, 7, 20), "5", "assignment", "Điều chỉnh, bổ sung phân công nhiệm vụ cho cán bộ, công chức 6 tháng cuối năm 2021",
        "ct", T("Quyết định số 59/QĐ-UBND ngày 20/07/2021"), None, "", ""),

    // Task 6: the meeting procedure and the quarterly sessions (monthly "giao ban" in code).
    Fixed((2021, 2, 24), "6", "other", "Ban hành Quy trình tổ chức, quản lý các cuộc họp của UBND xã",
        "ct;vp1", T("Quyết định số 20/QĐ-UBND ngày 24/02/2021"), None, "", ""),
    Fixed((2021, 3, 29), "6", "meeting", "Phiên họp thường kỳ UBND xã quý I/2021",
        "ct;pct-kt;pct-vx;vp1", Bb("Biên bản phiên họp UBND số "), Some(12), "", ""),
    Fixed((2021, 6, 28), "6", "meeting", "Phiên họp thường kỳ UBND xã quý II/2021",
        "ct;pct-kt;pct-vx;vp1", Bb("Biên bản phiên họp UBND số "), Some(12), "", ""),
    Fixed((2021, 9, 27), "6", "meeting", "Phiên họp thường kỳ UBND xã quý III/2021",
        "ct;pct-kt;pct-vx;vp1", Bb("Biên bản phiên họp UBND số "), Some(12), "", ""),
    Fixed((2021, 12, 9), "6", "meeting", "Phiên họp thường kỳ UBND xã quý IV/2021",
        "ct;pct-kt;pct-vx;vp1", Bb("Biên bản phiên họp UBND số "), Some(12), "", ""),

    // Task 7: emulation.
    Fixed((2021, 1, 20), "7", "emulation", "Hội nghị phát động thi đua năm 2021, lồng ghép thực hiện kỷ luật, kỷ cương hành chính",
        "ct;pct-vx;vp1", Bb("Biên bản hội nghị phát động thi đua "), Some(26), "", ""),
    Fixed((2021, 3, 16), "7", "emulation", "Phát động đợt thi đua cao điểm chào mừng cuộc bầu cử đại biểu Quốc hội khóa XV và HĐND các cấp",
        "pct-vx;vp1", T("Kế hoạch số 18/KH-UBND ngày 16/03/2021"), None, "", ""),
    Fixed((2021, 6, 25), "7", "emulation", "Sơ kết phong trào thi đua 6 tháng đầu năm 2021",
        "ct;pct-vx;vp1", Bb("Biên bản sơ kết thi đua "), Some(22), "", ""),
    Fixed((2021, 12, 3), "7", "emulation", "Họp Hội đồng Thi đua - Khen thưởng xã bình xét thi đua, khen thưởng năm 2021",
        "ct;pct-vx;vp1", Bb("Biên bản họp Hội đồng TĐKT "), Some(9), "", ""),
    Fixed((2021, 12, 8), "7", "emulation", "Hội nghị tổng kết phong trào thi đua yêu nước năm 2021",
        "ct;pct-kt;pct-vx;vp1", Bb("Biên bản hội nghị tổng kết thi đua "), Some(28), "", ""),

    // Task 8: inspections, in both halves.
    Fixed((2021, 1, 26), "8", "inspection", "Kiểm tra việc chấp hành giờ giấc làm việc, văn hóa công sở trước Tết Nguyên đán Tân Sửu",
        "pct-kt;vp1", Bb("Biên bản kiểm tra "), None, "", ""),
    Fixed((2021, 3, 22), "8", "inspection", "Kiểm tra đột xuất việc chấp hành giờ giấc làm việc tại Bộ phận một cửa",
        "pct-kt;vp1", Bb("Biên bản kiểm tra "), None, "", "Phát hiện 01 công chức đi làm muộn"),
    Fixed((2021, 4, 12), "8", "inspection", "Kiểm tra việc chấp hành giờ giấc làm việc của cán bộ, công chức",
        "ct;vp1", Bb("Biên bản kiểm tra "), None, "", ""),
    Fixed((2021, 5, 17), "8", "inspection", "Kiểm tra việc giải quyết hồ sơ TTHC lĩnh vực đất đai",
        "pct-kt;tp1", Bb("Biên bản kiểm tra "), None, "", "Phát hiện 01 hồ sơ trễ hạn không có lý do chính đáng"),
    Fixed((2021, 7, 14), "8", "inspection", "Kiểm tra đột xuất việc chấp hành nội quy, giờ giấc làm việc",
        "pct-kt;vp1", Bb("Biên bản kiểm tra "), None, "", "01 công chức tự ý nghỉ buổi làm việc"),
    Fixed((2021, 8, 23), "8", "inspection", "Kiểm tra việc niêm yết công khai TTHC và hòm thư góp ý",
        "pct-vx;tp1", Bb("Biên bản kiểm tra "), None, "", ""),
    Fixed((2021, 10, 18), "8", "inspection", "Kiểm tra hoạt động của Bộ phận một cửa",
        "ct;pct-kt;vp1", Bb("Biên bản kiểm tra "), None, "", ""),
    Fixed((2021, 11, 23), "8", "inspection", "Kiểm tra việc lập hồ sơ công việc của cán bộ, công chức theo Quyết định phân công nhiệm vụ",
        "ct;vp1", Bb("Biên bản kiểm tra "), None, "", ""),

    // Task 9: the reception schedule and quarterly reception reports (weekly receptions in code).
    Fixed((2021, 1, 8), "9", "other", "Thông báo lịch tiếp công dân định kỳ năm 2021 của Chủ tịch UBND xã (thứ Năm hằng tuần)",
        "ct;vp1", T("Thông báo số 02/TB-UBND ngày 08/01/2021"), None, "", ""),
    Fixed((2021, 3, 9), "9", "report", "Báo cáo công tác tiếp công dân, giải quyết khiếu nại, tố cáo quý I/2021",
        "ct;vp1", Bc("Báo cáo số "), None, "", ""),
    Fixed((2021, 6, 9), "9", "report", "Báo cáo công tác tiếp công dân, giải quyết khiếu nại, tố cáo quý II/2021",
        "ct;vp1", Bc("Báo cáo số "), None, "", ""),
    Fixed((2021, 9, 9), "9", "report", "Báo cáo công tác tiếp công dân, giải quyết khiếu nại, tố cáo quý III/2021",
        "ct;vp1", Bc("Báo cáo số "), None, "", ""),
    Fixed((2021, 12, 6), "9", "report", "Báo cáo công tác tiếp công dân, giải quyết khiếu nại, tố cáo quý IV/2021",
        "ct;vp1", Bc("Báo cáo số "), None, "", ""),

    // Task 10: quarterly reports on the plan before each nd09 cut-off.
    Fixed((2020, 12, 17), "10", "report", "Báo cáo kết quả thực hiện kỷ luật, kỷ cương hành chính năm 2020",
        "vp1", Bc("Báo cáo số "), None, "", ""),
    Fixed((2021, 3, 10), "10", "report", "Báo cáo kết quả thực hiện kỷ luật, kỷ cương hành chính quý I năm 2021 gửi Chủ tịch UBND xã, UBND huyện",
        "vp1", Bc("Báo cáo số "), None, "", ""),
    Fixed((2021, 4, 26), "10", "other", "Đôn đốc các bộ phận chuyên môn gửi báo cáo tháng đúng thời hạn",
        "vp1", T("Công văn số 31/UBND-VP ngày 26/04/2021"), None, "", ""),
    Fixed((2021, 6, 10), "10", "report", "Báo cáo kết quả thực hiện kỷ luật, kỷ cương hành chính quý II và 6 tháng đầu năm 2021 gửi Chủ tịch UBND xã, UBND huyện",
        "vp1", Bc("Báo cáo số "), None, "", ""),
    Fixed((2021, 9, 10), "10", "report", "Báo cáo kết quả thực hiện kỷ luật, kỷ cương hành chính quý III năm 2021 gửi Chủ tịch UBND xã, UBND huyện",
        "vp1", Bc("Báo cáo số "), None, "", ""),
    Fixed((2021, 10, 25), "10", "other", "Thông báo công khai kết quả thực hiện chế độ báo cáo quý III/2021 đến cán bộ, công chức",
        "vp1", T("Thông báo số 75/TB-UBND ngày 25/10/2021"), None, "", ""),
    Fixed((2021, 12, 9), "10", "report", "Báo cáo kết quả thực hiện kỷ luật, kỷ cương hành chính quý IV và năm 2021 gửi Chủ tịch UBND xã, UBND huyện",
        "vp1", Bc("Báo cáo số "), None, "", ""),

    // Task 11: rating of officers.
    Fixed((2021, 6, 29), "11", "assessment", "Sơ kết đánh giá việc thực hiện nhiệm vụ đã đăng ký của cán bộ, công chức 6 tháng đầu năm",
        "ct;vp1", Bb("Biên bản sơ kết "), Some(20), "", ""),
    Fixed((2021, 12, 1), "11", "other", "Hướng dẫn cán bộ, công chức tự đánh giá, xếp loại năm 2021 gắn với kết quả thực hiện cam kết",
        "vp1", T("Công văn số 142/UBND-VP ngày 01/12/2021"), None, "", ""),
    Fixed((2021, 12, 13), "11", "assessment", "Hội nghị đánh giá, xếp loại chất lượng cán bộ, công chức năm 2021",
        "ct;pct-kt;pct-vx;vp1", Bb("Biên bản hội nghị đánh giá, xếp loại "), Some(20), "", ""),
];

fn activities(cal: &Calendar, seed: u64) -> (Vec<Activity>, ReceptionWeeks) {
    let mut rng = Rng::stream(seed, 2);
    let mut a: Vec<Activity> = FIXED
        .iter()
        .map(|f| {
            let &Fixed(
                (y, m, dd),
                task,
                kind,
                summary,
                officers,
                ev,
                participants,
                deliverable,
                note,
            ) = f;
            let evidence = match ev {
                No => Evidence::None,
                T(s) => Evidence::Text(s.to_string()),
                Bb(p) => Evidence::Bb(p),
                Bc(p) => Evidence::Bc(p),
            };
            Activity {
                date: d(y, m, dd),
                task,
                kind,
                summary: summary.to_string(),
                officers,
                evidence,
                deliverable,
                participants,
                note: note.to_string(),
            }
        })
        .collect();

    // Task 3: monthly one-stop statistics to the district, after the 14th cut-off, and the
    // suggestion box, opened on the last working day of the month.
    let months = std::iter::once((2020, 12)).chain((1..=11).map(|m| (2021, m)));
    for (y, m) in months {
        let day = cal.at(cal.idx(d(y, m, 18)));
        let summary = format!("Báo cáo kết quả giải quyết TTHC tháng {m:02}/{y} gửi UBND huyện");
        a.push(act(
            day,
            "3",
            "report",
            &summary,
            "vp2",
            Evidence::Bc("Báo cáo số "),
        ));
        let next = if m == 12 {
            d(y + 1, 1, 1)
        } else {
            d(y, m + 1, 1)
        };
        let last = cal.at(cal.idx(next) - 1);
        let summary = format!("Mở hòm thư góp ý tại Bộ phận một cửa tháng {m:02}/{y}");
        let evidence = format!("Biên bản mở hòm thư góp ý ngày {}", ddmmyyyy(last));
        a.push(act(
            last,
            "3",
            "other",
            &summary,
            "vp1;tp1",
            Evidence::Text(evidence),
        ));
    }

    // Task 6: monthly "giao ban", none in the nd09 month 15/08–14/09/2021; no minutes in July
    // and November.
    for m in (1..=12).filter(|&m| m != 9) {
        let day = giao_ban_day(cal, 2021, m);
        let topic = GIAO_BAN_TOPICS[match m {
            1 => 0,
            2 => 1,
            3 | 11 => 5,
            4 | 12 => 7,
            5 => 3,
            6 | 8 => 4,
            7 => 2,
            _ => 6,
        }];
        let prev = if m == 1 {
            "12/2020".to_string()
        } else {
            format!("{:02}/2021", m - 1)
        };
        let summary = format!(
            "Họp giao ban UBND xã tháng {m:02}/2021: đánh giá kết quả tháng {prev}, {topic}"
        );
        let evidence = if m == 7 || m == 11 {
            Evidence::None
        } else {
            Evidence::Bb("Biên bản họp giao ban số ")
        };
        let people = 18 + rng.below(5) as u32;
        a.push(
            act(
                day,
                "6",
                "meeting",
                &summary,
                "ct;pct-kt;pct-vx;vp1",
                evidence,
            )
            .people(people),
        );
    }

    // Task 9: the Chairman's weekly reception.
    let weeks = receptions(cal, &mut rng, &mut a);

    // Chronological; on the same day by task.
    a.sort_by_key(|x| (x.date, x.task.parse::<u32>().unwrap_or(0)));
    (a, weeks)
}

fn write_activities(path: &Path, acts: &[Activity]) -> Res<usize> {
    let mut w = csv::Writer::from_path(path)?;
    w.write_record([
        "date",
        "task",
        "kind",
        "summary",
        "officers",
        "evidence",
        "deliverable",
        "participants",
        "note",
    ])?;
    let mut bb: Option<(i32, u32)> = None;
    let mut last_bc = (0, 0);
    let mut row = Row::new(9);
    for x in acts {
        if x.date.year() != last_bc.0 {
            last_bc = (x.date.year(), 0);
        }
        row.clear();
        row.date(0, Some(x.date));
        row.set(1, x.task);
        row.set(2, x.kind);
        row.set(3, &x.summary);
        row.set(4, x.officers);
        match &x.evidence {
            Evidence::None => {}
            Evidence::Text(s) => row.set(5, s),
            Evidence::Bb(prefix) => {
                let year = x.date.year();
                let n = match bb {
                    Some((y, n)) if y == year => n + 1,
                    // The 2020 series was well advanced by December.
                    _ if year == 2020 => 61,
                    _ => 1,
                };
                bb = Some((year, n));
                row.set(5, &format!("{prefix}{n:02}/BB-UBND"));
            }
            Evidence::Bc(prefix) => {
                let n = bc_number(x.date).max(last_bc.1 + 1);
                last_bc.1 = n;
                row.set(5, &format!("{prefix}{n:02}/BC-UBND"));
            }
        }
        if let Evidence::Text(s) = &x.evidence
            && let Some(n) = s
                .strip_prefix("Báo cáo số ")
                .and_then(|r| r.split('/').next())
        {
            let n: u32 = n.parse()?;
            assert!(n > last_bc.1, "report numbers increase");
            last_bc.1 = n;
        }
        row.set(6, x.deliverable);
        if let Some(n) = x.participants {
            row.set(7, &n.to_string());
        }
        row.set(8, &x.note);
        w.write_record(&row.cells)?;
    }
    w.flush()?;
    Ok(acts.len())
}

// ---------------------------------------------------------------------------------------------
// Violations, commendations, commitments: small fixed tables.

fn write_table(path: &Path, header: &[&str], rows: &[&[&str]]) -> Res<usize> {
    let mut w = csv::Writer::from_path(path)?;
    w.write_record(header)?;
    for r in rows {
        assert_eq!(r.len(), header.len());
        w.write_record(*r)?;
    }
    w.flush()?;
    Ok(rows.len())
}

/// date, officer, description, task, action, decision, note
#[rustfmt::skip]
const VIOLATIONS: &[&[&str]] = &[
    &["2021-03-22", "vp2", "Đi làm muộn 45 phút, để công dân chờ tại Bộ phận một cửa (phát hiện qua kiểm tra đột xuất)", "4", "reminder", "", "Nhắc nhở tại cuộc họp giao ban tháng 4/2021"],
    &["2021-05-18", "dc1", "Để hồ sơ đất đai trễ hạn không có lý do chính đáng, không thực hiện phiếu xin lỗi và hẹn lại ngày trả kết quả", "3", "reprimand", "Quyết định số 45/QĐ-UBND ngày 28/05/2021", ""],
    &["2021-06-07", "qs", "Vắng họp giao ban tháng 6/2021 không báo cáo lý do", "6", "reminder", "", ""],
    &["2021-07-14", "vp2", "Tự ý nghỉ buổi làm việc sáng 14/07/2021 không báo cáo lãnh đạo", "4", "criticism", "Thông báo kết luận số 52/TB-UBND ngày 19/07/2021", "Tái phạm (lần 2 trong năm)"],
    &["2021-11-29", "tp2", "Công dân phản ánh thái độ thiếu nhã nhặn khi hướng dẫn thủ tục hộ tịch", "4", "", "", "Đang xác minh, chưa kết luận"],
];

/// date, recipient, form, reason, decision, note
#[rustfmt::skip]
const COMMENDATIONS: &[&[&str]] = &[
    &["2021-03-08", "Ban Chỉ huy Quân sự xã", "Giấy khen của Chủ tịch UBND xã", "Hoàn thành xuất sắc công tác tuyển chọn, gọi công dân nhập ngũ năm 2021", "Quyết định số 23/QĐ-UBND ngày 08/03/2021", ""],
    &["2021-07-05", "tp1", "Giấy khen của Chủ tịch UBND xã", "Giải quyết hồ sơ hộ tịch, chứng thực trước và đúng hạn, không có hồ sơ trễ hạn 6 tháng đầu năm 2021", "Quyết định số 55/QĐ-UBND ngày 05/07/2021", ""],
    &["2021-09-08", "Bộ phận tiếp nhận và trả kết quả", "Giấy khen của Chủ tịch UBND huyện", "Có thành tích xuất sắc trong thực hiện cơ chế một cửa, một cửa liên thông", "Quyết định số 2145/QĐ-UBND ngày 08/09/2021 của UBND huyện Hương Sơn", ""],
    &["2021-10-25", "Công an xã Sơn Hồng", "Bằng khen của Chủ tịch UBND tỉnh", "Có thành tích xuất sắc trong công tác phòng, chống dịch COVID-19", "Quyết định số 3512/QĐ-UBND ngày 25/10/2021 của UBND tỉnh Hà Tĩnh", ""],
    &["2021-12-08", "vp1", "Giấy khen của Chủ tịch UBND xã", "Tham mưu thực hiện tốt Kế hoạch kỷ luật, kỷ cương hành chính năm 2021", "Quyết định số 97/QĐ-UBND ngày 07/12/2021", "Trao tại Hội nghị tổng kết thi đua"],
    &["2021-12-08", "vh1", "Giấy khen của Chủ tịch UBND xã", "Làm tốt công tác tuyên truyền trên hệ thống truyền thanh xã", "Quyết định số 97/QĐ-UBND ngày 07/12/2021", "Trao tại Hội nghị tổng kết thi đua"],
    &["2021-12-08", "ca", "Giấy khen của Chủ tịch UBND xã", "Hoàn thành xuất sắc nhiệm vụ bảo đảm an ninh, trật tự trên địa bàn", "Quyết định số 97/QĐ-UBND ngày 07/12/2021", "Trao tại Hội nghị tổng kết thi đua"],
];

/// date, officer, task, commitment: vp2 registered late, dc2 and qs not at all.
#[rustfmt::skip]
const COMMITMENTS: &[&[&str]] = &[
    &["2021-01-18", "ct", "2", "Tổ chức đánh giá hoạt động Bộ phận một cửa; ban hành Báo cáo đánh giá và Kế hoạch nâng cao chất lượng trước ngày 15/12/2021"],
    &["2021-01-18", "ct", "5", "Ban hành Quyết định phân công nhiệm vụ cụ thể cho từng cán bộ, công chức trong tháng 01/2021"],
    &["2021-01-18", "ct", "9", "Trực tiếp tiếp công dân định kỳ ít nhất 01 ngày mỗi tuần tại trụ sở UBND xã"],
    &["2021-01-18", "ct", "11", "Đánh giá, xếp loại cán bộ, công chức cuối năm gắn với việc chấp hành kỷ luật, kỷ cương hành chính"],
    &["2021-01-19", "pct-kt", "3", "Chỉ đạo giải quyết hồ sơ đất đai đúng hạn, không để trễ hẹn không có lý do chính đáng"],
    &["2021-01-19", "pct-kt", "8", "Chủ trì kiểm tra đột xuất việc chấp hành giờ giấc làm việc ít nhất mỗi quý một lần"],
    &["2021-01-19", "pct-vx", "1", "Chỉ đạo quán triệt các văn bản về kỷ luật, kỷ cương hành chính đến toàn thể cán bộ, công chức hằng quý"],
    &["2021-01-19", "pct-vx", "4", "Chỉ đạo công chức Bộ phận một cửa hướng dẫn công dân một lần, đầy đủ, tận tình"],
    &["2021-01-19", "pct-vx", "7", "Theo dõi, đề xuất khen thưởng kịp thời tập thể, cá nhân có thành tích"],
    &["2021-01-20", "vp1", "6", "Lập đầy đủ hồ sơ, biên bản các cuộc họp của UBND xã và lưu trữ theo quy định"],
    &["2021-01-20", "vp1", "7", "Tham mưu phát động thi đua đầu năm và tổng kết thi đua cuối năm đúng kế hoạch"],
    &["2021-01-20", "vp1", "10", "Tổng hợp, tham mưu báo cáo kết quả thực hiện kỷ luật, kỷ cương hành chính hằng quý đúng thời hạn"],
    &["2021-01-21", "tp1", "1", "Tham mưu tuyên truyền, phổ biến pháp luật về kỷ luật, kỷ cương hành chính"],
    &["2021-01-21", "tp1", "3", "Giải quyết hồ sơ hộ tịch, chứng thực đúng và sớm hơn thời hạn quy định, không để hồ sơ trễ hạn"],
    &["2021-01-21", "tp1", "4", "Hướng dẫn công dân tận tình, chu đáo; không để công dân đi lại nhiều lần"],
    &["2021-01-21", "tp2", "3", "Giải quyết hồ sơ hộ tịch đúng thời hạn; lập đầy đủ sổ hộ tịch theo quy định"],
    &["2021-01-21", "tp2", "4", "Giao tiếp với công dân thân thiện, đúng Quy chế văn hóa công sở"],
    &["2021-01-22", "dc1", "3", "Giải quyết hồ sơ đất đai đúng thời hạn; hồ sơ trễ hạn phải có phiếu xin lỗi và hẹn lại ngày trả kết quả"],
    &["2021-01-22", "dc1", "4", "Hướng dẫn công dân đầy đủ thành phần hồ sơ đất đai ngay từ lần đầu"],
    &["2021-01-25", "tc", "6", "Chấp hành nghiêm chế độ hội họp, chuẩn bị đầy đủ tài liệu phần tài chính, ngân sách"],
    &["2021-01-25", "tc", "10", "Báo cáo tài chính, ngân sách đúng thời hạn quy định"],
    &["2021-01-25", "vh1", "1", "Tuyên truyền về kỷ luật, kỷ cương hành chính, văn hóa công sở trên hệ thống truyền thanh xã hằng tháng"],
    &["2021-01-25", "vh1", "7", "Phát hiện, đề xuất biểu dương gương người tốt, việc tốt"],
    &["2021-01-26", "vh2", "3", "Giải quyết hồ sơ bảo trợ xã hội, người có công đúng thời hạn"],
    &["2021-01-26", "vh2", "4", "Tiếp nhận, hướng dẫn đối tượng chính sách chu đáo, không gây phiền hà"],
    &["2021-01-27", "ca", "8", "Chấp hành nghiêm giờ giấc, tác phong, điều lệnh; phối hợp kiểm tra khi được phân công"],
    &["2021-01-27", "ca", "9", "Bảo đảm an ninh, trật tự tại các buổi tiếp công dân của Chủ tịch UBND xã"],
    &["2021-02-22", "vp2", "3", "Tiếp nhận, trả kết quả hồ sơ đúng quy trình, cập nhật đầy đủ phần mềm một cửa"],
    &["2021-02-22", "vp2", "4", "Có mặt đúng giờ tại Bộ phận một cửa; giao tiếp với công dân tận tình, chu đáo"],
];

/// The year-end judgement of each commitment (task 11), by its line in commitments.csv (the
/// header is line 1): those not met, all judged on 06/12/2021 at the rating conference. What
/// the records show: the Chairman missed reception weeks (task 9) and issued the task-5
/// decision late; a quarter went without dissemination (pct-vx, task 1); dc1 was reprimanded
/// for late land dossiers (task 3); vp2 came late to the desk twice (task 4); tp1's civil
/// status dossiers were not all on time (task 3).
const NOT_MET: &[(&str, &str)] = &[
    ("ct", "5"),
    ("ct", "9"),
    ("pct-vx", "1"),
    ("tp1", "3"),
    ("dc1", "3"),
    ("vp2", "4"),
];

/// The day the commitments were judged and the officers rated.
const JUDGED: &str = "2021-12-06";

/// commitments/changes.csv: one fill row per commitment, its `met` and `judged`.
fn commitment_judgements(path: &Path) -> Res<usize> {
    fs::create_dir_all(path.parent().expect("a folder"))?;
    let mut w = csv::Writer::from_path(path)?;
    w.write_record([
        "date",
        "officer",
        "task",
        "commitment",
        "met",
        "judged",
        "id",
        "change",
        "ref",
        "why",
    ])?;
    for (i, c) in COMMITMENTS.iter().enumerate() {
        let met = if NOT_MET.contains(&(c[1], c[2])) {
            "not-met"
        } else {
            "met"
        };
        let target = format!("commitments.csv:{}", i + 2);
        w.write_record(["", "", "", "", met, JUDGED, "", "fill", &target, ""])?;
    }
    w.flush()?;
    Ok(COMMITMENTS.len())
}

/// date, unit, officer, report, period, lapse, note: the units and officers who did not report,
/// or reported wrongly, as Văn phòng - Thống kê recorded them (task 10).
#[rustfmt::skip]
const LAPSES: &[&[&str]] = &[
    &["2021-04-08", "tc-kt", "tc", "Báo cáo công khai tình hình thực hiện dự toán ngân sách quý I/2021", "Quý I/2021", "late", "Nộp chậm 05 ngày so với thời hạn"],
    &["2021-07-12", "dc-nn", "", "Báo cáo kết quả giải quyết hồ sơ đất đai 6 tháng đầu năm 2021", "6 tháng đầu năm 2021", "missing", "Đã nhắc tại cuộc họp giao ban tháng 7/2021"],
    &["2021-10-11", "", "vh2", "Báo cáo tình hình chi trả trợ cấp xã hội quý III/2021", "Quý III/2021", "wrong", "Số liệu không khớp với danh sách chi trả; đã yêu cầu báo cáo lại"],
];

/// date, officer, year, level, decision, note: every officer rated for 2021 (Nghị định
/// 90/2020/NĐ-CP). dc1, reprimanded in May, is rated "done" where the decree says "failed": the
/// lapse `check` finds (W322).
#[rustfmt::skip]
const RATINGS: &[&[&str]] = &[
    &["2021-12-10", "ct", "2021", "good", "Quyết định số 3980/QĐ-UBND ngày 10/12/2021 của UBND huyện Hương Sơn", ""],
    &["2021-12-06", "pct-kt", "2021", "good", "Quyết định số 95/QĐ-UBND ngày 06/12/2021", ""],
    &["2021-12-06", "pct-vx", "2021", "good", "Quyết định số 95/QĐ-UBND ngày 06/12/2021", ""],
    &["2021-12-06", "vp1", "2021", "excellent", "Quyết định số 95/QĐ-UBND ngày 06/12/2021", ""],
    &["2021-12-06", "vp2", "2021", "done", "Quyết định số 95/QĐ-UBND ngày 06/12/2021", ""],
    &["2021-12-06", "tp1", "2021", "good", "Quyết định số 95/QĐ-UBND ngày 06/12/2021", ""],
    &["2021-12-06", "tp2", "2021", "good", "Quyết định số 95/QĐ-UBND ngày 06/12/2021", ""],
    &["2021-12-06", "dc1", "2021", "done", "Quyết định số 95/QĐ-UBND ngày 06/12/2021", ""],
    &["2021-12-06", "dc2", "2021", "done", "Quyết định số 95/QĐ-UBND ngày 06/12/2021", "Không đăng ký nội dung thực hiện, cam kết"],
    &["2021-12-06", "tc", "2021", "good", "Quyết định số 95/QĐ-UBND ngày 06/12/2021", ""],
    &["2021-12-06", "vh1", "2021", "good", "Quyết định số 95/QĐ-UBND ngày 06/12/2021", ""],
    &["2021-12-06", "vh2", "2021", "good", "Quyết định số 95/QĐ-UBND ngày 06/12/2021", ""],
    &["2021-12-06", "qs", "2021", "done", "Quyết định số 95/QĐ-UBND ngày 06/12/2021", "Không đăng ký nội dung thực hiện, cam kết"],
    &["2021-12-06", "ca", "2021", "good", "Quyết định số 95/QĐ-UBND ngày 06/12/2021", ""],
];

// ---------------------------------------------------------------------------------------------
// Feedback.

const FB_VERY: &[&str] = &[
    "Cán bộ hướng dẫn tận tình, chu đáo",
    "Hồ sơ được trả trước ngày hẹn",
    "Thủ tục nhanh gọn, cán bộ thân thiện",
    "Được hướng dẫn đầy đủ ngay từ lần đầu",
    "Giải quyết xong trong ngày, rất hài lòng",
];
const FB_SATISFIED: &[&str] = &[
    "Hồ sơ được giải quyết đúng hẹn",
    "Thái độ phục vụ tốt",
    "Thủ tục rõ ràng, được niêm yết công khai",
    "Hài lòng với kết quả giải quyết",
    "Nơi ngồi chờ sạch sẽ, có nước uống",
    "Cán bộ giải thích rõ ràng, dễ hiểu",
];
const FB_DISSATISFIED: &[&str] = &[
    "Phải đi lại hai lần do hướng dẫn chưa đầy đủ thành phần hồ sơ",
    "Thời gian chờ tiếp nhận lâu vào buổi sáng thứ Hai",
    "Trả kết quả chậm so với giấy hẹn",
    "Gọi điện hỏi thủ tục nhưng cán bộ trả lời chưa rõ ràng",
];
const FB_EMPTY: &[&str] = &[
    "Đề nghị niêm yết thêm mẫu tờ khai đã điền sẵn",
    "Đề nghị bố trí thêm ghế ngồi chờ",
    "Đề nghị hướng dẫn cách nộp hồ sơ trực tuyến",
    "Đề nghị trả kết quả qua dịch vụ bưu chính",
    "Hỏi về thời gian làm việc buổi chiều thứ Sáu",
];
const FB_DISSATISFIED_NOTES: &[&str] = &[
    "Đã giải thích, xin lỗi công dân",
    "Đã nhắc nhở công chức, trả lời công dân",
];

struct Feedback {
    date: NaiveDate,
    channel: &'static str,
    rating: &'static str,
    officer: &'static str,
    summary: &'static str,
    handled: Option<NaiveDate>,
    note: &'static str,
}

fn feedback(cal: &Calendar, n_dossiers: usize, seed: u64) -> Vec<Feedback> {
    let mut rng = Rng::stream(seed, 3);
    let n = (n_dossiers as f64 / 15.0).round() as usize;
    let mut out: Vec<Feedback> = Vec::with_capacity(n);
    // Three dissatisfied citizens whose complaints match violations of the year.
    let fixed = [
        Feedback {
            date: d(2021, 5, 14),
            channel: "in-person",
            rating: "dissatisfied",
            officer: "dc1",
            summary: "Hồ sơ xác nhận đất đai trả chậm so với giấy hẹn, không được thông báo lý do",
            handled: Some(d(2021, 5, 18)),
            note: "Đã xin lỗi công dân; chuyển kiểm tra, xử lý trách nhiệm công chức",
        },
        Feedback {
            date: d(2021, 7, 14),
            channel: "phone",
            rating: "dissatisfied",
            officer: "vp2",
            summary: "Đến nộp hồ sơ buổi sáng nhưng không có cán bộ tại bàn tiếp nhận",
            handled: Some(d(2021, 7, 15)),
            note: "Đã xin lỗi công dân",
        },
        Feedback {
            date: d(2021, 11, 26),
            channel: "form",
            rating: "dissatisfied",
            officer: "tp2",
            summary: "Cán bộ tư pháp có thái độ thiếu nhã nhặn khi hướng dẫn thủ tục",
            handled: Some(d(2021, 12, 1)),
            note: "Đang xác minh, xem xét trách nhiệm",
        },
    ];
    let fixed_n = if n >= 30 { fixed.len() } else { 0 };
    let random_n = n - fixed_n;
    let days = cal.between(start(), end());
    let mut dates: Vec<NaiveDate> = (0..random_n).map(|_| *rng.pick(&days)).collect();
    dates.sort_unstable();
    // Ratings in exact shares: ~6 % dissatisfied in all, ~8 % empty, ~40 % very satisfied.
    let mut ratings: Vec<&'static str> = Vec::with_capacity(random_n);
    let dis = ((n as f64 * 0.06).round() as usize)
        .saturating_sub(fixed_n)
        .min(random_n);
    ratings.extend(std::iter::repeat_n("dissatisfied", dis));
    let empty = ((n as f64 * 0.08).round() as usize).min(random_n - ratings.len());
    ratings.extend(std::iter::repeat_n("", empty));
    let very = ((n as f64 * 0.40).round() as usize).min(random_n - ratings.len());
    ratings.extend(std::iter::repeat_n("very-satisfied", very));
    ratings.resize(random_n, "satisfied");
    rng.shuffle(&mut ratings);
    let channels = ["form", "box", "online", "phone", "in-person"];
    let officers = ["tp1", "tp2", "vp2", "dc1", "dc2", "vh2"];
    let recent = cal.at(cal.idx(end()) - 8);
    for (date, rating) in dates.into_iter().zip(ratings) {
        let channel = channels[rng.weighted(&[40, 25, 15, 10, 10])];
        let with_officer = if channel == "box" {
            rng.chance(0.5)
        } else {
            rng.chance(0.92)
        };
        let officer = if with_officer {
            officers[rng.weighted(&[3, 3, 3, 1, 1, 1])]
        } else {
            ""
        };
        let summary = *rng.pick(match rating {
            "very-satisfied" => FB_VERY,
            "satisfied" => FB_SATISFIED,
            "dissatisfied" => FB_DISSATISFIED,
            _ => FB_EMPTY,
        });
        let handled = if date >= recent
            || (rating.ends_with("satisfied") && rating != "dissatisfied" && rng.chance(0.05))
        {
            None
        } else {
            Some(cal.add(cal.at(cal.idx(date)), rng.range(1, 5)).min(end()))
        };
        let note = if rating == "dissatisfied" {
            *rng.pick(FB_DISSATISFIED_NOTES)
        } else {
            ""
        };
        out.push(Feedback {
            date,
            channel,
            rating,
            officer,
            summary,
            handled,
            note,
        });
    }
    out.extend(fixed.into_iter().take(fixed_n));
    out.sort_by_key(|f| f.date);
    out
}

fn write_feedback(path: &Path, rows: &[Feedback]) -> Res<usize> {
    let mut w = csv::Writer::from_path(path)?;
    w.write_record([
        "date", "channel", "rating", "officer", "summary", "handled", "note",
    ])?;
    let mut row = Row::new(7);
    for f in rows {
        row.clear();
        row.date(0, Some(f.date));
        row.set(1, f.channel);
        row.set(2, f.rating);
        row.set(3, f.officer);
        row.set(4, f.summary);
        row.date(5, f.handled);
        row.set(6, f.note);
        w.write_record(&row.cells)?;
    }
    w.flush()?;
    Ok(rows.len())
}

// ---------------------------------------------------------------------------------------------

pub struct Args {
    pub out: PathBuf,
    pub dossiers: usize,
    pub seed: u64,
    pub plan: Option<PathBuf>,
    pub shape: Shape,
}

const USAGE: &str = "usage: generate --out DIR [--dossiers N] [--seed S] [--plan FILE] \
[--ids per-day|global|other|uuid] [--procedure-names] [--lapses SHARE] [--messy] [--notes] \
[--sort-returned]";

fn parse_args() -> Result<Args, String> {
    let mut out = None;
    let mut dossiers = 1500;
    let mut seed = 2021;
    let mut plan = None;
    let mut shape = Shape::default();
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = |name: &str| it.next().ok_or(format!("{name} needs a value\n{USAGE}"));
        match arg.as_str() {
            "--out" => out = Some(PathBuf::from(value("--out")?)),
            "--dossiers" => {
                let v = value("--dossiers")?;
                dossiers = v
                    .parse()
                    .map_err(|_| format!("--dossiers: not a count: {v}"))?;
            }
            "--seed" => {
                let v = value("--seed")?;
                seed = v
                    .parse()
                    .map_err(|_| format!("--seed: not a number: {v}"))?;
            }
            "--plan" => plan = Some(PathBuf::from(value("--plan")?)),
            "--ids" => {
                shape.ids = match value("--ids")?.as_str() {
                    "per-day" => Ids::PerDay,
                    "global" => Ids::Global,
                    "other" => Ids::Other,
                    "uuid" => Ids::Uuid,
                    v => return Err(format!("--ids: per-day, global, other or uuid, not {v}")),
                }
            }
            "--procedure-names" => shape.procedure_names = true,
            "--lapses" => {
                let v = value("--lapses")?;
                let share: f64 = v
                    .parse()
                    .ok()
                    .filter(|x| (0.0..=0.6).contains(x))
                    .ok_or(format!("--lapses: a share from 0 to 0.6, not {v}"))?;
                shape.lapses = Some(share);
            }
            "--messy" => shape.messy = true,
            "--notes" => shape.notes = true,
            "--sort-returned" => shape.sort_returned = true,
            "-h" | "--help" => return Err(USAGE.to_string()),
            other => return Err(format!("unknown argument {other}\n{USAGE}")),
        }
    }
    let out = out.ok_or(format!("--out is required\n{USAGE}"))?;
    Ok(Args {
        out,
        dossiers,
        seed,
        plan,
        shape,
    })
}

pub fn run(args: &Args) -> Res<()> {
    SHAPE.with(|s| s.set(args.shape));
    let cal = Calendar::new();
    let dir = args.out.join("records");
    fs::create_dir_all(&dir)?;
    if let Some(plan) = &args.plan {
        fs::copy(plan, args.out.join("plan.toml"))?;
    }

    let (mut acts, weeks) = activities(&cal, args.seed);
    acts.extend(routine_activities(
        &cal,
        args.dossiers,
        acts.len(),
        args.seed,
    ));
    acts.sort_by_key(|a| a.date);
    for x in acts.iter().filter(|x| x.kind == "reception") {
        assert!(cal.is_working(x.date), "reception on a working day");
    }
    let n_acts = write_activities(&dir.join("activities.csv"), &acts)?;

    let dossiers = generate_dossiers(&cal, args.dossiers, args.seed);
    let (rows, later) = write_dossiers(&dir.join("dossiers.csv"), &dossiers)?;
    let s = dossier_stats(&dossiers, rows, later);
    drop(dossiers);

    let n_viol = write_table(
        &dir.join("violations.csv"),
        &[
            "date",
            "officer",
            "description",
            "task",
            "action",
            "decision",
            "note",
        ],
        VIOLATIONS,
    )?;
    let n_comm = write_table(
        &dir.join("commendations.csv"),
        &["date", "recipient", "form", "reason", "decision", "note"],
        COMMENDATIONS,
    )?;
    let fb = feedback(&cal, args.dossiers, args.seed);
    let n_fb = write_feedback(&dir.join("feedback.csv"), &fb)?;
    // The registrations, with the judgement's columns left empty: they are filled at the
    // year's end by the rows of commitments/changes.csv.
    let registered: Vec<Vec<&str>> = (COMMITMENTS.iter())
        .map(|r| r.iter().copied().chain(["", ""]).collect())
        .collect();
    let registered: Vec<&[&str]> = registered.iter().map(Vec::as_slice).collect();
    let n_cmt = write_table(
        &dir.join("commitments.csv"),
        &["date", "officer", "task", "commitment", "met", "judged"],
        &registered,
    )?;
    let n_judged = commitment_judgements(&dir.join("commitments").join("changes.csv"))?;
    let n_rat = write_table(
        &dir.join("ratings.csv"),
        &["date", "officer", "year", "level", "decision", "note"],
        RATINGS,
    )?;
    let n_lapse = write_table(
        &dir.join("lapses.csv"),
        &[
            "date", "unit", "officer", "report", "period", "lapse", "note",
        ],
        LAPSES,
    )?;

    if args.shape.sort_returned {
        sort_by_returned(&dir.join("dossiers.csv"))?;
    }
    if args.shape.messy {
        let mut rng = Rng::stream(args.seed, 21);
        for file in [
            "activities.csv",
            "dossiers.csv",
            "violations.csv",
            "commendations.csv",
            "feedback.csv",
            "commitments.csv",
            "commitments/changes.csv",
            "ratings.csv",
            "lapses.csv",
        ] {
            mess_up(&dir.join(file), &mut rng)?;
        }
    }

    eprintln!("wrote {}", dir.display());
    eprintln!("  activities.csv     {n_acts:>9} rows");
    eprintln!(
        "  dossiers.csv       {:>9} rows ({} later rows)",
        s.rows, s.later_rows
    );
    eprintln!("  violations.csv     {n_viol:>9} rows");
    eprintln!("  commendations.csv  {n_comm:>9} rows");
    eprintln!("  feedback.csv       {n_fb:>9} rows");
    eprintln!(
        "  commitments.csv    {n_cmt:>9} rows ({n_judged} judged in commitments/changes.csv)"
    );
    eprintln!("  ratings.csv        {n_rat:>9} rows");
    eprintln!("  lapses.csv         {n_lapse:>9} rows");
    eprintln!(
        "dossiers: {} received 15/12/2020–14/12/2021 + {} carried in; as of 14/12/2021:",
        s.received_in_year, s.carried_in
    );
    eprintln!(
        "  early {}, on time {}, late {}",
        s.early, s.on_time, s.late
    );
    eprintln!(
        "  late without reason {} (+{} open overdue), late without apology {} (+{} open overdue), rescheduled {}",
        s.late_without_reason,
        s.overdue_without_reason,
        s.late_without_apology,
        s.overdue_without_apology,
        s.rescheduled
    );
    eprintln!(
        "  withdrawn {}, stopped {}, refused {}; requests for more papers {}",
        s.withdrawn, s.stopped, s.refused, s.supplements
    );
    eprintln!(
        "  received in the year: direct {}, postal {}, online {} (whole procedure {}, part {})",
        s.channels[0],
        s.channels[1],
        s.channels[2] + s.channels[3],
        s.channels[2],
        s.channels[3]
    );
    eprintln!(
        "  open in time {}, open overdue {}",
        s.open_in_time, s.open_overdue
    );
    eprintln!(
        "reception: {} weeks held, {} missed ({})",
        weeks.held,
        weeks.missed.len(),
        weeks.missed.join(", ")
    );
    Ok(())
}

/// A record file rewritten as other people's files come: a BOM, CRLF line ends, the columns in
/// another order, a quarter of the dates as dd/mm/yyyy, a fifth of the non-ASCII text in NFD.
fn mess_up(path: &Path, rng: &mut Rng) -> Res<()> {
    use std::io::Write as _;
    use unicode_normalization::UnicodeNormalization as _;
    let tmp = path.with_extension("csv.tmp");
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_path(path)?;
    let mut file = std::io::BufWriter::new(fs::File::create(&tmp)?);
    file.write_all("\u{feff}".as_bytes())?;
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(file);
    let mut order: Vec<usize> = Vec::new();
    let mut record = csv::StringRecord::new();
    let mut cells: Vec<String> = Vec::new();
    let mut first = true;
    while r.read_record(&mut record)? {
        if first {
            order = (0..record.len()).collect();
            rng.shuffle(&mut order);
        }
        cells.clear();
        for &i in &order {
            let cell = record.get(i).unwrap_or("");
            let b = cell.as_bytes();
            let iso = b.len() == 10 && b[4] == b'-' && b[7] == b'-';
            cells.push(if !first && iso && rng.chance(0.25) {
                format!("{}/{}/{}", &cell[8..10], &cell[5..7], &cell[..4])
            } else if !first && !cell.is_ascii() && rng.chance(0.2) {
                cell.nfd().collect()
            } else {
                cell.to_string()
            });
        }
        w.write_record(&cells)?;
        first = false;
    }
    w.flush()?;
    drop(w);
    fs::rename(&tmp, path)?;
    Ok(())
}

/// Sorts the rows of the dossier file at `path` by their `returned` cell, as a spreadsheet sorts
/// a column of dates: earliest first, rows of equal dates in the order they were, blank cells
/// last. The header stays first.
fn sort_by_returned(path: &Path) -> Res<()> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_path(path)?;
    let mut records = r.records().collect::<Result<Vec<_>, _>>()?;
    if records.is_empty() {
        return Ok(());
    }
    let header = records.remove(0);
    let at = (header.iter().position(|c| c == "returned")).ok_or("no returned column")?;
    // ISO dates sort as text.
    records.sort_by_key(|row| {
        let cell = row.get(at).unwrap_or("");
        (cell.is_empty(), cell.to_string())
    });
    let tmp = path.with_extension("csv.tmp");
    let mut w = csv::Writer::from_path(&tmp)?;
    w.write_record(&header)?;
    for row in &records {
        w.write_record(row)?;
    }
    w.flush()?;
    drop(w);
    fs::rename(&tmp, path)?;
    Ok(())
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
