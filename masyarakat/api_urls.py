"""Open311 GeoReport v2, mounted by the project at /api/open311/v2/ (issue 5)."""

from django.urls import re_path

from binjai_portal.core import pagecache

from . import api

app_name = "open311"

FMT = r"\.(?P<fmt>json|xml)$"

urlpatterns = [
    re_path(r"^discovery" + FMT, api.discovery, name="o311-discovery"),
    re_path(r"^services" + FMT, api.service_list, name="o311-services"),
    re_path(
        r"^services/(?P<code>[-A-Za-z0-9_]+)" + FMT, api.service_definition, name="o311-service"
    ),
    re_path(
        r"^requests" + FMT,
        pagecache.public_page("masyarakat")(api.RequestsView.as_view()),
        name="o311-requests",
    ),
    re_path(
        r"^requests/(?P<request_id>[-A-Za-z0-9_]+)" + FMT, api.request_detail, name="o311-request"
    ),
    re_path(r"^tokens/(?P<token>[A-Za-z0-9_]+)" + FMT, api.token_detail, name="o311-token"),
]
