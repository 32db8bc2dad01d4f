"""Who may do what with a service request (read by the actions, views and queries).

- 督办 / service supervisor (``service_supervisor``): every request; assigns.
- 服务专员 / service agent (``service_agent``): requests of their own department
  (``User.department`` equals the service's responsible department) and those
  assigned to them.
- An enterprise account: its own enterprise's requests, through the directory
  membership; never another enterprise's.
"""

from apps.accounts.roles import SERVICE_AGENT, SERVICE_SUPERVISOR


def _group_names(user) -> frozenset:
    """The user's group names, read once per request's user object."""
    names = getattr(user, "_services_groups", None)
    if names is None:
        names = frozenset(user.groups.values_list("name", flat=True))
        user._services_groups = names
    return names


def _has_role(user, role: str) -> bool:
    from apps.accounts.roles import ROLES

    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    return ROLES[role].group_name in _group_names(user)


def is_supervisor(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_superuser) or _has_role(user, SERVICE_SUPERVISOR)


def is_agent(user) -> bool:
    return _has_role(user, SERVICE_AGENT)


def enterprise_id_of(user):
    """The enterprise an (active, non-staff) account speaks for, or None."""
    if not user.is_authenticated or not user.is_active or user.is_staff:
        return None
    from apps.enterprises.models import EnterpriseMembership

    cached = getattr(user, "_services_enterprise_id", False)
    if cached is False:
        cached = EnterpriseMembership.objects.filter(user=user).values_list("enterprise_id", flat=True).first()
        user._services_enterprise_id = cached
    return cached


def handles(user, request) -> bool:
    """Staff who may act on ``request``: a supervisor, the assignee, or an agent of its department."""
    if is_supervisor(user):
        return True
    return is_agent(user) and (request.assignee_id == user.pk or (bool(user.department) and user.department == request.department))


def is_requester(user, request) -> bool:
    """An account of the request's enterprise."""
    return enterprise_id_of(user) == request.enterprise_id and request.enterprise_id is not None


def may_view(user, request) -> bool:
    return handles(user, request) or is_requester(user, request)


def is_staff_handler(user) -> bool:
    """Sees the staff queue at all."""
    return is_supervisor(user) or is_agent(user)


def may_see_rater(user) -> bool:
    """Who rated is protected: only the supervisor (督办) sees it; the staff who handled
    the request see the score and the comment."""
    return is_supervisor(user)


def may_appeal(user, rating) -> bool:
    """Staff who handle the rated request (and the supervisor) may appeal it as malicious."""
    return handles(user, rating.request)


def may_file_appeal(user, rating) -> bool:
    """``user`` may file an appeal on ``rating`` now (what ``actions.file_appeal`` requires):
    they may appeal it, no appeal has been upheld, and none is pending."""
    return may_appeal(user, rating) and rating.excluded_at is None and not rating.appeals.pending().exists()


def may_decide_appeal(user, appeal) -> bool:
    """``user`` may decide ``appeal`` now (what ``actions.decide_appeal`` requires): it is
    pending, and they are a supervisor other than the one who filed it."""
    return appeal.is_pending and is_supervisor(user) and appeal.filed_by_id != user.pk
