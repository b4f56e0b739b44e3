"""SATUSEHAT simulator, answering like the platform:

``POST /oauth2/v1/accesstoken?grant_type=client_credentials`` (form client_id,
client_secret) -> {"access_token", "expires_in", "token_type": "BearerToken", ...};
401 for unknown clients.
``GET /fhir-r4/v1/Patient?identifier=https://fhir.kemkes.go.id/id/nik|<NIK>`` -> a
searchset Bundle (empty for an unknown NIK; ``--any-nik`` makes one up for any NIK).
``POST /fhir-r4/v1/Encounter`` -> 201 with the stored resource and its new id, after
validating it with `fhir.resources` (R4B, whose Encounter is R4's) and checking the
references: subject a known Patient, serviceProvider the client's organization,
identifier in ``http://sys-ids.kemkes.go.id/encounter/<org>``, a statusHistory of
arrived/in-progress/finished; otherwise 400 with an OperationOutcome. A missing or
unknown bearer token gets 401 with an OperationOutcome.

Control: ``GET /_ledger`` {"encounters", "tokens", "patient_searches", "requests"};
``POST /_patients`` {"<NIK>": "<patient id>"}; ``POST /_clients`` {"<id>": {"secret",
"organization"}}; ``POST /_control`` {"mode": ok|error|slow|expire, "times", "delay"};
``POST /_reset``.
"""

from __future__ import annotations

import json
import re
import secrets
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from fhir.resources.R4B.encounter import Encounter

NIK_SYSTEM = "https://fhir.kemkes.go.id/id/nik"
MODES = {"ok", "error", "slow", "expire"}


def outcome(code: str, text: str, severity: str = "error") -> dict:
    return {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": severity, "code": code, "details": {"text": text}}],
    }


class Satusehat:
    def __init__(self, *, any_nik: bool = False):
        self.any_nik = any_nik
        self.lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with getattr(self, "lock", threading.Lock()):
            self.clients: dict[str, dict] = {}
            self.patients: dict[str, str] = {}
            self.tokens: dict[str, dict] = {}
            self.encounters: list[dict] = []
            self.token_requests = 0
            self.patient_searches = 0
            self.requests = 0
            self.mode, self.times, self.delay = "ok", None, 0.0

    def next_fault(self) -> tuple[str, float]:
        with self.lock:
            self.requests += 1
            mode, delay = self.mode, self.delay
            if self.times is not None:
                self.times -= 1
                if self.times <= 0:
                    self.mode, self.times, self.delay = "ok", None, 0.0
            return mode, delay

    def ledger(self) -> dict:
        with self.lock:
            return {
                "encounters": json.loads(json.dumps(self.encounters)),
                "tokens": self.token_requests,
                "patient_searches": self.patient_searches,
                "requests": self.requests,
            }

    def token(self, client_id: str, client_secret: str) -> dict | None:
        with self.lock:
            self.token_requests += 1
            client = self.clients.get(client_id)
            if client is None or client["secret"] != client_secret:
                return None
            value = secrets.token_urlsafe(24)
            self.tokens[value] = {"client": client_id, "until": time.time() + 3599}
            return {
                "access_token": value,
                "expires_in": "3599",
                "token_type": "BearerToken",
                "client_id": client_id,
                "organization_name": client.get("organization", ""),
                "status": "approved",
            }

    def client_of(self, authorization: str) -> dict | None:
        scheme, _, value = (authorization or "").partition(" ")
        with self.lock:
            entry = self.tokens.get(value.strip()) if scheme.lower() == "bearer" else None
            if entry is None or entry["until"] < time.time():
                return None
            return self.clients.get(entry["client"])

    def patient(self, nik: str) -> str | None:
        with self.lock:
            self.patient_searches += 1
            if nik not in self.patients and self.any_nik and re.fullmatch(r"[0-9]{16}", nik):
                self.patients[nik] = f"P{int(nik) % 10**11:011d}"
            return self.patients.get(nik)

    def encounter(self, data: dict, client: dict) -> tuple[int, dict]:
        try:
            Encounter.model_validate(data)
        except Exception as exc:  # noqa: BLE001 - pydantic's error, reported as FHIR does
            return 400, outcome("invalid", f"Encounter tidak valid: {str(exc)[:400]}")
        org = client.get("organization", "")
        problems = []
        subject = (data.get("subject") or {}).get("reference", "")
        with self.lock:
            known = set(self.patients.values())
        if not subject.startswith("Patient/") or subject.split("/", 1)[1] not in known:
            problems.append("subject: Patient tidak ditemukan")
        if (data.get("serviceProvider") or {}).get("reference") != f"Organization/{org}":
            problems.append("serviceProvider: bukan organisasi klien")
        systems = {i.get("system") for i in data.get("identifier") or []}
        if f"http://sys-ids.kemkes.go.id/encounter/{org}" not in systems:
            problems.append("identifier: sistem harus http://sys-ids.kemkes.go.id/encounter/<org>")
        history = [h.get("status") for h in data.get("statusHistory") or []]
        if history[:1] != ["arrived"] or "finished" not in history:
            problems.append("statusHistory: harus arrived, in-progress, finished")
        if not data.get("location") or not data.get("participant"):
            problems.append("location dan participant wajib diisi")
        if problems:
            return 400, outcome("value", "; ".join(problems))
        with self.lock:
            values = {
                (i.get("system"), i.get("value"))
                for e in self.encounters
                for i in e.get("identifier") or []
            }
            for i in data.get("identifier") or []:
                if (i.get("system"), i.get("value")) in values:
                    return 400, outcome("duplicate", "Encounter dengan identifier ini sudah ada")
            stored = {**data, "id": f"enc-{len(self.encounters) + 1:06d}"}
            self.encounters.append(stored)
        return 201, stored


