"""``{% load proposal_cards %}{% proposal_cards rows %}``: see musrenbang/rendering.py."""

from django import template

from musrenbang.rendering import render_cards

register = template.Library()


@register.simple_tag(name="proposal_cards")
def proposal_cards_tag(rows):
    return render_cards(rows)
