"""Who may do what: the shared predicates and the one staff-only decorator.

Every app declares its permissions in its own `rules.py` (django-rules, found by
`rules.apps.AutodiscoverRulesConfig`), named "app_label.verb_object", built from the
predicates below. Code asks `rules.has_perm("masyarakat.view_ticket", user, ticket)`:
the same answer as `user.has_perm(...)` (the rules backend is installed, so templates
and the admin may ask that way), without walking the database permission backends.
Every predicate here lets a superuser through, as `user.has_perm` does.
"""

from __future__ import annotations

from functools import wraps

import rules
from django.contrib.auth.decorators import login_required
from django.http import Http404


@rules.predicate
def is_signed_in(user) -> bool:
    return bool(user is not None and user.is_authenticated)


@rules.predicate
def is_active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


@rules.predicate
def is_superuser(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_superuser)


@rules.predicate
def is_staff(user) -> bool:
    """Has a staff role (User.is_staff, set from the roles by `user_roles_set`)."""
    return bool(user is not None and user.is_authenticated and user.is_staff)


def has_role(*slugs: str) -> rules.Predicate:
    """A predicate: the user holds one of these roles (Django groups), or is a superuser."""

    def check(user) -> bool:
        return bool(
            user is not None
            and user.is_authenticated
            and (user.is_superuser or user.has_role(*slugs))
        )

    return rules.Predicate(check, name=f"has_role({', '.join(slugs)})")


def staff_required(view=None, *, perm: str | None = None):
    """Staff pages: sign in first; then 404 (no hint the page exists) unless the user is
    staff and, when given, holds `perm` (a rule of an app's rules.py).

    `@staff_required` or `staff_required(perm="budgeting.use_budgeting")(view)`.
    """

    def decorate(view):
        @wraps(view)
        @login_required
        def wrapper(request, *args, **kwargs):
            user = request.user
            if not user.is_staff or (perm and not rules.has_perm(perm, user)):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapper

    return decorate(view) if view is not None else decorate
