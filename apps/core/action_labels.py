"""Display names of audit actions, registered by each app in its AppConfig.ready()."""

ACTION_LABELS: dict[str, str] = {}


def register_action_labels(labels: dict) -> None:
    ACTION_LABELS.update(labels)


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))
