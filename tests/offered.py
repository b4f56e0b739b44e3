"""What a page offers through core/_actions.html (or the console's rows): read from the
HTML, as a browser would see it."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class OfferedForm:
    action: str  # the form's action URL
    confirm: str | None
    steps: list[str] = field(default_factory=list)  # posted action names
    buttons: list[tuple[str, str]] = field(default_factory=list)  # (label, class)
    fields: list[str] = field(default_factory=list)  # names of the visible inputs


class _Forms(HTMLParser):
    def __init__(self, url: str):
        super().__init__()
        self.url, self.forms, self.current, self.button = url, [], None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("action") == self.url:
            self.current = OfferedForm(a["action"], a.get("data-confirm"))
            self.forms.append(self.current)
        if self.current is None:
            return
        if tag == "input" and a.get("name") == "action" and a.get("type") == "hidden":
            self.current.steps.append(a.get("value", ""))
        elif tag == "button":
            if a.get("name") == "action":
                self.current.steps.append(a.get("value", ""))
            self.button = ["", a.get("class", "")]
        elif tag in ("input", "textarea", "select") and a.get("type") != "hidden":
            self.current.fields.append(a.get("name", ""))

    def handle_data(self, data):
        if self.button is not None:
            self.button[0] += data

    def handle_endtag(self, tag):
        if tag == "button" and self.button is not None and self.current is not None:
            self.current.buttons.append((self.button[0].strip(), self.button[1]))
            self.button = None
        if tag == "form":
            self.current = None


def offered_forms(html: str, url: str) -> list[OfferedForm]:
    """The forms of the page that post to url."""
    parser = _Forms(url)
    parser.feed(html)
    return parser.forms


def offered(html: str, url: str) -> list[str]:
    """The action names the page lets its viewer post to url, in page order."""
    return [step for form in offered_forms(html, url) for step in form.steps]
