from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .health import run_checks


@never_cache
@require_safe
def healthz(request):
    """200 when database, cache, broker and a worker are all fine; 503 naming what failed.

    Public: the body names the failed checks, the reasons are only logged.
    """
    ok, checks = run_checks()
    body = {
        "status": "ok" if ok else "fail",
        "failed": [name for name, result in checks.items() if not result["ok"]],
        "checks": checks,
    }
    return JsonResponse(body, status=200 if ok else 503, json_dumps_params={"ensure_ascii": False})
