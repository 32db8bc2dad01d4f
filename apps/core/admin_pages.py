"""An admin page shape for rows that are never edited in a form: a read-only list, and
an object page (``admin/action_page.html``) listing the facts and one POST form per
action the signed-in person may take; each form calls an action. Subclasses give
``facts``, ``act_forms``, ``history`` and ``act``. NotAllowed is a 403; a refused
transition or bad input re-renders the page with the message and a 409."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _

from .errors import InvalidTransition, NotAllowed
from .textclean import cleaned_post


def refused(request, admin_site, exc, *, opts, obj, back_url):
    """The page of a refused admin action (``admin/refused.html``): 403 for a missing
    right, 400 for bad input, 409 for a refused transition; the message in Chinese."""
    if isinstance(exc, ValidationError):
        status, message = 400, "；".join(exc.messages)
    else:
        status = 403 if isinstance(exc, NotAllowed) else 409
        message = getattr(exc, "message", "") or str(exc)
    return TemplateResponse(request, "admin/refused.html", {
        **admin_site.each_context(request), "title": _("操作未完成"), "message": message,
        "back_url": back_url, "opts": opts, "original": obj,
    }, status=status)


class AuditTrailAdminMixin:
    """For admins whose writes are actions: the action's audit row is the record, so
    Django's own admin log (LogEntry) gets no second, partial one."""

    def log_addition(self, request, obj, message):
        return None

    def log_change(self, request, obj, message):
        return None

    def log_deletion(self, request, obj, object_repr):
        return None


class ReadOnlyModelAdmin(admin.ModelAdmin):
    """Rows nobody adds, changes or deletes in the admin (they are written by actions,
    or never): readable only."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ActionPageAdmin(ReadOnlyModelAdmin):
    """Read-only lists; the object's page is ``rating_page.html`` with action forms."""

    list_per_page = 50
    show_full_result_count = False

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [path("<path:object_id>/act/", self.admin_site.admin_view(self.act_view), name="%s_%s_act" % info)
                ] + super().get_urls()

    def _get(self, request, object_id):
        object_id = unquote(object_id)
        item = self.get_queryset(request).filter(pk=object_id).first() if str(object_id).isdigit() else None
        if item is None:
            raise Http404(_("没有找到该记录，或它不在您的办理范围内。"))
        return item

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method not in ("GET", "HEAD"):
            return self.act_view(request, object_id)
        return self._render(request, self._get(request, object_id))

    def _render(self, request, item, *, status=200, error=""):
        info = self.opts.app_label, self.opts.model_name
        context = {
            **self.admin_site.each_context(request), "opts": self.opts, "title": str(item), "error": error,
            "facts": self.facts(request, item), "act_forms": self.act_forms(request, item),
            "history": self.history(request, item),
            "act_url": reverse("admin:%s_%s_act" % info, args=[item.pk]),
            "changelist_url": reverse("admin:%s_%s_changelist" % info),
        }
        return TemplateResponse(request, "admin/action_page.html", context, status=status)

    def act_view(self, request, object_id):
        info = self.opts.app_label, self.opts.model_name
        if request.method != "POST":
            return HttpResponseRedirect(reverse("admin:%s_%s_change" % info, args=[object_id]))
        item = self._get(request, object_id)
        request.POST = cleaned_post(request.POST)  # pasted pinyin annotations, as every admin form
        try:
            response = self.act(request, item, request.POST.get("action", ""))
        except NotAllowed as exc:
            raise PermissionDenied(str(exc)) from None
        except (InvalidTransition, ValidationError) as exc:
            # Bad input is the request's fault (400); a refused transition is a
            # conflict with the item's state (409). Either way nothing was saved.
            message = getattr(exc, "message", "") or "；".join(getattr(exc, "messages", [str(exc)]))
            status = 409 if isinstance(exc, InvalidTransition) else 400
            return self._render(request, self._get(request, object_id), status=status, error=message)
        if response is not None:  # the action's page answers itself (e.g. opens what it created)
            return response
        messages.success(request, _("操作已完成。"))
        return HttpResponseRedirect(reverse("admin:%s_%s_change" % info, args=[item.pk]))

    def history(self, request, item):
        return []

    def act_forms(self, request, item):
        return []

    def act(self, request, item, name):
        """Run the action ``name`` (the posted ``action``) through the domain's action.
        Returns None (the page again, "操作已完成") or the response to answer with."""
        raise InvalidTransition(_("未知的操作。"))
