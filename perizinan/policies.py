"""Who may see the uploads of e-Perizinan (registered with core.uploads): derived from
`application_list_visible`, the rule of the application's own page, so a file is never
served to someone the application 404s for (e.g. the documents of an unsent draft)."""

from __future__ import annotations

import rules

from .selectors import application_list_visible


def document_visible(user, upload) -> bool:
    return application_list_visible(user=user).filter(documents__upload=upload).exists()


def survey_photo_visible(user, upload) -> bool:
    """Survey photos are working papers of the office: staff only."""
    return (
        rules.has_perm("perizinan.work_on_applications", user)
        and application_list_visible(user=user).filter(survey_photos=upload).exists()
    )


def certificate_visible(user, upload) -> bool:
    return application_list_visible(user=user).filter(certificates__pdf=upload).exists()
