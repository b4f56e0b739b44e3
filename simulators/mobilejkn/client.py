"""The Mobile JKN client: one method per call of the WS Antrean catalogue."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass


@dataclass
class WsAnswer:
    http: int
    code: int | None
    message: str
    response: dict | None
    raw: bytes

    @property
    def ok(self) -> bool:
        return self.http == 200 and self.code == 200


class MobileJkn:
    def __init__(self, base_url: str, *, username: str, password: str, timeout: float = 30):
        self.base = base_url.rstrip("/") + "/"
        self.username, self.password = username, password
        self.timeout = timeout
        self.token_value: str | None = None

    def _call(self, method: str, path: str, body: dict | None = None, headers=None) -> WsAnswer:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(  # noqa: S310
            self.base + path,
            data=data,
            method=method,
            headers={"Content-Type": "application/json", **(headers or {})},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as exc:
            status, raw = exc.code, exc.read()
        try:
            answer = json.loads(raw)
            metadata = answer.get("metadata") or {}
            return WsAnswer(
                status,
                metadata.get("code"),
                metadata.get("message", ""),
                answer.get("response"),
                raw,
            )
        except (ValueError, AttributeError):
            return WsAnswer(status, None, "", None, raw)

    def token(self, *, password: str | None = None) -> WsAnswer:
        answer = self._call(
            "GET",
            "token",
            headers={"x-username": self.username, "x-password": password or self.password},
        )
        if answer.ok and password is None:
            self.token_value = answer.response["token"]
        return answer

    def _auth(self) -> dict:
        if self.token_value is None:
            self.token()
        return {"x-token": self.token_value or "", "x-username": self.username}

    def post(self, path: str, body: dict, *, token: str | None = None) -> WsAnswer:
        headers = self._auth() if token is None else {"x-token": token, "x-username": self.username}
        return self._call("POST", path, body, headers)

    def status(self, **body) -> WsAnswer:
        return self.post("statusantrean", body)

    def take(self, **body) -> WsAnswer:
        return self.post("ambilantrean", body)

    def remaining(self, kodebooking: str) -> WsAnswer:
        return self.post("sisaantrean", {"kodebooking": kodebooking})

    def check_in(self, kodebooking: str, waktu: int) -> WsAnswer:
        return self.post("checkin", {"kodebooking": kodebooking, "waktu": waktu})

    def cancel(self, kodebooking: str, keterangan: str = "Ada kebutuhan mendadak") -> WsAnswer:
        return self.post("batalantrean", {"kodebooking": kodebooking, "keterangan": keterangan})

    def new_patient(self, **body) -> WsAnswer:
        return self.post("pasienbaru", body)


def scenarios(client: MobileJkn, *, kodepoli: str, tanggal: str, nik: str, nomorkartu: str, jam=""):
    """The app's path and its faults, in order; yields (name, answer)."""
    import time

    yield "wrong credentials", client.token(password="salah")
    yield "token", client.token()
    yield "forged token", client.post("statusantrean", {}, token="forged.token")
    base = {"kodepoli": kodepoli, "tanggalperiksa": tanggal, "jampraktek": jam, "kodedokter": ""}
    yield "status", client.status(**base)
    person = {"nomorkartu": nomorkartu, "nik": nik, "nohp": "081200000000", "norm": ""}
    take = {**base, **person, "jeniskunjungan": 1, "nomorreferensi": ""}
    first = client.take(**take)
    yield "take (unknown patient)", first
    if first.code == 202:
        yield (
            "new patient",
            client.new_patient(
                nomorkartu=nomorkartu,
                nik=nik,
                nomorkk="",
                nama="Pasien Demo Mobile JKN",
                jeniskelamin="L",
                tanggallahir="1990-01-01",
                nohp="081200000000",
                alamat="Binjai (demo)",
            ),
        )
    taken = client.take(**take)
    yield "take", taken
    yield "duplicate booking", client.take(**take)
    yield "closed day", client.take(**{**take, "tanggalperiksa": "2000-01-01"})
    if taken.ok:
        code = taken.response["kodebooking"]
        yield "remaining", client.remaining(code)
        yield "check in", client.check_in(code, int(time.time() * 1000))


def main(argv=None) -> None:
    import argparse
    import datetime

    parser = argparse.ArgumentParser(prog="python -m simulators.mobilejkn")
    parser.add_argument("--url", default="http://127.0.0.1:8000/api/jkn/")
    parser.add_argument("--username", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--kodepoli", required=True)
    parser.add_argument("--tanggal", default=datetime.date.today().isoformat())
    parser.add_argument("--nik", required=True)
    parser.add_argument("--nomorkartu", required=True)
    args = parser.parse_args(argv)
    client = MobileJkn(args.url, username=args.username, password=args.password)
    for name, answer in scenarios(
        client,
        kodepoli=args.kodepoli,
        tanggal=args.tanggal,
        nik=args.nik,
        nomorkartu=args.nomorkartu,
    ):
        print(f"{name:24} HTTP {answer.http} code {answer.code}: {answer.message}")
        if answer.response:
            print("    ", json.dumps(answer.response))
