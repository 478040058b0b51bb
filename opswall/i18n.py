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
    "no_data": {"vi": "Chưa có dữ liệu", "en": "No data yet"},
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
}


def message(key: str, locale: Locale) -> str:
    return MESSAGES[key][locale]


def catalog(locale: Locale) -> dict[str, str]:
    """Every chrome string in one locale, for the browser client."""
    return {key: texts[locale] for key, texts in MESSAGES.items()}


def number_locale(locale: Locale) -> str:
    """The BCP 47 tag the browser's Intl.NumberFormat uses: vi -> 1.234,5; en -> 1,234.5."""
    return {"vi": "vi-VN", "en": "en-US"}[locale]
