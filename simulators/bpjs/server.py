"""BPJS antreanrest simulator: checks the request signature like BPJS, keeps what it is
told, answers like the catalogue (metadata; `response` encrypted with AES-256-CBC and
LZ-string compressed), and misbehaves on request. Standard library plus `cryptography`
and `lzstring` (the portal's own dependencies).

Paths under ``/antreanrs/``:

``POST antrean/add``         tambah antrean (the booking is known from then on)
``POST antrean/updatewaktu`` task times; refused (201) when a task of the booking with a
                             higher id, or a later time, is already held; 201 "TaskId=N
                             sudah ada" for a task it holds; taskid 99 closes the booking
``POST antrean/batal``       batal antrean
``POST antrean/getlisttask`` the tasks held for a booking, encrypted (the decryption test)

A request is refused with metadata code 201 when X-cons-id, user_key or X-signature are
wrong or X-timestamp is more than 5 minutes off. Control (no signature):

``GET /_ledger``    {"bookings": {code: {"added", "cancelled", "tasks": {id: waktu}}},
                     "requests", "signature_failures", "duplicates"}
``POST /_control``  {"mode": ok|error|slow|drop|refuse, "times": N|null, "delay": s}
``POST /_known``    {"kodebooking"}: a booking BPJS already has (taken via Mobile JKN)
``POST /_reset``
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import lzstring
from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

MODES = {"ok", "error", "slow", "drop", "refuse"}


def encrypt(plain: str, *, cons_id: str, secret: str, stamp: str) -> str:
    key = hashlib.sha256(f"{cons_id}{secret}{stamp}".encode()).digest()
    compressed = lzstring.LZString().compressToEncodedURIComponent(plain).encode()
    padder = padding.PKCS7(128).padder()
    data = padder.update(compressed) + padder.finalize()
    encryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).encryptor()
    return base64.b64encode(encryptor.update(data) + encryptor.finalize()).decode()


class Antrean:
    def __init__(self, *, cons_id: str, secret: str, user_key: str = "", accept_unknown=False):
        self.cons_id, self.secret, self.user_key = cons_id, secret, user_key
        self.accept_unknown = accept_unknown  # every code known (as if Mobile JKN told us)
        self.lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with getattr(self, "lock", threading.Lock()):
            self.bookings: dict[str, dict] = {}
            self.requests = 0
            self.signature_failures = 0
            self.duplicates = 0
            self.mode, self.times, self.delay = "ok", None, 0.0

    def control(self, *, mode: str, times=None, delay: float = 0.0) -> None:
        if mode not in MODES:
            raise ValueError(f"unknown mode {mode!r}")
        with self.lock:
            self.mode, self.times, self.delay = mode, times, float(delay or 0)

    def next_fault(self) -> tuple[str, float]:
        with self.lock:
            self.requests += 1
            mode, delay = self.mode, self.delay
            if self.times is not None:
                self.times -= 1
                if self.times <= 0:
                    self.mode, self.times, self.delay = "ok", None, 0.0
            return mode, delay

    def signature_ok(self, headers) -> bool:
        stamp = headers.get("X-timestamp", "")
        expected = base64.b64encode(
            hmac.new(
                self.secret.encode(), f"{self.cons_id}&{stamp}".encode(), hashlib.sha256
            ).digest()
        ).decode()
        ok = (
            headers.get("X-cons-id") == self.cons_id
            and (not self.user_key or headers.get("user_key") == self.user_key)
            and re.fullmatch(r"[0-9]+", stamp)
            and abs(time.time() - int(stamp)) < 300
            and hmac.compare_digest(headers.get("X-signature", ""), expected)
        )
        if not ok:
            with self.lock:
                self.signature_failures += 1
        return ok

    def _entry(self, code: str) -> dict:
        return self.bookings.setdefault(
            code, {"added": False, "known": False, "cancelled": False, "tasks": {}}
        )

    def handle(self, path: str, body: dict) -> tuple[int, str, dict | list | None]:
        code = str(body.get("kodebooking", ""))
        if not code:
            return 201, "kodebooking belum diisi", None
        with self.lock:
            if path == "antrean/add":
                entry = self._entry(code)
                if entry["added"]:
                    self.duplicates += 1
                    return 201, "Terdapat duplikasi Kode Booking", None
                entry["added"] = True
                entry["add"] = body
                return 200, "OK", None
            entry = self._entry(code) if self.accept_unknown else self.bookings.get(code)
            if entry is None or not (entry["added"] or entry["known"] or self.accept_unknown):
                return 201, "Kode Booking tidak ditemukan", None
            if path == "antrean/updatewaktu":
                try:
                    taskid, waktu = int(body.get("taskid")), int(body.get("waktu"))
                except (TypeError, ValueError):
                    return 201, "taskid/waktu tidak valid", None
                if taskid not in (1, 2, 3, 4, 5, 6, 7, 99):
                    return 201, "TaskId tidak valid", None
                tasks = entry["tasks"]
                if str(taskid) in tasks:
                    self.duplicates += 1
                    return 201, f"TaskId={taskid} sudah ada", None
                if taskid != 99 and any(int(t) > taskid for t in tasks):
                    return 201, "TaskId tidak berurutan", None
                if taskid != 99 and any(w > waktu for w in tasks.values()):
                    return 201, "waktu TaskId lebih awal dari TaskId sebelumnya", None
                tasks[str(taskid)] = waktu
                return 200, "OK", None
            if path == "antrean/batal":
                if entry["cancelled"]:
                    return 201, "Antrean sudah dibatalkan sebelumnya", None
                entry["cancelled"] = True
                return 200, "OK", None
            if path == "antrean/getlisttask":
                listed = [
                    {"taskid": int(t), "waktu": w, "kodebooking": code}
                    for t, w in sorted(entry["tasks"].items(), key=lambda kv: int(kv[0]))
                ]
                return 200, "OK", {"list": listed}
        return 201, "Service tidak ditemukan", None

    def ledger(self) -> dict:
        with self.lock:
            return {
                "bookings": json.loads(json.dumps(self.bookings)),
                "requests": self.requests,
                "signature_failures": self.signature_failures,
                "duplicates": self.duplicates,
            }


class Handler(BaseHTTPRequestHandler):
    server_version = "BinjaiBpjsSimulator/1"
    antrean: Antrean

    def log_message(self, format, *args):
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
        data = json.loads(self.rfile.read(length) or b"{}") if length else {}
        if not isinstance(data, dict):
            raise ValueError("not an object")
        return data

    def do_GET(self):
        if self.path.startswith("/_ledger"):
            return self._json(200, self.antrean.ledger())
        return self._json(404, {"metadata": {"code": 201, "message": "not found"}})

    def do_POST(self):
        antrean = self.antrean
        try:
            body = self._body()
        except (ValueError, UnicodeDecodeError):
            return self._json(200, {"metadata": {"code": 201, "message": "Format JSON salah"}})
        if self.path.startswith("/_control"):
            try:
                antrean.control(
                    mode=body.get("mode", "ok"), times=body.get("times"), delay=body.get("delay")
                )
            except (TypeError, ValueError) as exc:
                return self._json(400, {"error": str(exc)})
            return self._json(200, {"ok": True})
        if self.path.startswith("/_known"):
            with antrean.lock:
                antrean._entry(str(body.get("kodebooking", "")))["known"] = True
            return self._json(200, {"ok": True})
        if self.path.startswith("/_reset"):
            antrean.reset()
            return self._json(200, {"ok": True})
        if not self.path.startswith("/antreanrs/"):
            return self._json(404, {"metadata": {"code": 201, "message": "not found"}})
        mode, delay = antrean.next_fault()
        if mode == "error":
            return self._json(500, {"error": "simulated BPJS failure"})
        if mode == "drop":
            self.close_connection = True
            self.connection.close()
            return None
        if mode == "slow":
            time.sleep(delay)
        if not antrean.signature_ok(self.headers):
            return self._json(200, {"metadata": {"code": 201, "message": "Signature tidak valid"}})
        if mode == "refuse":
            return self._json(200, {"metadata": {"code": 201, "message": "Simulated refusal"}})
        code, message, response = antrean.handle(self.path[len("/antreanrs/") :], body)
        answer = {"metadata": {"code": code, "message": message}}
        if response is not None:
            answer["response"] = encrypt(
                json.dumps(response),
                cons_id=antrean.cons_id,
                secret=antrean.secret,
                stamp=self.headers.get("X-timestamp", ""),
            )
        try:
            self._json(200, answer)
        except OSError:
            pass


def make_server(
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    cons_id: str,
    secret: str,
    user_key: str = "",
    accept_unknown: bool = False,
) -> ThreadingHTTPServer:
    antrean = Antrean(
        cons_id=cons_id, secret=secret, user_key=user_key, accept_unknown=accept_unknown
    )
    handler = type("BoundHandler", (Handler,), {"antrean": antrean})
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    server.antrean = antrean
    return server


def serve(
    *, host: str, port: int, cons_id: str, secret: str, user_key: str = "", accept_unknown=False
) -> None:
    server = make_server(
        host, port, cons_id=cons_id, secret=secret, user_key=user_key, accept_unknown=accept_unknown
    )
    print(f"BPJS antreanrest simulator on http://{host}:{server.server_port}/antreanrs", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
