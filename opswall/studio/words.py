"""The layout studio's words, Vietnamese and English; `i18n.PAGES` includes them."""

from __future__ import annotations

from opswall.config.models import Locale

STUDIO_PAGES: dict[str, dict[Locale, str]] = {
    "nav_layout": {"vi": "Bố cục", "en": "Layout"},
    "studio_title": {"vi": "Thiết kế bố cục", "en": "Layout studio"},
    "studio_layout": {"vi": "Bố cục", "en": "Layout"},
    "studio_note": {
        "vi": "Kéo ô để di chuyển, kéo góc để đổi cỡ; ô bám theo lưới và không được chồng nhau.",
        "en": "Drag a tile to move it, its corner to resize it; tiles snap to the grid and "
        "may not overlap.",
    },
    "studio_preview_only": {
        "vi": "Lãnh đạo chỉ được xem thử; kỹ thuật viên mới được áp dụng.",
        "en": "Leaders may preview only; operators apply.",
    },
    "studio_check": {"vi": "Kiểm tra", "en": "Check"},
    # The pending changes list (report.js): each operation, and where a tile goes.
    "studio_op_move": {"vi": "di chuyển", "en": "move"},
    "studio_op_add": {"vi": "thêm", "en": "add"},
    "studio_op_delete": {"vi": "xoá", "en": "delete"},
    "studio_op_grid": {"vi": "đổi lưới", "en": "grid"},
    "studio_op_set": {"vi": "sửa tuỳ chọn", "en": "set"},
    "studio_op_show": {"vi": "cảnh", "en": "scene"},
    "studio_own_layout": {"vi": "(bố cục riêng)", "en": "(its own layout)"},
    "studio_scenes": {
        "vi": "Cảnh: tiêu đề, bố cục từng màn hình, biến",
        "en": "Scenes: title, each screen's layout, vars",
    },
    "studio_scene": {"vi": "Cảnh", "en": "Scene"},
    "studio_op_at": {"vi": "cột {col}, hàng {row}, {w}×{h}", "en": "col {col}, row {row}, {w}×{h}"},
    "studio_preview": {"vi": "Xem thử", "en": "Preview"},
    "studio_preview_on": {"vi": "Xem thử trên màn hình", "en": "Preview on screen"},
    "studio_preview_cancel": {"vi": "Kết thúc xem thử", "en": "End preview"},
    "studio_previewing": {
        "vi": "Màn hình {screen} đang hiện bản nháp; các màn hình khác không đổi.",
        "en": "Screen {screen} shows the draft; the other screens are unchanged.",
    },
    "studio_apply": {"vi": "Áp dụng", "en": "Apply"},
    "studio_reset": {"vi": "Huỷ thay đổi", "en": "Discard changes"},
    "studio_grid": {"vi": "Lưới", "en": "Grid"},
    "studio_cols": {"vi": "Cột", "en": "Columns"},
    "studio_rows": {"vi": "Hàng", "en": "Rows"},
    "studio_delete": {"vi": "Xoá ô", "en": "Delete tile"},
    "studio_selected": {"vi": "Ô đang chọn", "en": "Selected tile"},
    "studio_changes": {"vi": "Thay đổi", "en": "Changes"},
    "studio_no_changes": {"vi": "Chưa có thay đổi.", "en": "No changes yet."},
    "studio_ok": {"vi": "Bản nháp hợp lệ.", "en": "The draft is valid."},
    "studio_applied": {
        "vi": "Đã áp dụng: phiên bản {n}. Màn hình sẽ cập nhật ngay.",
        "en": "Applied: revision {n}. The screens update now.",
    },
    "studio_small": {
        "vi": "Cảnh báo: có ô quá nhỏ để đọc được từ khoảng cách xem.",
        "en": "Warning: some tiles are too small to be read from the viewing distance.",
    },
    # Text a bezel would cut (issue 23, legibility/bezel_text.py): the heading, and each warning.
    "studio_bezel": {
        "vi": "Cảnh báo: có chữ nằm trên viền giữa hai màn hình, sẽ bị cắt trên tường.",
        "en": "Warning: some text lies on a bezel between two screens and would be cut on "
        "the wall.",
    },
    "bezel_title": {"vi": "tiêu đề '{text}'", "en": "title '{text}'"},
    "bezel_value": {"vi": "con số của ô", "en": "the tile's figure"},
    "bezel_row": {"vi": "hàng {row} của bảng", "en": "table row {row}"},
    "bezel_header": {"vi": "hàng tiêu đề của bảng", "en": "the table's header row"},
    "bezel_crosses": {
        "vi": "{what} nằm trên viền giữa màn hình {a} và {b} tại {axis}={low}..{high}; {advice}",
        "en": "{what} crosses the bezel between screens {a} and {b} at {axis}={low}..{high}; "
        "{advice}",
    },
    "bezel_advice_title": {
        "vi": "hãy di chuyển ô hoặc rút ngắn tiêu đề",
        "en": "move the tile or shorten the title",
    },
    "bezel_advice": {
        "vi": "hãy di chuyển ô để chữ nằm gọn trong một màn hình",
        "en": "move the tile so its text lies on one screen",
    },
    "studio_invalid": {
        "vi": "Bản nháp có lỗi, chưa thể áp dụng:",
        "en": "The draft has errors and cannot be applied:",
    },
    "studio_changed_on_disk": {
        "vi": "Tệp cấu hình đã bị sửa sau khi mở bản nháp. Những gì đã thay đổi:",
        "en": "The config file changed after this draft was opened. What changed:",
    },
    "studio_history": {"vi": "Lịch sử phiên bản", "en": "Revision history"},
    "studio_history_note": {
        "vi": "mỗi cấu hình đã có hiệu lực, không bao giờ bị sửa hay xoá",
        "en": "every config that took effect, never changed or removed",
    },
    "studio_revision": {"vi": "Phiên bản", "en": "Revision"},
    "studio_by": {"vi": "Người thay đổi", "en": "By"},
    "studio_hash": {"vi": "Mã băm SHA-256", "en": "SHA-256"},
    "studio_file_edit": {"vi": "sửa tệp trực tiếp", "en": "file edit"},
    "studio_diff": {"vi": "Khác biệt", "en": "Diff"},
    "studio_rollback": {"vi": "Khôi phục bản này", "en": "Roll back to this"},
    "studio_in_force": {"vi": "đang có hiệu lực", "en": "in force"},
    "studio_no_revisions": {"vi": "Chưa có phiên bản nào.", "en": "No revision yet."},
    "studio_not_found": {"vi": "Không có phiên bản {n}.", "en": "No revision {n}."},
    "studio_display": {"vi": "màn hình", "en": "screen"},
    "studio_layout_only": {"vi": "chỉ bố cục", "en": "layout only"},
    "studio_palette": {"vi": "Thêm ô", "en": "Add a tile"},
    "studio_tile_type": {"vi": "Loại ô", "en": "Tile type"},
    "studio_tile_id": {"vi": "Mã ô", "en": "Tile id"},
    "studio_add": {"vi": "Thêm vào bố cục", "en": "Add to the layout"},
    "studio_edit": {"vi": "Sửa tuỳ chọn", "en": "Edit options"},
    "studio_save": {"vi": "Lưu tuỳ chọn vào bản nháp", "en": "Save options to the draft"},
    "studio_in_file": {"vi": "Sửa trong tệp cấu hình", "en": "Edited in the config file"},
    "studio_no_room": {
        "vi": "Không còn chỗ trống cho ô mới trên lưới này.",
        "en": "No free room for a new tile on this grid.",
    },
    "studio_bad_id": {
        "vi": "Mã ô: chữ thường, số, '_' hoặc '-', chưa dùng trong bố cục này.",
        "en": "Tile id: lower-case letters, digits, '_' or '-', not used in this layout yet.",
    },
    # Rotations, scenes' titles and vars, the preview window (issue 20, the rest).
    "studio_rotation": {"vi": "Luân phiên của màn hình", "en": "This screen's rotation"},
    "studio_step_scene": {"vi": "Cảnh", "en": "Scene"},
    "studio_step_dwell": {"vi": "Thời lượng", "en": "Dwell"},
    "studio_step_up": {"vi": "Lên trước", "en": "Move up"},
    "studio_step_down": {"vi": "Xuống sau", "en": "Move down"},
    "studio_step_remove": {"vi": "Bỏ bước này", "en": "Remove this step"},
    "studio_step_add": {"vi": "Thêm bước", "en": "Add a step"},
    "studio_bad_duration": {
        "vi": "Thời lượng như 30s, 10m hoặc 1h30m (lớn hơn 0).",
        "en": "A duration like 30s, 10m or 1h30m (more than zero).",
    },
    "studio_rotation_layout_only": {
        "vi": "Chỉ màn hình vật lý mới luân phiên.",
        "en": "Only a physical screen rotates.",
    },
    "studio_rotation_no_scenes": {
        "vi": "Chưa có cảnh nào để luân phiên.",
        "en": "No scenes to rotate through yet.",
    },
    "studio_rotation_none": {
        "vi": "Màn hình này không luân phiên.",
        "en": "This screen does not rotate.",
    },
    "studio_op_rotation": {"vi": "luân phiên", "en": "rotation"},
    "studio_op_scene": {"vi": "sửa cảnh", "en": "edit scene"},
    "studio_scene_title": {"vi": "Tiêu đề", "en": "Title"},
    "studio_scene_vars": {"vi": "Biến của cảnh", "en": "Scene variables"},
    "studio_var_name": {"vi": "Tên biến mới", "en": "New variable name"},
    "studio_var_add": {"vi": "Thêm biến", "en": "Add a variable"},
    "studio_var_remove": {"vi": "Bỏ biến", "en": "Remove variable"},
    "studio_window_open": {"vi": "Mở cửa sổ xem thử", "en": "Open a preview window"},
    "studio_window_title": {"vi": "Xem thử bản nháp", "en": "Draft preview"},
    "studio_window_badge": {"vi": "BẢN NHÁP", "en": "DRAFT"},
    "studio_window_note": {
        "vi": "Không phải màn hình thật; các màn hình của bức tường không đổi.",
        "en": "Not a physical screen; the wall's screens are unchanged.",
    },
    "studio_window_ended": {
        "vi": "Bản xem thử đã kết thúc (trang thiết kế đã đóng hoặc bản nháp đã hết hạn).",
        "en": "This preview has ended (the studio closed or the draft lapsed).",
    },
    "studio_window_opened": {
        "vi": "Cửa sổ xem thử đang hiện bản nháp.",
        "en": "The preview window shows the draft.",
    },
}

