//! The command line in Vietnamese: `--help`, headings and clap's own errors.
//!
//! The clap definition in `cli.rs` is written once, in English (its `///` comments). For
//! Vietnamese, [`command`] walks that definition and puts in the text of [`TEXTS`] for every
//! command and argument, the headings and the built-in `--help`/`--version` flags. A test checks
//! that every command and argument has its Vietnamese text, so none is forgotten.

use clap::{Arg, ArgAction, Command};

use crate::messages::Lang;

/// Vietnamese texts: `"path"` is a command's about (`""` the program, `"add activity"` a
/// subcommand), `"path|arg"` an argument's help, `"path#long"` the long about.
pub const TEXTS: &[(&str, &str)] = &[
    (
        "",
        "Quản lý kế hoạch năm của xã, hồ sơ ghi chép hằng ngày và báo cáo trong một thư mục",
    ),
    (
        "#long",
        "Quản lý kế hoạch năm của xã, hồ sơ ghi chép hằng ngày và báo cáo trong một thư mục.\n\n\
         Thư mục kế hoạch gồm plan.toml và records/*.csv. Thư mục được tìm theo -C/--dir, nếu không \
         thì theo biến môi trường KEHOACH_DIR, nếu không thì đi ngược lên từ thư mục hiện tại tới \
         plan.toml đầu tiên.\n\n\
         Mã thoát: 0 ổn (có thể có cảnh báo), 1 dữ liệu có lỗi (hoặc có cảnh báo khi dùng --strict), \
         2 không chạy được (sai tham số, không có thư mục kế hoạch, lỗi đọc ghi tệp).",
    ),
    (
        "|dir",
        "Thư mục kế hoạch (mặc định: $KEHOACH_DIR, nếu không thì thư mục gần nhất phía trên có plan.toml)",
    ),
    (
        "|as_of",
        "Xét thời hạn tính đến ngày này (YYYY-MM-DD hoặc DD/MM/YYYY; mặc định: hôm nay)",
    ),
    (
        "|lang",
        "Ngôn ngữ thông báo: vi hoặc en (mặc định: $KEHOACH_LANG, nếu không thì theo locale, nếu không thì vi)",
    ),
    (
        "|color",
        "Tô màu: auto (khi in ra màn hình và không đặt NO_COLOR), always (luôn), never (không)",
    ),
    (
        "check",
        "Kiểm tra kế hoạch và mọi bản ghi; in từng vấn đề dạng tệp:dòng:cột: MÃ nội dung",
    ),
    ("check|format", "Định dạng kết quả"),
    ("check|strict", "Trả mã thoát 1 cả khi chỉ có cảnh báo"),
    (
        "check|audit_base",
        "Đối chiếu các dòng đã commit với commit này thay vì HEAD (trong kho git)",
    ),
    (
        "check|since",
        "Chỉ báo những gì do các dòng thêm từ REV gây ra (duyệt một nhánh, hook trước commit)",
    ),
    (
        "verify",
        "Cho biết báo cáo có được lập từ đúng dữ liệu trong thư mục (hoặc trong một commit) không",
    ),
    (
        "verify|report",
        "Báo cáo: .md, .html, .docx hoặc .json do kehoach lập",
    ),
    (
        "verify|rev",
        "So với dữ liệu của commit này thay vì thư mục hiện tại",
    ),
    (
        "log",
        "Commit nào đã thêm từng dòng (người thêm, ngày): của một bản ghi hoặc của cả thư mục",
    ),
    (
        "log|kind",
        "Loại bản ghi: activities, dossiers, violations, commendations, feedback, commitments, ratings, lapses",
    ),
    (
        "log|reference",
        "Bản ghi nào: mã hồ sơ, hoặc mã (cột id) của bản ghi; với loại khác cũng có thể là số dòng trong records/KIND.csv (hoặc TỆP:DÒNG)",
    ),
    (
        "log|period",
        "Chỉ các commit có ngày trong kỳ này (2021-Q3, 2021-03, 2021)",
    ),
    (
        "hook",
        "Cài hook git trước commit chạy `kehoach check --since HEAD`",
    ),
    (
        "hook install",
        "Ghi .git/hooks/pre-commit: chạy `kehoach check --since HEAD` trước mỗi lần commit",
    ),
    (
        "hook install|force",
        "Thay hook pre-commit không do kehoach ghi",
    ),
    (
        "deadlines",
        "Liệt kê việc đã quá hạn và việc đến hạn trong N ngày tới",
    ),
    ("deadlines|days", "Xem trước bao nhiêu ngày"),
    (
        "reports",
        "Báo cáo cho việc chạy tự động: ghi mọi báo cáo đã đến kỳ vào một thư mục",
    ),
    (
        "reports due",
        "Ghi mọi báo cáo đã hết kỳ (các báo cáo trong [reporting] reports, theo các định dạng report_formats) mà THƯ_MỤC chưa có; in đường dẫn từng tệp đã ghi",
    ),
    (
        "reports due|out",
        "Thư mục chứa báo cáo (tạo mới nếu chưa có)",
    ),
    (
        "reports due|dry_run",
        "Chỉ in đường dẫn các tệp sẽ ghi, không ghi gì",
    ),
    (
        "reports due|allow_errors",
        "Vẫn lập báo cáo khi dữ liệu có lỗi (mỗi báo cáo sẽ ghi rõ điều đó)",
    ),
    (
        "deadlines|format",
        "Định dạng kết quả: text, json, hoặc ics (tệp lịch iCalendar để nhập vào điện thoại, Outlook)",
    ),
    (
        "deadlines|fail_on",
        "Trả mã thoát 1 khi có việc quá hạn (overdue), hoặc khi có việc quá hạn hay đến hạn trong --days ngày (soon)",
    ),
    (
        "deadlines|officer",
        "Chỉ những việc của cán bộ này (mã hoặc tên)",
    ),
    ("deadlines|task", "Chỉ những việc của nhiệm vụ này"),
    (
        "report",
        "Lập báo cáo: quý, 6 tháng, năm, hoặc theo từng cán bộ",
    ),
    ("report|kind", "Loại báo cáo"),
    (
        "report|period",
        "Kỳ báo cáo: 2021-Q3, 2021-H1, 2021, 2021-06 (theo cách tính kỳ của kế hoạch), hoặc last (kỳ trước), current (kỳ này), next (kỳ sau) tính theo ngày --as-of",
    ),
    ("report|format", "Định dạng báo cáo"),
    (
        "report|output",
        "Ghi vào TỆP thay vì in ra màn hình (- là in ra màn hình; không bao giờ ghi đè tệp của thư mục kế hoạch)",
    ),
    ("report|template", "Dùng tệp mẫu này thay cho mẫu có sẵn"),
    (
        "report|allow_errors",
        "Vẫn lập báo cáo khi dữ liệu có lỗi (báo cáo sẽ ghi rõ điều đó)",
    ),
    (
        "report|number",
        "Số của báo cáo, khi văn thư đã cấp (mặc định: để trống)",
    ),
    (
        "rollup",
        "Tổng hợp báo cáo một kỳ của nhiều xã, phường thành một (thư mục, báo cáo JSON, rollup.toml)",
    ),
    (
        "rollup|period",
        "Kỳ báo cáo: 2021-Q3, 2021-H1, 2021, hoặc last (quý trước), current (quý này), last-half, last-year tính theo ngày --as-of (theo cách tính kỳ của rollup.toml, mặc định nd09)",
    ),
    (
        "rollup|sources",
        "Thư mục của xã, báo cáo JSON (report … --format json) và tệp rollup.toml",
    ),
    ("rollup|format", "Định dạng báo cáo"),
    ("rollup|output", "Ghi vào TỆP thay vì in ra màn hình"),
    (
        "rollup|allow_errors",
        "Cộng cả các xã có dữ liệu còn lỗi (vẫn được nêu tên)",
    ),
    (
        "rollup|number",
        "Số của báo cáo, khi văn thư đã cấp (mặc định: để trống)",
    ),
    (
        "add",
        "Ghi một dòng: hoạt động, thông tin hồ sơ, vi phạm, khen thưởng, góp ý, cam kết",
    ),
    ("add|dry_run", "Chỉ hiện dòng sẽ ghi, không ghi gì"),
    (
        "add activity",
        "Việc đã làm thuộc một nhiệm vụ (records/activities.csv)",
    ),
    (
        "add activity|date",
        "Ngày (mặc định: ngày --as-of, tức hôm nay)",
    ),
    ("add activity|task", "Mã nhiệm vụ trong kế hoạch (bắt buộc)"),
    (
        "add activity|kind",
        "dissemination, meeting, inspection, reception, … hoặc tên tiếng Việt (bắt buộc)",
    ),
    ("add activity|summary", "Nội dung đã thực hiện (bắt buộc)"),
    (
        "add activity|officers",
        "Người thực hiện: mã hoặc họ tên, cách nhau bằng ; hoặc ,",
    ),
    (
        "add activity|evidence",
        "Hồ sơ lưu: biên bản, số quyết định, đường dẫn tệp",
    ),
    (
        "add activity|deliverable",
        "Mã sản phẩm của kế hoạch mà hoạt động này hoàn thành",
    ),
    ("add activity|participants", "Số người tham dự"),
    ("add activity|note", "Ghi chú, giữ nguyên như viết"),
    (
        "add dossier",
        "Một thông tin về hồ sơ một cửa (records/dossiers.csv); lệnh `kehoach dossier` nói bằng lời dễ hiểu hơn",
    ),
    ("add dossier|id", "Mã hồ sơ (bắt buộc)"),
    ("add dossier|procedure", "Mã hoặc tên thủ tục"),
    ("add dossier|field", "Lĩnh vực (mặc định: theo thủ tục)"),
    ("add dossier|received", "Ngày tiếp nhận"),
    ("add dossier|due", "Ngày hẹn trả"),
    (
        "add dossier|returned",
        "Ngày kết thúc: trả kết quả, rút hoặc dừng giải quyết",
    ),
    (
        "add dossier|status",
        "withdrawn (rút hồ sơ), stopped (dừng giải quyết) hoặc refused (từ chối)",
    ),
    ("add dossier|officer", "Cán bộ xử lý: mã hoặc họ tên"),
    ("add dossier|late_reason", "Lý do trễ hạn"),
    ("add dossier|apology", "Ngày phát hành văn bản xin lỗi"),
    (
        "add dossier|rescheduled",
        "Ngày hẹn trả mới ghi trong văn bản xin lỗi (hoặc hẹn lại khi người dân nộp đủ giấy tờ được yêu cầu bổ sung)",
    ),
    ("add dossier|note", "Ghi chú, giữ nguyên như viết"),
    (
        "add dossier|channel",
        "Hình thức nộp: direct (trực tiếp), postal (qua bưu chính công ích), online, online-full (trực tuyến toàn trình), online-partial (trực tuyến một phần)",
    ),
    (
        "add dossier|supplement",
        "Ngày phát hành phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
    ),
    (
        "add dossier|refusal_reason",
        "Lý do từ chối (với --status refused)",
    ),
    (
        "add violation",
        "Một vi phạm và việc xử lý (records/violations.csv)",
    ),
    (
        "add violation|date",
        "Ngày (mặc định: ngày --as-of, tức hôm nay)",
    ),
    (
        "add violation|officer",
        "Người vi phạm: mã hoặc họ tên (bắt buộc)",
    ),
    ("add violation|description", "Nội dung vi phạm (bắt buộc)"),
    ("add violation|task", "Nhiệm vụ liên quan"),
    (
        "add violation|action",
        "reminder, criticism, reprimand, warning, … hoặc tên tiếng Việt; để trống khi đang xem xét",
    ),
    ("add violation|decision", "Số và ngày của quyết định"),
    ("add violation|note", "Ghi chú, giữ nguyên như viết"),
    (
        "add commendation",
        "Một khen thưởng (records/commendations.csv)",
    ),
    (
        "add commendation|date",
        "Ngày (mặc định: ngày --as-of, tức hôm nay)",
    ),
    (
        "add commendation|recipient",
        "Cán bộ (mã hoặc họ tên) hoặc tên tập thể (bắt buộc)",
    ),
    (
        "add commendation|form",
        "\"Giấy khen của Chủ tịch UBND xã\", … (bắt buộc)",
    ),
    ("add commendation|reason", "Lý do khen thưởng"),
    ("add commendation|decision", "Số và ngày của quyết định"),
    ("add commendation|note", "Ghi chú, giữ nguyên như viết"),
    (
        "add feedback",
        "Ý kiến của người dân (records/feedback.csv)",
    ),
    (
        "add feedback|date",
        "Ngày nhận (mặc định: ngày --as-of, tức hôm nay)",
    ),
    (
        "add feedback|channel",
        "box, form, phone, in-person, online, hoặc tên tiếng Việt (bắt buộc)",
    ),
    (
        "add feedback|rating",
        "very-satisfied, satisfied, dissatisfied, hoặc tên tiếng Việt",
    ),
    ("add feedback|officer", "Cán bộ được góp ý: mã hoặc họ tên"),
    ("add feedback|summary", "Nội dung ý kiến"),
    ("add feedback|handled", "Ngày trả lời"),
    ("add feedback|note", "Ghi chú, giữ nguyên như viết"),
    (
        "add commitment",
        "Nội dung đăng ký, cam kết của cán bộ (records/commitments.csv)",
    ),
    (
        "add commitment|date",
        "Ngày đăng ký (mặc định: ngày --as-of, tức hôm nay)",
    ),
    (
        "add commitment|officer",
        "Cán bộ: mã hoặc họ tên (bắt buộc)",
    ),
    ("add commitment|task", "Nhiệm vụ liên quan (bắt buộc)"),
    ("add commitment|commitment", "Nội dung cam kết (bắt buộc)"),
    (
        "add commitment|met",
        "Kết quả thực hiện khi đánh giá cuối năm: met, not-met, hoặc tên tiếng Việt (cùng --judged)",
    ),
    ("add commitment|judged", "Ngày đánh giá (cùng --met)"),
    (
        "add lapse",
        "Bộ phận, cán bộ không thực hiện hoặc thực hiện không đúng chế độ báo cáo (records/lapses.csv)",
    ),
    (
        "add lapse|date",
        "Ngày ghi nhận (mặc định: ngày --as-of, tức hôm nay)",
    ),
    (
        "add lapse|unit",
        "Bộ phận không báo cáo: mã trong plan.toml (ghi mục này hoặc --officer)",
    ),
    (
        "add lapse|officer",
        "Cán bộ không báo cáo: mã hoặc họ tên (ghi mục này hoặc --unit)",
    ),
    ("add lapse|report", "Tên báo cáo (bắt buộc)"),
    (
        "add lapse|period",
        "Kỳ báo cáo, ghi như văn bản: \"Quý II/2021\"",
    ),
    (
        "add lapse|lapse",
        "missing, late, wrong, hoặc tên tiếng Việt (bắt buộc)",
    ),
    ("add lapse|note", "Ghi chú, giữ nguyên như viết"),
    (
        "add rating",
        "Kết quả đánh giá, xếp loại cuối năm của cán bộ (records/ratings.csv)",
    ),
    (
        "add rating|date",
        "Ngày xếp loại (mặc định: ngày --as-of, tức hôm nay)",
    ),
    ("add rating|officer", "Cán bộ: mã hoặc họ tên (bắt buộc)"),
    ("add rating|year", "Năm được đánh giá (bắt buộc)"),
    (
        "add rating|level",
        "excellent, good, done, failed, hoặc mức xếp loại tiếng Việt (bắt buộc)",
    ),
    ("add rating|decision", "Số, ngày quyết định"),
    ("add rating|note", "Ghi chú, giữ nguyên như viết"),
    (
        "dossier",
        "Theo dõi hồ sơ một cửa: tiếp nhận, trả kết quả, rút, dừng giải quyết, văn bản xin lỗi",
    ),
    ("dossier|dry_run", "Chỉ hiện dòng sẽ ghi, không ghi gì"),
    (
        "dossier open",
        "Tiếp nhận hồ sơ; ngày hẹn trả tính theo danh mục thủ tục và lịch ngày làm việc nếu không ghi --due",
    ),
    (
        "dossier open|id",
        "Mã hồ sơ (mặc định: mã kế tiếp trong ngày tiếp nhận theo unit_code của kế hoạch, có in ra)",
    ),
    (
        "dossier open|procedure",
        "Mã hoặc tên thủ tục, hay vài chữ trong tên (\"khai sinh\") (bắt buộc)",
    ),
    (
        "dossier open|received",
        "Ngày tiếp nhận (mặc định, và khi chỉ ghi --received: ngày --as-of, tức hôm nay)",
    ),
    (
        "dossier open|due",
        "Ngày hẹn trả (mặc định: ngày tiếp nhận cộng số ngày làm việc của thủ tục)",
    ),
    (
        "dossier open|officer",
        "Cán bộ xử lý: mã, họ tên, tên hoặc chữ cái đầu",
    ),
    ("dossier open|field", "Lĩnh vực (mặc định: theo thủ tục)"),
    ("dossier open|note", "Ghi chú, giữ nguyên như viết"),
    (
        "dossier return",
        "Ghi nhận đã trả kết quả; ghi --late-reason khi trễ hạn",
    ),
    (
        "dossier return|id",
        "Mã hồ sơ, hoặc phần cuối của mã nếu chỉ một mã kết thúc như vậy (0001: của hôm nay)",
    ),
    (
        "dossier return|date",
        "Ngày trả kết quả (mặc định: ngày --as-of, tức hôm nay)",
    ),
    ("dossier return|late_reason", "Lý do trễ hạn"),
    ("dossier return|note", "Ghi chú, giữ nguyên như viết"),
    ("dossier withdraw", "Ghi nhận người dân rút hồ sơ"),
    (
        "dossier withdraw|id",
        "Mã hồ sơ, hoặc phần cuối của mã nếu chỉ một mã kết thúc như vậy (0001: của hôm nay)",
    ),
    (
        "dossier withdraw|date",
        "Ngày rút hồ sơ (mặc định: ngày --as-of, tức hôm nay)",
    ),
    ("dossier withdraw|note", "Ghi chú, giữ nguyên như viết"),
    ("dossier stop", "Ghi nhận dừng giải quyết hồ sơ"),
    (
        "dossier stop|id",
        "Mã hồ sơ, hoặc phần cuối của mã nếu chỉ một mã kết thúc như vậy (0001: của hôm nay)",
    ),
    (
        "dossier stop|date",
        "Ngày dừng giải quyết (mặc định: ngày --as-of, tức hôm nay)",
    ),
    ("dossier stop|note", "Ghi chú, giữ nguyên như viết"),
    (
        "dossier apology",
        "Ghi nhận văn bản xin lỗi và hẹn lại ngày trả kết quả của hồ sơ trễ hạn",
    ),
    (
        "dossier apology|id",
        "Mã hồ sơ, hoặc phần cuối của mã nếu chỉ một mã kết thúc như vậy (0001: của hôm nay)",
    ),
    (
        "dossier apology|date",
        "Ngày của văn bản (mặc định: ngày --as-of, tức hôm nay)",
    ),
    ("dossier apology|rescheduled", "Ngày hẹn trả mới"),
    ("dossier apology|late_reason", "Lý do trễ hạn"),
    (
        "import",
        "Nhập nhiều dòng từ tệp Excel, CSV (phần mềm một cửa): nhập hết hoặc không nhập gì",
    ),
    (
        "import|kind",
        "Loại dữ liệu trong tệp: activities, dossiers, violations, commendations, feedback, commitments, ratings, lapses",
    ),
    (
        "import|file",
        "Tệp bảng tính (.xlsx, .xls, .ods), hoặc tệp CSV hay văn bản từ Excel hoặc phần mềm một cửa (UTF-8, UTF-16, Windows-1258; phân cách bằng , ; hoặc tab); - là đọc từ đầu vào chuẩn",
    ),
    (
        "import|sheet",
        "Trang tính cần đọc trong tệp bảng tính (mặc định: trang đầu tiên)",
    ),
    (
        "import|map",
        "Gán một tiêu đề cột của tệp với một cột: --map \"Số biên nhận=id\" (để trống tên cột thì bỏ qua cột đó)",
    ),
    (
        "import|dry_run",
        "Kiểm tra và hiện những gì sẽ nhập, không ghi gì",
    ),
    (
        "import|verbose",
        "Liệt kê từng dòng được thêm và bỏ qua (mặc định: quá 20 dòng thì chỉ nêu các khoảng dòng)",
    ),
    (
        "export",
        "Xuất dữ liệu cho người dùng Excel hoặc phần mềm khác: tệp CSV hoặc bảng tính Excel",
    ),
    (
        "export|kinds",
        "Loại dữ liệu cần xuất: activities, dossiers, violations, commendations, feedback, commitments, ratings, lapses (mặc định: tất cả)",
    ),
    ("export|format", "Định dạng tệp xuất"),
    (
        "export|output",
        "Ghi vào TỆP (CSV nhiều loại dữ liệu: một thư mục, mỗi loại một tệp KIND.csv) thay vì in ra màn hình",
    ),
    (
        "show",
        "Xem hiện trạng một bản ghi và lịch sử của nó: dòng đã ghi nó và từng thay đổi",
    ),
    (
        "show|kind",
        "Loại bản ghi: activity, dossier, violation, commendation, feedback, commitment, rating, lapse",
    ),
    (
        "show|reference",
        "Bản ghi: mã của nó (hồ sơ: mã hồ sơ), hoặc vị trí TỆP:DÒNG trong records/ (violations.csv:57)",
    ),
    (
        "amend",
        "Sửa một bản ghi bằng cách ghi thêm một dòng: các thông tin nêu ra thay thế thông tin cũ, kèm lý do",
    ),
    (
        "amend|kind",
        "Loại bản ghi: activity, dossier, violation, commendation, feedback, commitment, rating, lapse",
    ),
    (
        "amend|reference",
        "Bản ghi: mã của nó (hồ sơ: mã hồ sơ), hoặc vị trí TỆP:DÒNG trong records/ (violations.csv:57)",
    ),
    (
        "amend|reason",
        "Ai sửa và vì sao (bắt buộc), ghi vào cột why của dòng",
    ),
    ("amend|dry_run", "Hiện dòng sẽ ghi, không ghi gì"),
    (
        "amend|facts",
        "Thông tin thay thế: --CỘT GIÁ_TRỊ cho từng cột, các cột như của `kehoach add KIND`",
    ),
    (
        "void",
        "Hủy một bản ghi bằng cách ghi thêm một dòng: bản ghi không còn được tính ở đâu, kèm lý do",
    ),
    (
        "void|kind",
        "Loại bản ghi: activity, dossier, violation, commendation, feedback, commitment, rating, lapse",
    ),
    (
        "void|reference",
        "Bản ghi: mã của nó (hồ sơ: mã hồ sơ), hoặc vị trí TỆP:DÒNG trong records/ (violations.csv:57)",
    ),
    (
        "void|reason",
        "Ai hủy và vì sao (bắt buộc), ghi vào cột why của dòng",
    ),
    ("void|dry_run", "Hiện dòng sẽ ghi, không ghi gì"),
    (
        "violation",
        "Vi phạm: ghi quyết định xử lý một vi phạm đang chờ",
    ),
    (
        "violation decide",
        "Ghi quyết định xử lý một vi phạm đang chờ: hình thức xử lý và quyết định điền vào chỗ còn trống",
    ),
    (
        "violation decide|reference",
        "Vi phạm: mã của nó, hoặc vị trí TỆP:DÒNG trong records/ (violations.csv:5)",
    ),
    (
        "violation decide|action",
        "reminder, criticism, reprimand, warning, … hoặc tên tiếng Việt (nhắc nhở, khiển trách, …) (bắt buộc)",
    ),
    (
        "violation decide|decision",
        "Số quyết định (ngày quyết định lấy từ --date)",
    ),
    (
        "violation decide|date",
        "Ngày quyết định (mặc định: ngày --as-of, tức hôm nay)",
    ),
    ("violation decide|dry_run", "Hiện dòng sẽ ghi, không ghi gì"),
    ("feedback", "Góp ý của người dân: ghi ngày đã trả lời"),
    (
        "feedback answer",
        "Ghi ngày đã trả lời một góp ý (cột handled)",
    ),
    (
        "feedback answer|reference",
        "Góp ý: mã của nó, hoặc vị trí TỆP:DÒNG trong records/ (feedback.csv:12)",
    ),
    (
        "feedback answer|date",
        "Ngày đã trả lời (mặc định: ngày --as-of, tức hôm nay)",
    ),
    ("feedback answer|dry_run", "Hiện dòng sẽ ghi, không ghi gì"),
    (
        "init",
        "Tạo thư mục kế hoạch mới: plan.toml có chú thích, các tệp dữ liệu trống, .gitattributes",
    ),
    (
        "init|dir",
        "Thư mục cần tạo (có thể đã có, nhưng chưa có plan.toml)",
    ),
    (
        "completions",
        "In tập lệnh gợi ý lệnh cho shell (bash, zsh, fish, powershell)",
    ),
    ("completions|shell", "Loại shell"),
    (
        "man",
        "In trang hướng dẫn (man, định dạng roff), sinh từ chính định nghĩa dòng lệnh này",
    ),
    (
        "man|command",
        "Lệnh cần in trang hướng dẫn: check, report, add activity, … (mặc định: trang của kehoach)",
    ),
];

