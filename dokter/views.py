from django.shortcuts import render

from binjai_portal.core.catalog import service_by_slug


def index(request):
    context = {"service": service_by_slug("dokter")}
    return render(request, "dokter/index.html", context)
