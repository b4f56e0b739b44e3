"""A Mobile JKN stand-in: drives a facility's WS Antrean the way the app does.

``python -m simulators.mobilejkn --url http://127.0.0.1:8000/api/jkn/ --username U
--password P --kodepoli UMU --nik ... --nomorkartu ...`` runs the scenarios of
client.py (token, status, new patient, take, remaining, check in, cancel, and the faults:
wrong credentials, expired or forged token, duplicate booking, full quota, closed day)
and prints each answer's metadata.
"""

from .client import MobileJkn, WsAnswer

__all__ = ["MobileJkn", "WsAnswer"]
