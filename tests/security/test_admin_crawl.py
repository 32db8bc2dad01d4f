"""The admin crawl (issue 10, "the harness"): every admin list, add, change, delete,
history and custom URL of every registered model, plus the site's own admin URLs, as
every role (view-only roles included) and a superuser, with GET, GET with garbage
parameters and POST with garbage: no response may be a 500.

The URLs are not listed by hand: they come from ``admin.site._registry`` and each
ModelAdmin's ``get_urls()``, so a new model or custom view is crawled without editing
this file; a URL whose arguments the crawl cannot fill fails the test. Each POST runs
in a savepoint that is rolled back, so the garbage (a confirmed delete included) never
changes what the next request sees.
"""

import time
from urllib.parse import quote

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, reverse

from apps.accounts.models import User
from apps.accounts.roles import ROLES, SITE_ADMIN

WORKFLOW_CODES = (
    "submit", "approve", "request_changes", "publish", "schedule", "urgent_publish",
    "approve_retrospectively", "withdraw", "unpublish", "archive", "lock", "unlock", "no-such-action",
)

# Query strings a changelist or a form may be fed from outside.
GARBAGE_QUERY = {
    "q": "<script>alert(1)</script>' OR 1=1 --", "o": "-99.abc", "p": "-1", "all": "yes", "e": "1",
    "_changelist_filters": "status=%FF%FE", "_popup": "2", "_to_field": "password", "id__in": "1,abc",
    "status__exact": "\x00", "created_at__gte": "not-a-date", "term": "<img src=x onerror=alert(1)>",
    "app_label": "news", "model_name": "pressrelease", "field_name": "enterprises", "page": "abc",
}


# 500s found by this crawl in code outside the security work, left to its owners; each
# entry is a substring of the failure line. Remove an entry when it is fixed.
KNOWN_ELSEWHERE: set[str] = set()  # 500s left to another area's owner: none


def garbage_post():
    return {
        "title": "<script>alert(1)</script>", "name": "x" * 600, "username": "\x00root",
        "_save": "1", "_continue": "1", "_addanother": "1", "post": "yes",
        "action": "delete_selected", "_selected_action": ["1", "abc", "-5"], "select_across": "maybe",
        "index": "abc", "note": "备注" * 3000, "reason": "", "change_note": "x",
        "redirect_url": "javascript:alert(1)", "go_live_at": "2026-13-45 25:61", "expire_at": "yesterday",
        "major": "maybe", "days": "-7", "revoke": "abc", "parent": "abc", "resolve": "abc", "body": "\ufffd" * 10,
        "task": "abc", "encoding": "ebcdic", "target": "nothing", "_editorial_base_revision": "abc",
        "links-TOTAL_FORMS": "abc", "links-INITIAL_FORMS": "-1", "gallery_items-TOTAL_FORMS": "99999",
        "qualifications-TOTAL_FORMS": "2", "qualifications-INITIAL_FORMS": "0",
        "password1": "x", "password2": "y", "usable_password": "maybe", "set_usable_password": "maybe",
        "groups": ["abc", "99999"], "user_permissions": "abc", "is_superuser": "on",
        "upload": SimpleUploadedFile("x.pdf", b"%PDF-1.4 garbage"),
        "file": SimpleUploadedFile("x.csv", b"\xff\xfe\x00garbage"),
        "image": "abc", "cover_image": "-1", "videos": "abc", "attachments": "x", "enterprises": "abc",
        "alt_text": "x" * 5000, "focal_x": "nan", "focal_y": "inf", "credit_code": "91110000600037341L" * 3,
        "website": "javascript:alert(1)", "conac_url": "data:text/html,x", "url": "vbscript:x",
        "date": "0000-00-00", "kind": "nothing", "interval": "abc", "every": "-1", "period": "eons",
    }


