"""bulk.Maker builds the same unsaved instances as the keyword constructor."""

from django.contrib.contenttypes.models import ContentType

from apps.core.models import AuditEntry
from apps.editorial.bulk import Maker
from apps.editorial.models import BatchEntry, Revision


def _values(obj):
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def test_an_instance_from_maker_equals_one_from_the_keyword_constructor(db):
    content_type = ContentType.objects.get_for_model(AuditEntry)
    made = Maker(AuditEntry, content_type_id=content_type.pk, action="x.y")(object_id="7", note="说明")
    built = AuditEntry(content_type_id=content_type.pk, action="x.y", object_id="7", note="说明")
    assert _values(made) == _values(built) and made._state.adding


def test_callable_defaults_are_called_for_each_instance(db):
    make = Maker(BatchEntry)
    first, second = make(object_id="1"), make(object_id="2")
    assert first.preview == {} and first.preview is not second.preview  # default=dict, not shared
    first.preview["row"] = 3
    assert second.preview == {}


def test_a_given_value_overrides_the_constant_and_the_default(db):
    make = Maker(Revision, kind="import", number=1)
    revision = make(kind="edit", summary="摘要")
    assert revision.kind == "edit" and revision.number == 1 and revision.summary == "摘要"
    assert revision.created_at is not None  # timezone.now, called per instance
