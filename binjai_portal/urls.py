from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from binjai_portal.accounts import views as accounts_views
from binjai_portal.accounts.forms import AdminLoginForm
from binjai_portal.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    # Liveness (also at /healthz, what load balancers and .ci/run poll) and readiness.
    path("healthz", core_views.healthz_live, name="healthz"),
    path("healthz/live", core_views.healthz_live, name="healthz-live"),
    path("healthz/ready", core_views.healthz_ready, name="healthz-ready"),
    path("bench/baseline", core_views.bench_baseline, name="bench-baseline"),
    # The language switch, remembered on the account when logged in (before Django's own).
    path("i18n/setlang/", accounts_views.set_language, name="set_language"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("akun/", include("binjai_portal.accounts.urls")),
    path("privasi/", include("binjai_portal.core.privacy.urls")),
    path("", include("binjai_portal.core.urls")),
    path("musrenbang/", include("musrenbang.urls")),
    path("masyarakat/", include("masyarakat.urls")),
    path("dokter/", include("dokter.urls")),
    path("api/dokter/", include("dokter.api_urls")),
    path("api/fhir/", include("dokter.fhir_urls")),
    path("api/jkn/", include("dokter.bpjs.urls")),
    path("api/open311/v2/", include("masyarakat.api_urls")),
    path("perizinan/", include("perizinan.urls")),
    path("budgeting/", include("budgeting.urls")),
    path("command-center/", include("command_center.urls")),
    path("tagihan/", include("binjai_portal.core.billing.urls")),
    path("", include("binjai_portal.core.billing.snap_urls")),  # SNAP BI: /v1.0/...
    path("admin/", admin.site.urls),
]

handler400 = "binjai_portal.core.views.bad_request"
handler403 = "binjai_portal.core.views.permission_denied"
handler404 = "binjai_portal.core.views.page_not_found"
handler500 = "binjai_portal.core.views.server_error"

admin.site.login_form = AdminLoginForm  # NIK, e-mail or phone, as on the portal
admin.site.site_header = settings.SITE_NAME
admin.site.site_title = settings.SITE_NAME
