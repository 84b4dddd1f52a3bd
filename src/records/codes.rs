//! The ASCII codes used in record cells, with their Vietnamese labels (PRODUCT.md §4).
//!
//! CSV files hold the ASCII code; `add` and `import` also accept the Vietnamese label in any case,
//! with or without diacritics ([`crate::text::fold`]).

use serde::{Serialize, Serializer};

macro_rules! codes {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $code:literal, $vi:literal, $en:literal, [$($alias:literal),*];)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The ASCII code written in CSV files.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            /// The Vietnamese label used in reports.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $vi),+ }
            }

            /// The English label.
            pub fn label_en(self) -> &'static str {
                match self { $($name::$variant => $en),+ }
            }

            /// Exact ASCII code, as in a CSV file.
            pub fn from_code(code: &str) -> Option<$name> {
                match code { $($code => Some($name::$variant),)+ _ => None }
            }

            /// Code or Vietnamese label (or a common alias), any case, diacritics optional.
            pub fn from_input(input: &str) -> Option<$name> {
                if let Some(v) = Self::from_code(input) {
                    return Some(v);
                }
                let key = crate::text::fold(input);
                $(
                    if key == crate::text::fold($code)
                        || key == crate::text::fold($vi)
                        $(|| key == crate::text::fold($alias))*
                    {
                        return Some($name::$variant);
                    }
                )+
                None
            }

            pub fn codes() -> Vec<&'static str> {
                Self::ALL.iter().map(|v| v.code()).collect()
            }
        }

        impl Coded for $name {
            fn all() -> &'static [$name] {
                $name::ALL
            }

            fn index(self) -> u8 {
                self as u8
            }

            fn code(self) -> &'static str {
                $name::code(self)
            }

            fn from_code(code: &str) -> Option<$name> {
                $name::from_code(code)
            }

            fn from_input(input: &str) -> Option<$name> {
                $name::from_input(input)
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.code())
            }
        }
    };
}

/// What every enum of codes has: the reader and `add`/`import` handle a column of codes
/// through it (and [`Codes`]), whatever the enum.
pub trait Coded: Copy + 'static {
    /// Every value, in the order declared.
    fn all() -> &'static [Self];
    /// The value's place in [`Coded::all`].
    fn index(self) -> u8;
    /// The ASCII code written in CSV files.
    fn code(self) -> &'static str;
    /// Exact ASCII code, as in a CSV file.
    fn from_code(code: &str) -> Option<Self>;
    /// Code or Vietnamese label (or a common alias), any case, diacritics optional.
    fn from_input(input: &str) -> Option<Self>;

    /// The value at `index` (from [`Coded::index`]).
    fn from_index(index: u8) -> Option<Self> {
        Self::all().get(usize::from(index)).copied()
    }
}

/// A column of codes, whatever their enum: what a record schema holds for such a column
/// (`ColType::Code`). Cells carry the value's index; a kind's file turns it back into the enum
/// with [`Coded::from_index`].
#[derive(Clone, Copy)]
pub struct Codes {
    /// The index of an exact code.
    pub parse: fn(&str) -> Option<u8>,
    /// The code for what a clerk typed (code or label, any case, diacritics optional).
    pub input: fn(&str) -> Option<&'static str>,
    /// Every code, in order.
    pub codes: fn() -> Vec<&'static str>,
    /// What a clerk or a one-stop system may type that means "no code" here (folded with
    /// [`crate::text::fold`]): the cell is then left empty.
    pub none: &'static [&'static str],
}

impl Codes {
    pub const fn of<T: Coded>() -> Codes {
        Codes {
            parse: parse_index::<T>,
            input: input_code::<T>,
            codes: all_codes::<T>,
            none: &[],
        }
    }

    /// These codes, with inputs that mean "no code".
    pub const fn none_for(self, none: &'static [&'static str]) -> Codes {
        Codes { none, ..self }
    }

    /// Every code, joined for a message: "box, form, phone".
    pub fn allowed(&self) -> String {
        (self.codes)().join(", ")
    }
}

impl std::fmt::Debug for Codes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Codes({})", self.allowed())
    }
}

fn parse_index<T: Coded>(s: &str) -> Option<u8> {
    T::from_code(s).map(T::index)
}

fn input_code<T: Coded>(s: &str) -> Option<&'static str> {
    T::from_input(s).map(T::code)
}

fn all_codes<T: Coded>() -> Vec<&'static str> {
    T::all().iter().map(|v| v.code()).collect()
}

