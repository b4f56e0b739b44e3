from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .catalog import SERVICES
from .health import health_report


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html", {"services": SERVICES})


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    healthy, report = health_report()
    return JsonResponse(report, status=200 if healthy else 503)


@require_GET
def bench_baseline(request: HttpRequest) -> JsonResponse:
    """A view that touches nothing: the floor the benchmarks compare pages against."""
    return JsonResponse({"ok": True})


def bad_request(request, exception=None):
    return render(request, "errors/400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "errors/403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def server_error(request):
    # No context processors: the database may be what failed.
    return HttpResponse(loader.get_template("errors/500.html").render(), status=500)
