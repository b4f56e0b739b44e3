from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.utils.crypto import constant_time_compare
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from . import notifications, pagecache, uploads
from .catalog import SERVICES
from .health import readiness_report
from .models import Notification


@pagecache.public_page()
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html", {"services": SERVICES})


@never_cache
@require_GET
def healthz_live(request: HttpRequest) -> JsonResponse:
    """Liveness: the process serves. Checks nothing, touches no database or cache."""
    return JsonResponse({"status": "ok"})


def _may_see_health_details(request: HttpRequest) -> bool:
    token = settings.HEALTHZ_TOKEN
    given = request.headers.get("X-Healthz-Token", "")
    if token and given and constant_time_compare(given, token):
        return True
    try:  # the session's user: a query, and the database may be what is down
        return bool(request.user.is_staff)
    except Exception:  # noqa: BLE001
        return False


@never_cache
@require_GET
def healthz_ready(request: HttpRequest) -> JsonResponse:
    """Readiness: 503 only without the database. Anonymous callers get the status word;
    staff and callers with the HEALTHZ_TOKEN header also get each part's state."""
    ready, report = readiness_report()
    if not _may_see_health_details(request):
        report = {"status": report["status"]}
    return JsonResponse(report, status=200 if ready else 503)


@require_GET
def bench_baseline(request: HttpRequest) -> JsonResponse:
    """A view that touches nothing: the floor the benchmarks compare pages against.
    Only with ENABLE_TEST_ENDPOINTS (bench/ sets it); a 404 everywhere else."""
    if not settings.ENABLE_TEST_ENDPOINTS:
        raise Http404
    return JsonResponse({"ok": True})


def bad_request(request, exception=None):
    return render(request, "errors/400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "errors/403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def server_error(request):
    # No context processors: the database may be what failed. The nonce (django-csp's,
    # set by its middleware) lets the page's one inline <style> through the policy.
    nonce = str(request.csp_nonce) if hasattr(request, "csp_nonce") else ""
    return HttpResponse(
        loader.get_template("errors/500.html").render({"csp_nonce": nonce}), status=500
    )


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    page = Paginator(notifications.notification_list_for_user(user=request.user), 20).get_page(
        request.GET.get("page")
    )
    return render(request, "core/inbox.html", {"page": page})


@login_required
@require_POST
def inbox_mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    notifications.notification_mark_read(user=request.user, notification_id=notification.pk)
    if notification.url and url_has_allowed_host_and_scheme(notification.url, allowed_hosts=None):
        return redirect(notification.url)
    return redirect("core:inbox")


@login_required
@require_POST
def inbox_mark_all_read(request: HttpRequest) -> HttpResponse:
    notifications.notification_mark_read(user=request.user)
    return redirect("core:inbox")


def upload_serve(request: HttpRequest, token: str) -> HttpResponse:
    return uploads.upload_response(request=request, token=token)