codes! {
    /// What kind of activity a row of activities.csv records.
    ActivityKind {
        Dissemination = "dissemination", "Quán triệt, tuyên truyền", "dissemination", ["tuyên truyền", "phổ biến", "quán triệt"];
        Meeting = "meeting", "Hội nghị, cuộc họp", "meeting", ["họp", "cuộc họp", "hội nghị"];
        Inspection = "inspection", "Kiểm tra, giám sát", "inspection", ["kiểm tra"];
        Reception = "reception", "Tiếp công dân", "citizen reception", [];
        Assessment = "assessment", "Đánh giá", "assessment", ["đánh giá"];
        Assignment = "assignment", "Phân công nhiệm vụ", "assignment", ["phân công"];
        Emulation = "emulation", "Thi đua, khen thưởng", "emulation", ["thi đua"];
        Report = "report", "Báo cáo", "report", [];
        Review = "review", "Rà soát", "review", [];
        Training = "training", "Tập huấn, bồi dưỡng", "training", ["tập huấn", "bồi dưỡng"];
        Other = "other", "Khác", "other", [];
    }
}

codes! {
    /// How a violation was handled. Reprimand and above are formal discipline.
    Action {
        Reminder = "reminder", "Nhắc nhở", "reminder", [];
        Criticism = "criticism", "Phê bình", "criticism", [];
        Reprimand = "reprimand", "Khiển trách", "reprimand", [];
        Warning = "warning", "Cảnh cáo", "warning", [];
        SalaryReduction = "salary-reduction", "Hạ bậc lương", "salary reduction", [];
        Demotion = "demotion", "Giáng chức", "demotion", [];
        DismissalFromPost = "dismissal-from-post", "Cách chức", "dismissal from post", [];
        Dismissal = "dismissal", "Buộc thôi việc", "dismissal", [];
    }
}

impl Action {
    /// Khiển trách or above: formal discipline (kỷ luật).
    pub fn is_discipline(self) -> bool {
        self >= Action::Reprimand
    }
}

codes! {
    /// How citizen feedback arrived.
    Channel {
        Box = "box", "Hòm thư góp ý", "suggestion box", ["hòm thư"];
        Form = "form", "Phiếu góp ý", "feedback form", ["phiếu"];
        Phone = "phone", "Điện thoại", "phone", ["đường dây nóng"];
        InPerson = "in-person", "Trực tiếp", "in person", [];
        Online = "online", "Trực tuyến", "online", ["cổng dịch vụ công"];
    }
}

codes! {
    /// A citizen's rating.
    Rating {
        VerySatisfied = "very-satisfied", "Rất hài lòng", "very satisfied", [];
        Satisfied = "satisfied", "Hài lòng", "satisfied", [];
        Dissatisfied = "dissatisfied", "Không hài lòng", "dissatisfied", ["chưa hài lòng"];
    }
}

codes! {
    /// An officer's year-end rating (xếp loại chất lượng): the four levels of Nghị định
    /// 90/2020/NĐ-CP.
    Level {
        Excellent = "excellent", "Hoàn thành xuất sắc nhiệm vụ", "excellent performance of duties", ["hoàn thành xuất sắc", "xuất sắc", "htxsnv"];
        Good = "good", "Hoàn thành tốt nhiệm vụ", "good performance of duties", ["hoàn thành tốt", "tốt", "httnv"];
        Done = "done", "Hoàn thành nhiệm vụ", "duties performed", ["hoàn thành", "htnv"];
        Failed = "failed", "Không hoàn thành nhiệm vụ", "duties not performed", ["không hoàn thành", "khtnv"];
    }
}

codes! {
    /// How a unit or an officer failed the reporting regime (task 10 of the plan: "không thực
    /// hiện hoặc thực hiện không đúng" chế độ thông tin báo cáo).
    Lapse {
        Missing = "missing", "Không báo cáo", "not reported", ["không thực hiện", "không gửi báo cáo", "chưa báo cáo", "không báo cáo"];
        Late = "late", "Báo cáo chậm so với thời hạn", "reported late", ["chậm", "báo cáo chậm", "nộp chậm", "trễ hạn"];
        Wrong = "wrong", "Báo cáo không đúng quy định", "reported wrongly", ["không đúng", "thực hiện không đúng", "sai biểu mẫu", "sai số liệu"];
    }
}

