"""UI chrome strings in the wall's languages. Data labels come from the config itself."""

from __future__ import annotations

from opswall.config.models import Locale
from opswall.replay.words import REPLAY_MESSAGES
from opswall.studio.words import STUDIO_PAGES
from opswall.web.fleet_words import FLEET_PAGES
from opswall.web.refusal_words import REFUSALS

MESSAGES: dict[str, dict[Locale, str]] = {
    "link_down": {
        "vi": "MẤT KẾT NỐI DỮ LIỆU — đang kết nối lại…",
        "en": "DATA LINK DOWN — reconnecting…",
    },
    "source_down": {
        "vi": "Nguồn dữ liệu gián đoạn — đang khôi phục…",
        "en": "Data source interrupted — recovering…",
    },
    "stale": {"vi": "CHẬM", "en": "STALE"},
    # A tile whose source cannot be read (Redis, or the cluster node holding its feed, is down)
    # while the screen's link to the gateway is up: no banner says so, the tile must.
    "no_source": {"vi": "MẤT NGUỒN", "en": "NO SOURCE"},
    "no_data": {"vi": "Chưa có dữ liệu", "en": "No data yet"},
    # A tile that could not draw its latest data (issue 17): it keeps its last good figure.
    "tile_error": {"vi": "LỖI HIỂN THỊ", "en": "DISPLAY ERROR"},
    "asof": {"vi": "Số liệu lúc", "en": "As of"},
    "screens": {"vi": "Màn hình", "en": "Screens"},
    "unknown_screen": {"vi": "Không có màn hình", "en": "No such screen"},
    "tiles": {"vi": "ô", "en": "tiles"},
    "target": {"vi": "Mục tiêu", "en": "Target"},
    "vs_period": {"vi": "So với cùng kỳ", "en": "vs same period"},
    "level_good": {"vi": "Đạt", "en": "Good"},
    "level_warning": {"vi": "Cảnh báo", "en": "Warning"},
    "level_critical": {"vi": "Nguy cấp", "en": "Critical"},
    "severity_critical": {"vi": "khẩn cấp", "en": "critical"},
    "severity_warning": {"vi": "cảnh báo", "en": "warning"},
    "severity_info": {"vi": "thông tin", "en": "info"},
    "restricted": {"vi": "Hạn chế", "en": "Restricted"},
    "takeover": {"vi": "⚠ CẢNH BÁO TỰ ĐỘNG", "en": "⚠ ALERT TAKEOVER"},
    "focused": {"vi": "PHÓNG TO", "en": "FOCUS"},
    "scheduled": {"vi": "THEO LỊCH", "en": "SCHEDULED"},
    "dimmed": {"vi": "GIẢM SÁNG", "en": "DIMMED"},
    "dark": {"vi": "TẮT", "en": "OFF"},
    "not_authorised": {
        "vi": "Màn hình này chưa được cấp quyền. Đề nghị kỹ thuật viên cấp mã thiết bị mới.",
        "en": "This screen is not authorised. Ask an operator for a new device link.",
    },
    "revised": {"vi": "↺ Đã điều chỉnh · lần", "en": "↺ Revised · rev"},
    "period": {"vi": "Kỳ", "en": "Period"},
    "submitted": {"vi": "nộp", "en": "filed"},
    "rep_connected": {"vi": "chỉ tiêu đã kết nối", "en": "indicators connected"},
    "rep_on_time": {"vi": "Đúng hạn", "en": "On time"},
    "rep_late": {"vi": "Trễ hạn", "en": "Late"},
    "rep_missing": {"vi": "Chưa nộp", "en": "Missing"},
    "rep_pending": {"vi": "Chưa đến hạn", "en": "Not due"},
    "rep_agency": {"vi": "Cơ quan", "en": "Agency"},
    "rep_last": {"vi": "Nộp gần nhất", "en": "Last report"},
    "video_connecting": {"vi": "ĐANG KẾT NỐI", "en": "CONNECTING"},
    "video_live": {"vi": "TRỰC TIẾP", "en": "LIVE"},
    "video_no_signal": {"vi": "MẤT TÍN HIỆU", "en": "NO SIGNAL"},
    "video_last_seen": {"vi": "Tín hiệu cuối lúc", "en": "Last signal at"},
    "video_never": {"vi": "Chưa nhận được tín hiệu", "en": "No signal received yet"},
    "video_retrying": {"vi": "Tự động kết nối lại", "en": "Reconnecting automatically"},
    "video_speaking": {"vi": "Đang phát biểu", "en": "Speaking"},
    "video_audio": {"vi": "Âm thanh", "en": "Audio"},
    "panel_sites": {"vi": "Điểm cầu", "en": "Bridge points"},
    "panel_large": {"vi": "Hình lớn", "en": "Large"},
    "panel_audio": {"vi": "Mở tiếng", "en": "Audio"},
    "panel_auto": {"vi": "Tự động", "en": "Automatic"},
    "panel_mute_all": {"vi": "Tắt tiếng", "en": "Mute all"},
    "panel_scenes": {"vi": "Kịch bản", "en": "Scenes"},
    "panel_wall": {"vi": "Màn hình tường", "en": "Wall screens"},
    "panel_release": {"vi": "Trả về tự động", "en": "Back to rotation"},
    "panel_pause": {"vi": "Dừng luân phiên", "en": "Pause rotation"},
    "panel_resume": {"vi": "Tiếp tục luân phiên", "en": "Resume rotation"},
    "panel_focus_on": {"vi": "Phóng to lên", "en": "Enlarge on"},
    "panel_tiles_of": {"vi": "Các ô của màn hình", "en": "Tiles of"},
    "panel_focus_hint": {
        "vi": "Chạm một ô để phóng to, chạm lại để trở về",
        "en": "Tap a tile to enlarge it, tap again to return",
    },
    "panel_provinces": {"vi": "Chọn tỉnh/thành", "en": "Pick a province"},
    "panel_clear_province": {"vi": "Bỏ chọn tỉnh", "en": "Clear province"},
    # What is alerting, told apart: the rules' warnings (acknowledged here), then the alerts the
    # wall's alerts tiles show (their sources clear them).
    "panel_alerts": {"vi": "Cảnh báo theo quy tắc", "en": "Rule warnings"},
    "panel_no_alerts": {"vi": "Không có cảnh báo theo quy tắc", "en": "No rule warnings"},
    "panel_wall_alerts": {"vi": "Cảnh báo trên tường", "en": "Alerts on the wall"},
    "panel_no_wall_alerts": {
        "vi": "Các ô cảnh báo trên tường không có cảnh báo",
        "en": "The wall's alert tiles show no alerts",
    },
    "panel_ack": {"vi": "Xác nhận", "en": "Acknowledge"},
    "panel_acked_by": {"vi": "Đã xác nhận bởi", "en": "Acknowledged by"},
    "panel_held": {"vi": "Đang giữ", "en": "Held"},
    "panel_rotation": {"vi": "Luân phiên", "en": "Rotation"},
    "panel_paused": {"vi": "Đã dừng", "en": "Paused"},
    "panel_by": {"vi": "bởi", "en": "by"},
    "panel_logout": {"vi": "Đăng xuất", "en": "Sign out"},
    # Sign-in and people (issue 17): refusals name the character and say why.
    "login_wrong": {"vi": "Sai tên đăng nhập hoặc mật khẩu.", "en": "Wrong user name or password."},
    "login_wait": {
        "vi": "Thử sai quá nhiều lần từ địa chỉ này: chờ 5 phút.",
        "en": "Too many attempts from this address: wait 5 minutes.",
    },
    "login_work": {
        "vi": "Tên này vừa bị thử mật khẩu sai nhiều lần: trình duyệt tính toán giây lát trước "
        "khi đăng nhập. Nhập mật khẩu và bấm Đăng nhập lần nữa.",
        "en": "Many wrong passwords were tried for this name: your browser works for a moment "
        "before signing in. Enter the password and press Sign in again.",
    },
    "token_not_mintable": {
        "vi": "Vai trò {role} không được tạo mã loại {kind}",
        "en": "A {role} may not create {kind} tokens",
    },
    "token_not_offered": {
        "vi": "Trường '{field}': '{value}' không nằm trong danh sách ({offered})",
        "en": "Field '{field}': '{value}' is not one of {offered}",
    },
    "username_empty": {"vi": "Tên đăng nhập: chưa nhập tên", "en": "User name: give a name"},
    "username_long": {
        "vi": "Tên đăng nhập: tối đa {max} ký tự",
        "en": "User name: at most {max} characters",
    },
    "username_invisible": {
        "vi": "Tên đăng nhập: ký tự thứ {pos} ({code}) là ký tự ẩn, không được dùng",
        "en": "User name: character {pos} ({code}) is invisible, which is not allowed",
    },
    "username_character": {
        "vi": "Tên đăng nhập: ký tự thứ {pos} ({code}) không được dùng "
        "(chỉ chữ cái, chữ số và . _ - @)",
        "en": "User name: character {pos} ({code}) is not allowed "
        "(letters, digits and . _ - @ only)",
    },
    "username_script": {
        "vi": "Tên đăng nhập: ký tự thứ {pos} ({code}) thuộc bộ chữ {script}, các chữ khác "
        "thuộc bộ chữ {other}: không trộn bộ chữ (dễ giả mạo tên người khác)",
        "en": "User name: character {pos} ({code}) is {script} and the other letters {other}: "
        "letters of two scripts can pass for another person's name",
    },
}


