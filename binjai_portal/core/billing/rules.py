"""Who may do what with levies (django-rules; see binjai_portal/core/permissions.py).

Who sees a bill is `selectors.bill_list_visible` (its payer; the treasurer: all).
"""

from __future__ import annotations

import rules

from binjai_portal.core.permissions import has_role, is_active

from . import workflows as wf

#: The receiving treasurer (bendahara penerimaan): every bill, the cashier's desk, the
#: day's reconciliation and its exports.
rules.add_perm("billing.act_as_treasurer", is_active & has_role(wf.TREASURER))