class Handler(BaseHTTPRequestHandler):
    server_version = "BinjaiSatusehatSimulator/1"
    platform: Satusehat

    def log_message(self, format, *args):
        pass

    def _json(self, status: int, data, content_type: str = "application/fhir+json") -> None:
        body = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _raw(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _fault(self) -> bool:
        mode, delay = self.platform.next_fault()
        if mode == "error":
            self._json(500, outcome("exception", "simulated SATUSEHAT failure"))
            return True
        if mode == "expire":
            self._json(401, outcome("login", "Access token expired"))
            return True
        if mode == "slow":
            time.sleep(delay)
        return False

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        if url.path == "/_ledger":
            return self._json(200, self.platform.ledger(), "application/json")
        if self._fault():
            return None
        if url.path == "/fhir-r4/v1/Patient":
            if self.platform.client_of(self.headers.get("Authorization", "")) is None:
                return self._json(401, outcome("login", "Invalid access token"))
            identifier = urllib.parse.parse_qs(url.query).get("identifier", [""])[0]
            system, _, nik = identifier.partition("|")
            if system != NIK_SYSTEM or not nik:
                return self._json(400, outcome("required", "identifier NIK wajib diisi"))
            found = self.platform.patient(nik)
            entries = (
                [{"resource": {"resourceType": "Patient", "id": found, "active": True}}]
                if found
                else []
            )
            return self._json(
                200,
                {
                    "resourceType": "Bundle",
                    "type": "searchset",
                    "total": len(entries),
                    "entry": entries,
                },
            )
        return self._json(404, outcome("not-found", "Resource tidak dikenal"))

    def do_POST(self):
        url = urllib.parse.urlsplit(self.path)
        platform = self.platform
        raw = self._raw()
        if url.path.startswith("/_"):
            try:
                data = json.loads(raw or b"{}")
            except ValueError:
                return self._json(400, {"error": "not JSON"}, "application/json")
            with platform.lock:
                if url.path == "/_patients":
                    platform.patients.update({str(k): str(v) for k, v in data.items()})
                elif url.path == "/_clients":
                    platform.clients.update(data)
                elif url.path == "/_control":
                    if data.get("mode", "ok") not in MODES:
                        return self._json(400, {"error": "mode"}, "application/json")
                    platform.mode = data.get("mode", "ok")
                    platform.times = data.get("times")
                    platform.delay = float(data.get("delay") or 0)
            if url.path == "/_reset":
                platform.reset()
            return self._json(200, {"ok": True}, "application/json")
        if self._fault():
            return None
        if url.path == "/oauth2/v1/accesstoken":
            form = urllib.parse.parse_qs(raw.decode(errors="replace"))
            grant = urllib.parse.parse_qs(url.query).get("grant_type", [""])[0]
            answer = platform.token(
                form.get("client_id", [""])[0], form.get("client_secret", [""])[0]
            )
            if grant != "client_credentials" or answer is None:
                return self._json(401, outcome("login", "Invalid client credentials"))
            return self._json(200, answer, "application/json")
        if url.path == "/fhir-r4/v1/Encounter":
            client = platform.client_of(self.headers.get("Authorization", ""))
            if client is None:
                return self._json(401, outcome("login", "Invalid access token"))
            try:
                data = json.loads(raw)
                if not isinstance(data, dict):
                    raise ValueError
            except ValueError:
                return self._json(400, outcome("structure", "Body bukan JSON FHIR"))
            status, answer = platform.encounter(data, client)
            return self._json(status, answer)
        return self._json(404, outcome("not-found", "Resource tidak dikenal"))


def make_server(host: str = "127.0.0.1", port: int = 0, *, any_nik: bool = False):
    platform = Satusehat(any_nik=any_nik)
    handler = type("BoundHandler", (Handler,), {"platform": platform})
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    server.platform = platform
    return server


def serve(*, host: str, port: int, any_nik: bool, clients: dict) -> None:
    server = make_server(host, port, any_nik=any_nik)
    server.platform.clients.update(clients)
    print(f"SATUSEHAT simulator on http://{host}:{server.server_port}/", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
