"""The minimisation check can fail: a planted leak in a log line, an e-mail body and
an API response makes a run fail (the check is on by default); `--no-privacy-scan`
turns it off."""

import os
import subprocess
import sys
from pathlib import Path

from binjai_portal.core.privacy import detect

ROOT = Path(__file__).resolve().parents[2]

PLANTED = """
import logging

def test_logs_a_nik():
    logging.getLogger("binjai").warning("NIK %s tidak cocok", "1275025705920107")

def test_clean():
    logging.getLogger("binjai").info("booking AB12CD dibuat")
"""


def run(tmp_path, source, *args):
    test = tmp_path / "test_planted.py"
    test.write_text(source)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:django",
            "-p",
            "no:celery",
            "-p",
            "tests.privacy_scan",
            "--rootdir",
            str(tmp_path),
            "-c",
            os.devnull,
            *args,
            str(test),
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )


def test_a_planted_leak_fails_the_run(tmp_path):
    result = run(tmp_path, PLANTED)
    assert result.returncode != 0, result.stdout
    assert "personal data outside its allowed places" in result.stdout
    assert "log binjai: nik 1275" in result.stdout
    # Both tests pass; only the leaking one errors in its teardown.
    assert "2 passed, 1 error" in result.stdout
    assert "ERROR test_planted.py::test_logs_a_nik" in result.stdout
    assert "test_clean -" not in result.stdout


def test_opt_out(tmp_path):
    assert run(tmp_path, PLANTED, "--no-privacy-scan").returncode == 0


def test_captured_output_is_scanned(tmp_path):
    source = 'def test_prints():\n    print("hubungi 081234567890")\n'
    result = run(tmp_path, source)
    assert result.returncode != 0, result.stdout
    assert "captured stdout (call): phone 0812" in result.stdout


def test_scans_mail_outbox_and_api_responses():
    from tests.privacy_scan import scan

    findings = []
    scan(findings, "e-mail body", "Hubungi 0812 3456 789 atau warga@example.org")
    scan(
        findings,
        "e-mail body",
        "Hubungi warga@example.org",
        allowed=frozenset({"warga@example.org"}),
    )
    scan(findings, "response", b'{"phone": "+6281299000001"}')
    assert findings == ["e-mail body: email warg…", "response: phone +628…"]


def test_detector_ignores_ordinary_numbers():
    text = (
        "Rp 1.250.000, kode 2026-00042, tiket ADU-2026-00012, 1234567890123456, 08:30, "
        "succeeded in 0.4293571509999765s"
    )
    assert detect.find(text) == []


def test_a_crafted_input_is_not_reported_back_but_other_data_is():
    """A `crafted_input` test's own made-up values (a fuzzer's 16 digits) are not the
    portal's data; anything else that looks like a NIK still is."""
    from tests import privacy_scan

    text = "/masyarakat/?q=1275025705920107 dan 1275025705920108"
    try:
        privacy_scan._CRAFTED.clear()
        privacy_scan._note_crafted(
            {"PATH_INFO": "/masyarakat/", "QUERY_STRING": "q=1275025705920107"}
        )
        findings = []
        privacy_scan.scan(findings, "URL", text)
        assert findings == ["URL: nik 1275…"]  # the other one only
        privacy_scan._CRAFTED.clear()
        findings = []
        privacy_scan.scan(findings, "URL", text)
        assert len(findings) == 2
    finally:
        privacy_scan._CRAFTED.clear()
