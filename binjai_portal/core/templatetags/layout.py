"""`{% layoutpart %}`: a piece of the site layout rendered once per process and key.

The service menu and the footer are the same for every page of a language, except for
what the tag is given as keys (the current view's name, whether the visitor is logged
in). Rendering them is a third of a small page (a `{% url %}`, a translation and a loop
per service), so they are kept as rendered text:

    {% layoutpart "nav" request.resolver_match.view_name request.resolver_match.namespace %}
      ...
    {% endlayoutpart %}

The key is the part's name, the active language, the region, the script prefix (the
`{% url %}`s) and the given values. Whatever else the part shows must be the same for
every request of a deployment (settings, the static files' names): never a visitor's
data, never a CSRF token. The memory is per process, bounded, and forgotten when a
setting changes (tests) or a file changes (the development server).
"""

from __future__ import annotations

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix
from django.utils.autoreload import file_changed
from django.utils.translation import get_language

register = template.Library()

MAX_PARTS = 512
_parts: dict[tuple, str] = {}


@receiver(setting_changed)
@receiver(file_changed)
def forget(**kwargs) -> None:
    _parts.clear()


class LayoutPartNode(template.Node):
    def __init__(self, name: str, keys: list, nodelist: template.NodeList):
        self.name, self.keys, self.nodelist = name, keys, nodelist

    def render(self, context) -> str:
        values = tuple(k.resolve(context) for k in self.keys)
        key = (self.name, get_language(), settings.REGION_NAME, get_script_prefix(), *values)
        try:
            return _parts[key]
        except (KeyError, TypeError):  # TypeError: a key value that does not hash
            pass
        html = self.nodelist.render(context)
        try:
            if len(_parts) >= MAX_PARTS:
                _parts.clear()
            _parts[key] = html
        except TypeError:
            pass
        return html


@register.tag
def layoutpart(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% layoutpart %} needs a name")
    name = bits[1].strip("\"'")
    keys = [parser.compile_filter(b) for b in bits[2:]]
    nodelist = parser.parse(("endlayoutpart",))
    parser.delete_first_token()
    return LayoutPartNode(name, keys, nodelist)
