"""SMS gateway simulator: the gateway contract of binjai_portal/core/sms.py, plus faults.

Standard library only. Endpoints:

``POST <any path>`` (e.g. ``/v1/messages``)
    A message: JSON ``{"to", "text", "reference"}`` with an ``Idempotency-Key`` header
    (400 without one; 401 when ``--token`` is set and the bearer token differs). The
    first request with a key puts the message in the ledger; a request with a key seen
    before is not sent again and gets 200 with the original result.
``GET /_ledger``
    JSON ``{"messages": [...], "requests": N}``: one entry per key with ``to``, ``text``,
    ``requests`` (how many requests carried the key), ``overlaps`` (requests that came
    while an earlier one with the key was still open) and ``result``.
``POST /_control``
    JSON ``{"mode": ..., "times": N or null, "delay": seconds}``: how the next ``times``
    message requests are answered (null: until told otherwise). Modes:

    - ``ok``: answer 200 at once (the default);
    - ``slow``: take the message, answer 200 after ``delay`` seconds (beyond the client's
      timeout the client gives up although the gateway has the message);
    - ``hold``: take the message and keep the request open until ``POST /_release`` (or
      ``delay`` seconds, default 60), then answer 200;
    - ``error``: answer 500 without taking the message;
    - ``drop``: take the message and close the connection without an answer;
    - ``repeat``: take the message but answer 500, so the client repeats a message the
      gateway already has.
``POST /_release``
    End every held request.
``POST /_reset``
    Empty the ledger and go back to ``ok``.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TAKES_MESSAGE = {"ok", "slow", "hold", "drop", "repeat"}


class Gateway:
    """The simulator's state, shared by the request threads."""

    def __init__(self, token: str = ""):
        self.token = token
        self.lock = threading.Lock()
        self.messages: dict[str, dict] = {}
        self.open: dict[str, int] = {}
        self.requests = 0
        self.mode, self.times, self.delay = "ok", None, 0.0
        self.released = threading.Event()

    def reset(self) -> None:
        with self.lock:
            self.messages.clear()
            self.requests = 0
            self.mode, self.times, self.delay = "ok", None, 0.0
        self.release()

    def release(self) -> None:
        self.released.set()
        self.released = threading.Event()

    def control(self, *, mode: str, times=None, delay: float = 0.0) -> None:
        if mode not in TAKES_MESSAGE | {"error"}:
            raise ValueError(f"unknown mode {mode!r}")
        with self.lock:
            self.mode, self.times, self.delay = mode, times, float(delay or 0)

    def _next_fault(self) -> tuple[str, float]:
        mode, delay = self.mode, self.delay
        if self.times is not None:
            self.times -= 1
            if self.times <= 0:
                self.mode, self.times, self.delay = "ok", None, 0.0
        return mode, delay

    def receive(self, *, key: str, payload: dict) -> tuple[str, float, dict, bool]:
        """Record one request; return (mode, delay, result, first time the key was seen)."""
        with self.lock:
            self.requests += 1
            mode, delay = self._next_fault()
            entry = self.messages.get(key)
            first = entry is None
            if mode in TAKES_MESSAGE:
                if first:
                    entry = self.messages[key] = {
                        "key": key,
                        "to": payload.get("to"),
                        "text": payload.get("text"),
                        "reference": payload.get("reference"),
                        "received_at": time.time(),
                        "requests": 0,
                        "overlaps": 0,
                        "result": {"id": f"sim-{len(self.messages) + 1}", "status": "queued"},
                    }
                entry["requests"] += 1
                if self.open.get(key):
                    entry["overlaps"] += 1
                self.open[key] = self.open.get(key, 0) + 1
            result = dict(entry["result"]) if entry else {}
            return mode, delay, result, first

    def done(self, key: str) -> None:
        with self.lock:
            if self.open.get(key):
                self.open[key] -= 1

    def ledger(self) -> dict:
        with self.lock:
            return {
                "messages": [dict(m) for m in self.messages.values()],
                "requests": self.requests,
            }


class Handler(BaseHTTPRequestHandler):
    server_version = "BinjaiSmsSimulator/1"
    gateway: Gateway  # set by serve()/make_server()

    def log_message(self, format, *args):  # quiet; the ledger is the record
        pass

    def _json(self, status: int, data) -> None:
        body = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _body(self) -> dict:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b"{}"
        return json.loads(raw or b"{}")

    def do_GET(self):
        if self.path.startswith("/_ledger"):
            return self._json(200, self.gateway.ledger())
        return self._json(404, {"error": "not found"})

    def do_POST(self):
        gateway = self.gateway
        try:
            data = self._body()
        except (ValueError, UnicodeDecodeError):
            return self._json(400, {"error": "body is not JSON"})
        if self.path.startswith("/_control"):
            try:
                gateway.control(
                    mode=data.get("mode", "ok"), times=data.get("times"), delay=data.get("delay", 0)
                )
            except (ValueError, TypeError) as exc:
                return self._json(400, {"error": str(exc)})
            return self._json(200, {"ok": True})
        if self.path.startswith("/_release"):
            gateway.release()
            return self._json(200, {"ok": True})
        if self.path.startswith("/_reset"):
            gateway.reset()
            return self._json(200, {"ok": True})
        if gateway.token and self.headers.get("Authorization") != f"Bearer {gateway.token}":
            return self._json(401, {"error": "bad token"})
        key = self.headers.get("Idempotency-Key", "")
        if not key:
            return self._json(400, {"error": "Idempotency-Key header is required"})
        mode, delay, result, first = gateway.receive(key=key, payload=data)
        try:
            self._answer(mode, delay, result, first)
        except OSError:  # the client went away (timed out, killed): nothing to answer
            pass
        finally:
            if mode in TAKES_MESSAGE:
                gateway.done(key)

    def _answer(self, mode: str, delay: float, result: dict, first: bool) -> None:
        if mode == "error":
            return self._json(500, {"error": "simulated gateway failure"})
        if mode == "slow":
            time.sleep(delay)
        elif mode == "hold":
            self.gateway.released.wait(timeout=delay or 60)
        elif mode == "drop":
            self.close_connection = True
            self.connection.close()
            return None
        elif mode == "repeat":
            return self._json(500, {"error": "simulated failure after taking the message"})
        return self._json(200, {**result, "duplicate": not first})


def make_server(host: str = "127.0.0.1", port: int = 0, token: str = "") -> ThreadingHTTPServer:
    gateway = Gateway(token=token)
    handler = type("BoundHandler", (Handler,), {"gateway": gateway})
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    server.gateway = gateway
    return server


def serve(*, host: str = "127.0.0.1", port: int = 8025, token: str = "") -> None:
    server = make_server(host, port, token)
    print(f"SMS gateway simulator on http://{host}:{server.server_port}/", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
