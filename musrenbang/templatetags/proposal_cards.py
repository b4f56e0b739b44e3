"""``{% load proposal_cards %}{% proposal_cards rows %}``: see musrenbang/rendering.py."""

from django import template

from musrenbang.rendering import render_cards, render_own

register = template.Library()


@register.simple_tag(name="proposal_cards")
def proposal_cards_tag(rows):
    return render_cards(rows)


@register.simple_tag(name="own_proposals")
def own_proposals_tag(rows):
    return render_own(rows)
