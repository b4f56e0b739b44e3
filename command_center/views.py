from django.shortcuts import render

from binjai_portal.core.catalog import service_by_slug


def index(request):
    context = {"service": service_by_slug("command_center")}
    return render(request, "command_center/index.html", context)
