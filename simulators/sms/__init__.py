"""A test SMS gateway that keeps the portal's gateway contract (binjai_portal/core/sms.py).

Run it with ``python -m simulators.sms --port 22001``; point ``SMS_GATEWAY_URL`` at
``http://127.0.0.1:22001/v1/messages``. See ``simulators/sms/server.py`` for the API.
"""

from .server import Gateway, serve

__all__ = ["Gateway", "serve"]
