"""UI chrome strings in the wall's languages. Data labels come from the config itself."""

from __future__ import annotations

from opswall.config.models import Locale

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
    "panel_role_leader": {"vi": "lãnh đạo", "en": "leader"},
    "panel_role_operator": {"vi": "vận hành", "en": "operator"},
    "panel_role_admin": {"vi": "quản trị", "en": "admin"},
    "panel_focus_hint": {
        "vi": "Chạm một ô để phóng to, chạm lại để trở về",
        "en": "Tap a tile to enlarge it, tap again to return",
    },
    "panel_provinces": {"vi": "Chọn tỉnh/thành", "en": "Pick a province"},
    "panel_clear_province": {"vi": "Bỏ chọn tỉnh", "en": "Clear province"},
    # Only the rules' warnings: the alerts tiles on the wall show their feeds' alerts apart.
    "panel_alerts": {"vi": "Cảnh báo theo quy tắc", "en": "Rule warnings"},
    "panel_no_alerts": {
        "vi": "Không có cảnh báo theo quy tắc (các ô cảnh báo trên tường hiển thị riêng)",
        "en": "No rule warnings (the wall's alert tiles show their own)",
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


def both(key: str, **fields: object) -> str:
    """A message in Vietnamese and English, for pages that show both (sign-in, admin forms)."""
    return " · ".join(MESSAGES[key][locale].format(**fields) for locale in ("vi", "en"))


def catalog(locale: Locale) -> dict[str, str]:
    """Every chrome string in one locale, for the browser client."""
    return {key: texts[locale] for key, texts in MESSAGES.items()}


def number_locale(locale: Locale) -> str:
    """The BCP 47 tag the browser's Intl.NumberFormat uses: vi -> 1.234,5; en -> 1,234.5."""
    return {"vi": "vi-VN", "en": "en-US"}[locale]
