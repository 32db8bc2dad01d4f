from celery import shared_task

from . import indexing


@shared_task(name="search.index_items", ignore_result=True, acks_late=True, soft_time_limit=300, time_limit=330)
def index_items(key: str, pks: list) -> dict:
    return indexing.index_items(key, pks)


# Messages queued before index_items existed may still wait in an outbox.
@shared_task(name="search.index_item", ignore_result=True, acks_late=True, soft_time_limit=60, time_limit=90)
def index_item(key: str, pk: int) -> str:
    return indexing.index_item(key, pk)


@shared_task(name="search.rebuild_index", ignore_result=True, acks_late=True, soft_time_limit=1800, time_limit=1900)
def rebuild_index() -> dict:
    return indexing.rebuild()
