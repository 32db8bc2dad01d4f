"""Media library admin. Uploads and edits go through the actions; the forms
validate an upload by content first, so a refused file is a form error in
Chinese, never a 500. Failed items show why, and "重新处理" queues them again."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.defaultfilters import filesizeformat
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_POST
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.admin_pages import AuditTrailAdminMixin, refused
from apps.core.errors import InvalidTransition, NotAllowed
from apps.core.textclean import PastedTextFormMixin

from . import actions
from .models import Attachment, Image, Rendition, Status, Video, in_use


def reused_message(asset) -> str:
    """What the uploader is told when the same file had been uploaded before."""
    message = _("该文件此前已上传过（“%(title)s”，编号 %(pk)s），已直接使用原有记录，没有新建。") % {
        "title": str(asset), "pk": asset.pk}
    ignored = getattr(asset, "ignored", {}) or {}
    if ignored:
        labels = "；".join(
            _("%(field)s“%(value)s”") % {"field": type(asset)._meta.get_field(name).verbose_name, "value": value}
            for name, value in sorted(ignored.items()) if not name.startswith("focal")
        )
        if labels:
            message += _("您新填写的%(fields)s没有保存：这些文字属于原有记录，如需修改请在原记录中修改"
                         "（已发布内容中的文字在重新审核发布后才会更新）。") % {"fields": labels}
    return message


def tell_about_reviewed_text(admin_, request, asset, changed) -> None:
    """Text shown on pages (alt text, captions, titles) is kept with each item's
    reviewed version: say so when it changes on media that something uses."""
    if set(changed) & set(type(asset).REVIEWED_TEXT_FIELDS) and in_use(asset):
        admin_.message_user(request, _(
            "已保存。该文件已被稿件或页面使用：网站上显示的文字（替代文本、说明、标题）随各稿件的审核版本保存，"
            "需在这些稿件中重新保存、提交审核并发布后才会更新。"), messages.INFO)


def _adopt(obj, saved) -> None:
    """Make the admin's unsaved instance stand for the row the action wrote."""
    obj.__dict__.update({k: v for k, v in saved.__dict__.items() if not k.startswith("_")})
    obj._state.adding = False


