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
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        """async () => (await axe.run(document)).violations.map(v => ({
            id: v.id, impact: v.impact, help: v.help,
            targets: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}))"""
    )
    return [v for v in found if v["impact"] in impacts]


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
