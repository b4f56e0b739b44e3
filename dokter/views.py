from django.shortcuts import render

from binjai_portal.core.catalog import service_by_slug


def index(request):
    return render(request, "dokter/index.html", {"service": service_by_slug("dokter")})