codes! {
    /// Whether a registered commitment was met, as judged at the year-end rating.
    Fulfilment {
        Met = "met", "Đã thực hiện", "met", ["đạt", "hoàn thành", "có", "yes", "thực hiện"];
        NotMet = "not-met", "Không thực hiện được", "not met", ["không đạt", "không hoàn thành", "không", "no", "chưa thực hiện", "không thực hiện"];
    }
}

codes! {
    /// How a dossier ended without a result.
    DossierStatus {
        Withdrawn = "withdrawn", "Rút hồ sơ", "withdrawn", ["rút"];
        Stopped = "stopped", "Dừng giải quyết", "stopped", ["dừng"];
        Refused = "refused", "Từ chối", "refused", ["từ chối giải quyết", "từ chối tiếp nhận", "từ chối tiếp nhận giải quyết hồ sơ"];
    }
}

codes! {
    /// How a dossier was submitted (hình thức nộp): in person, by public postal service, or
    /// online, with the level of the online service when known (toàn trình: the whole
    /// procedure online; một phần: part of it).
    Submission {
        Direct = "direct", "Trực tiếp", "in person", ["nộp trực tiếp", "tại bộ phận một cửa", "tiếp nhận trực tiếp"];
        Postal = "postal", "Qua dịch vụ bưu chính công ích", "by public postal service", ["bưu chính", "bưu điện", "qua bưu điện", "bưu chính công ích", "qua bưu chính công ích", "qua dịch vụ bưu chính"];
        Online = "online", "Trực tuyến", "online", ["nộp trực tuyến", "dịch vụ công trực tuyến", "qua mạng", "cổng dịch vụ công"];
        OnlineFull = "online-full", "Trực tuyến toàn trình", "online, whole procedure", ["toàn trình", "dịch vụ công trực tuyến toàn trình", "trực tuyến (toàn trình)"];
        OnlinePartial = "online-partial", "Trực tuyến một phần", "online, part of the procedure", ["một phần", "dịch vụ công trực tuyến một phần", "trực tuyến (một phần)"];
    }
}

impl Submission {
    /// Online, at whatever level.
    pub fn is_online(self) -> bool {
        matches!(
            self,
            Submission::Online | Submission::OnlineFull | Submission::OnlinePartial
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_accepted_without_diacritics() {
        assert_eq!(Action::from_input("khien trach"), Some(Action::Reprimand));
        assert_eq!(Action::from_input("Khiển Trách"), Some(Action::Reprimand));
        assert_eq!(Channel::from_input("HOM THU GOP Y"), Some(Channel::Box));
        assert_eq!(
            ActivityKind::from_input("tiep cong dan"),
            Some(ActivityKind::Reception)
        );
        assert_eq!(Rating::from_input("bogus"), None);
        assert_eq!(
            Submission::from_input("Trực tuyến toàn trình"),
            Some(Submission::OnlineFull)
        );
        assert_eq!(
            Submission::from_input("qua buu chinh cong ich"),
            Some(Submission::Postal)
        );
        assert_eq!(
            Submission::from_input("Trực tiếp"),
            Some(Submission::Direct)
        );
        assert_eq!(
            DossierStatus::from_input("Từ chối"),
            Some(DossierStatus::Refused)
        );
        assert_eq!(Level::from_input("Hoàn thành tốt"), Some(Level::Good));
        assert_eq!(
            Level::from_input("khong hoan thanh nhiem vu"),
            Some(Level::Failed)
        );
        assert_eq!(
            Fulfilment::from_input("Không đạt"),
            Some(Fulfilment::NotMet)
        );
        assert_eq!(Fulfilment::from_input("đạt"), Some(Fulfilment::Met));
    }

    #[test]
    fn a_code_column_parses_to_the_index_and_back() {
        let codes = Codes::of::<Action>();
        assert_eq!((codes.parse)("reprimand"), Some(Action::Reprimand.index()));
        assert_eq!(
            Action::from_index(Action::Reprimand.index()),
            Some(Action::Reprimand)
        );
        assert_eq!((codes.parse)("Reprimand"), None);
        assert_eq!((codes.input)("khiển trách"), Some("reprimand"));
        assert_eq!(
            Codes::of::<Rating>().allowed(),
            "very-satisfied, satisfied, dissatisfied"
        );
        for (i, v) in Channel::ALL.iter().enumerate() {
            assert_eq!(usize::from(v.index()), i);
        }
    }

    #[test]
    fn discipline_starts_at_reprimand() {
        assert!(!Action::Criticism.is_discipline());
        assert!(Action::Reprimand.is_discipline());
        assert!(Action::Dismissal.is_discipline());
    }
}
