"""Who may do what in e-Perizinan (django-rules; see binjai_portal/core/permissions.py).

The steps of an application (accept, survey, recommend, decide, ...) are the workflow's
(workflows.py, each action names its roles). Which applications a user may open is
`selectors.application_list_visible`; the uploads follow it (policies.py).
"""

from __future__ import annotations

import rules

from binjai_portal.core.permissions import has_role, is_active

from . import workflows as wf


@rules.predicate
def is_issued(user, application) -> bool:
    return application.status == wf.ISSUED


#: The permit office's work (queue, survey photos, staff view of a file): DPMPTSP's
#: verifiers, surveyors and head, and the technical agencies' officers.
rules.add_perm(
    "perizinan.work_on_applications", has_role(wf.VERIFIER, wf.SURVEYOR, wf.HEAD, wf.TECHNICAL)
)
#: Signs certificates: the active head of DPMPTSP.
rules.add_perm("perizinan.sign_certificate", is_active & has_role(wf.HEAD))
#: Reissues the certificate of an issued permit: the head (the button; the service
#: checks "perizinan.sign_certificate").
rules.add_perm("perizinan.reissue_certificate", is_issued & has_role(wf.HEAD))
