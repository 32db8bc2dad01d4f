"""Public pages of the enterprise directory and the platforms, and the enterprise
user's page for proposing changes to their own entry.

Lists read ``Enterprise.objects.listed()`` / ``Platform.objects.published()``;
detail pages go through ``apps.editorial.public.public_item`` (withdrawn
pages keep their explanation, taken-down ones answer 410 or redirect). Query
counts do not grow with the data: filters are ``EXISTS`` subqueries, related
rows are joined or prefetched once per page.
"""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch, prefetch_related_objects
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from apps.core.errors import InvalidTransition, NotAllowed
from apps.core.models import ColumnType, IndustryCluster
from apps.editorial.media_text import show_reviewed_text
from apps.editorial.public import public_item
from apps.editorial.snapshots import set_fields
from apps.core.params import row_id
from apps.accounts.forms import LoginForm

from . import actions
from .forms import ProposalForm
from .models import (
    DirectoryStatus,
    Enterprise,
    EnterpriseMembership,
    Platform,
    PlatformKind,
    PlatformLevel,
    Qualification,
    QualificationKind,
)

PAGE_SIZE = 20
RELATED_NEWS_COUNT = 5
LOGO_CROP = 400  # the square crop every image has (PARKPORTAL_MEDIA_RENDITIONS crop_sizes)
COLUMN = {"name": "企业名录", "type": ColumnType.OVERVIEW, "description": "乌鲁木齐高新区（新市区）园区企业和创新平台载体名录"}




