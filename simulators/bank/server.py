"""Bank simulator: plays the bank (e.g. Bank Sumut) in front of the portal's SNAP BI
biller endpoints, over real HTTP, and misbehaves on request.

Endpoints of the simulator itself:

``POST /simulate/pay``
    JSON ``{"channel": "va"|"qris", "virtualAccountNo", "qrisPayload", "mode"}``: a customer
    pays. VA: access token, inquiry, payment with the amount the inquiry gave. QRIS: the
    payload is read like a wallet does (CRC checked), then the payment notification.
    Modes: ``ok``; ``repeat`` (the same notification again with the same X-EXTERNAL-ID,
    then again with a new one); ``timeout`` (the bank gives up waiting for the answer,
    sends the payment again and asks the status); ``bad_signature``; ``stale`` (an old
    X-TIMESTAMP); ``wrong_amount`` (one rupiah less). Answers the last SNAP answer, with
    every step in ``steps``.
``GET /_ledger``
    The settlement lines written so far.
``POST /_settlement_extra``
    JSON of one settlement line to append as is (a line the portal never heard of).

Each successful payment appends a line to ``<settlement-dir>/settlement-YYYYMMDD.csv``,
the daily file a bank sends its biller (columns as on a bank statement).
"""

from __future__ import annotations

import csv
import datetime
import json
import os
import secrets
import threading
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from .client import JAKARTA, SnapClient, Timeout, parse_qris

COLUMNS = (
    "tanggal_transaksi",
    "jam_transaksi",
    "no_referensi",
    "no_virtual_account",
    "kode_bayar",
    "saluran",
    "keterangan",
    "kredit",
)


