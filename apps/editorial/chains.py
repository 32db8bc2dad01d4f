"""Which review chain applies to an item, and the default chains."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from .models import ReviewChain, Sensitivity

# Defaults (DOMAIN.md 三审): 普通 = 复审 → 签发; 重要/敏感 = 初审 → 复审 → 终审(签发).
# Group names are the role groups of apps.accounts.roles.
DEFAULT_CHAINS = {
    Sensitivity.NORMAL: [("复审", "审核", 2), ("签发", "签发", 1)],
    Sensitivity.IMPORTANT: [("初审", "编辑", 1), ("复审", "审核", 2), ("终审（签发）", "签发", 1)],
    Sensitivity.SENSITIVE: [("初审", "编辑", 1), ("复审", "审核", 2), ("终审（签发）", "签发", 1)],
}


class NoReviewChain(LookupError):
    pass


def chain_for(item) -> ReviewChain:
    """The chain for this item's type and tier; the site default for the tier otherwise."""
    content_type = ContentType.objects.get_for_model(item, for_concrete_model=False)
    chains = list(
        ReviewChain.objects.filter(sensitivity=item.sensitivity)
        .filter(Q(content_type=content_type) | Q(content_type__isnull=True))
        .prefetch_related("steps__group")
    )
    chains.sort(key=lambda c: c.content_type_id is None)  # the specific chain first
    for chain in chains:
        if chain.steps.all():
            return chain
    raise NoReviewChain(item.sensitivity)


def steps_of(chain: ReviewChain) -> list[dict]:
    """A copy of the chain's steps, kept on the round so later edits don't change it."""
    return [
        {
            "name": step.name,
            "group_id": step.group_id,
            "group_name": step.group.name,
            "user_id": step.user_id,
            "due_workdays": step.due_workdays,
        }
        for step in sorted(chain.steps.all(), key=lambda s: s.position)
    ]


# 三审 by three people: on by default where the chain has three steps.
DISTINCT_REVIEWERS_BY_DEFAULT = {Sensitivity.IMPORTANT, Sensitivity.SENSITIVE}


def seed_default_chains(ReviewChain, ReviewStep, Group) -> None:
    """Create the default chains if missing (used by the data migration)."""
    labels = dict(Sensitivity.choices)
    has_flag = any(f.name == "distinct_reviewers" for f in ReviewChain._meta.get_fields())
    for tier, steps in DEFAULT_CHAINS.items():
        defaults = {"name": f"默认流程（{labels[tier]}）"}
        if has_flag:  # not in the historical model of migration 0002
            defaults["distinct_reviewers"] = tier in DISTINCT_REVIEWERS_BY_DEFAULT
        chain, created = ReviewChain.objects.get_or_create(content_type=None, sensitivity=tier, defaults=defaults)
        if not created:
            continue
        for position, (name, group_name, due) in enumerate(steps):
            group, _ = Group.objects.get_or_create(name=group_name)
            ReviewStep.objects.create(chain=chain, position=position, name=name, group=group, due_workdays=due)