def populate(tmp_path, settings):
    """At least one row of every registered model, made by the demo loaders and actions."""
    from django_celery_beat.models import (
        ClockedSchedule, CrontabSchedule, IntervalSchedule, PeriodicTask, SolarSchedule,
    )

    from apps.core import actions as core_actions
    from apps.core.models import WorkdayOverride
    from apps.editorial import actions as editorial_actions
    from apps.editorial.models import EmailOptOut, NotificationKind
    from apps.enterprises import actions as enterprise_actions
    from apps.core.spreadsheets import write_csv
    from apps.media import actions as media_actions
    from apps.news.models import PressRelease
    from tests.enterprises.conftest import make_code
    from tests.media import samples

    settings.VAR_DIR = tmp_path
    settings.MEDIA_ROOT = str(tmp_path / "media")
    call_command("load_demo", stdout=open("/dev/null", "w"))
    root = User.objects.get(username="admin")
    editor = User.objects.get(username="editor")

    core_actions.record_heartbeat("crawl-worker")
    WorkdayOverride.objects.create(day="2027-10-09", is_workday=True, name="2027年国庆调休", created_by=root, updated_by=root)
    EmailOptOut.objects.create(user=editor, kind=NotificationKind.values[0])
    media_actions.upload_attachment(samples.upload(samples.pdf_bytes(), "通知.pdf"), by=editor, title="通知")
    try:
        media_actions.upload_video(samples.upload(samples.video_bytes(tmp_path=tmp_path), "clip.mp4"), by=editor)
    except Exception:  # noqa: BLE001 - no ffmpeg here: a row is enough for the admin pages
        from apps.media.models import Video

        Video.objects.create(title="视频", original="videos/none.mp4", created_by=editor, updated_by=editor)
    job = enterprise_actions.start_import(
        "enterprise", by=editor, filename="a.csv",
        data=write_csv(["企业名称", "统一社会信用代码"], [["新疆爬虫测试有限公司", make_code(9100)]]),
    )
    enterprise_actions.confirm_import(job, by=editor)  # writes a review batch
    release = PressRelease._base_manager.order_by("pk").first()
    editorial_actions.create_preview_link(release, by=editor, days=3, note="请核对")
    populate_inspection(release, root)
    interval = IntervalSchedule.objects.create(every=10, period=IntervalSchedule.MINUTES)
    CrontabSchedule.objects.create(minute="0", hour="3")
    SolarSchedule.objects.create(event="sunrise", latitude=43.8, longitude=87.6)
    ClockedSchedule.objects.create(clocked_time="2027-01-01T00:00:00+08:00")
    PeriodicTask.objects.create(name="crawl", task="core.record_heartbeat", interval=interval)
    # axes' rows: a failed and a successful login.
    Client().post("/admin/login/", {"username": "editor", "password": "wrong"}, REMOTE_ADDR="192.0.2.1")
    Client().force_login(root)  # force_login skips axes: log a real one for AccessLog
    settings.AXES_FAILURE_LIMIT = 1000
    from axes.models import AccessFailureLog, AccessLog

    AccessLog.objects.create(username="admin", ip_address="192.0.2.2", user_agent="crawl", path_info="/admin/login/")
    if not AccessFailureLog.objects.exists():  # axes writes it only with AXES_ENABLE_ACCESS_FAILURE_LOG
        AccessFailureLog.objects.create(username="editor", ip_address="192.0.2.1", user_agent="crawl",
                                        path_info="/admin/login/", locked_out=False)
    return root


def populate_inspection(release, root):
    """The inspection app's rows: a link result, a live hit, an override and a report mail."""
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from apps.inspection import linkcheck
    from apps.inspection.models import LinkKind, LiveWordingHit, ReportMail, WordingOverride

    ct = ContentType.objects.get_for_model(release)
    target = linkcheck.Target(ct.pk, str(release.pk), str(release), "/", "/no-such-page/", "链接", LinkKind.INTERNAL)
    linkcheck.record([target], {target.url: linkcheck.Result(False, 404, "站内页面不存在")})
    LiveWordingHit.objects.create(content_type=ct, object_id=str(release.pk), item_repr=str(release), field_label="正文",
                                  term="截止目前", suggestion="截至目前", kind="typo", severity="warn",
                                  context="【截止目前】", found_at=timezone.now())
    WordingOverride.objects.create(content_type=ct, object_id=str(release.pk), item_repr=str(release),
                                   revision=release.latest_revision, terms=["x"], reason="爬虫", created_by=root)
    ReportMail.objects.create(week="2026-11-30")


def first_object(model):
    return model._default_manager.order_by("pk").first() if model._meta.ordering is None else (
        model._default_manager.first())


def fill(pattern, obj, model, extra):
    """kwargs for a URL pattern, or None if an argument is unknown."""
    kwargs = {}
    for name in getattr(pattern.pattern, "converters", {}):
        if name in ("object_id", "id"):
            kwargs[name] = quote(str(obj.pk))
        elif name == "number":
            revision = getattr(obj, "latest_revision", None)
            kwargs[name] = revision.number if revision is not None else 1
        elif name == "job_id":
            kwargs[name] = extra["job_id"]
        elif name == "code":
            kwargs[name] = "submit"
        elif name in ("app_label", "model_name"):  # an item's content type (the wording override)
            kwargs[name] = {"app_label": "pages", "model_name": "page"}[name]
        else:
            return None
    return kwargs


