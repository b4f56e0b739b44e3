from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from .inputs import validate_year


def add_service_errors(form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: by field where the form has it."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.error_dict.items():
        target = field if field in form.fields and field != NON_FIELD_ERRORS else None
        form.add_error(target, errors)


class BoundedDateField(forms.DateField):
    """A date a user types: a real date between inputs.MIN_YEAR and MAX_YEAR, so that
    filters and services never meet year 1 or 9999 (time-zone arithmetic overflows)."""

    default_validators = [validate_year]
