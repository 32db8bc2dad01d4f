"""Logging filters named in settings.LOGGING: keep the expected out of the error log."""

import logging


class HealthProbeNotAnError(logging.Filter):
    """/healthz answers 503 while a service or the worker is not ready (at every
    start, until the worker's first heartbeat): that is the probe doing its job, so
    django.request's "Service Unavailable" for it is a WARNING, not an ERROR.
    What failed is logged by apps.core.health."""

    def filter(self, record):
        request = getattr(record, "request", None)
        if getattr(record, "status_code", None) == 503 and getattr(request, "path", "") == "/healthz":
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True


class NoDefaultHostWarning(logging.Filter):
    """kombu warns "No hostname was supplied" for every connection to the filesystem
    broker (``filesystem://``), which has no host to supply."""

    def filter(self, record):
        return not record.getMessage().startswith("No hostname was supplied")
