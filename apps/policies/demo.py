"""Demo policy documents and interpretations, in our own words from the park facts
(DOMAIN.md), taken through the real workflow (editor writes, reviewer and publisher
approve, a second publisher publishes). Shows every validity: a measure repealed by a
newer one, a policy amended by a later notice, an expired notice, documents in force;
the newer documents carry a PDF original. Idempotent by title."""

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import Image as PILImage
from PIL import ImageDraw

from apps.accounts.models import User
from apps.editorial import actions as editorial
from apps.media import actions as media

from .models import InterpretationKind, PolicyDocument, PolicyInterpretation, Topic, Validity

ISSUER = "乌鲁木齐高新区（新市区）管委会"
OFFICE = "乌鲁木齐高新区（新市区）管委会办公室"


def _pdf(title: str) -> bytes:
    """A one-page PDF (drawn with Pillow) standing in for the signed original."""
    page = PILImage.new("RGB", (1240, 1754), "white")
    draw = ImageDraw.Draw(page)
    draw.rectangle((100, 100, 1140, 1654), outline="black", width=3)
    draw.line((160, 260, 1080, 260), fill=(170, 20, 30), width=6)  # the red rule under the masthead
    for y in range(360, 1500, 70):
        draw.line((180, y, 1060, y), fill="black", width=2)
    out = io.BytesIO()
    page.save(out, "PDF", title=title)
    return out.getvalue()


DOCUMENTS = (
    {"key": "talent2026", "title": "乌鲁木齐高新区（新市区）“十百千”人才引进实施办法", "document_number": "乌高新管发〔2026〕12号",
     "issuer": ISSUER, "index_number": "11650100MB1234567X/2026-00012", "topic": Topic.TALENT,
     "written_on": dt.date(2026, 3, 2), "issued_on": dt.date(2026, 3, 6), "effective_on": dt.date(2026, 4, 1),
     "summary": "明确领军人才、高层次人才和骨干人才三个层次的认定条件、支持标准和申报程序。",
     "body": "<p>第一条 为加快集聚园区现代服务业和生物医药与大健康、新一代信息技术、新材料三大主导产业所需人才，制定本办法。</p>"
             "<p>第二条 人才分为领军人才、高层次人才和骨干人才三个层次，按年度分批认定。</p>"
             "<p>第三条 入选人才按层次给予安家补贴、项目资助和生活补贴，并由服务专员提供“妈妈式”零距离服务。</p>"
             "<p>第四条 本办法自2026年4月1日起施行。《乌鲁木齐高新区（新市区）促进人才发展若干措施》同时废止。</p>",
     "attachment": True},
    {"key": "materials2024", "title": "关于支持新材料产业高质量发展的若干政策", "document_number": "乌高新管发〔2024〕5号",
     "issuer": ISSUER, "index_number": "11650100MB1234567X/2024-00005", "topic": Topic.INDUSTRY,
     "written_on": dt.date(2024, 2, 20), "issued_on": dt.date(2024, 2, 28), "effective_on": dt.date(2024, 3, 1),
     "summary": "支持新材料企业技术改造、首台（套）产品应用和绿色工厂建设。",
     "body": "<p>一、对新材料企业新建或改造生产线（如多层共挤薄膜生产线）的设备投资，按比例给予补助。</p>"
             "<p>二、对首次进入园区规模以上工业企业名录的新材料企业给予一次性奖励。</p>"},
    {"key": "materials2026", "title": "关于修订《关于支持新材料产业高质量发展的若干政策》的通知", "document_number": "乌高新管发〔2026〕3号",
     "issuer": ISSUER, "index_number": "11650100MB1234567X/2026-00003", "topic": Topic.INDUSTRY,
     "written_on": dt.date(2026, 1, 12), "issued_on": dt.date(2026, 1, 16), "effective_on": dt.date(2026, 2, 1),
     "summary": "提高技术改造补助比例，新增农用薄膜和青贮包膜等新产品的应用奖励。",
     "body": "<p>一、技术改造设备投资补助比例由百分之八提高到百分之十。</p>"
             "<p>二、新增农用薄膜、收缩膜、青贮包膜等新产品首次规模化应用奖励。</p>"
             "<p>三、其余条款继续执行。</p>", "attachment": True},
    {"key": "service2025", "title": "园区重点项目“妈妈式”服务专员工作规程", "document_number": "乌高新管办发〔2025〕20号",
     "issuer": OFFICE, "index_number": "11650100MB1234567X/2025-00020", "topic": Topic.GENERAL,
     "written_on": dt.date(2025, 9, 8), "issued_on": dt.date(2025, 9, 10), "effective_on": dt.date(2025, 9, 10),
     "summary": "为重点项目和重大招商企业明确一名服务专员，规定首次联系、跟踪办理和回访的时限。",
     "body": "<p>服务专员在项目落地后三个工作日内首次联系企业，每月至少回访一次，企业诉求按办事服务的期限办结。</p>"},
    {"key": "talent2023", "title": "乌鲁木齐高新区（新市区）促进人才发展若干措施", "document_number": "乌高新管发〔2023〕8号",
     "issuer": ISSUER, "index_number": "11650100MB1234567X/2023-00008", "topic": Topic.TALENT,
     "written_on": dt.date(2023, 4, 10), "issued_on": dt.date(2023, 4, 18), "effective_on": dt.date(2023, 5, 1),
     "summary": "园区早期的人才支持措施，已由“十百千”人才引进实施办法替代。",
     "body": "<p>对在园区全职工作的高层次人才给予安家补贴和生活补贴。</p>",
     "validity": Validity.REPEALED, "superseded_by": "talent2026"},
    {"key": "rnd2024", "title": "关于开展2024年度科技型中小企业研发费用补助申报的通知", "document_number": "乌高新科发〔2024〕2号",
     "issuer": "乌鲁木齐高新区（新市区）科技局", "index_number": "11650100MB1234567X/2024-00102", "topic": Topic.SCIENCE,
     "written_on": dt.date(2024, 5, 6), "issued_on": dt.date(2024, 5, 8),
     "summary": "2024年度的申报通知，申报期已结束。", "body": "<p>申报时间为2024年5月10日至6月10日。</p>",
     "validity": Validity.EXPIRED},
)