fn text(key: &str) -> Option<&'static str> {
    TEXTS.iter().find(|(k, _)| *k == key).map(|(_, t)| *t)
}

/// The clap command in the given language, with our own help and version flags.
pub fn command(lang: Lang) -> Command {
    let cmd = crate::cli::command(lang);
    match lang {
        Lang::En => cmd,
        Lang::Vi => localize(cmd, "")
            .long_about(text("#long"))
            .help_template(TEMPLATE)
            .disable_version_flag(true)
            .arg(
                Arg::new("version")
                    .short('V')
                    .long("version")
                    .action(ArgAction::Version)
                    .help("In số phiên bản")
                    .help_heading("Tùy chọn"),
            ),
    }
}

/// clap's default layout with Vietnamese headings.
const TEMPLATE: &str =
    "{before-help}{about-with-newline}\nCách dùng: {usage}\n\n{all-args}{after-help}";

fn localize(mut cmd: Command, path: &str) -> Command {
    if let Some(about) = text(path) {
        cmd = cmd.about(about).long_about(None::<&'static str>);
    }
    if let Some(after) = cmd.get_after_help().map(|a| a.to_string()) {
        cmd = cmd.after_help(
            after
                .replace("Examples:", "Ví dụ:")
                .replace("Example:", "Ví dụ:"),
        );
    }
    let ids: Vec<String> = cmd
        .get_arguments()
        .map(|a| a.get_id().to_string())
        .collect();
    for id in ids {
        let key = format!("{path}|{id}");
        let positional = cmd
            .get_arguments()
            .find(|a| a.get_id() == id.as_str())
            .is_some_and(|a| a.is_positional());
        let heading = if positional {
            "Tham số"
        } else {
            "Tùy chọn"
        };
        cmd = cmd.mut_arg(&id, |a| {
            let mut help = text(&key).map(str::to_string).unwrap_or_default();
            // clap's "[default: …]" and "[possible values: …]", said in Vietnamese.
            let defaults: Vec<String> = a
                .get_default_values()
                .iter()
                .map(|v| v.to_string_lossy().into_owned())
                .collect();
            let values: Vec<String> = a
                .get_possible_values()
                .iter()
                .filter(|v| !v.is_hide_set())
                .map(|v| v.get_name().to_string())
                .collect();
            let takes_value = a.get_action().takes_values();
            if takes_value && !values.is_empty() {
                help.push_str(&format!(" [chọn: {}]", values.join(", ")));
            }
            if takes_value && !defaults.is_empty() {
                help.push_str(&format!(" [mặc định: {}]", defaults.join(", ")));
            }
            let a = a.help_heading(heading).help(help);
            if takes_value {
                a.hide_default_value(true).hide_possible_values(true)
            } else {
                a
            }
        });
    }
    cmd = cmd
        .help_template(TEMPLATE)
        .subcommand_help_heading("Lệnh")
        .disable_help_flag(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("In trợ giúp")
                .help_heading("Tùy chọn")
                .global(path.is_empty()),
        )
        .disable_help_subcommand(true);
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for name in names {
        let sub_path = if path.is_empty() {
            name.clone()
        } else {
            format!("{path} {name}")
        };
        cmd = cmd.mut_subcommand(&name, |s| localize(s, &sub_path));
    }
    cmd
}

/// clap's error in Vietnamese, for the errors a clerk meets; others keep clap's English text
/// after a Vietnamese lead.
pub fn error(err: &clap::Error) -> String {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let ctx = |kind: ContextKind| match err.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join(", "),
        Some(other) => other.to_string(),
        None => String::new(),
    };
    let text = match err.kind() {
        ErrorKind::UnknownArgument => {
            let like = ctx(ContextKind::SuggestedArg);
            format!(
                "không có tùy chọn '{}'{}",
                ctx(ContextKind::InvalidArg),
                if like.is_empty() {
                    String::new()
                } else {
                    format!("; ý bạn là '{like}'?")
                }
            )
        }
        ErrorKind::InvalidSubcommand => {
            format!("không có lệnh '{}'", ctx(ContextKind::InvalidSubcommand))
        }
        ErrorKind::InvalidValue => {
            let valid = ctx(ContextKind::ValidValue);
            format!(
                "giá trị '{}' không hợp lệ cho {}{}",
                ctx(ContextKind::InvalidValue),
                ctx(ContextKind::InvalidArg),
                if valid.is_empty() {
                    String::new()
                } else {
                    format!("; chỉ nhận: {valid}")
                }
            )
        }
        ErrorKind::MissingRequiredArgument => {
            format!("thiếu tham số bắt buộc: {}", ctx(ContextKind::InvalidArg))
        }
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            "thiếu lệnh: xem `kehoach --help`".to_string()
        }
        ErrorKind::ValueValidation => format!(
            "giá trị '{}' không hợp lệ cho {}: {}",
            ctx(ContextKind::InvalidValue),
            ctx(ContextKind::InvalidArg),
            err.source()
                .map(|s| number_error(&s.to_string()))
                .unwrap_or_default()
        ),
        ErrorKind::ArgumentConflict => format!(
            "các tùy chọn không dùng cùng nhau được: {}",
            ctx(ContextKind::InvalidArg)
        ),
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues | ErrorKind::TooFewValues => {
            format!("số giá trị không đúng cho {}", ctx(ContextKind::InvalidArg))
        }
        _ => format!(
            "lỗi tham số: {}",
            err.render()
                .to_string()
                .trim_start_matches("error: ")
                .trim()
        ),
    };
    format!("kehoach: lỗi: {text}\n(xem `kehoach --help`)")
}

