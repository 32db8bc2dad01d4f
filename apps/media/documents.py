"""Document type detection by content (never by the file name).

PDF and OFD and the Office formats are told apart by their bytes: PDF by its
header, OOXML and OFD by the members of their zip container, the binary Office
and WPS formats by the stream names in their OLE compound file. The file name
only chooses between formats whose containers are identical (a WPS 文字 file
is an OLE file with a WordDocument stream, like a .doc).
"""

import io
import logging
import re
import zipfile
import zlib

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"

MESSAGES = {
    "empty": "上传的文件是空的（0 字节），请重新选择文件。",
    "too_large": "附件过大（{size}），不能超过 {limit}。",
    "unsupported": "不支持的附件类型。系统按文件内容识别，支持 PDF、OFD、Word（DOC/DOCX）、Excel（XLS/XLSX）和 WPS 文字/表格。",
    "macro": "文件中包含宏（VBA 代码），出于安全原因已拒绝，请另存为不含宏的格式后再上传。",
    "encrypted": "文件已加密或设置了打开密码，公众无法打开，请去除密码后再上传。",
    "corrupt": "文件已损坏或不完整，无法识别，请检查后重新上传。",
    "pdf_script": "PDF 文件中包含脚本或自动执行的动作（JavaScript、启动程序、提交表单等），出于安全原因已拒绝，"
                  "请另存为不含脚本的 PDF（如“打印为 PDF”）后再上传。",
    "html": "文件内容含有网页（HTML）代码，不是正常的 PDF 文件，出于安全原因已拒绝。",
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


# --- PDF: no scripts, no launch or submit actions, no HTML in disguise ---------------------
#
# Two independent readings, so that hiding from one does not pass the other:
# pypdf walks the document from its trailer as a viewer would (names decoded, object
# streams and any filter resolved); a byte scan reads every name in the file and in
# each Flate-compressed stream, with #xx escapes decoded ("/J#61vaScript"). A file
# pypdf cannot read (a viewer may still repair it) is judged by the byte scan alone.

# Action types and keys that run code or act without the reader's click on a link.
PDF_ACTIVE_NAMES = frozenset({"JavaScript", "JS", "Launch", "SubmitForm", "ImportData", "RichMediaExecute", "GoToE"})
_PDF_NAME = re.compile(rb"/((?:[A-Za-z0-9_.+\-]|#[0-9A-Fa-f]{2})+)")
_PDF_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_PDF_STREAM = re.compile(rb"stream\r?\n(.*?)endstream", re.S)
_HTML_MARKUP = re.compile(rb"<\s*(?:script|html|body|iframe|object|embed|svg|meta|a\s+href)\b", re.I)
_INFLATE_LIMIT = 64 * 1024 * 1024  # decompressed bytes scanned per file, at most

log = logging.getLogger(__name__)


def _pdf_names(blob: bytes) -> set[str]:
    return {
        _PDF_ESCAPE.sub(lambda h: bytes([int(h.group(1), 16)]), m.group(1)).decode("latin-1")
        for m in _PDF_NAME.finditer(blob)
    }


def _inflated_streams(data: bytes):
    budget = _INFLATE_LIMIT
    for match in _PDF_STREAM.finditer(data):
        if budget <= 0:
            return
        try:
            out = zlib.decompressobj().decompress(match.group(1), budget)
        except zlib.error:
            continue
        budget -= len(out)
        yield out


def _pdf_bytes_active(data: bytes) -> bool:
    if _pdf_names(data) & PDF_ACTIVE_NAMES:
        return True
    return any(_pdf_names(blob) & PDF_ACTIVE_NAMES or _HTML_MARKUP.search(blob) for blob in _inflated_streams(data))


def _pdf_structure_active(data: bytes) -> bool | None:
    """True/False from pypdf's walk of every object reachable from the trailer;
    None when pypdf cannot read the file."""
    import pypdf
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    try:
        reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise DocumentRejected("encrypted")
        stack, seen = [reader.trailer], set()
        while stack:
            node = stack.pop()
            if isinstance(node, IndirectObject):
                key = (node.idnum, node.generation)
                if key in seen:
                    continue
                seen.add(key)
                node = node.get_object()
            if isinstance(node, DictionaryObject):
                keys = {str(k).lstrip("/") for k in node.keys()}
                action = str(node.get("/S", "")).lstrip("/")
                if keys & PDF_ACTIVE_NAMES or action in PDF_ACTIVE_NAMES:
                    return True
                stack.extend(node.values())
            elif isinstance(node, ArrayObject):
                stack.extend(node)
        return False
    except DocumentRejected:
        raise
    except Exception as exc:  # noqa: BLE001 - any parser failure: fall back to the byte scan
        log.debug("pypdf could not read an uploaded PDF (%s); byte scan only", exc.__class__.__name__)
        return None


def check_pdf(data: bytes) -> None:
    """Raise DocumentRejected for a PDF that is HTML in disguise or carries active content."""
    start = data.find(b"%PDF-")
    if b"<" in data[:start] or _HTML_MARKUP.search(data):
        raise DocumentRejected("html")
    if not re.search(rb"\d+\s+\d+\s+obj\b", data):
        raise DocumentRejected("corrupt")
    if _pdf_bytes_active(data) or _pdf_structure_active(data):
        raise DocumentRejected("pdf_script")


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
        check_pdf(data)
        return "pdf"
    if data.startswith(OLE_MAGIC):
        return _ole_kind(data, ext)
    if data.startswith(ZIP_MAGIC):
        return _zip_kind(data)
    raise DocumentRejected("unsupported")