AMENDMENTS = {"materials2024": "materials2026"}

INTERPRETATIONS = (
    {"document": "talent2026", "title": "一图读懂“十百千”人才引进实施办法：谁能申报、支持多少",
     "kind": InterpretationKind.TEXT, "interpreter": "乌鲁木齐高新区（新市区）人才工作领导小组办公室",
     "summary": "用问答的方式说明三个人才层次的条件和支持标准。",
     "body": "<p><strong>问：哪些人可以申报？</strong></p><p>答：与园区企业或科研机构签订三年以上劳动合同并全职在园区工作的人才。</p>"
             "<p><strong>问：原来的人才措施还有效吗？</strong></p><p>答：原措施自新办法施行之日起废止，已享受的支持按原规定执行完毕。</p>"},
    {"document": "materials2026", "title": "新材料产业政策修订的三个变化", "kind": InterpretationKind.TEXT,
     "interpreter": "乌鲁木齐高新区（新市区）经济发展局",
     "summary": "补助比例提高、新增新产品应用奖励、其余条款不变。",
     "body": "<p>这次修订把技术改造补助比例提高到百分之十，并把农用薄膜、青贮包膜等新产品纳入应用奖励。</p>"},
)


def _user(username, fallback):
    return User.objects.filter(username=username).first() or fallback


def _publish(item, *, by, **change):
    editorial.submit(item, by=_user("editor", by))
    editorial.approve(item, by=_user("reviewer", by), note="文号、日期和依据核对无误")
    editorial.approve(item, by=_user("publisher", by), note="同意发布", **change)  # 签发 publishes


@transaction.atomic
def load(*, by) -> None:
    editor = _user("editor", by)
    made = {}
    for spec in DOCUMENTS:
        existing = PolicyDocument._base_manager.filter(title=spec["title"]).first()
        if existing is not None:
            made[spec["key"]] = existing
            continue
        fields = {k: v for k, v in spec.items() if k not in ("key", "attachment", "superseded_by")}
        if spec.get("superseded_by"):
            fields["superseded_by"] = made[spec["superseded_by"]]
        m2m = {}
        if spec.get("attachment"):
            original = media.upload_attachment(
                SimpleUploadedFile(f"{spec['key']}.pdf", _pdf(spec["title"]), "application/pdf"),
                by=editor, title=f"{spec['title']}（原件）",
            )
            m2m["attachments"] = [original.pk]
        document = editorial.create_draft(PolicyDocument, by=editor, fields=fields, m2m=m2m)
        _publish(document, by=by)
        made[spec["key"]] = PolicyDocument._base_manager.get(pk=document.pk)
    for old, new in AMENDMENTS.items():  # an amendment is a reviewed revision of the old document
        document = made[old]
        if document.validity == Validity.AMENDED:
            continue
        editorial.save_draft(document, by=editor, fields={"validity": Validity.AMENDED, "superseded_by": made[new]},
                             summary="标注已修订")
        _publish(document, by=by, major=True, change_note="本文件已被修订，标注有效性并链接到修订文件。")
    for spec in INTERPRETATIONS:
        if PolicyInterpretation._base_manager.filter(title=spec["title"]).exists():
            continue
        fields = {k: v for k, v in spec.items() if k != "document"}
        fields["document"] = made[spec["document"]]
        _publish(editorial.create_draft(PolicyInterpretation, by=editor, fields=fields, children={"images": []}), by=by)
