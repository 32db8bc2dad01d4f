"""Demo column pages, written in our own words from the park facts, and taken
through the real workflow: the demo editor writes, reviewer and publisher approve,
a second publisher publishes."""

from django.db import transaction

from apps.accounts.models import User
from apps.core.models import IndustryCluster
from apps.editorial import actions

from .models import Page

PAGES = (
    {
        "slug": "overview",
        "title": "园区概况",
        "column_type": "概况信息",
        "summary": "乌鲁木齐高新区（新市区）的基本情况、产业布局和发展定位。",
        "keywords": "园区概况,国家级高新区,产业集群",
        "body": (
            "<p>乌鲁木齐高新技术产业开发区与新市区实行区政合一的管理体制，是新疆设立最早的国家级高新区。</p>"
            "<h2>发展水平</h2>"
            "<p>在2022年发布的全国园区高质量发展百强榜单中，园区位列第73位，是新疆唯一连续两年入选的园区。"
            "这份百强榜单共收录53家国家级高新区和47家国家级经济技术开发区；截至2021年，全国共有国家级高新区169家、国家级经开区230家。</p>"
            "<h2>产业布局</h2>"
            "<p>园区以现代服务业为支柱产业，重点培育生物医药与大健康、新一代信息技术、新材料三大主导产业。</p>"
        ),
        "clusters": ["modern-services", "biomedicine-health", "new-generation-it", "new-materials"],
        "links": [("企业名录", "/enterprises/"), ("办事服务", "/services/")],
    },
    {
        "slug": "functions",
        "title": "机构职能",
        "column_type": "机构职能",
        "summary": "管委会及各部门的主要职责。",
        "keywords": "机构职能,管委会",
        "body": (
            "<p>园区管理委员会负责园区的规划建设、产业促进、招商引资和企业服务等工作。</p>"
            "<ul><li>党政办公室：综合协调、政务公开和网站管理。</li>"
            "<li>政务服务中心：企业办事服务受理和“好差评”工作。</li>"
            "<li>人才工作部门：组织实施“十百千”人才引进计划和“天山火炬之星”青年人才计划。</li></ul>"
        ),
        "clusters": [],
        "links": [],
    },
    {
        "slug": "enterprise-service",
        "title": "“妈妈式”企业服务",
        "column_type": "办事服务",
        "summary": "重点项目和重大投资企业的专人联络服务。",
        "keywords": "企业服务,妈妈式服务,服务专员",
        "body": (
            "<p>园区对重点项目和重大投资企业实行“妈妈式”零距离服务：每家企业都有一名固定的服务专员，"
            "从项目落地到投产运营全程跟进，帮助企业协调解决审批、用工、融资等问题。</p>"
            "<p>企业可通过“办事服务”栏目在线提交诉求并查询办理进度，办结后可对服务进行评价。</p>"
        ),
        "clusters": ["modern-services"],
        "links": [("办事服务", "/services/")],
    },
)


def _user(username):
    return User.objects.get(username=username)


@transaction.atomic
def load(*, by) -> None:
    editor, reviewer = _user("editor"), _user("reviewer")
    publisher = _user("publisher")
    for spec in PAGES:
        if Page.objects.filter(slug=spec["slug"]).exists():
            continue
        clusters = list(IndustryCluster.objects.filter(slug__in=spec["clusters"]).values_list("pk", flat=True))
        page = actions.create_draft(
            Page,
            by=editor,
            fields={k: spec[k] for k in ("slug", "title", "column_type", "summary", "keywords", "body")},
            m2m={"clusters": clusters},
            children={"links": [{"position": i, "title": t, "url": u} for i, (t, u) in enumerate(spec["links"])]},
        )
        actions.submit(page, by=editor)
        actions.approve(page, by=reviewer, note="内容核对无误")
        actions.approve(page, by=publisher, note="同意发布")  # 签发 publishes
