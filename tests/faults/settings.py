"""Settings of the worker and beat processes the fault suite starts (tests/faults).

The test settings, with the recovery intervals shortened so that a test sees in
seconds what production does in minutes (the rules are the same: only the clock
is faster), mail written to files the test can read, and beat's schedule kept in
a file (the database's beat tables are the test's, flushed after it).
"""

from datetime import timedelta

from parkportal.settings.test import *  # noqa: F401,F403
from parkportal.settings.test import CELERY_BEAT_SCHEDULE, MEDIA_ROOT

EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = f"{MEDIA_ROOT}-mail"

# Production: 30 s / 90 s / 1 min (a killed worker's image is queued again within 2½ min).
PARKPORTAL_MEDIA_PROCESSING_HEARTBEAT = timedelta(seconds=1)
PARKPORTAL_MEDIA_REQUEUE_PROCESSING_GRACE = timedelta(seconds=4)
PARKPORTAL_MEDIA_SWEEP_INTERVAL = timedelta(seconds=2)
# Production: 30 s and every minute.
PARKPORTAL_OUTBOX_GRACE = timedelta(seconds=1)

# The private broker of tests/faults/conftest.py (one per test process): no key prefix.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 30 * 60}
CELERY_BEAT_SCHEDULER = "celery.beat:PersistentScheduler"
CELERY_BEAT_MAX_LOOP_INTERVAL = 1
CELERY_BEAT_SCHEDULE = {
    "media.sweep_stale": {**CELERY_BEAT_SCHEDULE["media.sweep_stale"], "schedule": PARKPORTAL_MEDIA_SWEEP_INTERVAL,
                          "options": {"expires": 1.5}},
    "core.deliver_outbox": {**CELERY_BEAT_SCHEDULE["core.deliver_outbox"], "schedule": timedelta(seconds=2),
                            "options": {"expires": 1.5}},
}
