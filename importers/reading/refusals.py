"""Every sentence the readers refuse a file with, in one place, in English and Vietnamese.

A procurement officer reads these on the upload page, so each says in one plain sentence what the
file is and what to do next; no library message ever reaches the officer. Keeping them together
lets a reviewer check the two languages side by side and keeps the wording consistent.
"""

from __future__ import annotations

from importers.errors import UNREADABLE_FILE, UNSUPPORTED_FORMAT, FileRefused

_UNREADABLE = UNREADABLE_FILE.code
_UNSUPPORTED = UNSUPPORTED_FORMAT.code

_SENTENCES: dict[str, tuple[str, str, str]] = {
    "missing": (
        _UNREADABLE,
        "The uploaded file could not be opened on the server; upload it again.",
        "Máy chủ không mở được tệp đã tải lên; hãy tải tệp lên lại.",
    ),
    "empty": (
        _UNREADABLE,
        "The file is empty (0 bytes); check that you picked the right file and upload it again.",
        "Tệp trống (0 byte); hãy kiểm tra lại đã chọn đúng tệp rồi tải lên lại.",
    ),
    "damaged-xlsx": (
        _UNREADABLE,
        "The file is not a valid Excel workbook (it may be damaged or only renamed to .xlsx); "
        "save it again from Excel and re-upload.",
        "Tệp không phải là sổ tính Excel hợp lệ (có thể bị hỏng hoặc chỉ được đổi đuôi thành "
        ".xlsx); hãy mở bằng Excel, lưu lại rồi tải lên lại.",
    ),
    "damaged-xls": (
        _UNREADABLE,
        "The file is not a valid Excel 97-2003 workbook (.xls) and may be damaged; open it in "
        "Excel, save it as .xlsx and re-upload.",
        "Tệp không phải là sổ tính Excel 97-2003 (.xls) hợp lệ và có thể đã bị hỏng; hãy mở bằng "
        "Excel, lưu lại dưới dạng .xlsx rồi tải lên lại.",
    ),
    "damaged-ods": (
        _UNREADABLE,
        "The file is not a valid OpenDocument spreadsheet (.ods) and may be damaged; save it "
        "again as .xlsx and re-upload.",
        "Tệp không phải là bảng tính OpenDocument (.ods) hợp lệ và có thể đã bị hỏng; hãy lưu lại "
        "dưới dạng .xlsx rồi tải lên lại.",
    ),
    "encrypted": (
        _UNREADABLE,
        "The file is password-protected; open it in Excel, save it without a password and "
        "re-upload.",
        "Tệp được đặt mật khẩu; hãy mở bằng Excel, lưu lại không đặt mật khẩu rồi tải lên lại.",
    ),
    "too-big": (
        _UNREADABLE,
        "The file unpacks to more data than the system accepts (over {limit}); split it into "
        "smaller files and re-upload.",
        "Tệp khi giải nén có dung lượng vượt mức hệ thống cho phép (hơn {limit}); hãy chia thành "
        "các tệp nhỏ hơn rồi tải lên lại.",
    ),
    "bomb": (
        _UNREADABLE,
        "The file is compressed in an abnormal way (it may be damaged or malicious), so it was "
        "not opened; save it again from Excel and re-upload.",
        "Tệp được nén theo cách bất thường (có thể bị hỏng hoặc chứa mã độc) nên không được mở; "
        "hãy lưu lại bằng Excel rồi tải lên lại.",
    ),
    "bad-csv": (
        _UNREADABLE,
        "The text file could not be read as CSV (a cell is far too long or a quote is never "
        "closed); save it again as 'CSV UTF-8' from Excel and re-upload.",
        "Không đọc được tệp văn bản dưới dạng CSV (có ô quá dài hoặc dấu ngoặc kép không được "
        "đóng); hãy lưu lại dưới dạng 'CSV UTF-8' trong Excel rồi tải lên lại.",
    ),
    "xlsb": (
        _UNSUPPORTED,
        "The file is an Excel binary workbook (.xlsb), which is not supported; save it as .xlsx "
        "from Excel and re-upload.",
        "Tệp là sổ tính nhị phân Excel (.xlsb), định dạng này không được hỗ trợ; hãy lưu lại dưới "
        "dạng .xlsx trong Excel rồi tải lên lại.",
    ),
    "zip": (
        _UNSUPPORTED,
        "The file is a ZIP archive, not a spreadsheet; extract it and upload the Excel or CSV "
        "file inside.",
        "Tệp là tệp nén ZIP, không phải bảng tính; hãy giải nén rồi tải lên tệp Excel hoặc CSV "
        "bên trong.",
    ),
    "archive": (
        _UNSUPPORTED,
        "The file is a compressed archive (RAR, 7z or gzip), not a spreadsheet; extract it and "
        "upload the Excel or CSV file inside.",
        "Tệp là tệp nén (RAR, 7z hoặc gzip), không phải bảng tính; hãy giải nén rồi tải lên tệp "
        "Excel hoặc CSV bên trong.",
    ),
    "office": (
        _UNSUPPORTED,
        "The file is a Word or PowerPoint document, not a spreadsheet; upload the Excel or CSV "
        "file instead.",
        "Tệp là tài liệu Word hoặc PowerPoint, không phải bảng tính; hãy tải lên tệp Excel hoặc "
        "CSV.",
    ),
    "pdf": (
        _UNSUPPORTED,
        "The file is a PDF document, not a spreadsheet; upload the original Excel or CSV file.",
        "Tệp là tài liệu PDF, không phải bảng tính; hãy tải lên tệp Excel hoặc CSV gốc.",
    ),
    "image": (
        _UNSUPPORTED,
        "The file is an image, not a spreadsheet; upload the original Excel or CSV file.",
        "Tệp là hình ảnh, không phải bảng tính; hãy tải lên tệp Excel hoặc CSV gốc.",
    ),
    "html": (
        _UNSUPPORTED,
        "The file is a web page (HTML) saved under a spreadsheet name, not a real Excel file; "
        "open it in Excel, save it as .xlsx and re-upload.",
        "Tệp là trang web (HTML) được đặt tên như bảng tính, không phải tệp Excel thật; hãy mở "
        "bằng Excel, lưu lại dưới dạng .xlsx rồi tải lên lại.",
    ),
    "xml-2003": (
        _UNSUPPORTED,
        "The file is an Excel 2003 XML spreadsheet, which is not supported; open it in Excel, "
        "save it as .xlsx and re-upload.",
        "Tệp là bảng tính XML của Excel 2003, định dạng này không được hỗ trợ; hãy mở bằng Excel, "
        "lưu lại dưới dạng .xlsx rồi tải lên lại.",
    ),
    "binary": (
        _UNSUPPORTED,
        "The file is not a spreadsheet the system can read; upload an Excel (.xlsx, .xls) or "
        "CSV file.",
        "Tệp không phải là bảng tính mà hệ thống đọc được; hãy tải lên tệp Excel (.xlsx, .xls) "
        "hoặc CSV.",
    ),
}

DAMAGED_BY_FORMAT = {"xlsx": "damaged-xlsx", "xls": "damaged-xls", "ods": "damaged-ods"}


def refusal(kind: str, **values: str) -> FileRefused:
    """Build the refusal for one kind of unreadable file, filling any {placeholder}."""
    code, note_en, note_vi = _SENTENCES[kind]
    return FileRefused(code, note_en.format(**values), note_vi.format(**values))


def refusal_kinds() -> list[str]:
    """List every refusal kind, for tests that check both languages are filled in."""
    return list(_SENTENCES)
