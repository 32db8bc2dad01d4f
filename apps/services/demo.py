"""Demo catalogue and requests (idempotent: a second run changes nothing).

A dozen services in three groups, published through the editorial workflow,
and the demo enterprise account's requests in every state, one of them overdue
and one waiting for the requester (补正).
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from apps.editorial import actions as editorial

from . import actions
from .models import Service, ServiceGroup, ServiceRequest, State

CENTRE = "政务服务中心"
TALENT = "人才工作办公室"
SCIENCE = "科技创新局"

GROUPS = (("startup", "企业开办与变更", 1), ("talent", "人才与社保", 2), ("innovation", "科技创新与政策兑现", 3))

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

LICENCE = {"name": "营业执照副本", "required": True, "file_types": "PDF、OFD、图片"}
ID_CARD = {"name": "法定代表人身份证明", "required": True, "file_types": "PDF、图片"}

SERVICES = (
    ("startup", "company-setup", "企业设立登记", CENTRE, 3, [
        {"name": "公司章程", "required": True, "file_types": "PDF、OFD、Word"}, ID_CARD,
        {"name": "住所使用证明", "required": True, "file_types": "PDF、图片"}],
     [("company_type", "企业类型", "single", True, "有限责任公司\n股份有限公司\n个人独资企业\n合伙企业"),
      ("capital", "注册资本（万元）", "number", True, ""), ("address", "住所", "text", True, "")]),
    ("startup", "address-change", "企业住所变更登记", CENTRE, 3, [LICENCE,
        {"name": "新住所使用证明", "required": True, "file_types": "PDF、图片"}],
     [("new_address", "新住所", "text", True, ""), ("move_date", "拟迁入日期", "date", False, "")]),
    ("startup", "scope-change", "经营范围变更登记", CENTRE, 3, [LICENCE,
        {"name": "股东会决议", "required": True, "file_types": "PDF、OFD"}],
     [("scope", "变更后的经营范围", "long_text", True, ""), ("licensed", "是否涉及许可经营项目", "yes_no", True, "")]),
    ("startup", "seal-engraving", "公章刻制备案", CENTRE, 1, [LICENCE],
     [("seals", "需刻制的印章", "multiple", True, "公章\n财务专用章\n发票专用章\n合同专用章")]),
    ("talent", "talent-housing", "人才公寓入住申请", TALENT, 10, [
        {"name": "劳动合同", "required": True, "file_types": "PDF"},
        {"name": "学历学位证书", "required": True, "file_types": "PDF、图片"}],
     [("applicant", "申请人姓名", "text", True, ""), ("degree", "最高学历", "single", True, "博士\n硕士\n本科"),
      ("family", "随迁家属人数", "number", False, "")]),
    ("talent", "tianshan-torch", "“天山火炬之星”青年人才申报", TALENT, 15, [
        {"name": "申报书", "required": True, "file_types": "PDF、Word"},
        {"name": "业绩证明材料", "required": False, "file_types": "PDF"}],
     [("field", "所属领域", "single", True, "生物医药与大健康\n新一代信息技术\n新材料\n现代服务业"),
      ("age", "申报人年龄", "number", True, "")]),
    ("talent", "social-insurance", "企业社会保险登记", CENTRE, 5, [LICENCE],
     [("employees", "参保职工人数", "number", True, ""), ("start", "参保起始月份", "date", True, "")]),
    ("talent", "postdoc-station", "博士后科研工作站设站申请", TALENT, 20, [
        {"name": "设站申请表", "required": True, "file_types": "PDF、Word"}],
     [("partner", "合作高校或科研院所", "text", True, ""), ("mentors", "合作导师人数", "number", True, "")]),
    ("innovation", "hitech-recognition", "高新技术企业认定辅导", SCIENCE, 10, [
        {"name": "近三年财务审计报告", "required": True, "file_types": "PDF"},
        {"name": "知识产权证明", "required": True, "file_types": "PDF"}],
     [("rd_ratio", "研发费用占比（%）", "number", True, ""), ("ip_count", "Ⅰ类知识产权数量", "number", True, "")]),
    ("innovation", "rd-subsidy", "研发费用补助兑现", SCIENCE, 15, [
        {"name": "研发费用专项审计报告", "required": True, "file_types": "PDF"}],
     [("amount", "申请补助金额（万元）", "number", True, ""), ("year", "所属年度", "single", True, "2024\n2025")]),
    ("innovation", "sme-evaluation", "科技型中小企业评价", SCIENCE, 5, [LICENCE],
     [("staff", "科技人员人数", "number", True, "")]),
    ("innovation", "incubator-entry", "孵化器入驻申请", SCIENCE, 10, [
        {"name": "商业计划书", "required": True, "file_types": "PDF、Word"}],
     [("area", "需求面积（平方米）", "number", True, ""), ("cluster", "所属产业", "single", True,
      "生物医药与大健康\n新一代信息技术\n新材料\n现代服务业"), ("plan", "项目简介", "long_text", False, "")]),
)


def _user(username):
    return get_user_model().objects.filter(username=username).first()


def _publish(item):
    editorial.submit(item, by=_user("editor"))
    editorial.approve(item, by=_user("reviewer"), note="指南内容核对无误")
    editorial.approve(item, by=_user("publisher"), note="同意发布")  # 签发 publishes


def _catalogue(by):
    groups = {}
    for code, name, position in GROUPS:
        groups[code], _ = ServiceGroup.objects.get_or_create(code=code, defaults={"name": name, "position": position})
    for position, (group, code, name, department, days, materials, attributes) in enumerate(SERVICES):
        if Service._base_manager.filter(code=code).exists():
            continue
        fields = {
            "code": code, "name": name, "group": groups[group], "position": position, "department": department,
            "deadline_days": days, "fees": "免费", "online": True, "keywords": name,
            "description": f"{name}：企业可在线提交申请，{department}自受理之日起 {days} 个工作日内办结。",
            "eligibility": "在乌鲁木齐高新区（新市区）依法登记注册的企业。",
            "legal_basis": "《优化营商环境条例》及自治区、乌鲁木齐市有关规定。",
        }
        children = {
            "materials": [{"position": i, **m} for i, m in enumerate(materials)],
            "attribute_definitions": [
                {"position": i, "code": c, "label": label, "datatype": kind, "required": req, "choices": choices}
                for i, (c, label, kind, req, choices) in enumerate(attributes)
            ],
        }
        _publish(editorial.create_draft(Service, by=_user("editor") or by, fields=fields, children=children))


def _pdf(name):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _values(service) -> dict:
    values = {}
    for d in service.attribute_definitions.all():
        if d.datatype == "number":
            values[d.code] = "12"
        elif d.datatype == "date":
            values[d.code] = "2026-03-02"
        elif d.datatype == "single":
            values[d.code] = d.choice_list[0]
        elif d.datatype == "multiple":
            values[d.code] = d.choice_list[:2]
        elif d.datatype == "yes_no":
            values[d.code] = "no"
        else:
            values[d.code] = "示例内容"
    return values


#: (service, description, the steps that bring it to its state)
REQUESTS = (
    ("seal-engraving", "申请刻制公章和发票专用章。", ()),
    ("address-change", "公司拟迁入高新区软件园，申请办理住所变更。", ("accept",)),
    ("social-insurance", "新招录 12 名员工，申请办理社会保险登记。", ("accept", "start")),
    ("scope-change", "增加新材料技术研发，申请变更经营范围。", ("accept", "start", "supplement")),
    ("company-setup", "设立全资子公司，从事农用薄膜销售。", ("accept", "start", "resolve", "rate_good")),
    ("sme-evaluation", "申请 2026 年度科技型中小企业评价。", ("accept", "start", "resolve", "close", "rate_bad")),
    ("rd-subsidy", "申请 2025 年度研发费用补助。", ("reject",)),
    ("sme-evaluation", "再次申请科技型中小企业评价（误重复提交）。", ("duplicate",)),
    ("talent-housing", "为新引进博士申请人才公寓。", ("refer",)),
    ("incubator-entry", "申请入驻孵化器（已另行线下办理）。", ("withdraw",)),
    ("hitech-recognition", "申请高新技术企业认定辅导（已超期示例）。", ("accept", "start", "overdue")),
)


def _advance(request, steps, agent, supervisor, user):
    if steps and steps[0] not in ("withdraw", "refer"):
        actions.assign(request, by=supervisor, to=agent)
    for step in steps:
        if step == "accept":
            actions.accept(request, by=agent, public_note="材料齐全，予以受理。", internal_note="已电话联系企业确认。")
        elif step == "start":
            actions.start(request, by=agent, public_note="正在审核材料。")
        elif step == "supplement":
            actions.request_supplement(request, by=agent, public_note="请补充股东会决议的签字页扫描件。",
                                       internal_note="决议缺少一名股东签字。")
        elif step == "resolve":
            actions.resolve(request, by=agent, public_note="已办结，请到政务服务中心 3 号窗口领取证照。",
                            internal_note="证照已打印。")
        elif step == "close":
            actions.close(request, by=agent)
        elif step == "reject":
            actions.reject(request, by=agent, public_note="2025 年度补助申报已截止，请关注下一年度申报通知。")
        elif step == "duplicate":
            original = ServiceRequest.objects.filter(description__startswith="申请 2026 年度科技型中小企业评价").first()
            actions.mark_duplicate(request, by=agent, original=original)
        elif step == "refer":
            actions.refer(request, by=supervisor, department="人才工作办公室人才服务窗口")
        elif step == "withdraw":
            actions.withdraw(request, by=user)
        elif step == "rate_good":
            actions.rate(request, by=user, score=5, efficiency=5, attitude=5, comment="窗口一次办结，效率很高。")
        elif step == "rate_bad":
            # 差评: the case is opened, the supervisor calls back; the agent appeals (pending).
            rating = actions.rate(request, by=user, score=2, guide_accuracy=2,
                                  comment="办事指南没有写明需要财务报表，来回跑了两次。")
            actions.verify(rating.rectification, by=supervisor,
                           finding="电话回访属实：指南漏列近一年财务报表，企业因此补交一次。")
            actions.file_appeal(rating, by=agent, reason="示例：企业补交材料系自身原因（演示申诉，待督办裁定）。")
        elif step == "overdue":
            # Demo only: backdate the acceptance so that the desk shows an overdue request.
            accepted = timezone.now() - dt.timedelta(days=30)
            ServiceRequest.objects.filter(pk=request.pk).update(accepted_at=accepted,
                                                                due_date=(accepted + dt.timedelta(days=14)).date())


@transaction.atomic
def load(*, by) -> None:
    _catalogue(by)
    user, agent, supervisor = _user("enterprise"), _user("agent"), _user("supervisor")
    if user is None or agent is None or supervisor is None or not hasattr(user, "enterprise_membership"):
        return
    for code, description, steps in REQUESTS:
        if ServiceRequest.objects.filter(description=description).exists():
            continue
        service = Service.objects.get(code=code)
        materials = {m.pk: [_pdf(f"{m.name}.pdf")] for m in service.materials.all() if m.required}
        request = actions.submit_request(
            service, by=user, contact_name="周经理", contact_phone="13899887766", description=description,
            attributes=_values(service), materials=materials,
        )
        _advance(request, steps, agent, supervisor, user)


__all__ = ["State"]
