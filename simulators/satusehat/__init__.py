"""A SATUSEHAT simulator: OAuth2 client credentials, Patient search by NIK, Encounter.

Run it with ``python -m simulators.satusehat --port 23132``; point
``SATUSEHAT_AUTH_URL`` at ``http://127.0.0.1:23132/oauth2/v1`` and
``SATUSEHAT_FHIR_URL`` at ``http://127.0.0.1:23132/fhir-r4/v1``. See server.py.
"""

from .server import Satusehat, make_server, serve

__all__ = ["Satusehat", "make_server", "serve"]
