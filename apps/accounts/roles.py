"""The roles of the portal, as Django groups with their permissions.

Each role is a group; sync_roles() creates the groups and sets exactly the
permissions listed here, idempotently. It runs after every migrate (so test
databases and fresh installs always have the groups) and from the
``setup_roles`` command. Permissions of apps that are not installed yet are
skipped, so later apps only add their codenames here.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Role:
    code: str
    group_name: str
    description: str
    is_staff: bool = True
    permissions: tuple[str, ...] = field(default_factory=tuple)


_VIEW_REFERENCE = ("core.view_industrycluster", "core.view_sitesettings", "core.view_workdayoverride",
                   "enterprises.view_qualificationkind", "enterprises.view_platformkind",
                   "talent.view_programmecategory", "stations.view_stationkind", "stations.view_stationservice",
                   "services.view_servicegroup")

# Content models published through the editorial workflow. Editors write them;
# reviewers and publishers read them (their decisions are workflow actions).
_CONTENT_MODELS = ("pages.page", "news.pressrelease", "enterprises.enterprise", "enterprises.platform",
                   "talent.talentprogramme", "stations.servicestation", "services.service",
                   "policies.policydocument", "policies.policyinterpretation", "interaction.consultation")


def _content(*actions: str) -> tuple[str, ...]:
    return tuple(
        f"{label.split('.')[0]}.{action}_{label.split('.')[1]}"
        for label in _CONTENT_MODELS
        for action in actions
    )


# The service desk reads the catalogue and works on requests through actions (apps.services.rules).
_SERVICE_DESK = ("services.view_service", "services.view_servicerequest", "services.change_servicerequest")
# The consultation desk (apps.interaction): accepts, routes and drafts replies, which are
# then reviewed and published through the editorial workflow.
_CONSULTATION_DESK = ("interaction.handle_message", "interaction.view_message", "interaction.add_consultation",
                      "interaction.change_consultation", "interaction.view_consultation")

_EDITORIAL_READ = (
    "editorial.view_revision", "editorial.view_reviewcomment", "editorial.view_changenote",
    "editorial.view_reviewbatch",
)
# Editors assemble review batches (e.g. from an import); the batch is reviewed like any item.
_BATCH_WRITE = ("editorial.add_reviewbatch", "editorial.change_reviewbatch")

EDITOR = "editor"
REVIEWER = "reviewer"
PUBLISHER = "publisher"
SERVICE_AGENT = "service_agent"
SERVICE_SUPERVISOR = "service_supervisor"
SITE_ADMIN = "site_admin"
ENTERPRISE = "enterprise"

ROLES: dict[str, Role] = {
    role.code: role
    for role in (
        Role(
            EDITOR,
            "编辑",
            _("撰写和修改稿件，提交审核（初审）"),
            permissions=_VIEW_REFERENCE + _EDITORIAL_READ + _BATCH_WRITE + _content("add", "change", "view")
            + ("enterprises.import_enterprise", "enterprises.import_platform", "enterprises.view_importjob")
            + tuple(f"media.{a}_{m}" for m in ("image", "video", "attachment") for a in ("add", "change", "view")),
        ),
        Role(
            REVIEWER,
            "审核",
            _("复审：核对事实、法律依据和格式"),
            permissions=_VIEW_REFERENCE + _EDITORIAL_READ + _content("view")
            + ("editorial.approve_retrospectively", "media.view_image", "media.view_video", "media.view_attachment"),
        ),
        Role(
            PUBLISHER,
            "签发",
            _("终审签发，对发布内容负责"),
            permissions=_VIEW_REFERENCE + _EDITORIAL_READ + _content("view") + (
                "media.view_image", "media.view_video", "media.view_attachment",
                "editorial.publish_content",
                "editorial.urgent_publish",
                "editorial.approve_retrospectively",
                "editorial.withdraw_content",
                "editorial.archive_content",
                "editorial.break_lock",
                "inspection.view_report", "inspection.view_wordingoverride",
            ),
        ),
        Role(
            SERVICE_AGENT,
            "服务专员",
            _("受理和办理企业服务诉求"),
            permissions=_VIEW_REFERENCE + _SERVICE_DESK + _CONSULTATION_DESK,
        ),
        Role(
            SERVICE_SUPERVISOR,
            "服务主管",
            _("分派诉求，跟进差评整改"),
            permissions=_VIEW_REFERENCE + _SERVICE_DESK + _CONSULTATION_DESK,
        ),
        Role(
            SITE_ADMIN,
            "站点管理员",
            _("维护网站设置、栏目、产业分类和用户账号"),
            permissions=(
                "core.view_sitesettings",
                "core.change_sitesettings",
                "core.add_sitesettings",
                "core.view_industrycluster",
                "core.add_industrycluster",
                "core.change_industrycluster",
                "core.view_auditentry",
                "core.view_workdayoverride",
                "core.add_workdayoverride",
                "core.change_workdayoverride",
                "core.delete_workdayoverride",
                "editorial.view_reviewchain",
                "editorial.add_reviewchain",
                "editorial.change_reviewchain",
                "editorial.view_reviewstep",
                "editorial.add_reviewstep",
                "editorial.change_reviewstep",
                "editorial.delete_reviewstep",
                "editorial.break_lock",
                "core.view_workerheartbeat",
                "enterprises.view_qualificationkind", "enterprises.add_qualificationkind",
                "enterprises.change_qualificationkind",
                "enterprises.view_platformkind", "enterprises.add_platformkind", "enterprises.change_platformkind",
                "talent.add_programmecategory", "talent.change_programmecategory",
                "stations.add_stationkind", "stations.change_stationkind",
                "stations.add_stationservice", "stations.change_stationservice",
                "services.add_servicegroup", "services.change_servicegroup",
                # The wording lists and the self-inspection report (apps.inspection).
                "inspection.view_wordingentry", "inspection.add_wordingentry", "inspection.change_wordingentry",
                "inspection.delete_wordingentry", "inspection.view_report", "inspection.view_linkcheck",
                "inspection.view_livewordinghit", "inspection.view_wordingoverride", "inspection.view_reportmail",
                # Holds the service desk's permissions so that it may grant the service roles
                # (a role is granted only by someone holding all of it; acting on requests is
                # decided by role membership in apps.services.rules, not by these).
                *_SERVICE_DESK,
                *_CONSULTATION_DESK,
                *_VIEW_REFERENCE,
                "enterprises.view_enterprisemembership", "enterprises.add_enterprisemembership",
                "enterprises.change_enterprisemembership", "enterprises.delete_enterprisemembership",
                "accounts.view_user",
                "accounts.add_user",
                "accounts.change_user",
                "auth.view_group",
                "django_celery_beat.view_periodictask",
                "django_celery_beat.change_periodictask",
                "axes.view_accessattempt",
                "axes.delete_accessattempt",
                "axes.view_accesslog",
            ),
        ),
        Role(
            ENTERPRISE,
            "企业用户",
            _("企业账号：提交服务诉求、评价服务、申请更新本企业信息"),
            is_staff=False,
        ),
    )
}


def sync_roles(using: str = "default") -> dict[str, int]:
    """Create every role's group and give it exactly its listed permissions."""
    from django.contrib.auth.models import Group, Permission

    counts = {}
    for role in ROLES.values():
        group, _created = Group.objects.using(using).get_or_create(name=role.group_name)
        wanted = set()
        for dotted in role.permissions:
            app_label, codename = dotted.split(".", 1)
            wanted.update(
                Permission.objects.using(using)
                .filter(content_type__app_label=app_label, codename=codename)
                .values_list("pk", flat=True)
            )
        group.permissions.set(wanted)
        counts[role.code] = len(wanted)
    return counts
