"""Demo service stations, in our own words from the park facts (DOMAIN.md), taken
through the real workflow (editor writes, reviewer and publisher approve, a second
publisher publishes). The mobile financial station's stops and the dated exceptions
are set relative to the day the demo is loaded. Idempotent: an existing station
(by name) is left alone."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.core.workdays import SHANGHAI
from apps.editorial import actions as editorial

from .models import ServiceStation, StationKind, StationService
from .seed import seed_lists

T = dt.time


def _weekdays(*intervals, days=range(5)):
    return [{"weekday": d, "opens": opens, "closes": closes} for d in days for opens, closes in intervals]


def _stations(today: dt.date):
    def day(n):
        return today + dt.timedelta(days=n)

    # The mobile station visits the commercial complex on Tuesdays and Thursdays.
    visits = [day(n) for n in range(0, 21) if day(n).weekday() in (1, 3)]
    return (
        {
            "name": "北园创业社区服务站", "kind": "创业社区服务站", "community": "北园社区",
            "address": "乌鲁木齐高新区（新市区）北园路示例大厦一层", "latitude": "43.872100", "longitude": "87.553400",
            "phone": "0991-0000010", "staff_contact": "创业服务专员 马老师",
            "services": ["创业指导", "政策咨询", "证照代办"],
            "description": "为社区内的创业者提供开业指导、政策解读和证照代办，每周组织一次创业沙龙。",
            "step_free_access": True, "accessible_parking": False,
            "accessibility_notes": "入口有坡道；大厦地下停车场前两小时免费。",
            "hours": _weekdays((T(10, 0), T(13, 30)), (T(15, 30), T(19, 0))),
            "exceptions": [{"date": day(9), "closed": True, "note": "开展消防安全检查，临时闭馆一天"}],
        },
        {
            "name": "创业社区金融流动服务站", "kind": "金融流动服务站", "community": "南湖社区",
            "address": "乌鲁木齐高新区（新市区）示例商业综合体一层服务台旁", "latitude": "43.861500", "longitude": "87.571200",
            "phone": "0991-0000011", "staff_contact": "金融顾问 周老师",
            "services": ["融资对接", "政策咨询"],
            "description": "金融机构的顾问按日程驻点商业综合体，向小微商户讲解信用贷款、创业担保贷款等融资渠道，帮助准备申请材料。",
            "step_free_access": True, "accessible_parking": True, "accessibility_notes": "商业综合体设无障碍电梯和停车位。",
            "is_mobile": True, "hours": [],
            "stops": [{"date": d, "opens": T(11, 0), "closes": T(18, 0), "place": "示例商业综合体一层",
                       "address": "乌鲁木齐高新区（新市区）示例商业综合体"} for d in visits],
        },
        {
            "name": "“丝路之星”人才驿站", "kind": "人才驿站", "community": "丝路社区",
            "address": "乌鲁木齐高新区（新市区）“丝路之星”国际人力资源服务产业园一楼", "latitude": "43.868800", "longitude": "87.560900",
            "phone": "0991-0000012", "staff_contact": "人才服务窗口",
            "services": ["人力资源", "政策咨询", "社保医保"],
            "description": "设在新疆首个人力资源服务产业园内，提供求职登记、招聘对接、人才测评预约和人才项目申报咨询。",
            "step_free_access": True, "accessible_parking": True, "accessibility_notes": "",
            "hours": _weekdays((T(10, 0), T(19, 0))) + _weekdays((T(11, 0), T(17, 0)), days=[5]),
            "exceptions": [{"date": day(4), "closed": False, "opens": T(10, 0), "closes": T(21, 0),
                            "note": "专场招聘会，延时服务至21:00"}],
        },
        {
            "name": "软件园政务服务点", "kind": "政务服务点", "community": "软件园社区",
            "address": "乌鲁木齐高新区（新市区）软件园示例楼二层", "latitude": "", "longitude": "",
            "phone": "0991-0000013", "staff_contact": "",
            "services": ["证照代办", "社保医保", "政策咨询"],
            "description": "为园区企业办理营业执照变更、社保登记等常见事项的代办和咨询。",
            "step_free_access": False, "accessible_parking": False, "accessibility_notes": "二楼，暂无电梯；可电话预约在一楼大厅办理。",
            "hours": _weekdays((T(10, 0), T(14, 0)), (T(15, 30), T(19, 30))),
        },
    )


def _user(username):
    return User.objects.filter(username=username).first()


@transaction.atomic
def load(*, by) -> None:
    seed_lists(StationKind, StationService)
    editor = _user("editor") or by
    services = {s.name: s.pk for s in StationService.objects.all()}
    for spec in _stations(timezone.localdate(timezone.now(), SHANGHAI)):
        if ServiceStation._base_manager.filter(name=spec["name"]).exists():
            continue
        fields = {k: v for k, v in spec.items() if k not in ("kind", "services", "hours", "exceptions", "stops")}
        fields["kind"] = StationKind.objects.get(name=spec["kind"])
        for key in ("latitude", "longitude"):
            fields[key] = fields[key] or None
        station = editorial.create_draft(
            ServiceStation, by=editor, fields=fields, m2m={"services": [services[name] for name in spec["services"]]},
            children={"hours": spec["hours"], "exceptions": spec.get("exceptions", []), "stops": spec.get("stops", [])},
        )
        editorial.submit(station, by=editor)
        editorial.approve(station, by=_user("reviewer") or by, note="地址和开放时间核对无误")
        editorial.approve(station, by=_user("publisher") or by, note="同意发布")  # 签发 publishes
