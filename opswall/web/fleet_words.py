"""The screen fleet's words (/admin/screens, issue 21), Vietnamese and English;
`i18n.PAGES` includes them."""

from __future__ import annotations

from opswall.config.models import Locale

FLEET_PAGES: dict[str, dict[Locale, str]] = {
    "fleet_title": {"vi": "Các màn hình tường", "en": "Wall screens"},
    "fleet_warning": {"vi": "Màn hình {screen}: {state}", "en": "Screen {screen}: {state}"},
    "fleet_no_device": {"vi": "không có thiết bị", "en": "no device"},
    "fleet_disconnected": {"vi": "mất kết nối", "en": "disconnected"},
    "fleet_not_painting": {"vi": "không vẽ", "en": "not painting"},
    "fleet_wrong_screen": {"vi": "sai màn hình", "en": "wrong screen"},
    "fleet_old_build": {"vi": "phiên bản cũ", "en": "old build"},
    "fleet_duplicated": {"vi": "trùng lặp", "en": "duplicated"},
    "fleet_live": {"vi": "hoạt động", "en": "live"},
    "fleet_dimmed": {"vi": "giảm sáng", "en": "dimmed"},
    "fleet_dark": {"vi": "tắt", "en": "off"},
    "fleet_source_schedule": {"vi": "theo lịch", "en": "scheduled"},
    "fleet_source_held": {"vi": "lãnh đạo chọn", "en": "held by a leader"},
    "fleet_source_takeover": {"vi": "cảnh báo chiếm màn hình", "en": "alert takeover"},
    "fleet_source_focus": {"vi": "phóng to một ô", "en": "a tile enlarged"},
    "fleet_source_rotation": {"vi": "xoay vòng", "en": "rotation"},
    "fleet_source_default": {"vi": "mặc định", "en": "default"},
    "fleet_source_own": {"vi": "bố cục riêng", "en": "own layout"},
    "fleet_device": {"vi": "Thiết bị", "en": "Device"},
    "fleet_state": {"vi": "Trạng thái", "en": "State"},
    "fleet_since": {"vi": "Từ lúc", "en": "Since"},
    "fleet_paint": {"vi": "Lần vẽ cuối", "en": "Last paint"},
    "fleet_view": {"vi": "Đang hiển thị", "en": "Showing"},
    "fleet_size": {"vi": "Độ phân giải", "en": "Resolution"},
    "fleet_errors": {"vi": "Lỗi", "en": "Errors"},
    "fleet_heap": {"vi": "Bộ nhớ", "en": "Heap"},
    "fleet_identify": {"vi": "Nhận diện", "en": "Identify"},
    "fleet_reload": {"vi": "Tải lại", "en": "Reload"},
    "fleet_reload_all": {"vi": "Tải lại tất cả", "en": "Reload all"},
    "fleet_miniatures": {"vi": "Màn hình đang hiển thị gì", "en": "What each screen shows"},
    "fleet_mirror": {"vi": "Bản sao chỉ xem của {screen}", "en": "Read-only mirror of {screen}"},
    "fleet_rising": {"vi": "đang tăng", "en": "rising"},
    "fleet_flat": {"vi": "ổn định", "en": "flat"},
    "fleet_falling": {"vi": "đang giảm", "en": "falling"},
    "fleet_long_tasks": {"vi": "Tác vụ dài", "en": "Long tasks"},
    "fleet_video": {"vi": "Ô video", "en": "Video panes"},
}
