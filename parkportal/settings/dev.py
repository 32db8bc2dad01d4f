"""Local development and the README's run command: embedded services by default."""

from . import environment as env
from .base import *  # noqa: F401,F403

DEBUG = env.DEBUG if env.DEBUG else True
# A dev-only key: never used in production, which refuses to start without one.
SECRET_KEY = env.SECRET_KEY or "dev-only-insecure-key-never-use-in-production"
ALLOWED_HOSTS = env.ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]"]
# Printed on the console, but not the demo users' mail (they have .invalid addresses).
EMAIL_BACKEND = "parkportal.mail.DevEmailBackend"
