"""Storing a request's uploaded materials privately (checked by content first)."""

import secrets

from django.core.files.base import ContentFile

from .models import RequestMaterial


def store(request, *, by, label: str, upload, checked: tuple[bytes, str], event=None) -> RequestMaterial:
    """Write one checked file under an unguessable name, then its row. Callers check
    every file before storing any, so a refused upload leaves no file; a file whose
    transaction later rolls back stays as an unreferenced orphan (harmless)."""
    data, kind = checked
    material = RequestMaterial(
        request=request, event=event, label=label[:200], kind=kind, size_bytes=len(data),
        original_name=(getattr(upload, "name", "") or "")[-255:], uploaded_by=by,
        stored_name=f"{secrets.token_hex(16)}.{kind}",
    )
    material.file.save(material.stored_name, ContentFile(data), save=False)
    try:
        material.save()
    except BaseException:
        material.file.storage.delete(material.file.name)
        raise
    return material