def _page(request, queryset):
    paginator = Paginator(queryset, PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@require_safe
def index(request):
    """The directory: filter by cluster, qualification (valid today) and the kind of
    platform an enterprise hosts; search by name; in pinyin order; paginated."""
    q = (request.GET.get("q") or "").strip()[:50]
    cluster = row_id(request.GET.get("cluster"))
    qualification = row_id(request.GET.get("qualification"))
    platform_kind = row_id(request.GET.get("platform_kind"))
    today = timezone.localdate()

    enterprises = Enterprise.objects.listed().matching(q).select_related("cluster", "logo")
    if cluster:
        enterprises = enterprises.filter(cluster_id=cluster)
    if qualification:
        enterprises = enterprises.filter(Exists(
            Qualification.objects.valid_on(today).filter(enterprise=OuterRef("pk"), kind_id=qualification)
        ))
    if platform_kind:
        enterprises = enterprises.filter(Exists(
            Platform.objects.published().filter(host=OuterRef("pk"), kind_id=platform_kind)
        ))
    page = _page(request, enterprises.with_valid_qualifications(today).prefetch_related(_logo_crops()).in_directory_order())
    page.object_list = list(page.object_list)
    for enterprise in page.object_list:
        show_reviewed_text(enterprise, enterprise.logo)
    return render(request, "enterprises/index.html", {
        "page": page, "q": q, "cluster": cluster, "qualification": qualification, "platform_kind": platform_kind,
        "clusters": list(IndustryCluster.objects.ordered()),
        "qualification_kinds": list(QualificationKind.objects.all()),
        "platform_kinds": list(PlatformKind.objects.all()),
        "filtered": bool(q or cluster or qualification or platform_kind),
        "query": _query_without_page(request), "column": COLUMN, "active_column": "enterprises",
    })


def _logo_crops() -> Prefetch:
    """The logos' square crops only (a list shows a thumbnail), in one query per page."""
    from apps.media.models import Rendition

    crops = Rendition.objects.filter(kind=Rendition.Kind.CROP, size=LOGO_CROP)
    return Prefetch("logo__renditions", queryset=crops)


def _photos(item) -> list:
    """The item's photos with their images; with the logo (if any), one renditions query."""
    photos = list(item.photos.select_related("image"))
    images = [photo.image for photo in photos]
    logo = getattr(item, "logo", None)
    if logo is not None:
        images.append(logo)
    prefetch_related_objects(images, "renditions")
    # The alt text and captions the reviewed version carries, not the library's.
    show_reviewed_text(item, images)
    return photos


@require_safe
def detail(request, pk: int):
    item, gone = public_item(request, Enterprise.objects.shown_in_detail().select_related("cluster", "logo"), pk=pk)
    if gone is not None:
        return gone
    return render_enterprise(request, item)


def render_enterprise(request, item, *, preview: bool = False):
    """The public page of an enterprise; also renders any revision as a preview."""
    today = timezone.localdate()
    qualifications = list(Qualification.objects.filter(enterprise=item).valid_on(today).select_related("kind"))
    hosted = Platform.objects.filter(host=item).select_related("kind")
    hosted = list((hosted if preview else hosted.published()).in_directory_order())
    # Published releases that mention the enterprise (PressRelease's own read rule, via
    # the reverse manager: the enterprises app does not import news).
    news = list(
        item.press_releases.published().newest_first()
        .only("pk", "title", "created_at", "first_published_at")[:RELATED_NEWS_COUNT]
    )
    return render(request, "enterprises/detail.html", {
        "item": item, "qualifications": qualifications, "platforms": hosted, "photos": _photos(item),
        "news": news, "preview": preview,
        "moved_out": item.directory_status == DirectoryStatus.MOVED_OUT, "column": COLUMN,
        "active_column": "enterprises",
    })


@require_safe
def platform_index(request):
    kind = row_id(request.GET.get("kind"))
    level = request.GET.get("level") or ""
    platforms = Platform.objects.published().select_related("kind", "host")
    if kind:
        platforms = platforms.filter(kind_id=kind)
    if level in PlatformLevel.values:
        platforms = platforms.filter(level=level)
    page = _page(request, platforms.in_directory_order())
    return render(request, "enterprises/platform_index.html", {
        "page": page, "kind": kind, "level": level, "kinds": list(PlatformKind.objects.all()),
        "levels": PlatformLevel.choices, "query": _query_without_page(request),
        "column": {**COLUMN, "name": "平台载体"}, "active_column": "enterprises",
    })


@require_safe
def platform_detail(request, pk: int):
    item, gone = public_item(request, Platform.objects.select_related("kind", "host"), pk=pk)
    if gone is not None:
        return gone
    return render_platform(request, item)


def render_platform(request, item, *, preview: bool = False):
    host = item.host
    host_is_public = host is not None and host.visibility in ("live", "withdrawn") and host.directory_status != DirectoryStatus.NOT_LISTED
    return render(request, "enterprises/platform_detail.html", {
        "item": item, "host": host if (host_is_public or preview) else None, "preview": preview,
        "photos": _photos(item),
        "column": {**COLUMN, "name": "平台载体"}, "active_column": "enterprises",
    })


# --- enterprise users -------------------------------------------------------------------


class EnterpriseLoginView(auth_views.LoginView):
    """Sign-in for enterprise accounts (staff use the admin's)."""

    template_name = "enterprises/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True
    next_page = reverse_lazy("enterprises:my_entry")
    extra_context = {"column": COLUMN, "active_column": "enterprises"}


class EnterpriseLogoutView(auth_views.LogoutView):
    next_page = reverse_lazy("enterprises:index")


def _latest_version(enterprise: Enterprise) -> Enterprise:
    """The enterprise as its latest version reads (a pending draft if there is one), in memory."""
    if enterprise.has_public_content and enterprise.has_unpublished_changes and enterprise.latest_revision_id:
        set_fields(enterprise, enterprise.latest_revision.snapshot)
    return enterprise


@login_required(login_url=reverse_lazy("enterprises:login"))
@require_http_methods(["GET", "HEAD", "POST"])
def my_entry(request):
    """An enterprise user proposes changes to their own entry; staff review them."""
    membership = EnterpriseMembership.objects.filter(user=request.user).select_related("enterprise").first()
    if request.user.is_staff or membership is None:
        raise PermissionDenied(_("您的账号没有关联企业。请联系园区工作人员为您的账号关联企业后再申请修改企业信息。"))
    enterprise = Enterprise.objects.select_related("latest_revision").get(pk=membership.enterprise_id)
    current = _latest_version(enterprise)
    form = ProposalForm(request.POST or None, instance=current)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            changes = form.changed_values()
            try:
                actions.propose_edit(
                    Enterprise.objects.get(pk=enterprise.pk), by=request.user, fields=changes,
                    note=form.cleaned_data.get("note", ""),
                )
            except NotAllowed as exc:
                raise PermissionDenied(str(exc))
            except (InvalidTransition, ValidationError) as exc:
                message = getattr(exc, "message", None) or "；".join(getattr(exc, "messages", [str(exc)]))
                form.add_error(None, message)
                status = 409 if isinstance(exc, InvalidTransition) else 400
            else:
                messages.success(request, _("修改申请已提交，园区工作人员审核通过并发布后生效。"))
                return redirect("enterprises:my_entry")
        else:
            status = 400
    fresh = Enterprise.objects.get(pk=enterprise.pk)
    return render(request, "enterprises/my_entry.html", {
        "form": form, "enterprise": fresh, "in_review": fresh.status == "in_review",
        "column": COLUMN, "active_column": "enterprises",
    }, status=status)
