import pytest


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The media tests are framework-free: they never touch Django's cache.

    Overrides the autouse fixture of the same name in tests/conftest.py so
    that these tests also run without configured settings
    (``python -m pytest tests/media -p no:django``).
    """
    yield
