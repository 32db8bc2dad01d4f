"""Submission checks: what other apps add to an item's ``submission_problems()``.

The engine never imports the apps that check content (the wording check of
``apps.inspection``, for one): they register a :class:`SubmissionCheck` in their
``AppConfig.ready()`` and the engine asks every registered check at each gate:

- ``submit``, ``publish``, ``schedule`` and ``urgent_publish`` call
  :func:`require_no_problems` under the item's row lock: a problem refuses the
  action (``InvalidTransition``, a 409 in the admin); when there is none, each
  check's ``passed()`` runs in the same transaction (e.g. to use up a one-time
  override), so a refused action leaves nothing written;
- after a save in the admin, :func:`saved_warnings` gives the messages shown to
  the editor (problems and non-blocking warnings);
- the change page shows each check's :meth:`SubmissionCheck.panel`, for the
  reviewer at each step.

``submission_problems(item, stage=...)`` is the one list: the model's own
``submission_problems()`` (alt text, media still processing …) followed by the
registered checks' problems.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from apps.core.errors import InvalidTransition

SUBMIT = "submit"
PUBLISH = "publish"
SCHEDULE = "schedule"
URGENT_PUBLISH = "urgent_publish"
STAGES = (SUBMIT, PUBLISH, SCHEDULE, URGENT_PUBLISH)


class SubmissionCheck:
    """Override what applies. ``revision`` is the version the gate is about (the
    latest draft at submission, the approved one at publication)."""

    def problems(self, item, *, stage: str, revision) -> list[str]:
        """Chinese reasons that refuse the gate."""
        return []

    def warnings(self, item, *, revision) -> list[str]:
        """Chinese notes shown after a save that do not refuse anything."""
        return []

    def passed(self, item, *, stage: str, revision, by) -> None:
        """The gate goes ahead (inside its transaction, under the row lock)."""

    def panel(self, request, item) -> str:
        """Safe HTML for the item's change page (``""`` for none)."""
        return ""


_CHECKS: list[SubmissionCheck] = []


def register_submission_check(check: SubmissionCheck) -> None:
    """Add a check (idempotent: registering the same object twice keeps one)."""
    if check not in _CHECKS:
        _CHECKS.append(check)


def registered_checks() -> list[SubmissionCheck]:
    return list(_CHECKS)


def _revision_of(item, revision):
    return revision if revision is not None else item.latest_revision


def submission_problems(item, *, stage: str = SUBMIT, revision=None) -> list[str]:
    """The model's own problems, then each registered check's."""
    revision = _revision_of(item, revision)
    problems = list(item.submission_problems())
    for check in _CHECKS:
        problems.extend(check.problems(item, stage=stage, revision=revision))
    return problems


_REFUSALS = {
    SUBMIT: gettext_lazy("暂不能提交审核："),
    PUBLISH: gettext_lazy("暂不能发布："),
    SCHEDULE: gettext_lazy("暂不能定时发布："),
    URGENT_PUBLISH: gettext_lazy("暂不能紧急发布："),
}


def require_no_problems(item, *, stage: str, by, revision=None) -> None:
    """Refuse the gate with every problem, or tell each check it was passed."""
    revision = _revision_of(item, revision)
    problems = submission_problems(item, stage=stage, revision=revision)
    if problems:
        raise InvalidTransition(str(_REFUSALS[stage]) + "；".join(problems))
    for check in _CHECKS:
        check.passed(item, stage=stage, revision=revision, by=by)


def saved_warnings(item) -> list[str]:
    """What an editor is told after saving: registered problems and warnings."""
    revision = item.latest_revision
    if revision is None:
        return []
    notes = []
    for check in _CHECKS:
        notes.extend(check.problems(item, stage=SUBMIT, revision=revision))
        notes.extend(check.warnings(item, revision=revision))
    return notes


def panels(request, item) -> list[str]:
    return [html for html in (check.panel(request, item) for check in _CHECKS) if html]
