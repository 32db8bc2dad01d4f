"""The enterprise's pages: apply (form → confirm → tracking number), 我的诉求, 补正, withdraw,
and the materials download (the enterprise and the staff who handle the request)."""

import os
import secrets

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile, File
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from apps.core.errors import InvalidTransition, NotAllowed
from apps.media.models import get_private_storage
from apps.media.views import ATTACHMENT_CSP

from .. import actions, rules
from ..forms import RequestForm, SupplementForm, add_action_errors
from ..models import RequestMaterial, Service, ServiceRequest, State
from .common import enterprise_page, status_of
from .guide import COLUMN

PAGE_SIZE = 20
PENDING = "services_pending"


def _context(**extra):
    return {"column": COLUMN, "active_column": "services", **extra}


def _service_or_404(code: str) -> Service:
    service = Service.objects.open_online().filter(code=code).first()
    if service is None:
        raise Http404(_("没有这个可在线办理的事项。"))
    return service


def _stage(files: list) -> list[dict]:
    """Keep the checked uploads privately until the confirmation (no JavaScript: a
    file cannot be posted twice)."""
    storage = get_private_storage()
    staged = []
    for key, upload in files:
        upload.seek(0)
        name = storage.save(f"services/staging/{secrets.token_hex(16)}", ContentFile(upload.read()))
        staged.append({"key": key, "name": name, "filename": os.path.basename(upload.name or "")[:200]})
    return staged


def _unstage(staged: list[dict]) -> tuple[dict, dict, list]:
    storage = get_private_storage()
    attribute_files, materials, handles = {}, {}, []
    for row in staged:
        handle = storage.open(row["name"], "rb")
        handles.append(handle)
        upload = File(handle, name=row["filename"])
        upload.size = storage.size(row["name"])
        kind, _sep, ident = row["key"].partition(":")
        if kind == "attr":
            attribute_files[ident] = upload
        else:
            materials.setdefault(int(ident) if ident.isdigit() else ident, []).append(upload)
    return attribute_files, materials, handles


def _drop_staged(staged: list[dict]) -> None:
    storage = get_private_storage()
    for row in staged:
        storage.delete(row["name"])


@enterprise_page
@require_http_methods(["GET", "HEAD", "POST"])
def apply(request, code: str):
    service = _service_or_404(code)
    form = RequestForm(request.POST or None, request.FILES or None, service=service)
    status = 200
    if request.method == "POST":
        form.is_valid()
        raw = form.raw_values(request.POST, request.FILES)
        try:
            _service, cleaned, checked = actions.check_submission(service, **raw)
        except ValidationError as exc:
            add_action_errors(form, exc)
            status = 400
        else:
            files = [(f"attr:{c}", f) for c, f in raw["attribute_files"].items()]
            files += [(f"material:{k}", f) for k, fs in raw["materials"].items() for f in fs]
            token = secrets.token_urlsafe(16)
            pending = request.session.get(PENDING, {})
            for old in list(pending)[:-4]:  # keep a few unfinished applications, not unbounded
                _drop_staged(pending.pop(old).get("files", []))
            pending[token] = {
                "service": service.code, "files": _stage(files),
                "data": {k: raw[k] for k in ("contact_name", "contact_phone", "description", "address", "attributes")},
            }
            request.session[PENDING] = pending
            definitions = {d.code: d for d in form.definitions}
            return render(request, "services/apply_confirm.html", _context(
                service=service, cleaned=cleaned, token=token, files=checked,
                attributes=[(definitions[c].label, v) for c, v in cleaned["attributes"].items() if c in definitions],
            ))
    return render(request, "services/apply.html", _context(service=service, form=form), status=status)


@enterprise_page
@require_POST
def confirm(request, code: str):
    service = _service_or_404(code)
    pending = request.session.get(PENDING, {})
    entry = pending.get(request.POST.get("token", ""))
    if entry is None or entry["service"] != service.code:
        messages.error(request, _("确认页面已过期，请重新填写申请。"))
        return redirect("services:apply", code=service.code)
    if "back" in request.POST:
        _drop_staged(entry["files"])
        pending.pop(request.POST["token"])
        request.session[PENDING] = pending
        return redirect("services:apply", code=service.code)
    attribute_files, materials, handles = _unstage(entry["files"])
    try:
        created = actions.submit_request(service, by=request.user, attribute_files=attribute_files,
                                         materials=materials, **entry["data"])
    except (ValidationError, NotAllowed, InvalidTransition) as exc:
        messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
        return redirect("services:apply", code=service.code)
    finally:
        for handle in handles:
            handle.close()
    _drop_staged(entry["files"])
    pending.pop(request.POST["token"], None)
    request.session[PENDING] = pending
    return redirect("services:done", number=created.tracking_number)