# The options forms' labels, Vietnamese and English side by side; a field not named here shows
# its key in both (a new tile type's fields work before anyone translates them).
FIELD_LABELS: dict[str, dict[Locale, str]] = {
    "title": {"vi": "Tiêu đề", "en": "Title"},
    "locale": {"vi": "Ngôn ngữ của ô", "en": "Tile language"},
    "follows": {"vi": "Theo biến cảnh", "en": "Follows scene variable"},
    "classified": {"vi": "Mật", "en": "Classified"},
    "feed": {"vi": "Nguồn dữ liệu", "en": "Feed"},
    "field": {"vi": "Trường dữ liệu", "en": "Field"},
    "unit": {"vi": "Đơn vị", "en": "Unit"},
    "decimals": {"vi": "Số chữ số thập phân", "en": "Decimals"},
    "compact": {"vi": "Số gọn", "en": "Compact numbers"},
    "target": {"vi": "Mục tiêu", "en": "Target"},
    "sparkline": {"vi": "Đường xu hướng", "en": "Sparkline"},
    "window": {"vi": "Khoảng thời gian", "en": "Window"},
    "min": {"vi": "Nhỏ nhất", "en": "Minimum"},
    "max": {"vi": "Lớn nhất", "en": "Maximum"},
    "style": {"vi": "Kiểu", "en": "Style"},
    "items": {"vi": "Số mục", "en": "Items"},
    "speed": {"vi": "Tốc độ", "en": "Speed"},
    "max_rows": {"vi": "Số hàng tối đa", "en": "Most rows"},
    "max_items": {"vi": "Số mục tối đa", "en": "Most items"},
    "src": {"vi": "Địa chỉ", "en": "Source"},
    "fit": {"vi": "Cách khớp", "en": "Fit"},
    "alt": {"vi": "Mô tả ảnh", "en": "Alt text"},
    "markdown": {"vi": "Nội dung", "en": "Text"},
    "seconds": {"vi": "Hiện giây", "en": "Seconds"},
    "date": {"vi": "Hiện ngày", "en": "Date"},
    "order": {"vi": "Thứ tự", "en": "Order"},
    "top": {"vi": "Số thanh", "en": "Bars"},
    "label": {"vi": "Nhãn", "en": "Label"},
    "highlight": {"vi": "Đánh dấu", "en": "Highlight"},
}
