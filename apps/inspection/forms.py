from django import forms
from django.utils.translation import gettext_lazy as _


class ImportForm(forms.Form):
    file = forms.FileField(label=_("词表文件"), help_text=_("CSV（UTF-8 或 GBK）或 XLSX；表头：词语、类别、严重程度、建议表述、说明、启用"))
    replace = forms.BooleanField(label=_("整体替换"), required=False,
                                 help_text=_("勾选后，文件中没有的词条将被删除"))
    dry_run = forms.BooleanField(label=_("仅预览，不保存"), required=False)

    MAX_BYTES = 5 * 1024 * 1024

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("文件不能超过 5 MB。"))
        return upload


class OverrideForm(forms.Form):
    reason = forms.CharField(label=_("放行理由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
