"""A path that moved: the old one (printed on a slip, bookmarked, shared in a message)
answers with a permanent redirect to the new one, by URL name."""

from django.views.generic import RedirectView


class Moved(RedirectView):
    """301 to the new path, its query string kept; a form posted to the old path (a page
    open since before) is sent on with its method and body (308)."""

    permanent = True
    query_string = True

    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        if request.method not in ("GET", "HEAD") and response.status_code == 301:
            response.status_code = 308
        return response


def moved(pattern_name: str):
    """The view for an old path: `moved("perizinan:work-queue")`."""
    return Moved.as_view(pattern_name=pattern_name)
