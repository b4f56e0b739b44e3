from django.shortcuts import render

from binjai_portal.core.catalog import service_by_slug


def index(request):
    # The service is not open yet: the shared landing page says so honestly.
    return render(request, "service_landing.html", {"service": service_by_slug("budgeting")})
