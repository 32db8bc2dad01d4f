"""Document type detection by content (never by the file name).

PDF and OFD and the Office formats are told apart by their bytes: PDF by its
header, OOXML and OFD by the members of their zip container, the binary Office
and WPS formats by the stream names in their OLE compound file. The file name
only chooses between formats whose containers are identical (a WPS 文字 file
is an OLE file with a WordDocument stream, like a .doc).
"""

import io
import zipfile

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"

MESSAGES = {
    "empty": "上传的文件是空的（0 字节），请重新选择文件。",
    "too_large": "附件过大（{size}），不能超过 {limit}。",
    "unsupported": "不支持的附件类型。系统按文件内容识别，支持 PDF、OFD、Word（DOC/DOCX）、Excel（XLS/XLSX）和 WPS 文字/表格。",
    "macro": "文件中包含宏（VBA 代码），出于安全原因已拒绝，请另存为不含宏的格式后再上传。",
    "encrypted": "文件已加密或设置了打开密码，公众无法打开，请去除密码后再上传。",
    "corrupt": "文件已损坏或不完整，无法识别，请检查后重新上传。",
}


class DocumentRejected(Exception):
    def __init__(self, code: str, **params):
        self.code = code
        self.message = MESSAGES[code].format(**params)
        super().__init__(self.message)


def _utf16(name: str) -> bytes:
    return name.encode("utf-16-le")


def _ole_kind(data: bytes, ext: str) -> str:
    # Directory entries hold stream names in UTF-16LE; a linear scan finds them
    # without parsing the FAT (the file is size-capped before we get here).
    if _utf16("EncryptedPackage") in data:
        raise DocumentRejected("encrypted")
    if _utf16("_VBA_PROJECT") in data or _utf16("VBA") + b"\x00\x00" in data and _utf16("dir") in data:
        raise DocumentRejected("macro")
    if _utf16("WordDocument") in data:
        return "wps" if ext == "wps" else "doc"
    if _utf16("Workbook") in data or _utf16("Book\x00") in data:
        return "et" if ext == "et" else "xls"
    raise DocumentRejected("unsupported")


def _zip_kind(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise DocumentRejected("corrupt") from None
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        raise DocumentRejected("macro")
    if "OFD.xml" in names:
        return "ofd"
    if "[Content_Types].xml" in names:
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
    raise DocumentRejected("unsupported")


def sniff_document(data: bytes, filename: str = "") -> str:
    """Return the Attachment kind of ``data`` or raise DocumentRejected."""
    if not data:
        raise DocumentRejected("empty")
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if b"%PDF-" in data[:1024]:
        if b"%%EOF" not in data[-2048:]:
            raise DocumentRejected("corrupt")
        if b"/Encrypt" in data[-4096:] or b"/Encrypt " in data[:4096]:
            raise DocumentRejected("encrypted")
        return "pdf"
    if data.startswith(OLE_MAGIC):
        return _ole_kind(data, ext)
    if data.startswith(ZIP_MAGIC):
        return _zip_kind(data)
    raise DocumentRejected("unsupported")
