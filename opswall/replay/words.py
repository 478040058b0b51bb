"""The replay's words (issue 24), in the wall's languages: merged into the wall's MESSAGES, so
the page's client names them by key like every other string it shows."""

from __future__ import annotations

from opswall.config.models import Locale

REPLAY_MESSAGES: dict[str, dict[Locale, str]] = {
    "replay_banner": {"vi": "PHÁT LẠI", "en": "REPLAY"},
    "replay_not_live": {
        "vi": "Không phải trực tiếp — màn hình như lúc",
        "en": "Not live — the screen as it was at",
    },
    "replay_play": {"vi": "Phát", "en": "Play"},
    "replay_pause": {"vi": "Dừng", "en": "Pause"},
    "replay_back": {"vi": "◀ Lùi", "en": "◀ Back"},
    "replay_step": {"vi": "Tiến ▶", "en": "Step ▶"},
    "replay_events": {"vi": "Sự kiện", "en": "Events"},
    "replay_speed": {"vi": "Tốc độ", "en": "Speed"},
    "replay_unrecorded": {"vi": "KHÔNG LƯU LỊCH SỬ", "en": "NO HISTORY KEPT"},
    "replay_before_retention": {
        "vi": "QUÁ HẠN LƯU TRỮ",
        "en": "OLDER THAN RETENTION",
    },
    "replay_state_gone": {
        "vi": "Trạng thái tường lúc đó đã quá hạn lưu trữ: bố cục riêng của màn hình",
        "en": "The wall state then is older than retention: the screen's own layout",
    },
    "replay_refused": {
        "vi": "Phát lại chỉ dành cho lãnh đạo và điều hành đã đăng nhập; mã thiết bị "
        "màn hình không mở được phát lại.",
        "en": "Replays are for signed-in leaders and operators; a screen's device token "
        "cannot open a replay.",
    },
    "replay_no_config": {
        "vi": "Chưa có phiên bản cấu hình nào vào lúc đó",
        "en": "No config revision was recorded by then",
    },
    "replay_bad_time": {
        "vi": "Thời điểm không hợp lệ (ví dụ ?at=2026-11-29T15:30:00+07:00)",
        "en": "Not a valid instant (e.g. ?at=2026-11-29T15:30:00+07:00)",
    },
    "event_scene": {"vi": "Đổi cảnh", "en": "Scene change"},
    "event_raised": {"vi": "Cảnh báo", "en": "Warning raised"},
    "event_acknowledged": {"vi": "Xác nhận cảnh báo", "en": "Warning acknowledged"},
    "event_cleared": {"vi": "Hết cảnh báo", "en": "Warning cleared"},
    "event_report": {"vi": "Báo cáo chỉ tiêu", "en": "Report submitted"},
    "event_config": {"vi": "Đổi cấu hình", "en": "Config change"},
    "event_control": {"vi": "Điều khiển", "en": "Control"},
    # The leader's panel (static/panel-replay.js): the chosen screen replayed, in a new view.
    "panel_replay": {"vi": "Phát lại màn hình đang chọn", "en": "Replay the chosen screen"},
    "panel_replay_last": {"vi": "10 phút vừa qua ▶ 10x", "en": "Last 10 minutes ▶ 10x"},
    "panel_replay_none": {"vi": "Chưa có sự kiện", "en": "No events yet"},
}
