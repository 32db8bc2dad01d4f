import pytest


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The media tests are framework-free: they never touch Django's cache.

    Overrides the autouse fixture of the same name in tests/conftest.py so
    that these tests also run without configured settings
    (``python -m pytest tests/media -p no:django``).
    """
    yield


# --- Fixtures for the Django side of apps.media (requested explicitly) ----------------

@pytest.fixture
def media_storage(settings, tmp_path):
    """Public and private media in a fresh folder per test; returns (public, private) roots."""
    from apps.media.models import private_storage
    from django.utils.functional import empty

    public, private = tmp_path / "media", tmp_path / "private"
    settings.MEDIA_ROOT = str(public)
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                    "OPTIONS": {"location": str(private)}},
    }
    private_storage._wrapped = empty
    yield public, private
    private_storage._wrapped = empty


@pytest.fixture
def media_queues():
    """The real broker's media and video queues (see tests/conftest.py::BrokerQueue)."""
    from parkportal.celery import app
    from tests.conftest import BrokerQueue

    queues = {"media": BrokerQueue(app, "media"), "video": BrokerQueue(app, "video")}
    for queue in queues.values():
        queue.drain()
    yield queues
    for queue in queues.values():
        queue.drain()


def files_under(root) -> list:
    from pathlib import Path

    root = Path(root)
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()) if root.exists() else []