def message(key: str, locale: Locale) -> str:
    return MESSAGES[key][locale]


# What a tile of each type is called where it has no title and reads no feed (the panel's list).
TILE_TYPES: dict[str, dict[Locale, str]] = {
    "alerts": {"vi": "Cảnh báo", "en": "Alerts"},
    "bar": {"vi": "Biểu đồ cột", "en": "Bar chart"},
    "chart": {"vi": "Biểu đồ", "en": "Chart"},
    "clock": {"vi": "Đồng hồ", "en": "Clock"},
    "conference": {"vi": "Hội nghị trực tuyến", "en": "Video conference"},
    "gauge": {"vi": "Đồng hồ đo", "en": "Gauge"},
    "iframe": {"vi": "Trang nhúng", "en": "Embedded page"},
    "image": {"vi": "Hình ảnh", "en": "Picture"},
    "kpi": {"vi": "Chỉ số", "en": "Indicator"},
    "map": {"vi": "Bản đồ", "en": "Map"},
    "reporting": {"vi": "Tình hình báo cáo", "en": "Reporting"},
    "table": {"vi": "Bảng", "en": "Table"},
    "text": {"vi": "Văn bản", "en": "Text"},
    "ticker": {"vi": "Dòng tin", "en": "News ticker"},
    "video": {"vi": "Video", "en": "Video"},
}


