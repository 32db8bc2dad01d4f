"""Thin Celery tasks for large spreadsheet imports: they take the job's id and
call the import's work (:mod:`.importing`), which re-reads the job row (the
database is the record of what still needs doing) and is safe to run twice."""

from celery import shared_task

from . import importing


@shared_task(name="enterprises.analyse_import", ignore_result=True, acks_late=True,
             soft_time_limit=600, time_limit=660)
def analyse_import(job_id: int) -> None:
    try:
        importing.analyse_import(job_id)
    except importing.ImportRefused:
        pass  # recorded on the job: the admin shows the reason


@shared_task(name="enterprises.apply_import", ignore_result=True, acks_late=True,
             soft_time_limit=1200, time_limit=1260)
def apply_import(job_id: int) -> None:
    importing.apply_import(job_id)


@shared_task(name="enterprises.purge_import_files", ignore_result=True)
def purge_import_files() -> int:
    return importing.purge_import_files()
