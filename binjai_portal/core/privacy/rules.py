"""Who may do what with personal data (django-rules; see binjai_portal/core/permissions.py).

UU 27/2022 Pasal 53: the data protection officer (Pejabat Pelindungan Data Pribadi)
keeps the records of processing, answers data-subject requests, runs retention and
records incidents.
"""

from __future__ import annotations

import rules

from binjai_portal.core.permissions import has_role, is_active

from . import workflows as wf

#: The DPO's pages and acts: an active DPO (or superuser).
rules.add_perm("privacy.act_as_protection_officer", is_active & has_role(wf.DPO))