class _TraditionalTextMixin:
    """The change page lists Traditional characters in the row's text, with a
    one-click conversion to Simplified (a button of the change form posting to
    ``…/simplify/``: no nested form, no JavaScript)."""

    TRADITIONAL_FIELD = "traditional_text"

    def with_traditional_text(self, obj, fields: tuple) -> tuple:
        if obj is not None and actions.traditional_text(obj):
            return (self.TRADITIONAL_FIELD, *fields)
        return fields

    def get_readonly_fields(self, request, obj=None):
        return (*super().get_readonly_fields(request, obj), self.TRADITIONAL_FIELD)

    @admin.display(description=gettext_lazy("繁体字"))
    def traditional_text(self, obj):
        found = actions.traditional_text(obj)
        if not found:
            return ""
        listed = format_html_join(
            "", '<li>{}：<span lang="zh-Hant">{}</span></li>', ((label, "、".join(chars)) for _n, label, chars in found)
        )
        opts = self.model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_simplify", args=[obj.pk])
        return format_html(
            '<div class="warning-box" id="traditional-characters"><p>{}</p><ul>{}</ul>'
            '<button type="submit" class="button" formaction="{}" formmethod="post" formnovalidate>{}</button></div>',
            _("以下文字含有繁体字（简体站点的内容应为简体）："), listed, url, _("一键转换为简体"),
        )

    def get_urls(self):
        opts = self.model._meta
        name = f"{opts.app_label}_{opts.model_name}_simplify"
        view = self.admin_site.admin_view(require_POST(self.simplify_view))
        return [path("<path:object_id>/simplify/", view, name=name), *super().get_urls()]

    def simplify_view(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        opts = self.model._meta
        back = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        try:
            actions.convert_text_to_simplified(obj, by=request.user)
        except (NotAllowed, InvalidTransition, ValidationError) as exc:
            return refused(request, self.admin_site, exc, opts=opts, obj=obj, back_url=back)
        self.message_user(request, _("已将繁体字转换为简体。"), messages.SUCCESS)
        tell_about_reviewed_text(self, request, obj, list(type(obj).REVIEWED_TEXT_FIELDS))
        return HttpResponseRedirect(back)


class _ProcessedAdmin(AuditTrailAdminMixin, admin.ModelAdmin):
    list_filter = ("status",)
    actions = ["reprocess_selected", "rebuild_selected"]

    @admin.display(description=gettext_lazy("处理状态"), ordering="status")
    def status_badge(self, obj):
        label = obj.get_status_display()
        if obj.status == Status.FAILED:
            return format_html('<strong class="errornote">{}</strong>：{}', label, obj.error[:120])
        return label

    def _reprocess(self, request, queryset, *, rebuild):
        done = 0
        for asset in queryset:
            actions.reprocess(asset, by=request.user, rebuild=rebuild)
            done += 1
        self.message_user(request, _("已重新排队处理 %(n)s 项，处理完成后自动生效。") % {"n": done}, messages.SUCCESS)

    @admin.action(description=gettext_lazy("重新处理"), permissions=["change"])
    def reprocess_selected(self, request, queryset):
        self._reprocess(request, queryset, rebuild=False)

    @admin.action(description=gettext_lazy("重新生成全部文件"), permissions=["change"])
    def rebuild_selected(self, request, queryset):
        self._reprocess(request, queryset, rebuild=True)

    def has_delete_permission(self, request, obj=None):
        return False  # assets are referenced by published items



class ImageForm(PastedTextFormMixin, forms.ModelForm):
    upload = forms.FileField(
        label=gettext_lazy("图片文件"),
        help_text=gettext_lazy("JPEG、PNG、WebP、GIF、AVIF、HEIC 或 TIFF；上传后在后台生成各尺寸图片，EXIF 和 GPS 等信息会被全部去除。"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
    )

    class Meta:
        model = Image
        fields = ("title", "alt_text", "caption", "credit", "copyright", "focal_x", "focal_y")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["upload"]

    def clean_upload(self):
        upload = self.cleaned_data["upload"]
        actions.validate_image(upload)
        return upload

    def clean(self):
        """Both halves of the focal point or neither, each within 0 to 1: a form error
        in Chinese, before the action or the database constraint sees it."""
        cleaned = super().clean()
        if "focal_x" in cleaned and "focal_y" in cleaned:
            for name, message in actions.focal_problems(cleaned).items():
                self.add_error(name, message)
        return cleaned


class RenditionInline(admin.TabularInline):
    model = Rendition
    extra = 0
    can_delete = False
    fields = ("kind", "size", "format", "width", "height", "size_bytes", "file")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Image)
class ImageAdmin(_TraditionalTextMixin, _ProcessedAdmin):
    form = ImageForm
    list_display = ("thumbnail", "title", "alt_text", "status_badge", "width", "height", "created_at")
    search_fields = ("title", "alt_text", "caption", "original_name", "credit")
    readonly_fields = ("status_badge", "attempts", "format", "width", "height", "size_bytes", "original_name",
                       "preview", "created_at", "created_by")
    inlines = [RenditionInline]

    def get_fieldsets(self, request, obj=None):
        describe = ("title", "alt_text", "caption", "credit", "copyright", ("focal_x", "focal_y"))
        if obj is None:
            return ((None, {"fields": ("upload", *describe)}),)
        return (
            (None, {"fields": self.with_traditional_text(obj, ("preview", *describe))}),
            (_("处理"), {"fields": ("status_badge", "attempts", "format", "width", "height", "size_bytes",
                                   "original_name", "created_at", "created_by")}),
        )

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("renditions")

    @admin.display(description=gettext_lazy("预览"))
    def thumbnail(self, obj):
        small = next((r for r in obj.renditions.all() if r.kind == "crop" and r.format == "jpeg"), None)
        if small is None:
            return obj.get_status_display()
        return format_html('<img src="{}" alt="{}" width="60" height="60">', small.url, obj.alt_text)

    @admin.display(description=gettext_lazy("预览"))
    def preview(self, obj):
        from .templatetags.media_tags import picture_html

        return picture_html(obj, sizes="400px")

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data.get(name) for name in actions.IMAGE_FIELDS}
        if change:
            actions.update_image(obj, by=request.user, fields={n: data[n] for n in form.changed_data if n in data})
            tell_about_reviewed_text(self, request, obj, form.changed_data)
            return
        focal = (data["focal_x"], data["focal_y"]) if data["focal_x"] is not None else None
        image = actions.upload_image(
            form.cleaned_data["upload"], by=request.user, title=data["title"] or "", alt_text=data["alt_text"] or "",
            caption=data["caption"] or "", credit=data["credit"] or "", copyright=data["copyright"] or "",
            focal_point=focal,
        )
        _adopt(obj, image)
        if image.reused:
            self.message_user(request, reused_message(image), messages.WARNING)

    def save_related(self, request, form, formsets, change):
        pass  # renditions are made by the worker, never by this form


