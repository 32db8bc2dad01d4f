"""Factories for the service desk: a published catalogue, enterprise accounts,
staff in each role, and requests in every state built through the real actions."""

import io

import pytest

from apps.editorial import actions as editorial
from apps.services import actions
from apps.services.models import Service, ServiceGroup
from tests.editorial.conftest import people, refresh  # noqa: F401
from tests.enterprises.conftest import enterprises, kinds  # noqa: F401

DEPARTMENT = "园区政务服务中心"
OTHER_DEPARTMENT = "人才工作办公室"

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="营业执照.pdf", data=PDF):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="application/pdf")


def publish(item, people):
    editorial.submit(item, by=people.editor)
    editorial.approve(item, by=people.reviewer)
    editorial.approve(item, by=people.publisher, publish=False)
    editorial.publish(item, by=people.publisher2)
    return refresh(item)


@pytest.fixture
def catalogue(people):
    group, _ = ServiceGroup.objects.get_or_create(code="startup", defaults={"name": "企业开办与变更", "position": 1})

    def make(code="address-change", *, online=True, deadline_days=5, department=DEPARTMENT, attributes=None,
             materials=None, publish_it=True):
        fields = {"code": code, "name": f"事项{code}", "group": group, "description": "说明", "department": department,
                  "deadline_days": deadline_days, "online": online}
        children = {
            "attribute_definitions": attributes if attributes is not None else [
                {"position": 0, "code": "employees", "label": "员工人数", "datatype": "number", "required": True},
                {"position": 1, "code": "kind", "label": "企业类型", "datatype": "single", "required": False,
                 "choices": "有限责任公司\n股份有限公司"},
                {"position": 2, "code": "scopes", "label": "变更内容", "datatype": "multiple", "choices": "地址\n名称\n经营范围"},
                {"position": 3, "code": "start", "label": "开始日期", "datatype": "date"},
                {"position": 4, "code": "foreign", "label": "是否外资", "datatype": "yes_no"},
            ],
            "materials": materials if materials is not None else [
                {"position": 0, "name": "营业执照副本", "required": True, "file_types": "PDF"},
            ],
        }
        item = editorial.create_draft(Service, by=people.editor, fields=fields, children=children)
        return publish(item, people) if publish_it else item

    make.group = group
    return make


@pytest.fixture
def desk(people, enterprises, make_user, catalogue):
    from apps.enterprises.models import EnterpriseMembership

    class Desk:
        enterprise = enterprises.draft(name="新疆天山薄膜科技有限公司")
        other_enterprise = enterprises.draft(name="乌鲁木齐丝路人力资源服务有限公司")
        user = make_user("ent", roles=["enterprise"], email="ent@example.com")
        colleague = make_user("ent-colleague", roles=["enterprise"], email="colleague@example.com")
        other_user = make_user("other-ent", roles=["enterprise"], email="other@example.com")
        agent = make_user("agent-1", roles=["service_agent"], department=DEPARTMENT, email="agent1@example.gov.cn")
        other_agent = make_user("agent-2", roles=["service_agent"], department=OTHER_DEPARTMENT, email="agent2@example.gov.cn")
        supervisor = make_user("supervisor", roles=["service_supervisor"], email="boss@example.gov.cn")
        editor = people.editor
        service = catalogue()

    EnterpriseMembership.objects.create(user=Desk.user, enterprise=Desk.enterprise)
    EnterpriseMembership.objects.create(user=Desk.colleague, enterprise=Desk.enterprise)
    EnterpriseMembership.objects.create(user=Desk.other_user, enterprise=Desk.other_enterprise)
    return Desk


def valid_submission(desk, **over):
    data = {
        "contact_name": "王经理", "contact_phone": "13800138000", "description": "公司拟将注册地址变更至高新区。",
        "attributes": {"employees": "35", "kind": "有限责任公司", "scopes": ["地址"], "start": "2026-03-01",
                       "foreign": "no"},
        "materials": {desk.service.materials.get().pk: [pdf()]},
    }
    data.update(over)
    return data


@pytest.fixture
def requests_(desk):
    """Requests in a given state, through the actions."""

    class Requests:
        @staticmethod
        def submitted(**over):
            return actions.submit_request(desk.service, by=desk.user, **valid_submission(desk, **over))

        @classmethod
        def accepted(cls, **over):
            return actions.accept(cls.submitted(**over), by=desk.agent, public_note="已受理", internal_note="材料齐全")

        @classmethod
        def in_progress(cls, **over):
            return actions.start(cls.accepted(**over), by=desk.agent)

        @classmethod
        def waiting(cls, **over):
            return actions.request_supplement(cls.in_progress(**over), by=desk.agent, public_note="请补充租赁合同",
                                              internal_note="内部：核实房产证")

        @classmethod
        def resolved(cls, **over):
            return actions.resolve(cls.in_progress(**over), by=desk.agent, public_note="已办结",
                                   internal_note="内部：已电话回访")

    return Requests


__all__ = ["io"]
