import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from simulators.bank.client import SnapClient, generate_key, public_pem
from tests import servers

PORTS = range(23000, 23100)  # this branch's range
CLIENT_ID, SECRET, PARTNER = "BANKSUMUT-SIM", "sim-client-secret-0123456789abcdef", "BSUMUT"


@dataclass
class Bank:
    key: rsa.RSAPrivateKey
    key_path: Path
    settlement_dir: Path

    def client(self, base_url: str) -> SnapClient:
        return SnapClient(
            base_url=base_url,
            key=self.key,
            client_id=CLIENT_ID,
            client_secret=SECRET,
            partner_id=PARTNER,
        )


@pytest.fixture
def bank(settings, tmp_path):
    """SNAP settings of a bank whose key pair this test made, QRIS merchant data (demo)."""
    key_path = tmp_path / "bank.pem"
    key = generate_key(str(key_path))
    settings.BILLING_SNAP_CLIENT_ID = CLIENT_ID
    settings.BILLING_SNAP_CLIENT_SECRET = SECRET
    settings.BILLING_SNAP_PARTNER_ID = PARTNER
    settings.BILLING_SNAP_CLIENT_PUBLIC_KEY = public_pem(key)
    settings.BILLING_SNAP_PARTNER_SERVICE_ID = "12751"
    settings.BILLING_QRIS_ACQUIRER_DOMAIN = "ID.CO.DEMO.WWW"
    settings.BILLING_QRIS_MERCHANT_PAN = "9360000000000000001"
    settings.BILLING_QRIS_MERCHANT_ID = "DEMO0001"
    settings.BILLING_SETTLEMENT_DIR = tmp_path / "settlement"
    return Bank(key, key_path, tmp_path / "settlement")


@pytest.fixture
def treasurer(make_staff):
    return make_staff("bendahara_penerimaan", full_name="Dewi Bendahara")


def free_port() -> int:
    return servers.free_port(PORTS)  # this worker's share of the range


@pytest.fixture
def bank_simulator(bank, live_server):
    """The bank simulator as its own process, on a free port of this branch's range."""
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "simulators.bank",
            "--port",
            str(port),
            "--portal",
            live_server.url,
            "--key",
            str(bank.key_path),
            "--client-id",
            CLIENT_ID,
            "--client-secret",
            SECRET,
            "--partner-id",
            PARTNER,
            "--settlement-dir",
            str(bank.settlement_dir),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 15
    while True:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                break
        if time.monotonic() > deadline or proc.poll() is not None:
            proc.kill()
            raise RuntimeError("bank simulator did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    proc.wait(timeout=10)
