"""API keys of the Open311 GeoReport v2 API and the record of what each key filed.

A key is issued by staff either to an enterprise account (it files requests for
that enterprise and reads that enterprise's requests in full) or to a partner
system (it reads what the public reads, at its own rate limit). Only a SHA-256
hash of the secret is stored: the key is shown once, when it is issued. A
revoked key stops working at once and stays listed.
"""

import hashlib
import hmac

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class KeyKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业账号")
    PARTNER = "partner", _("合作系统")


class ApiKeyQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)

    def matching(self, raw: str):
        """The active key whose secret is ``raw`` (``<prefix>.<secret>``), or None."""
        prefix, _sep, secret = (raw or "").strip().partition(".")
        if not prefix or not secret or len(raw) > 200:
            return None
        key = self.active().select_related("account").filter(prefix=prefix).first()
        if key is None or not hmac.compare_digest(key.key_hash, hash_secret(secret)):
            return None
        return key


class ApiKey(models.Model):
    name = models.CharField(_("用途说明"), max_length=100, help_text=_("例如：某企业内部办公系统对接"))
    kind = models.CharField(_("持有方类型"), max_length=20, choices=KeyKind.choices)
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("企业账号"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="api_keys",
    )
    partner = models.CharField(_("合作系统名称"), max_length=100, blank=True)
    prefix = models.CharField(_("密钥前缀"), max_length=16, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, editable=False)
    rate_per_hour = models.PositiveIntegerField(_("每小时调用上限"), default=600)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("签发人"), on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("签发时间"), default=timezone.now)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("撤销人"), on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    last_used_at = models.DateTimeField(_("最近使用时间"), null=True, blank=True)

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        verbose_name = _("接口密钥")
        verbose_name_plural = _("接口密钥")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=KeyKind.ENTERPRISE, account__isnull=False)
                | (Q(kind=KeyKind.PARTNER, account__isnull=True) & ~Q(partner="")),
                name="open311_key_holder",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.prefix}）"

    @property
    def holder(self) -> str:
        return str(self.account) if self.kind == KeyKind.ENTERPRISE else self.partner

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class ApiSubmission(models.Model):
    """A request filed through the API: which key filed it, and the token that finds it
    (``GET tokens/{token}``)."""

    key = models.ForeignKey(ApiKey, verbose_name=_("接口密钥"), on_delete=models.PROTECT, related_name="submissions")
    request = models.OneToOneField("services.ServiceRequest", verbose_name=_("诉求"), on_delete=models.PROTECT,
                                   related_name="+")
    token = models.CharField(_("令牌"), max_length=40, unique=True)
    created_at = models.DateTimeField(_("提交时间"), default=timezone.now)

    class Meta:
        verbose_name = _("接口提交记录")
        verbose_name_plural = _("接口提交记录")
        ordering = ["-created_at", "-pk"]
