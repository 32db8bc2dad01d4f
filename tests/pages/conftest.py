# The editorial factories (people in every role, pages in every state).
from tests.editorial.conftest import pages, people  # noqa: F401
