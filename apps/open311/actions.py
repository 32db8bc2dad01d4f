"""Writes of the Open311 API: issuing and revoking keys (staff), filing a request
through a key (the services action does the work, by the key's enterprise account)."""

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import audit
from apps.core.errors import require, require_state
from apps.services import actions as services
from apps.services import rules

from .models import ApiKey, ApiSubmission, KeyKind, hash_secret


def may_manage_keys(user) -> bool:
    """Keys are issued and revoked by the service supervisor (督办) or a superuser."""
    return rules.is_supervisor(user)


@transaction.atomic
def issue_key(*, by, name: str, kind: str, account=None, partner: str = "", rate_per_hour: int = 600):
    """A new key: (row, the plaintext shown once). Only its hash is stored."""
    require(may_manage_keys(by), _("只有督办（服务主管）可以签发接口密钥。"))
    errors = {}
    name, partner = (name or "").strip()[:100], (partner or "").strip()[:100]
    if not name:
        errors["name"] = _("请填写密钥的用途说明。")
    if kind == KeyKind.ENTERPRISE:
        if account is None or rules.enterprise_id_of(account) is None:
            errors["account"] = _("企业密钥须签发给一个已关联企业、仍然有效的企业账号。")
        partner = ""
    elif kind == KeyKind.PARTNER:
        if not partner:
            errors["partner"] = _("请填写合作系统名称。")
        account = None
    else:
        errors["kind"] = _("请选择持有方类型。")
    if not isinstance(rate_per_hour, int) or not 1 <= rate_per_hour <= 100000:
        errors["rate_per_hour"] = _("每小时调用上限须在 1 到 100000 之间。")
    if errors:
        raise ValidationError(errors)
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    key = ApiKey.objects.create(name=name, kind=kind, account=account, partner=partner, prefix=prefix,
                                key_hash=hash_secret(secret), rate_per_hour=rate_per_hour, created_by=by)
    audit(key, "open311.issue_key", by=by, kind=kind, account=getattr(account, "pk", None), partner=partner)
    return key, f"{prefix}.{secret}"


@transaction.atomic
def revoke_key(key: ApiKey, *, by, reason: str = "") -> ApiKey:
    key = ApiKey.objects.select_for_update().get(pk=key.pk)
    require(may_manage_keys(by), _("只有督办（服务主管）可以撤销接口密钥。"))
    require_state(key.revoked_at is None, _("该密钥已经撤销。"))
    ApiKey.objects.filter(pk=key.pk).update(revoked_at=timezone.now(), revoked_by=by)
    audit(key, "open311.revoke_key", by=by, note=(reason or "").strip()[:500])
    key.refresh_from_db()
    return key


@transaction.atomic
def file_request(key: ApiKey, **fields):
    """POST requests: an enterprise key files through the services action, by its account.
    Returns the ApiSubmission (request and token)."""
    require(key.kind == KeyKind.ENTERPRISE and key.account_id is not None,
            _("合作系统密钥只能读取公开信息，不能提交诉求；请使用企业账号的密钥。"))
    request = services.submit_request(fields.pop("service_code"), by=key.account, **fields)
    submission = ApiSubmission.objects.create(key=key, request=request, token=secrets.token_urlsafe(24))
    audit(key, "open311.file_request", by=key.account, request=request.pk, tracking_number=request.tracking_number)
    return submission


def touch(key: ApiKey) -> None:
    """Remember when a key was last used (at most once a minute: no write per call)."""
    now = timezone.now()
    if key.last_used_at is None or (now - key.last_used_at).total_seconds() > 60:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
