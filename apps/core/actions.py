"""Writes of the core app. Each takes the acting user and records it."""

import socket

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from . import pagecache
from .audit import audit
from .errors import require
from .models import IndustryCluster, SiteSettings, WorkerHeartbeat


@transaction.atomic
def update_site_settings(site: SiteSettings, *, by, changed_fields=()) -> SiteSettings:
    """Save the site settings (the single row). After commit the cached copy of the row
    is dropped, then the cached pages: every public page shows them (footer, meta)."""
    require(by.has_perm("core.change_sitesettings"), "您没有修改网站设置的权限。")
    site.pk = 1
    site.stamp(by)
    site.full_clean()
    site.save()
    audit(site, "core.update_site_settings", by=by, fields=sorted(changed_fields))
    transaction.on_commit(_site_settings_changed)
    return site


def _site_settings_changed() -> None:
    SiteSettings.forget_cached()
    pagecache.bump()


@transaction.atomic
def save_cluster(cluster: IndustryCluster, *, by, changed_fields=()) -> IndustryCluster:
    """Add or change an industry cluster (its name and order show on public pages)."""
    perm = "core.change_industrycluster" if cluster.pk else "core.add_industrycluster"
    require(by.has_perm(perm), "您没有修改产业集群的权限。")
    cluster.stamp(by)
    cluster.full_clean()
    cluster.save()
    audit(cluster, "core.save_cluster", by=by, fields=sorted(changed_fields))
    pagecache.content_changed()
    return cluster


@transaction.atomic
def delete_cluster(cluster: IndustryCluster, *, by) -> None:
    """Delete an industry cluster (the filters and tags on public pages lose it)."""
    require(by.has_perm("core.delete_industrycluster"), "您没有删除产业集群的权限。")
    audit(cluster, "core.delete_cluster", by=by, note=cluster.name)
    cluster.delete()
    pagecache.content_changed()


@transaction.atomic
def save_workday_override(override, *, by, changed_fields=()):
    """Add or correct one day of the working-day calendar (a holiday or a 调休 working day)."""
    perm = "core.change_workdayoverride" if override.pk else "core.add_workdayoverride"
    require(by.has_perm(perm), gettext("您没有修改节假日安排的权限。"))
    override.stamp(by)
    override.full_clean()
    override.save()
    audit(override, "core.save_workday_override", by=by, fields=sorted(changed_fields),
          day=override.day.isoformat(), is_workday=override.is_workday)
    pagecache.content_changed()  # "open now" and deadlines on public pages count working days
    return override


@transaction.atomic
def delete_workday_override(override, *, by) -> None:
    require(by.has_perm("core.delete_workdayoverride"), gettext("您没有删除节假日安排的权限。"))
    audit(override, "core.delete_workday_override", by=by, note=str(override), day=override.day.isoformat())
    override.delete()
    pagecache.content_changed()


def record_heartbeat(hostname: str | None = None) -> WorkerHeartbeat:
    """Note that a worker is alive. Not a domain write: no audit row."""
    hostname = hostname or socket.gethostname()
    beat, _ = WorkerHeartbeat.objects.update_or_create(
        hostname=hostname[:200], defaults={"seen_at": timezone.now()}
    )
    return beat


def prune_heartbeats() -> int:
    """Forget workers not seen for a day (renamed or retired hosts)."""
    cutoff = timezone.now() - max(
        settings.PARKPORTAL_HEALTH_WORKER_MAX_AGE, timezone.timedelta(days=1)
    )
    deleted, _ = WorkerHeartbeat.objects.filter(seen_at__lt=cutoff).delete()
    return deleted


@transaction.atomic
def enter_year_schedule(year: int, *, by, holidays: str, workdays: str = "") -> dict:
    """A whole year's published holidays and make-up working days (调休) in one go.

    ``holidays`` / ``workdays``: the text of the published schedule, one holiday or
    make-up day per line (``holiday_schedule``). Replaces the overrides already
    entered for that year, so correcting the schedule is entering it again. The
    working-day calendar (``calendar.working_calendar``) reads these rows; a year with
    rows counts as known. Returns the counts written."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    from . import holiday_schedule
    from .models import WorkdayOverride

    require(
        all(by.has_perm(f"core.{p}_workdayoverride") for p in ("add", "change", "delete")),
        _("您没有录入节假日安排的权限。"),
    )
    if not 2000 <= int(year) <= 2100:
        raise ValidationError(_("年份应在 2000 到 2100 之间。"))
    holiday_lines = holiday_schedule.parse_holidays(holidays, year)
    workday_lines = holiday_schedule.parse_workdays(workdays, year)
    if not holiday_lines:
        raise ValidationError(_("请至少填写一个假期。"))
    rows: dict = {}
    for line in holiday_lines:
        for day in line.days:
            rows[day] = (False, line.name)
    for line in workday_lines:
        for day in line.days:
            if day in rows:
                raise ValidationError(_("调休第 %(n)d 行：%(day)s 已在假期中。") % {"n": line.number, "day": day})
            rows[day] = (True, line.name)
    replaced = WorkdayOverride.objects.filter(day__year=year).delete()[0]
    WorkdayOverride.objects.bulk_create([
        WorkdayOverride(day=day, is_workday=is_workday, name=name[:50], created_by=by, updated_by=by)
        for day, (is_workday, name) in sorted(rows.items())
    ])
    counts = {
        "holidays": sum(1 for w, _n in rows.values() if not w),
        "workdays": sum(1 for w, _n in rows.values() if w),
        "replaced": replaced,
    }
    audit(None, "core.enter_year_schedule", by=by, year=year, **counts)
    pagecache.content_changed()  # "open now" and deadlines on public pages count working days
    return counts
