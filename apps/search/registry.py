"""What site search covers: each domain registers its public content here.

A domain adds itself in a ``search.py`` module of its app (discovered when the
apps are ready, like ``admin.py``)::

    from apps.search.registry import register

    register(
        PressRelease, key="news", label=gettext_lazy("新闻"),
        rule=lambda: PressRelease.objects.published(),   # the domain's read rule, never re-stated
        title="title", summary="summary", body=("subtitle", "body", "keywords"),
        date="first_published_at",
        terms=("title",),          # optional: values that join the park dictionary
        prefetch=("clusters",),    # optional: what the fields below read
    )

``title``, ``summary`` and ``body`` are a field name, a tuple of field names
(joined), or a callable ``(item) -> str``; rich-text HTML is reduced to text.
``url`` defaults to ``get_absolute_url``. ``rule`` is called each time: only
what it returns is ever indexed, and an item that leaves it leaves the index in
the same transaction (``indexing.public_version_changed``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterable

from django.db import models

Source = str | tuple[str, ...] | Callable[[Any], str] | None


@dataclass(frozen=True)
class Registration:
    model: type[models.Model]
    key: str
    label: Any
    rule: Callable[[], models.QuerySet]
    title: Source
    summary: Source = None
    body: Source = None
    date: str | None = "public_updated_at"
    url: Callable[[Any], str] | None = None
    terms: tuple[str, ...] = ()
    prefetch: tuple[str, ...] = ()
    select: tuple[str, ...] = ()
    position: int = 100

    def queryset(self) -> models.QuerySet:
        """The read rule, with what building documents needs."""
        qs = self.rule()
        if self.select:
            qs = qs.select_related(*self.select)
        if self.prefetch:
            qs = qs.prefetch_related(*self.prefetch)
        return qs


_registry: dict[str, Registration] = {}
_by_model: dict[type, Registration] = {}


def register(model, *, key: str, label, rule, title: Source, **options) -> Registration:
    """Make ``model`` searchable (see the module's docstring). Registering a key
    twice replaces the first registration (a reload in tests)."""
    if not callable(rule):
        raise TypeError("rule must be a callable returning the domain's read-rule queryset")
    registration = Registration(model=model, key=key, label=label, rule=rule, title=title, **options)
    old = _registry.get(key)
    if old is not None:
        _by_model.pop(old.model, None)
    _registry[key] = registration
    _by_model[model] = registration
    return registration


def registrations() -> list[Registration]:
    """Every registration, in the order the type filter shows them."""
    return sorted(_registry.values(), key=lambda r: (r.position, r.key))


def for_key(key: str) -> Registration | None:
    return _registry.get(key)


def for_model(model) -> Registration | None:
    return _by_model.get(model)


def labels() -> dict[str, Any]:
    return {r.key: r.label for r in registrations()}


def autodiscover() -> None:
    """Import each installed app's ``search`` module, which registers its models."""
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("search")


def keys() -> Iterable[str]:
    return [r.key for r in registrations()]
