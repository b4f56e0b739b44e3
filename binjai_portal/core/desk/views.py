from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ..permissions import staff_required
from . import activity_for, desk_for, remember_count


@staff_required
def desk(request: HttpRequest) -> HttpResponse:
    """Meja kerja: what waits for this officer in every service, overdue and oldest first."""
    sections = desk_for(request.user)
    total = sum(s.pile.count for s in sections)
    remember_count(request.user, total)
    return render(
        request,
        "core/desk.html",
        {
            "sections": sections,
            "total": total,
            "overdue": sum(s.pile.overdue for s in sections),
        },
    )


@login_required
def my_activity(request: HttpRequest) -> HttpResponse:
    """Aktivitas saya: the citizen's and their family's records in every service."""
    items = activity_for(request.user)
    # What still needs the citizen or an officer first; what is finished folded below,
    # so a long history does not bury today's steps.
    return render(
        request,
        "core/activity.html",
        {
            "open_items": [i for i in items if i.next_step],
            "done_items": [i for i in items if not i.next_step],
        },
    )
