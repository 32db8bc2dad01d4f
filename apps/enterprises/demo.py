"""Demo enterprises and platforms, written in our own words from the park facts
(docs: DOMAIN.md), with generated valid credit codes, taken through the real
workflow: the demo editor writes, the reviewer and a publisher approve, a
second publisher publishes. Idempotent: existing entries are left alone."""

import datetime as dt
from decimal import Decimal

from django.db import transaction

from apps.accounts.models import User
from apps.core.credit_code import compute_check_char
from apps.core.models import IndustryCluster
from apps.core.seed import seed_clusters
from apps.editorial import actions as editorial

from . import actions
from .models import Enterprise, EnterpriseMembership, Platform, PlatformKind, QualificationKind
from .seed import seed_kinds


def _code(org: str) -> str:
    body = "91650104" + org  # 650104: Xinshi District, Urumqi
    return body + compute_check_char(body)


ENTERPRISES = (
    {
        "name": "新疆绿洲膜业新材料有限公司", "short_name": "绿洲膜业", "org": "MA0FLM001", "cluster": "new-materials",
        "founded_on": dt.date(2006, 4, 18), "registered_capital": Decimal("8600"), "headcount": "300-999",
        "address": "乌鲁木齐高新区（新市区）示例工业园一路8号",
        "description": "专注功能性薄膜的研发和生产，产品覆盖农用棚膜、热收缩包装膜和青贮包膜，"
                       "建有五层共挤吹膜生产线，为新疆农牧业和包装行业提供本地化的膜材料。",
        "main_products": "农用棚膜、热收缩膜、青贮包膜（牧草裹包膜）、五层共挤功能膜",
        "qualifications": ["国家高新技术企业", "专精特新“小巨人”企业"], "representative": True, "member": "enterprise",
    },
    {
        "name": "新疆天山清洁能源股份有限公司", "short_name": "天山清能", "org": "MA0ENG002", "cluster": None,
        "founded_on": dt.date(2003, 9, 1), "registered_capital": Decimal("52000"), "headcount": "1000+",
        "address": "乌鲁木齐高新区（新市区）示例大道166号",
        "description": "从事清洁能源开发和综合利用，企业设有国家级博士后科研工作站，与高校联合培养博士后研究人员，"
                       "开展能源高效利用方面的技术攻关。",
        "main_products": "清洁能源供应、能源综合利用技术服务",
        "qualifications": ["国家高新技术企业"], "key_project": True,
    },
    {
        "name": "乌鲁木齐云岭软件有限公司", "short_name": "云岭软件", "org": "MA0YL0003", "cluster": "new-generation-it",
        "founded_on": dt.date(2015, 3, 10), "registered_capital": Decimal("1200"), "headcount": "100-299",
        "address": "乌鲁木齐高新区（新市区）软件园示例楼5层",
        "description": "为政府和企业提供数字化应用开发、数据服务和信息系统运维。",
        "main_products": "政务服务平台、数据治理工具、系统运维服务",
        "qualifications": ["科技型中小企业", "国家高新技术企业"],
    },
    {
        "name": "新疆博格达生物医药有限公司", "short_name": "博格达生物", "org": "MA0BGD004", "cluster": "biomedicine-health",
        "founded_on": dt.date(2012, 7, 6), "registered_capital": Decimal("3500"), "headcount": "100-299",
        "address": "乌鲁木齐高新区（新市区）生物医药创新创业园示例3号楼",
        "description": "入驻园区生物医药创新创业园，研发和生产体外诊断试剂，并提供健康检测服务。",
        "main_products": "体外诊断试剂、健康检测服务",
        "qualifications": ["国家高新技术企业", "瞪羚企业"], "representative": True,
    },
    {
        "name": "新疆丝路之星人力资源服务有限公司", "short_name": "丝路之星人力", "org": "MA0HR0005", "cluster": "modern-services",
        "founded_on": dt.date(2018, 11, 20), "registered_capital": Decimal("2000"), "headcount": "20-99",
        "address": "乌鲁木齐高新区（新市区）示例路丝路之星产业园",
        "description": "负责运营“丝路之星”国际人力资源服务产业园，为园区企业提供招聘、人才测评和人力资源外包服务。",
        "main_products": "人才招聘、人力资源外包、人才测评",
        "qualifications": [], "representative": True,
    },
)

PLATFORMS = (
    {
        "name": "生物医药创新创业园", "kind": "产业园", "level": "", "host": None,
        "description": "园区生物医药与大健康产业的集聚载体，为研发型企业提供实验、中试和生产空间及配套服务。",
    },
    {
        "name": "“丝路之星”国际人力资源服务产业园", "kind": "人力资源服务产业园", "level": "",
        "host": "新疆丝路之星人力资源服务有限公司",
        "description": "新疆首个人力资源服务产业园，集聚招聘、培训、测评等人力资源服务机构，服务园区企业用工和人才引进。",
    },
    {
        "name": "新疆天山清洁能源股份有限公司博士后科研工作站", "kind": "博士后科研工作站", "level": "national",
        "host": "新疆天山清洁能源股份有限公司", "established_on": dt.date(2016, 10, 1),
        "description": "国家级博士后科研工作站，围绕清洁能源高效利用开展博士后研究和人才培养。",
    },
)


def _user(username):
    return User.objects.filter(username=username).first()


def _publish(item, *, editor, reviewer, publisher, publisher2):
    editorial.submit(item, by=editor)
    editorial.approve(item, by=reviewer, note="信息核对无误")
    editorial.approve(item, by=publisher, note="同意发布")  # 签发 publishes


@transaction.atomic
def load(*, by) -> None:
    seed_clusters(IndustryCluster)
    seed_kinds(QualificationKind, PlatformKind)
    people = {
        "editor": _user("editor"), "reviewer": _user("reviewer"),
        "publisher": _user("publisher"), "publisher2": _user("publisher2") or _user("publisher"),
    }
    liaison = _user("agent") or by
    kinds = {k.name: k for k in QualificationKind.objects.all()}
    for spec in ENTERPRISES:
        code = _code(spec["org"])
        item = Enterprise.objects.filter(credit_code=code).first()
        if item is None:
            fields = {
                key: spec[key] for key in
                ("name", "short_name", "founded_on", "registered_capital", "headcount", "address", "description", "main_products")
            }
            fields.update(
                credit_code=code,
                cluster=IndustryCluster.objects.filter(slug=spec["cluster"]).first() if spec["cluster"] else None,
                is_representative=spec.get("representative", False),
                is_key_project=spec.get("key_project", False),
                service_liaison=liaison if spec.get("key_project") else None,
            )
            item = actions.create_enterprise(
                by=people["editor"], fields=fields,
                qualifications=[{"kind": kinds[name]} for name in spec["qualifications"]],
            )
            _publish(item, **people)
        member = _user(spec.get("member") or "")
        if member is not None and not EnterpriseMembership.objects.filter(user=member).exists():
            actions.link_enterprise_user(member, item, by=by)
    for spec in PLATFORMS:
        if Platform.objects.filter(name=spec["name"]).exists():
            continue
        host = Enterprise.objects.filter(name=spec["host"]).first() if spec["host"] else None
        platform = actions.create_platform(by=people["editor"], fields={
            "name": spec["name"], "kind": PlatformKind.objects.get(name=spec["kind"]), "level": spec["level"],
            "host": host, "established_on": spec.get("established_on"), "description": spec["description"],
        })
        _publish(platform, **people)
