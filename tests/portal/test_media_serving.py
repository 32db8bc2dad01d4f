"""Who serves /media/: the run command's web process (DEBUG), never production."""

from tests.conftest import run_django

RESOLVE = (
    "from django.urls import resolve, Resolver404\n"
    "try:\n"
    "    print(resolve('/media/renditions/ab/abcdef/w640-0123456789ab.jpg').func.__name__)\n"
    "except Resolver404:\n"
    "    print('not-routed')\n"
)


def test_run_command_serves_renditions_from_media_root(tmp_path):
    result = run_django(RESOLVE, settings_module="parkportal.settings.dev",
                        env={"PARKPORTAL_VAR_DIR": str(tmp_path), "DATABASE_URL": None, "REDIS_URL": None,
                             "CELERY_BROKER_URL": None, "DEBUG": None})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "serve"


def test_production_never_routes_media_to_django(tmp_path):
    result = run_django(RESOLVE, settings_module="parkportal.settings.prod", env={
        "SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "www.example.gov.cn",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres", "PARKPORTAL_VAR_DIR": str(tmp_path),
    })
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "not-routed"
