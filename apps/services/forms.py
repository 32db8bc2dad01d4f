"""Forms of the enterprise pages. They render the fields and carry what was typed;
the rules live in ``validation`` and the actions, whose errors the views put
back beside the fields (``add_action_errors``)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import AttributeType


def _required(label, required: bool):
    return _("%(label)s（必填）") % {"label": label} if required else label


class RequestForm(forms.Form):
    contact_name = forms.CharField(label=_("联系人（必填）"), max_length=50, required=False)
    contact_phone = forms.CharField(label=_("联系电话（必填）"), max_length=20, required=False,
                                    widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))
    description = forms.CharField(
        label=_("诉求描述（必填）"), required=False, widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("纯文本，不超过 4000 字。"),
    )
    address = forms.CharField(label=_("地点或地址"), max_length=200, required=False,
                              help_text=_("涉及具体地点时填写，例如项目所在地"))

    def __init__(self, *args, service, **kwargs):
        super().__init__(*args, **kwargs)
        self.service = service
        self.definitions = list(service.attribute_definitions.all())
        self.material_rows = list(service.materials.all())
        for d in self.definitions:
            self.fields[f"attr_{d.code}"] = self._attribute_field(d)
        for m in self.material_rows:
            self.fields[f"material_{m.pk}"] = forms.FileField(
                label=_required(m.name, m.required), required=False,
                help_text=_("接受：%(types)s") % {"types": m.file_types},
            )
        self.fields["material_other"] = forms.FileField(label=_("其他材料"), required=False,
                                                        help_text=_("PDF、OFD、Word、Excel 或图片"))
        for name in ("contact_name", "contact_phone", "description"):
            self.fields[name].widget.attrs["aria-required"] = "true"

    @staticmethod
    def _attribute_field(d):
        label = _required(d.label, d.required)
        common = {"label": label, "required": False, "help_text": d.help_text}
        kind = d.datatype
        if kind == AttributeType.LONG_TEXT:
            field = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), **common)
        elif kind == AttributeType.NUMBER:
            field = forms.CharField(widget=forms.TextInput(attrs={"inputmode": "decimal"}), **common)
        elif kind == AttributeType.DATE:
            field = forms.CharField(widget=forms.DateInput(attrs={"type": "date"}), **common)
        elif kind == AttributeType.SINGLE:
            field = forms.CharField(widget=forms.RadioSelect(choices=[(c, c) for c in d.choice_list]), **common)
        elif kind == AttributeType.MULTIPLE:
            field = forms.MultipleChoiceField(choices=[(c, c) for c in d.choice_list],
                                              widget=forms.CheckboxSelectMultiple, **common)
        elif kind == AttributeType.YES_NO:
            field = forms.CharField(widget=forms.RadioSelect(choices=[("yes", _("是")), ("no", _("否"))]), **common)
        elif kind == AttributeType.FILE:
            field = forms.FileField(**common)
        else:
            field = forms.CharField(**common)
        if d.required:
            field.widget.attrs["aria-required"] = "true"
        return field

    def raw_values(self, data, files) -> dict:
        """What the actions take: attributes, file attributes and materials, as posted."""
        attributes, attribute_files = {}, {}
        for d in self.definitions:
            key = f"attr_{d.code}"
            if d.datatype == AttributeType.FILE:
                if files.get(key):
                    attribute_files[d.code] = files[key]
            elif d.datatype == AttributeType.MULTIPLE:
                attributes[d.code] = data.getlist(key)
            else:
                attributes[d.code] = data.get(key, "")
        materials = {m.pk: [files[f"material_{m.pk}"]] for m in self.material_rows if files.get(f"material_{m.pk}")}
        if files.get("material_other"):
            materials["other"] = [files["material_other"]]
        return {
            "contact_name": data.get("contact_name", ""), "contact_phone": data.get("contact_phone", ""),
            "description": data.get("description", ""), "address": data.get("address", ""),
            "attributes": attributes, "attribute_files": attribute_files, "materials": materials,
        }


class SupplementForm(forms.Form):
    text = forms.CharField(label=_("补正说明（必填）"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    files = forms.FileField(label=_("补正材料"), required=False, help_text=_("PDF、OFD、Word、Excel 或图片"))
    files2 = forms.FileField(label=_("补正材料（第二份）"), required=False)


class LookupForm(forms.Form):
    tracking_number = forms.CharField(label=_("受理编号"), max_length=30,
                                      help_text=_("例如 GX2026-8K3F-Q7，见提交成功页面和通知邮件"))
    phone = forms.CharField(label=_("提交时填写的联系电话"), max_length=20,
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))


def add_action_errors(form, exc: ValidationError) -> None:
    """Put an action's ValidationError beside the fields it names."""
    if hasattr(exc, "error_dict"):
        for key, messages in exc.message_dict.items():
            field = key if key in form.fields else None
            if field and form.errors.get(field):
                continue
            for message in messages:
                form.add_error(field, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


class RatingForm(forms.Form):
    """好差评: five levels overall (required), the optional dimensions, a comment."""

    def __init__(self, *args, **kwargs):
        from .models.ratings import DIMENSIONS, Score

        super().__init__(*args, **kwargs)
        levels = [(value, label) for value, label in Score.choices]
        # Plain fields rendered as radios: the action checks the levels and its message shows.
        self.fields["score"] = forms.CharField(
            label=_("总体评价（必填）"), required=False, widget=forms.RadioSelect(choices=levels))
        for name, label in DIMENSIONS:
            self.fields[name] = forms.CharField(
                label=_("%(label)s（选填）") % {"label": label}, required=False, widget=forms.RadioSelect(choices=levels))
        self.fields["comment"] = forms.CharField(
            label=_("评价内容（选填）"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
            help_text=_("不超过 500 字。评价人信息受保护，办理人员看不到是谁评价的。"))