use std::error::Error as _;

/// clap's and the standard library's English reasons a number is refused, in Vietnamese;
/// other reasons (ours, already in the user's language) as they are.
fn number_error(reason: &str) -> String {
    if let Some((_, range)) = reason.split_once(" is not in ")
        && let Some((low, high)) = range.split_once("..=")
    {
        return format!("phải là số từ {low} đến {high}");
    }
    match reason {
        "invalid digit found in string" => "phải là một số nguyên, chỉ gồm chữ số".to_string(),
        "cannot parse integer from empty string" => "chưa có số".to_string(),
        "number too large to fit in target type" => "số quá lớn".to_string(),
        "number too small to fit in target type" => "số quá nhỏ".to_string(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_command_lines_are_well_formed() {
        command(Lang::Vi).debug_assert();
        command(Lang::En).debug_assert();
    }

    /// Every command and argument has a Vietnamese text, and none is the English one left as is.
    #[test]
    fn every_help_text_is_translated() {
        fn walk(cmd: &Command, path: &str, missing: &mut Vec<String>) {
            let about = cmd.get_about().map(|a| a.to_string()).unwrap_or_default();
            match text(path) {
                Some(vi) if vi != about => {}
                _ => missing.push(format!("command '{path}'")),
            }
            for arg in cmd.get_arguments() {
                if arg.is_global_set() && !path.is_empty() {
                    continue;
                }
                let key = format!("{path}|{}", arg.get_id());
                let en = arg.get_help().map(|h| h.to_string()).unwrap_or_default();
                match text(&key) {
                    Some(vi) if vi != en && !vi.is_empty() => {}
                    _ => missing.push(format!("argument '{key}'")),
                }
            }
            for sub in cmd.get_subcommands() {
                let p = if path.is_empty() {
                    sub.get_name().to_string()
                } else {
                    format!("{path} {}", sub.get_name())
                };
                walk(sub, &p, missing);
            }
        }
        let mut missing = Vec::new();
        walk(&crate::cli::command(Lang::En), "", &mut missing);
        assert!(missing.is_empty(), "without Vietnamese: {missing:#?}");
        // And no text in the table that the command line no longer has.
        let en = crate::cli::command(Lang::En);
        for (key, _) in TEXTS {
            if key.starts_with('#') {
                continue;
            }
            let (path, arg) = key.split_once('|').unwrap_or((key, ""));
            let mut cmd = &en;
            for name in path.split(' ').filter(|n| !n.is_empty()) {
                cmd = cmd
                    .find_subcommand(name)
                    .unwrap_or_else(|| panic!("stale text: {key}"));
            }
            if !arg.is_empty() {
                assert!(
                    cmd.get_arguments().any(|a| a.get_id() == arg),
                    "stale text: {key}"
                );
            }
        }
    }

    #[test]
    fn number_errors_in_vietnamese() {
        assert_eq!(
            number_error("99999999999 is not in 0..=4294967295"),
            "phải là số từ 0 đến 4294967295"
        );
        assert_eq!(
            number_error("invalid digit found in string"),
            "phải là một số nguyên, chỉ gồm chữ số"
        );
        assert_eq!(number_error("'x' không phải ngày"), "'x' không phải ngày");
    }
}
