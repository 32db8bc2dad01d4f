"""Demo talent programmes, in our own words from the park facts (DOMAIN.md), taken
through the real workflow: the demo editor writes, the reviewer and a publisher
approve, a second publisher publishes. The 天山火炬之星 programme has one round
open, one upcoming and one closed (dates relative to the day the demo is loaded);
十百千 has a round closing soon; the 丝路之星 talent services accept all year.
Idempotent: an existing programme (by name) is left alone."""

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image as PILImage
from PIL import ImageDraw

from apps.accounts.models import User
from apps.core.workdays import SHANGHAI
from apps.editorial import actions as editorial
from apps.media import actions as media

from .models import ProgrammeCategory, TalentProgramme
from .seed import seed_categories

DEPARTMENT = "乌鲁木齐高新区（新市区）人才工作领导小组办公室"


def _at(days: int, hour: int, minute: int = 0) -> dt.datetime:
    """A Beijing time ``days`` from today."""
    day = timezone.localdate(timezone.now(), SHANGHAI) + dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=SHANGHAI)


def _programmes():
    year = timezone.localdate(timezone.now(), SHANGHAI).year
    return (
        {
            "name": "“十百千”人才引进计划", "short_name": "十百千", "category": "引进",
            "summary": "面向园区重点产业引进领军人才、高层次人才和急需紧缺的专业技术人才，分层次给予安家和项目支持。",
            "eligibility": "<p>与园区企业、科研机构签订三年以上劳动合同并全职在园区工作的人才，按照“十名领军人才、"
                           "百名高层次人才、千名骨干人才”三个层次申报。重点支持现代服务业和生物医药与大健康、"
                           "新一代信息技术、新材料三大主导产业。</p>",
            "benefits": "<ul><li>领军人才：安家补贴最高 100 万元，项目资助最高 300 万元；</li>"
                        "<li>高层次人才：安家补贴最高 30 万元；</li>"
                        "<li>骨干人才：每月生活补贴 2000 元，连续发放三年。</li></ul>"
                        "<p>入选人才可享受子女入学、医疗保障等“妈妈式”服务，由专人联络办理。</p>",
            "how_to_apply": "<p>由用人单位统一在申报期内提交材料，园区人才办初审后组织专家评审，结果在本网站公示。</p>",
            "contact_phone": "0991-0000000", "contact_email": "rencai@example.gov.cn",
            "contact_address": "乌鲁木齐高新区（新市区）政务服务中心二楼人才服务窗口",
            "office_hours": "工作日 10:00-13:30、15:30-19:00（北京时间）",
            "materials": [("申报书", "用人单位盖章", True), ("劳动合同复印件", "", False), ("学历学位和职称证明", "", False)],
            "rounds": [
                {"title": f"{year}年度第二批", "opens_at": _at(-25, 9, 30), "closes_at": _at(5, 19, 0), "quota": 120},
            ],
        },
        {
            "name": "“天山火炬之星”青年人才计划", "short_name": "天山火炬之星", "category": "青年",
            "summary": "支持35岁以下青年科技人才在园区创新创业，给予科研启动经费和成长培养。",
            "eligibility": "<p>申报当年年龄不超过35周岁，在园区企业或平台载体全职从事研发、技术转化或创业的青年人才；"
                           "园区区域人才管理改革试验区内的企业优先。</p>",
            "benefits": "<ul><li>科研启动经费 10 万元至 30 万元；</li><li>配备企业导师，优先推荐参加各级人才项目评选；</li>"
                        "<li>入驻园区孵化载体的，减免一年场地租金。</li></ul>",
            "how_to_apply": "<p>个人在线填写申报书，经所在单位同意后提交园区人才办。</p>",
            "contact_phone": "0991-0000001", "contact_email": "qingnian@example.gov.cn",
            "contact_address": "乌鲁木齐高新区（新市区）政务服务中心二楼人才服务窗口",
            "office_hours": "工作日 10:00-13:30、15:30-19:00（北京时间）",
            "materials": [("青年人才申报书", "", True), ("身份证明", "", False), ("研发成果或项目计划书", "", False)],
            "rounds": [
                {"title": f"{year - 1}年度", "opens_at": _at(-400, 9, 30), "closes_at": _at(-340, 19, 0), "quota": 50},
                {"title": f"{year}年度第一批", "opens_at": _at(-10, 9, 30), "closes_at": _at(40, 19, 0), "quota": 60},
                {"title": f"{year}年度第二批", "opens_at": _at(90, 9, 30), "closes_at": _at(130, 19, 0), "quota": 60},
            ],
        },
        {
            "name": "“丝路之星”人才服务", "short_name": "丝路之星人才服务", "category": "培育",
            "summary": "依托新疆首个人力资源服务产业园，为园区企业和人才提供招聘对接、人才测评和职业指导。",
            "eligibility": "<p>园区企业和在园区求职、就业的各类人才。</p>",
            "benefits": "<p>免费参加专场招聘会；人才测评和职业规划咨询；企业可申请人力资源外包服务费用补贴。</p>",
            "how_to_apply": "<p>到“丝路之星”国际人力资源服务产业园人才驿站现场办理，或电话预约。</p>",
            "contact_phone": "0991-0000002", "contact_address": "“丝路之星”国际人力资源服务产业园一楼人才驿站",
            "office_hours": "工作日 10:00-19:00（北京时间）",
            "materials": [("身份证明", "", False)],
            "rounds": [{"title": "常年受理", "always_open": True}],
        },
    )


def template_file(title: str) -> bytes:
    """A one-page PDF (drawn with Pillow) standing in for a form template."""
    page = PILImage.new("RGB", (1240, 1754), "white")
    draw = ImageDraw.Draw(page)
    draw.rectangle((80, 80, 1160, 1674), outline="black", width=4)
    for y in range(300, 1600, 120):
        draw.line((140, y, 1100, y), fill="black", width=2)
    out = io.BytesIO()
    page.save(out, "PDF", title=title)
    return out.getvalue()


def _user(username):
    return User.objects.filter(username=username).first()


@transaction.atomic
def load(*, by) -> None:
    seed_categories(ProgrammeCategory)
    editor = _user("editor") or by
    for spec in _programmes():
        if TalentProgramme._base_manager.filter(name=spec["name"]).exists():
            continue
        materials = []
        for position, (name, note, has_template) in enumerate(spec["materials"]):
            template = None
            if has_template:
                template = media.upload_attachment(
                    SimpleUploadedFile(f"{spec['short_name']}-{name}.pdf", template_file(name), "application/pdf"),
                    by=editor, title=f"{spec['short_name']}{name}模板",
                )
            materials.append({"position": position, "name": name, "note": note, "template": template})
        fields = {key: value for key, value in spec.items() if key not in ("materials", "rounds", "category")}
        fields["category"] = ProgrammeCategory.objects.get(name=spec["category"])
        fields["department"] = DEPARTMENT
        programme = editorial.create_draft(
            TalentProgramme, by=editor, fields=fields, children={"rounds": spec["rounds"], "materials": materials},
        )
        editorial.submit(programme, by=editor)
        editorial.approve(programme, by=_user("reviewer") or by, note="内容和日期核对无误")
        editorial.approve(programme, by=_user("publisher") or by, note="同意发布")  # 签发 publishes
