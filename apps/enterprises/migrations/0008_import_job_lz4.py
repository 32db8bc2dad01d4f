# The import job's large columns (the uploaded file, the stored preview and the
# plan: ~20 MB of JSON for a 20,000-row file) are compressed with lz4 instead of
# PostgreSQL's default pglz when the server supports it (PostgreSQL 14+ built
# with lz4, as Debian's and the official images are): the preview's write of
# the plan costs ~0.15 s less (docs/BENCHMARKS.md). Elsewhere nothing changes.

from django.db import migrations, transaction
from django.db.utils import DatabaseError

COLUMNS = ("data", "preview", "errors", "warnings", "plan")


def _set_compression(apps, schema_editor, method):
    connection = schema_editor.connection
    if connection.vendor != "postgresql" or connection.pg_version < 140000:
        return
    table = schema_editor.quote_name("enterprises_importjob")
    changes = ", ".join(f"ALTER COLUMN {schema_editor.quote_name(c)} SET COMPRESSION {method}" for c in COLUMNS)
    try:
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE {table} {changes}")
    except DatabaseError:  # a server built without lz4 keeps pglz
        pass


def to_lz4(apps, schema_editor):
    _set_compression(apps, schema_editor, "lz4")


def to_default(apps, schema_editor):
    _set_compression(apps, schema_editor, "default")


class Migration(migrations.Migration):

    dependencies = [
        ("enterprises", "0007_state_indexes_without_like"),
    ]

    operations = [
        migrations.RunPython(to_lz4, to_default),
    ]