class Bank:
    def __init__(self, client: SnapClient, settlement_dir: str):
        self.client, self.settlement_dir = client, settlement_dir
        self.lines: list[dict] = []
        self.lock = threading.Lock()

    def settle(self, *, reference: str, va: str, code: str, channel: str, amount: str) -> None:
        now = datetime.datetime.now(JAKARTA)
        line = {
            "tanggal_transaksi": now.strftime("%Y-%m-%d"),
            "jam_transaksi": now.strftime("%H:%M:%S"),
            "no_referensi": reference,
            "no_virtual_account": va.replace(" ", ""),
            "kode_bayar": code,
            "saluran": channel,
            "keterangan": f"PEMBAYARAN {channel.upper()} {code}",
            "kredit": amount,
        }
        self.write(line)

    def write(self, line: dict) -> None:
        with self.lock:
            self.lines.append(line)
            os.makedirs(self.settlement_dir, exist_ok=True)
            day = line["tanggal_transaksi"].replace("-", "")
            path = os.path.join(self.settlement_dir, f"settlement-{day}.csv")
            new = not os.path.exists(path)
            with open(path, "a", newline="", encoding="utf-8") as fh:
                writer = csv.DictWriter(fh, fieldnames=COLUMNS)
                if new:
                    writer.writeheader()
                writer.writerow({k: line.get(k, "") for k in COLUMNS})

    def pay(self, request: dict) -> dict:
        mode = request.get("mode", "ok")
        steps = []
        c = self.client
        token = c.access_token(bad_signature=(mode == "bad_token"))
        steps.append(("access-token", token.status, token.body.get("responseCode")))
        if token.status != 200:
            return {**token.body, "steps": steps}
        kw = {}
        if mode == "bad_signature":
            kw["bad_signature"] = True
        if mode == "stale":
            kw["ts"] = (
                (datetime.datetime.now(JAKARTA) - datetime.timedelta(hours=1))
                .replace(microsecond=0)
                .isoformat()
            )
        if request.get("channel") == "qris":
            return self._pay_qris(request, mode, steps, kw)
        va = request.get("virtualAccountNo", "")
        inquiry = c.inquiry(va, **kw)
        steps.append(("inquiry", inquiry.status, inquiry.body.get("responseCode")))
        if inquiry.status != 200:
            return {**inquiry.body, "steps": steps}
        data = inquiry.body["virtualAccountData"]
        amount = data["totalAmount"]["value"]
        if mode == "wrong_amount":
            amount = f"{Decimal(amount) - 1:.2f}"
        request_id = secrets.token_hex(16)
        external_id = str(secrets.randbelow(10**18)).zfill(18)
        name = data.get("virtualAccountName", "")
        trx = datetime.datetime.now(JAKARTA).replace(microsecond=0).isoformat()
        kw["trx"] = trx  # a repeated notification is the same message
        try:
            timeout = 0.001 if mode == "timeout" else 10
            answer = c.payment(
                va,
                amount,
                request_id=request_id,
                name=name,
                external_id=external_id,
                timeout=timeout,
                **kw,
            )
            steps.append(("payment", answer.status, answer.body.get("responseCode")))
        except Timeout:
            steps.append(("payment", 0, "timeout"))
            answer = c.payment(va, amount, request_id=request_id, name=name, trx=trx)
            steps.append(("payment-again", answer.status, answer.body.get("responseCode")))
            status = c.status(va, request_id=request_id)
            steps.append(("status", status.status, status.body.get("responseCode")))
        if mode == "repeat" and answer.status == 200:
            again = c.payment(
                va, amount, request_id=request_id, name=name, external_id=external_id, trx=trx
            )
            steps.append(("payment-same-external-id", again.status, again.body.get("responseCode")))
            again = c.payment(va, amount, request_id=request_id, name=name, trx=trx)
            steps.append(("payment-new-external-id", again.status, again.body.get("responseCode")))
        if answer.status == 200:
            self.settle(
                reference=answer.body["virtualAccountData"]["referenceNo"],
                va=va,
                code=va[8:].strip(),
                channel="va",
                amount=amount,
            )
        return {**answer.body, "steps": steps}

    def _pay_qris(self, request, mode, steps, kw) -> dict:
        try:
            tags = parse_qris(request.get("qrisPayload", ""))
            additional = tags["62"]
            code = additional[4 : 4 + int(additional[2:4])]  # sub-tag 01: bill number
            amount = f"{Decimal(tags['54']):.2f}"
        except (KeyError, ValueError, ArithmeticError):
            return {"responseCode": "-", "responseMessage": "QRIS unreadable", "steps": steps}
        if mode == "wrong_amount":
            amount = f"{Decimal(amount) - 1:.2f}"
        reference = "QR" + secrets.token_hex(8).upper()
        answer = self.client.qr_notify(bill_code=code, amount=amount, reference=reference, **kw)
        steps.append(("qr-mpm-notify", answer.status, answer.body.get("responseCode")))
        if mode == "repeat" and answer.status == 200:
            again = self.client.qr_notify(bill_code=code, amount=amount, reference=reference)
            steps.append(("qr-mpm-notify-again", again.status, again.body.get("responseCode")))
        if answer.status == 200:
            self.settle(reference=reference, va="", code=code, channel="qris", amount=amount)
        return {**answer.body, "steps": steps}


def make_handler(bank: Bank):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, fmt, *args):  # quiet
            return

        def _json(self, status: int, body: dict) -> None:
            raw = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def _body(self) -> dict:
            length = int(self.headers.get("Content-Length") or 0)
            try:
                data = json.loads(self.rfile.read(length) or b"{}")
            except ValueError:
                return {}
            return data if isinstance(data, dict) else {}

        def do_GET(self):
            if self.path.startswith("/_ledger"):
                return self._json(200, {"lines": bank.lines})
            if self.path.startswith("/healthz"):
                return self._json(200, {"status": "ok"})
            return self._json(404, {})

        def do_POST(self):
            if self.path == "/simulate/pay":
                try:
                    return self._json(200, bank.pay(self._body()))
                except Timeout as exc:
                    return self._json(504, {"responseCode": "-", "responseMessage": str(exc)})
            if self.path == "/_settlement_extra":
                bank.write(self._body())
                return self._json(200, {"ok": True})
            return self._json(404, {})

    return Handler


def serve(*, host: str, port: int, bank: Bank) -> None:
    server = ThreadingHTTPServer((host, port), make_handler(bank))
    print(f"bank simulator on http://{host}:{port}", flush=True)
    server.serve_forever()
