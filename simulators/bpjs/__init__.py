"""A BPJS antreanrest simulator (the side BPJS hosts and the facility calls).

Run it with ``python -m simulators.bpjs --port 23131 --cons-id 1000 --secret s3cr3t``;
point ``BPJS_ANTREAN_URL`` at ``http://127.0.0.1:23131/antreanrs``. See server.py.
"""

from .server import Antrean, make_server, serve

__all__ = ["Antrean", "make_server", "serve"]
