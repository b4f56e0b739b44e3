"""Helpers shared by the browser tests (Playwright driving Debian's Chromium)."""

from pathlib import Path

import pytest

AXE = Path(__file__).resolve().parents[1] / "static" / "vendor" / "axe-core" / "axe.min.js"
PHONE = {"width": 360, "height": 740}


@pytest.fixture
def phone_page(browser, live_server):
    """A page in a 360 px wide phone viewport, pointed at the live server."""
    context = browser.new_context(viewport=PHONE, base_url=live_server.url, locale="id-ID")
    page = context.new_page()
    yield page
    context.close()


def axe_violations(page, impacts=("serious", "critical")) -> list[dict]:
    # From the site's own static files: the page's CSP refuses an inline copy.
    page.add_script_tag(url="/static/vendor/axe-core/axe.min.js")
    found = page.evaluate(
        """async () => (await axe.run(document)).violations.map(v => ({
            id: v.id, impact: v.impact, help: v.help,
            targets: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}))"""
    )
    return [v for v in found if v["impact"] in impacts]


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


# CONTENT SECURITY POLICY: every browser test fails on a violation

CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (e) => {
  window.__binjaiCspViolation({directive: e.effectiveDirective || e.violatedDirective,
                               blocked: e.blockedURI, source: e.sourceFile,
                               line: e.lineNumber, sample: e.sample});
});
"""


class CspGuard:
    """Collects CSP violations from every browser context a test opens.

    Each context gets an init script (run by the browser before the page's own, and
    not subject to the page's policy) that reports `securitypolicyviolation` events,
    and a console listener for the browser's own CSP error messages.
    """

    def __init__(self):
        self.violations: list[str] = []

    def watch(self, context) -> None:
        def report(source, info):
            self.violations.append(f"{source['page'].url}: {info}")

        def console(message):
            if message.type == "error" and "Content Security Policy" in message.text:
                self.violations.append(
                    f"{message.page.url if message.page else ''}: {message.text}"
                )

        context.expose_binding("__binjaiCspViolation", report)
        context.add_init_script(CSP_LISTENER)
        context.on("console", console)

    def check(self) -> None:
        assert not self.violations, "Content-Security-Policy violations:\n" + "\n".join(
            dict.fromkeys(self.violations)
        )


@pytest.fixture(autouse=True)
def csp_guard(request, monkeypatch):
    """Fail any browser test whose pages violate the Content-Security-Policy."""
    if request.node.get_closest_marker("browser") is None:
        yield None
        return
    from playwright.sync_api import Browser

    guard = CspGuard()
    original = Browser.new_context

    def new_context(self, *args, **kwargs):
        context = original(self, *args, **kwargs)
        guard.watch(context)
        return context

    monkeypatch.setattr(Browser, "new_context", new_context)
    yield guard
    guard.check()
