"""Content-Security-Policy: no inline script, handler or style in any template.

The policy (settings.CONTENT_SECURITY_POLICY) allows scripts and styles from the site's
own static files only, so an inline one would silently stop working in the browser;
this scan names it before a browser test has to find it.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import RequestFactory

ROOT = Path(settings.BASE_DIR)
TEMPLATES = sorted(
    p
    for p in ROOT.glob("**/templates/**/*.html")
    if ".venv" not in p.parts and "node_modules" not in p.parts
)
INLINE_SCRIPT = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I
)
HANDLER = re.compile(r"<[^>]*\s(?:on[a-z]+|hx-on[-:][-:\w]*)\s*=", re.I)  # hx-on is eval
STYLE_ATTR = re.compile(r"<[^>]*\sstyle\s*=", re.I)
STYLE_TAG = re.compile(r"<style\b(?![^>]*nonce=)", re.I)


def test_the_scan_finds_the_templates():
    assert len(TEMPLATES) > 50


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_inline_script_handler_or_style(path):
    text = path.read_text()
    for name, pattern in (
        ("inline <script>", INLINE_SCRIPT),
        ("event handler", HANDLER),
        ("style attribute", STYLE_ATTR),
        ("<style> without nonce", STYLE_TAG),
    ):
        found = pattern.search(text)
        assert not found, f"{name} in {path.relative_to(ROOT)}: {found.group(0)[:80]}"


def test_the_500_page_styles_itself_with_the_policy_nonce(client):
    from csp.middleware import CSPMiddleware

    from binjai_portal.core.views import server_error

    request = RequestFactory().get("/")
    middleware = CSPMiddleware(lambda r: server_error(r))
    response = middleware(request)
    nonce = str(request._csp_nonce)
    assert response.status_code == 500
    assert f'<style nonce="{nonce}">' in response.content.decode()
    assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
