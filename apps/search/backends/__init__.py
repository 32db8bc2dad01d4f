"""One interface over two full-text engines, chosen by the database in use:

- ``matching(queryset, parsed)``: the entries matching every group of the query,
  annotated with ``relevance`` (larger is better);
- ``ranking(queryset, parsed)``: ``relevance`` for entries already known to match;
- ``title_matching(queryset, parsed)``: the entries whose title alone matches;
- ``after_write(queryset)``: make written rows searchable (PostgreSQL fills the
  tsvector; SQLite's triggers already did).

Both search the same segmented columns (``title_seg``, ``summary_seg``,
``body_seg``) with the same token rule (the text was cut into space-separated
words by ``apps.search.text``), weighted title > summary > body.
"""

from django.db import connection


def backend():
    if connection.vendor == "postgresql":
        from . import postgres

        return postgres
    from . import sqlite

    return sqlite
