from django import forms
from django.utils.translation import gettext_lazy as _

from .actions import PROPOSABLE_FIELDS
from .models import Enterprise, ImportEncoding


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("表格文件"),
        help_text=_("CSV（UTF-8、带 BOM 的 UTF-8、GBK 或 GB18030）或 Excel .xlsx；第一行为表头，中文列名或英文字段名均可。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}),
        error_messages={"empty": _("上传的文件是空的，没有任何内容。"), "required": _("请选择要导入的文件。")},
    )
    encoding = forms.ChoiceField(
        label=_("CSV 文件编码"), choices=ImportEncoding.choices, initial=ImportEncoding.AUTO,
        widget=forms.RadioSelect, help_text=_("一般选“自动检测”；表头显示为乱码时，请选择 GBK。.xlsx 文件无需选择。"),
    )


class ProposalForm(forms.ModelForm):
    """What an enterprise user may propose to change about their own entry."""

    note = forms.CharField(
        label=_("修改说明"), required=False, max_length=200, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("简要说明修改的原因，便于审核人员核对，例如：公司已搬迁至新地址。"),
    )

    class Meta:
        model = Enterprise
        fields = PROPOSABLE_FIELDS
        widgets = {
            "founded_on": forms.DateInput(attrs={"type": "date"}),
            "description": forms.Textarea(attrs={"rows": 6}),
            "main_products": forms.Textarea(attrs={"rows": 3}),
        }

    def changed_values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.changed_data if name in PROPOSABLE_FIELDS}
