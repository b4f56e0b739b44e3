from django.shortcuts import render

from binjai_portal.core.catalog import service_by_slug


def index(request):
    context = {"service": service_by_slug("musrenbang")}
    return render(request, "musrenbang/index.html", context)
