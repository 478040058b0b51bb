"""Refusals on the operator pages (issue 18, parts 4 and 6), Vietnamese and English: an HTTP
error page, and the reasons the forms give, in the page's language; `i18n.PAGES` includes them."""

from __future__ import annotations

from opswall.config.models import Locale

REFUSALS: dict[str, dict[Locale, str]] = {
    "http_400": {"vi": "Yêu cầu không hợp lệ", "en": "Bad request"},
    "http_400_why": {
        "vi": "Biểu mẫu gửi lên thiếu hoặc sai một trường.",
        "en": "The form sent is missing a field or has a wrong one.",
    },
    "http_403": {"vi": "Không có quyền", "en": "Not allowed"},
    "http_403_why": {
        "vi": "Tài khoản của bạn không có quyền mở trang này.",
        "en": "Your account may not open this page.",
    },
    "http_404": {"vi": "Không tìm thấy", "en": "Not found"},
    "http_404_why": {"vi": "Không có trang này.", "en": "There is no such page."},
    "http_405": {"vi": "Không hỗ trợ", "en": "Not supported"},
    "http_405_why": {
        "vi": "Trang này không nhận kiểu yêu cầu đó.",
        "en": "This page does not take that kind of request.",
    },
    "http_429": {"vi": "Quá nhiều yêu cầu", "en": "Too many requests"},
    "http_429_why": {"vi": "Vui lòng thử lại sau ít phút.", "en": "Try again in a few minutes."},
    "http_500": {"vi": "Lỗi máy chủ", "en": "Server error"},
    "http_500_why": {
        "vi": "Máy chủ gặp lỗi; lỗi đã được ghi lại.",
        "en": "The server failed; the error is logged.",
    },
    "http_503": {"vi": "Tạm thời không phục vụ", "en": "Unavailable"},
    "http_503_why": {
        "vi": "Kho trạng thái (Redis) chưa sẵn sàng; thử lại sau ít phút.",
        "en": "The state store (Redis) is not ready; try again in a few minutes.",
    },
    "refused_csrf": {
        "vi": "Biểu mẫu đã hết hạn hoặc không đến từ trang này. Tải lại trang rồi gửi lại.",
        "en": "The form has expired or came from another page. Reload the page and send it again.",
    },
    "refused_action": {
        "vi": "Thao tác '{action}' không có; chọn một trong: {known}.",
        "en": "There is no action '{action}'; pick one of: {known}.",
    },
    "refused_session_number": {
        "vi": "Phiên cần ngắt phải là một số.",
        "en": "The session to end must be a number.",
    },
    "user_exists": {
        "vi": "Đã có người dùng '{name}' (cùng các chữ cái).",
        "en": "A user '{name}' exists (the same letters).",
    },
    "user_last_admin": {
        "vi": "'{name}' là quản trị viên cuối cùng: hãy cấp quyền quản trị cho người khác trước.",
        "en": "'{name}' is the last admin: make another admin first.",
    },
    "user_unknown": {"vi": "Không có người dùng '{name}'.", "en": "There is no user '{name}'."},
    "role_unknown": {
        "vi": "Vai trò phải là một trong: {roles}.",
        "en": "The role must be one of: {roles}.",
    },
    "refused_token_number": {
        "vi": "Mã cần thu hồi phải là một số.",
        "en": "The token to revoke must be a number.",
    },
}