def crawl_urls():
    """(url name, url) for every admin URL; the delete confirmations come last."""
    from apps.enterprises.models import ImportJob

    extra = {"job_id": ImportJob.objects.order_by("pk").first().pk}
    urls, deletes, unknown = [], [], []
    for model, model_admin in admin.site._registry.items():
        obj = first_object(model)
        assert obj is not None, f"the crawl needs a {model._meta.label} row (populate() makes one)"
        for pattern in model_admin.get_urls():
            if not isinstance(pattern, URLPattern):
                continue
            kwargs = fill(pattern, obj, model, extra)
            if kwargs is None:
                unknown.append(f"{model._meta.label}: {pattern.pattern}")
                continue
            if pattern.name is None:  # "<path:object_id>/": the old change URL, a redirect
                base = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
                urls.append((f"{model._meta.label}:legacy", f"{base}{kwargs['object_id']}/"))
                continue
            if pattern.name == "auth_user_password_change":  # named after auth, reversed with args
                urls.append((pattern.name, reverse("admin:auth_user_password_change", args=[obj.pk])))
                continue
            if "code" in kwargs:
                for code in WORKFLOW_CODES:
                    urls.append((pattern.name, reverse(f"admin:{pattern.name}", kwargs={**kwargs, "code": code})))
                continue
            url = reverse(f"admin:{pattern.name}", kwargs=kwargs)
            (deletes if pattern.name.endswith("_delete") else urls).append((pattern.name, url))
        urls.append((f"{model._meta.label}:missing", reverse(
            f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=["999999999"])))
    assert unknown == [], "URL arguments the crawl cannot fill: " + "; ".join(unknown)
    page = first_object(admin.site._registry and __import__("apps.pages.models", fromlist=["Page"]).Page)
    from django.contrib.contenttypes.models import ContentType

    site = [
        ("index", reverse("admin:index")), ("password_change", reverse("admin:password_change")),
        ("password_change_done", reverse("admin:password_change_done")), ("jsi18n", reverse("admin:jsi18n")),
        ("autocomplete", reverse("admin:autocomplete")),
        ("view_on_site", reverse("admin:view_on_site", args=[ContentType.objects.get_for_model(page).pk, page.pk])),
        ("view_on_site", reverse("admin:view_on_site", args=["abc", "x"])),
        ("catch_all", "/admin/no/such/page/"),
    ] + [("app_list", reverse("admin:app_list", args=[label])) for label in sorted(
        {m._meta.app_label for m in admin.site._registry})]
    return site + urls + deletes


def crawl_users(make_user):
    users = [User.objects.get(username=u) for u in ("editor", "reviewer", "publisher", "agent", "supervisor", "enterprise")]
    users.append(make_user("siteadmin", roles=[SITE_ADMIN]))
    users.append(User.objects.get(username="admin"))  # a superuser (and 站点管理员)
    assert {code for code in ROLES} <= {code for u in users for code in ROLES if u.has_role(code)}
    return users


def test_no_admin_url_answers_500_to_any_role(make_user, tmp_path, settings):
    started = time.monotonic()
    populate(tmp_path, settings)
    urls = crawl_urls()
    failures, counts = [], {"GET": 0, "POST": 0}

    spent = {}

    def timed(call, name):
        t = time.monotonic()
        response = call()
        spent[name] = spent.get(name, 0) + time.monotonic() - t
        return response

    def record(user, method, name, url, response):
        counts[method] += 1
        if response.status_code >= 500:
            exc = getattr(response, "exc_info", None)
            reason = f"{exc[0].__name__}: {exc[1]}" if exc else response.content[:200]
            failures.append(f"{user.username} {method} {url} ({name}) -> {response.status_code} {reason}")

    for user in crawl_users(make_user):
        client = Client(raise_request_exception=False)
        client.force_login(user)
        for name, url in urls:
            if not name.endswith("_workflow"):  # workflow buttons are POST-only
                record(user, "GET", name, url, timed(lambda: client.get(url), name))
            if name.endswith("_changelist") or name in ("autocomplete", "index"):
                record(user, "GET", name, url, client.get(url, GARBAGE_QUERY))
            with transaction.atomic():
                record(user, "POST", name, url, timed(lambda: client.post(url, garbage_post()), name))
                transaction.set_rollback(True)
    elapsed = time.monotonic() - started
    failures = [f for f in failures if not any(k in f for k in KNOWN_ELSEWHERE)]
    print("\n".join("CRAWL500 " + f for f in failures))
    print("\n".join(f"CRAWLTIME {v:6.1f} {k}" for k, v in sorted(spent.items(), key=lambda kv: -kv[1])[:25]))
    print(f"admin crawl: {len(urls)} URLs, {counts['GET']} GET + {counts['POST']} POST in {elapsed:.0f} s")
    assert failures == [], f"{len(failures)} responses of 500:\n" + "\n".join(failures[:400])
