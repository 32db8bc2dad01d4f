"""The default programme categories (an editable list; the admins may add more)."""

CATEGORIES = ("引进", "培育", "青年", "团队")


def seed_categories(ProgrammeCategory) -> None:
    """Idempotent; takes the model class so a data migration can pass its historical one."""
    for position, name in enumerate(CATEGORIES):
        ProgrammeCategory.objects.get_or_create(name=name, defaults={"position": position})
