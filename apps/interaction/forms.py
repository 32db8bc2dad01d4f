from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Kind


class MessageForm(forms.Form):
    """The fields of a message; the rules are ``actions.clean_submission`` (one place)."""

    kind = forms.ChoiceField(label=_("类型"), choices=Kind.choices, widget=forms.RadioSelect, initial=Kind.QUESTION)
    subject = forms.CharField(label=_("标题"), max_length=100)
    text = forms.CharField(label=_("内容"), max_length=3000, widget=forms.Textarea(attrs={"rows": 8}),
                           help_text=_("不超过 3000 字，请使用纯文本"))
    name = forms.CharField(label=_("姓名"), max_length=50, help_text=_("不公开"))
    phone = forms.CharField(label=_("联系电话"), max_length=30, help_text=_("不公开；查询办理进度时需要"),
                            widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}))
    email = forms.EmailField(label=_("电子邮箱"), required=False, help_text=_("不公开；选填，用于接收受理编号"),
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    publish_consent = forms.BooleanField(
        label=_("同意公开我的问题和答复"), required=False,
        help_text=_("公开时不显示姓名、电话和电子邮箱；工作人员会删去内容中的个人信息"),
    )
    started = forms.CharField(widget=forms.HiddenInput, required=False)
    website = forms.CharField(label=_("请勿填写此项"), required=False,
                              widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.error_messages_required()

    def error_messages_required(self):
        for name, field in self.fields.items():
            field.error_messages["required"] = _("请填写%(label)s。") % {"label": field.label}
        self.fields["kind"].error_messages["required"] = _("请选择留言类型。")
        self.fields["kind"].error_messages["invalid_choice"] = _("请选择留言类型。")
        self.fields["email"].error_messages["invalid"] = _("请填写有效的电子邮箱地址。")


class LookupForm(forms.Form):
    tracking_number = forms.CharField(label=_("受理编号"), max_length=30,
                                      error_messages={"required": _("请填写受理编号。")})
    phone = forms.CharField(label=_("联系电话"), max_length=30,
                            error_messages={"required": _("请填写留言时的联系电话。")})