def tile_type_name(tile_type: str, locale: Locale) -> str:
    return TILE_TYPES.get(tile_type, {}).get(locale, tile_type)


MESSAGES.update(REPLAY_MESSAGES)


def both(key: str, **fields: object) -> str:
    """A message in Vietnamese and English, for pages that show both (sign-in, admin forms)."""
    return " · ".join(MESSAGES[key][locale].format(**fields) for locale in ("vi", "en"))


def catalog(locale: Locale) -> dict[str, str]:
    """Every chrome string in one locale, for the browser client."""
    return {key: texts[locale] for key, texts in MESSAGES.items()}


def number_locale(locale: Locale) -> str:
    """The BCP 47 tag the browser's Intl.NumberFormat uses: vi -> 1.234,5; en -> 1,234.5."""
    return {"vi": "vi-VN", "en": "en-US"}[locale]


# The operator pages (/admin/*, sign-in, setup), rendered on the server in one locale
# (opswall/web/pages.py). Kept apart from MESSAGES, which every wall screen downloads.
PAGES: dict[str, dict[Locale, str]] = {
    "language": {"vi": "Tiếng Việt", "en": "English"},
    "switch_language": {"vi": "Chuyển sang tiếng Việt", "en": "Switch to English"},
    "zone": {"vi": "giờ {city} ({offset})", "en": "{city} time ({offset})"},
    "times_in": {"vi": "Thời gian theo {zone}.", "en": "Times are {zone}."},
    "nav": {"vi": "Điều hướng", "en": "Navigation"},
    "nav_wall": {"vi": "Màn hình tường", "en": "Wall"},
    "nav_panel": {"vi": "Bảng điều khiển", "en": "Panel"},
    "nav_tokens": {"vi": "Mã thiết bị", "en": "Device tokens"},
    "nav_audit": {"vi": "Nhật ký", "en": "Audit"},
    "nav_feeds": {"vi": "Nguồn dữ liệu", "en": "Feeds"},
    "nav_users": {"vi": "Người dùng", "en": "Users"},
    "sign_out": {"vi": "Đăng xuất", "en": "Sign out"},
    "role_viewer": {"vi": "người xem", "en": "viewer"},
    "role_leader": {"vi": "lãnh đạo", "en": "leader"},
    "role_operator": {"vi": "kỹ thuật viên", "en": "operator"},
    "role_admin": {"vi": "quản trị", "en": "admin"},
    "yes": {"vi": "có", "en": "yes"},
    "no": {"vi": "không", "en": "no"},
    "actions": {"vi": "Thao tác", "en": "Actions"},
    "seconds": {"vi": "{n} giây", "en": "{n} s"},
    "ago": {"vi": "{n} giây trước", "en": "{n} s ago"},
    "never": {"vi": "chưa có", "en": "never"},
    # Sign-in and first-run setup
    "login_title": {"vi": "Đăng nhập", "en": "Sign in"},
    "login_user": {"vi": "Tên đăng nhập", "en": "User name"},
    "login_password": {"vi": "Mật khẩu", "en": "Password"},
    "login_setup_hint": {
        "vi": "Chưa có người dùng nào: mở liên kết cài đặt dùng một lần mà lệnh {run} (hoặc {web}) "
        "đã in ra, hoặc đặt {user} và {password}.",
        "en": "No user exists yet: open the one-time setup link that {run} (or {web}) printed, "
        "or set {user} and {password}.",
    },
    "setup": {"vi": "Cài đặt", "en": "Setup"},
    "setup_title": {"vi": "Quản trị viên đầu tiên", "en": "First administrator"},
    "setup_hint": {
        "vi": "Liên kết này chỉ dùng được một lần. Tài khoản có vai trò quản trị và quyền xem mật.",
        "en": "This link works once. The account gets the admin role and clearance.",
    },
    "setup_password": {"vi": "Mật khẩu (từ 10 ký tự)", "en": "Password (10+ characters)"},
    "setup_create": {"vi": "Tạo tài khoản", "en": "Create"},
    "setup_spent": {
        "vi": "Liên kết cài đặt này đã được dùng hoặc không đúng.",
        "en": "This setup link is used or wrong.",
    },
    "setup_no_name": {"vi": "Chưa nhập tên đăng nhập.", "en": "Give a user name."},
    "password_short": {
        "vi": "Mật khẩu cần ít nhất {n} ký tự.",
        "en": "The password needs at least {n} characters.",
    },
    "password_long": {
        "vi": "Mật khẩu có tối đa {n} ký tự.",
        "en": "The password has at most {n} characters.",
    },
    # Device tokens
    "tokens_title": {"vi": "Mã thiết bị", "en": "Device tokens"},
    "token_link_once": {
        "vi": "Mở liên kết này một lần trên máy tính của màn hình tường",
        "en": "Open this link once on the wall PC",
    },
    "token_request": {
        "vi": "Mã {kind}, dùng cho yêu cầu dưới đây",
        "en": "The {kind} token, for the request below",
    },
    "token_shown_once": {"vi": "(chỉ hiển thị lần này)", "en": "(it is shown only now)"},
    "token_label": {"vi": "Nhãn", "en": "Label"},
    "token_label_hint": {"vi": "Máy màn hình 3, bên trái", "en": "Wall PC 3, left"},
    "token_kind": {"vi": "Loại", "en": "Kind"},
    "kind_screen": {"vi": "màn hình", "en": "screen"},
    "kind_producer": {"vi": "bên gửi dữ liệu", "en": "producer"},
    "kind_agency": {"vi": "cơ quan báo cáo", "en": "agency"},
    "kind_metrics": {"vi": "số liệu giám sát", "en": "metrics"},
    "token_screen": {"vi": "Màn hình", "en": "Screen"},
    "token_any_screen": {"vi": "mọi màn hình", "en": "any screen"},
    "token_feed": {"vi": "Nguồn (bên gửi)", "en": "Feed (producer)"},
    "token_agency": {"vi": "Cơ quan", "en": "Agency"},
    "token_clearance": {"vi": "quyền xem mật (màn hình)", "en": "clearance (screens)"},
    "token_create": {"vi": "Tạo mã", "en": "Create token"},
    "token_for": {"vi": "Dùng cho", "en": "For"},
    "clearance": {"vi": "Quyền xem mật", "en": "Clearance"},
    "created": {"vi": "Tạo lúc", "en": "Created"},
    "by": {"vi": "Người tạo", "en": "By"},
    "state": {"vi": "Trạng thái", "en": "State"},
    "token_active": {"vi": "đang dùng", "en": "active"},
    "token_revoked": {"vi": "đã thu hồi {when}", "en": "revoked {when}"},
    "revoke": {"vi": "Thu hồi", "en": "Revoke"},
    # People and their sessions
    "users_title": {"vi": "Người dùng", "en": "Users"},
    "user": {"vi": "Người dùng", "en": "User"},
    "role": {"vi": "Vai trò", "en": "Role"},
    "user_clearance": {"vi": "quyền xem mật", "en": "clearance"},
    "user_add": {"vi": "Thêm người dùng", "en": "Add user"},
    "users_hint": {
        "vi": "Đổi vai trò hoặc mật khẩu, hoặc «Đăng xuất mọi nơi», sẽ kết thúc ngay mọi phiên "
        "của người đó.",
        "en": 'A new role or password, and "Sign out everywhere", end every session of that '
        "person at once.",
    },
    "user_change": {"vi": "Thay đổi", "en": "Change"},
    "role_of": {"vi": "Vai trò của {name}", "en": "Role of {name}"},
    "set_role": {"vi": "Đặt vai trò", "en": "Set role"},
    "new_password": {"vi": "mật khẩu mới", "en": "new password"},
    "new_password_for": {"vi": "Mật khẩu mới cho {name}", "en": "New password for {name}"},
    "set_password": {"vi": "Đặt mật khẩu", "en": "Set password"},
    "sign_out_everywhere": {"vi": "Đăng xuất mọi nơi", "en": "Sign out everywhere"},
    "sessions_title": {"vi": "Phiên đang mở", "en": "Active sessions"},
    "signed_in": {"vi": "Đăng nhập lúc", "en": "Signed in"},
    "last_seen": {"vi": "Hoạt động gần nhất", "en": "Last seen"},
    "address": {"vi": "Địa chỉ", "en": "Address"},
    "browser": {"vi": "Trình duyệt", "en": "Browser"},
    # Audit trail
    "audit_title": {"vi": "Nhật ký thao tác", "en": "Audit trail"},
    "audit_note": {"vi": "(chỉ ghi thêm; mới nhất trước)", "en": "(append-only; newest first)"},
    "when": {"vi": "Thời điểm", "en": "When"},
    "who": {"vi": "Người thực hiện", "en": "Who"},
    "action": {"vi": "Thao tác", "en": "Action"},
    "target": {"vi": "Đối tượng", "en": "Target"},
    "detail": {"vi": "Chi tiết", "en": "Detail"},
    "device": {"vi": "Thiết bị", "en": "Device"},
    "warnings_title": {"vi": "Cảnh báo", "en": "Warnings"},
    "warning": {"vi": "Cảnh báo", "en": "Warning"},
    "step": {"vi": "Bước", "en": "Step"},
    "step_by": {"vi": "Bởi", "en": "By"},
    "severity": {"vi": "Mức độ", "en": "Severity"},
    "text": {"vi": "Nội dung", "en": "Message"},
    # Feeds health: cadence and stale threshold are two columns (a 10 s feed is stale after 30 s)
    "feeds_title": {"vi": "Nguồn dữ liệu", "en": "Feeds"},
    "feeds_summary": {
        "vi": "{n} kết nối · lúc {when} · tự làm mới mỗi 10 giây",
        "en": "{n} connections · at {when} · refreshes every 10 s",
    },
    "feed": {"vi": "Nguồn", "en": "Feed"},
    "feed_kind": {"vi": "Loại", "en": "Kind"},
    "per_min": {"vi": "Bản tin/phút", "en": "Per min"},
    "last_entry": {"vi": "Bản tin cuối", "en": "Last entry"},
    "cadence": {"vi": "Nhịp gửi", "en": "Cadence"},
    "stale_threshold": {"vi": "Ngưỡng chậm", "en": "Stale threshold"},
    "every": {"vi": "mỗi {n} giây", "en": "every {n} s"},
    "stale_after": {"vi": "chậm sau {n} giây", "en": "stale after {n} s"},
    "lag": {"vi": "Độ trễ", "en": "Lag"},
    "errors": {"vi": "Lỗi", "en": "Errors"},
    "last_error": {"vi": "Lỗi gần nhất", "en": "Last error"},
    "dead_letters": {"vi": "Bản tin hỏng", "en": "Dead letters"},
    "last_n": {"vi": "{n} bản gần nhất", "en": "last {n}"},
    "feed_ok": {"vi": "bình thường", "en": "ok"},
    "feed_late": {"vi": "trễ", "en": "late"},
    "feed_silent": {"vi": "im lặng", "en": "silent"},
    "feed_failing": {"vi": "lỗi", "en": "failing"},
    "feed_waiting": {"vi": "đang chờ", "en": "waiting"},
    "panes_title": {"vi": "Ô video", "en": "Video panes"},
    "panes_note": {
        "vi": "theo báo cáo của các màn hình tường",
        "en": "as the wall screens report them",
    },
    "screen": {"vi": "Màn hình", "en": "Screen"},
    "tile": {"vi": "Ô", "en": "Tile"},
    "site": {"vi": "Điểm cầu", "en": "Site"},
    "pane_for": {"vi": "Đã kéo dài", "en": "For"},
    "last_picture": {"vi": "Hình cuối", "en": "Last picture"},
    "reason": {"vi": "Lý do", "en": "Reason"},
    "reported": {"vi": "Báo cáo", "en": "Reported"},
    "now": {"vi": "bây giờ", "en": "now"},
    "pane_live": {"vi": "trực tiếp", "en": "live"},
    "pane_no-signal": {"vi": "mất tín hiệu", "en": "no signal"},
    "pane_not-reporting": {"vi": "không báo cáo", "en": "not reporting"},
    "pane_connecting": {"vi": "đang kết nối", "en": "connecting"},
    # The screen fleet (/admin/screens, issue 21)
    "nav_screens": {"vi": "Màn hình", "en": "Screens"},
    "no_panes": {
        "vi": "Chưa có màn hình nào có ô video báo cáo.",
        "en": "No screen with a video pane has reported.",
    },
    **REFUSALS,
    **FLEET_PAGES,
    **STUDIO_PAGES,
}
