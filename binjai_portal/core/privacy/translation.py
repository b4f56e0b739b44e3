"""English beside the Indonesian privacy notice (django-modeltranslation): a citizen who
chose English reads the notice in English, the Indonesian text where a version has none.
The Indonesian text stays the version of record (what the citizen agreed to)."""

from modeltranslation.translator import TranslationOptions, register

from .models import PrivacyNotice


@register(PrivacyNotice)
class PrivacyNoticeTranslation(TranslationOptions):
    fields = ("title", "body")