def _own_request(request, number: str) -> ServiceRequest:
    """The signed-in enterprise's request; another enterprise's is a 404 (not even its existence shows)."""
    found = (ServiceRequest.objects.of_enterprise(rules.enterprise_id_of(request.user))
             .select_related("service").filter(tracking_number=number).first())
    if found is None:
        raise Http404(_("没有找到这条诉求。"))
    return found


@enterprise_page
def done(request, number: str):
    return render(request, "services/apply_done.html", _context(item=_own_request(request, number)))


@enterprise_page
def my_list(request):
    enterprise_id = rules.enterprise_id_of(request.user)
    requests = ServiceRequest.objects.of_enterprise(enterprise_id).newest_first().for_list()
    state = request.GET.get("state", "")
    if state in State.values:
        requests = requests.filter(state=state)
    page = Paginator(requests, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "services/my_list.html", _context(page=page, states=State.choices, state=state))


def _detail(request, item, *, form=None, rating_form=None, status=200):
    from ..forms import RatingForm
    from ..models import Rating

    rating = Rating.objects.filter(request_id=item.pk).only(
        "pk", "request_id", "score", "efficiency", "guide_accuracy", "convenience", "attitude", "comment", "rated_at",
    ).first()
    may_rate = rating is None and actions.may_rate(request.user, item)
    return render(request, "services/my_detail.html", _context(
        item=item, timeline=list(item.events.public()),
        materials=list(item.materials.only("pk", "label", "original_name", "kind", "size_bytes", "uploaded_at")),
        form=form or (SupplementForm() if item.state == State.WAITING else None),
        attributes=_attribute_rows(item), rating=rating,
        rating_form=(rating_form or RatingForm()) if may_rate else None,
        rating_closes_at=actions.rating_closes_at(item) if may_rate else None,
    ), status=status)


def _attribute_rows(item) -> list[tuple[str, object]]:
    labels = {d.code: d.label for d in item.service.attribute_definitions.all()}
    return [(labels.get(code, code), value) for code, value in item.attributes.items()]


@enterprise_page
def my_detail(request, number: str):
    return _detail(request, _own_request(request, number))


@enterprise_page
@require_POST
def withdraw(request, number: str):
    item = _own_request(request, number)
    try:
        actions.withdraw(item, by=request.user)
    except (NotAllowed, InvalidTransition) as exc:
        messages.error(request, str(getattr(exc, "message", "") or exc))
        return _detail(request, item, status=status_of(exc))
    messages.success(request, _("诉求已撤回。"))
    return redirect("services:my_detail", number=number)


@enterprise_page
@require_POST
def supplement(request, number: str):
    item = _own_request(request, number)
    form = SupplementForm(request.POST, request.FILES)
    form.is_valid()
    files = [f for f in (request.FILES.get("files"), request.FILES.get("files2")) if f]
    try:
        actions.answer_supplement(item, by=request.user, text=request.POST.get("text", ""), files=files)
    except ValidationError as exc:
        add_action_errors(form, exc)
        return _detail(request, item, form=form, status=400)
    except (NotAllowed, InvalidTransition) as exc:
        messages.error(request, str(getattr(exc, "message", "") or exc))
        return _detail(request, item, status=status_of(exc))
    messages.success(request, _("补正材料已提交，工作人员将继续办理。"))
    return redirect("services:my_detail", number=number)


@never_cache
def material(request, pk: int):
    """A material, to the enterprise that submitted it and the staff who handle the request."""
    from django.http import FileResponse

    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), login_url="enterprises:login")
    row = RequestMaterial.objects.select_related("request").filter(pk=pk).first()
    if row is None or not rules.may_view(request.user, row.request):
        raise Http404(_("没有找到这份材料。"))
    try:
        handle = row.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    ext = row.kind or "bin"
    response = FileResponse(handle, as_attachment=True, filename=f"{row.label}.{ext}")
    response["Content-Security-Policy"] = ATTACHMENT_CSP
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


__all__ = ["PermissionDenied"]
