from django.shortcuts import render

from binjai_portal.core.catalog import service_by_slug


def index(request):
    context = {"service": service_by_slug("budgeting")}
    return render(request, "budgeting/index.html", context)
