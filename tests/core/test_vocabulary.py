"""One word for one thing (issue 17): "inbox" is the notification list only, the officers'
work queue is "work-queue" in every app, e-Dokter's paths say neither "pesan" (a message in
e-Masyarakat) nor "tiket" (a complaint), and every path that was renamed still answers
with a permanent redirect to its new one."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from binjai_portal.core.moved import Moved

pytestmark = pytest.mark.django_db

CODE = "ABCDEFGH23"

# Old path → URL name (and args) of the new one.
OLD_PATHS = [
    ("/perizinan/kotak-masuk/", "perizinan:work-queue", []),
    ("/masyarakat/petugas/", "masyarakat:work-queue", []),
    ("/musrenbang/petugas/", "musrenbang:work-queue", []),
    ("/dokter/fasilitas/pkm/umum/pesan/", "dokter:booking-create", ["pkm", "umum"]),
    (f"/dokter/tiket/{CODE}/", "dokter:ticket", [CODE]),
    (f"/dokter/tiket/{CODE}/langsung/", "dokter:ticket-live", [CODE]),
    (f"/dokter/tiket/{CODE}/batal/", "dokter:ticket-cancel", [CODE]),
    (f"/dokter/tiket/{CODE}/nilai/", "dokter:ticket-rate", [CODE]),
]


def routes(resolver=None, prefix="", namespace=""):
    """(full name or None, path pattern, moved?) of every route of the portal."""
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace or ""
            full = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from routes(p, prefix + str(p.pattern), full)
        elif isinstance(p, URLPattern):
            name = f"{namespace}:{p.name}" if p.name and namespace else p.name
            moved = getattr(p.callback, "view_class", None) is Moved
            yield name, prefix + str(p.pattern), moved


def test_inbox_is_only_the_notification_list():
    inboxes = {name for name, _, _ in routes() if name and "inbox" in name}
    assert inboxes and all(name.startswith("core:inbox") for name in inboxes), inboxes
    assert reverse("core:inbox") == "/notifikasi/"


@pytest.mark.parametrize("app", ["perizinan", "masyarakat", "musrenbang"])
def test_the_officers_work_queue_has_one_name_in_every_app(app):
    names = {name for name, _, _ in routes() if name}
    assert reverse(f"{app}:work-queue") == f"/{app}/antrean-kerja/"
    assert not names & {f"{app}:inbox", f"{app}:staff-queue", f"{app}:officer-list"}


def test_e_dokter_paths_say_neither_pesan_nor_tiket():
    live = [path for _, path, moved in routes() if path.startswith("dokter/") and not moved]
    assert live
    offending = [p for p in live if "pesan" in p.split("/") or "tiket" in p.split("/")]
    assert offending == []
    # The old paths are still there, but only as redirects.
    old = [path for _, path, moved in routes() if path.startswith("dokter/") and moved]
    assert any("tiket" in p for p in old) and any("pesan" in p for p in old)


@pytest.mark.parametrize(("old", "name", "args"), OLD_PATHS)
def test_every_old_path_moves_permanently(client, old, name, args):
    new = reverse(name, args=args)
    assert new != old
    r = client.get(old + "?page=2")
    assert r.status_code == 301
    assert r["Location"] == new + "?page=2"


def test_every_redirecting_route_is_in_the_list():
    """A path renamed later joins OLD_PATHS (and so is checked to redirect)."""
    moved = {path for _, path, m in routes() if m}
    listed = {old for old, _, _ in OLD_PATHS}
    for pattern in moved:
        parts = pattern.strip("/").split("/")
        assert any(
            len(parts) == len(o.strip("/").split("/"))
            and all(
                p == q or p.startswith("<")
                for p, q in zip(parts, o.strip("/").split("/"), strict=True)
            )
            for o in listed
        ), pattern