class VideoForm(PastedTextFormMixin, forms.ModelForm):
    upload = forms.FileField(
        label=gettext_lazy("视频文件"),
        help_text=gettext_lazy("MP4、MOV 或 WebM；上传后在后台转码为网页播放格式（H.264，最高 1080p）并截取封面帧。"),
        widget=forms.ClearableFileInput(attrs={"accept": "video/mp4,video/quicktime,video/webm"}),
    )
    captions_file = forms.FileField(
        label=gettext_lazy("字幕文件（WebVTT）"), required=False,
        help_text=gettext_lazy(".vtt 字幕，方便听障读者和静音观看；有声音的视频须有字幕或文字稿才能随稿件提交审核。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".vtt,text/vtt"}),
    )

    class Meta:
        model = Video
        fields = ("title", "description", "credit", "captions_language", "transcript")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["upload"]

    def clean_upload(self):
        upload = self.cleaned_data["upload"]
        actions.validate_video(upload)
        return upload

    def clean_captions_file(self):
        captions = self.cleaned_data.get("captions_file")
        if captions:
            actions.validate_captions(captions)
        return captions


@admin.register(Video)
class VideoAdmin(_TraditionalTextMixin, _ProcessedAdmin):
    form = VideoForm
    list_display = ("title", "status_badge", "duration", "width", "height", "created_at")
    search_fields = ("title", "description", "original_name")
    readonly_fields = ("status_badge", "attempts", "container", "duration", "width", "height", "size_bytes",
                       "original_name", "player", "created_at", "created_by")

    def get_fieldsets(self, request, obj=None):
        describe = ("title", "description", "credit", "captions_file", "captions_language", "transcript")
        if obj is None:
            return ((None, {"fields": ("upload", *describe)}),)
        return (
            (None, {"fields": self.with_traditional_text(obj, ("player", *describe))}),
            (_("处理"), {"fields": ("status_badge", "attempts", "container", "duration", "width", "height",
                                   "size_bytes", "original_name", "created_at", "created_by")}),
        )

    @admin.display(description=gettext_lazy("预览"))
    def player(self, obj):
        from .templatetags.media_tags import video_html

        return video_html(obj)

    def save_model(self, request, obj, form, change):
        fields = {n: form.cleaned_data[n] for n in actions.VIDEO_FIELDS if n in form.changed_data}
        captions = form.cleaned_data.get("captions_file")
        if change:
            actions.update_video(obj, by=request.user, fields=fields)
            if captions:
                actions.set_video_captions(obj, captions, by=request.user)
            tell_about_reviewed_text(self, request, obj, form.changed_data)
            return
        video = actions.upload_video(
            form.cleaned_data["upload"], by=request.user, title=form.cleaned_data.get("title") or "",
            description=form.cleaned_data.get("description") or "", credit=form.cleaned_data.get("credit") or "",
            captions=captions, captions_language=form.cleaned_data.get("captions_language") or "zh-Hans",
        )
        _adopt(obj, video)
        if getattr(video, "reused", False):
            self.message_user(request, reused_message(video), messages.WARNING)

    def save_related(self, request, form, formsets, change):
        pass


class AttachmentForm(PastedTextFormMixin, forms.ModelForm):
    upload = forms.FileField(
        label=gettext_lazy("文件"),
        help_text=gettext_lazy("PDF、OFD、Word（DOC/DOCX）、Excel（XLS/XLSX）或 WPS 文字/表格，按文件内容识别类型。"),
    )

    class Meta:
        model = Attachment
        fields = ("title",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A view-only user's form has no editable fields at all: touch only those present.
        if self.instance.pk:
            self.fields.pop("upload", None)
        if "title" in self.fields:
            self.fields["title"].required = bool(self.instance.pk)

    def clean_upload(self):
        upload = self.cleaned_data["upload"]
        actions.validate_attachment(upload)
        return upload


@admin.register(Attachment)
class AttachmentAdmin(_TraditionalTextMixin, AuditTrailAdminMixin, admin.ModelAdmin):
    form = AttachmentForm
    list_display = ("title", "kind", "size", "created_at")
    list_filter = ("kind",)
    search_fields = ("title", "original_name")
    readonly_fields = ("kind", "size", "original_name", "created_at", "created_by")

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("upload", "title")
        return self.with_traditional_text(obj, ("title", "kind", "size", "original_name", "created_at", "created_by"))

    @admin.display(description=gettext_lazy("大小"), ordering="size_bytes")
    def size(self, obj):
        return filesizeformat(obj.size_bytes)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if change:
            actions.update_attachment(obj, by=request.user, title=form.cleaned_data["title"])
            tell_about_reviewed_text(self, request, obj, form.changed_data)
            return
        attachment = actions.upload_attachment(
            form.cleaned_data["upload"], by=request.user, title=form.cleaned_data.get("title") or ""
        )
        _adopt(obj, attachment)
        if getattr(attachment, "reused", False):
            self.message_user(request, reused_message(attachment), messages.WARNING)
