"""Enterprise accounts: staff invite them, their holders set and reset passwords.

An enterprise account is a non-staff user in the 企业用户 group with a directory
membership (``EnterpriseMembership``: one enterprise per account, several
accounts per enterprise). An invited account has no usable password until its
holder follows the e-mailed link, which Django's token generator makes
one-time (the token hashes the password and the last login, so it stops
working once used) and short-lived (``PASSWORD_RESET_TIMEOUT``). Sign-in goes
through django-axes like the staff's: five failures lock the account.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from apps.core.audit import audit
from apps.core.errors import require

from .roles import ENTERPRISE, ROLES

INVITE_PERMISSIONS = ("accounts.add_user", "enterprises.add_enterprisemembership")


def set_password_link(user) -> str:
    """The one-time link to set (or reset) ``user``'s password."""
    path = reverse("accounts:enterprise_set_password", kwargs={
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": default_token_generator.make_token(user)})
    return f"{settings.PARKPORTAL_ADMIN_BASE_URL}{path}"


def _mail_invitation(user_id: int) -> None:
    user = get_user_model().objects.select_related("enterprise_membership__enterprise").get(pk=user_id)
    context = {"user": user, "enterprise": user.enterprise_membership.enterprise, "link": set_password_link(user),
               "hours": settings.PASSWORD_RESET_TIMEOUT // 3600}
    subject = render_to_string("accounts/enterprise/invite_subject.txt", context).strip()
    send_mail(subject, render_to_string("accounts/enterprise/invite.txt", context), None, [user.email])


@transaction.atomic
def invite(*, by, enterprise, email: str, username: str = "", display_name: str = "", phone: str = ""):
    """Create an enterprise account for ``enterprise`` and e-mail its holder the
    link to set a password (after commit)."""
    from apps.enterprises.models import EnterpriseMembership

    require(all(by.has_perm(p) for p in INVITE_PERMISSIONS), _("您没有开通企业账号的权限。"))
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": _("请填写有效的电子邮箱地址。")}) from None
    users = get_user_model().objects
    username = (username or email).strip()[:150]
    if users.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("用户名“%(name)s”已被使用。") % {"name": username}})
    if users.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("该电子邮箱已有账号。") })
    user = users.create_user(username=username, email=email, password=None, is_staff=False,
                             display_name=display_name.strip()[:50], phone=phone.strip()[:20])
    user.groups.add(Group.objects.get(name=ROLES[ENTERPRISE].group_name))
    EnterpriseMembership.objects.create(user=user, enterprise=enterprise, created_by=by, updated_by=by)
    audit(user, "accounts.invite_enterprise_user", by=by, enterprise=enterprise.pk)
    transaction.on_commit(lambda: _mail_invitation(user.pk))
    return user


@transaction.atomic
def resend_invitation(user, *, by):
    """A new link for an account whose holder lost or let the first one expire."""
    require(all(by.has_perm(p) for p in INVITE_PERMISSIONS), _("您没有开通企业账号的权限。"))
    require(not user.is_staff and hasattr(user, "enterprise_membership"), _("这不是企业账号。"))
    audit(user, "accounts.resend_enterprise_invitation", by=by)
    transaction.on_commit(lambda: _mail_invitation(user.pk))
    return user
