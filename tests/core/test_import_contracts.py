"""The import-linter contracts in pyproject.toml (run by `make lint` / `make test`) keep
the five service apps independent except for budgeting -> musrenbang services and
selectors (DESIGN.md), keep the command center from importing any app, and keep
binjai_portal.accounts/core from importing the apps.

The contracts are read from the project's pyproject.toml and run with the real
lint-imports against a small tree with the project's package names, once clean and once
per forbidden import."""

import json
import os
import re
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
SERVICE_APPS = ["musrenbang", "masyarakat", "dokter", "perizinan", "budgeting"]

# The clean tree: only the arrows DESIGN.md draws.
CLEAN_TREE = {
    "binjai_portal/__init__.py": "",
    "binjai_portal/accounts/__init__.py": "",
    "binjai_portal/accounts/models.py": "from binjai_portal.core import models as core_models\n",
    "binjai_portal/core/__init__.py": "",
    "binjai_portal/core/models.py": "",
    "binjai_portal/core/kpi.py": "",
    "binjai_portal/core/workdays.py": "from binjai_portal.core.models import Closure\n",
    "command_center/__init__.py": "",
    "command_center/views.py": "from binjai_portal.core import kpi\n",
    # The simulators of outside systems import nothing of ours and nothing imports them.
    "simulators/__init__.py": "",
    "simulators/sms/__init__.py": "",
    **{
        f"{app}/{module}.py": text
        for app in SERVICE_APPS
        for module, text in {
            "__init__": "",
            "models": "from binjai_portal.accounts.models import User\n",
            "services": f"from binjai_portal.core import workdays\nfrom {app} import models\n",
            "selectors": f"from {app}.models import Thing\n",
            "metrics": f"from binjai_portal.core import kpi\nfrom {app} import selectors\n",
            "views": f"from {app} import selectors, services\n",
        }.items()
    },
}


def lint_config() -> dict:
    return tomllib.loads((PROJECT / "pyproject.toml").read_text())["tool"]["importlinter"]


def toml_section(config: dict) -> str:
    """[tool.importlinter] as TOML (strings, booleans, lists: JSON spells them the same)."""
    lines = ["[tool.importlinter]"]
    lines += [f"{key} = {json.dumps(value)}" for key, value in config.items() if key != "contracts"]
    for contract in config["contracts"]:
        lines += ["", "[[tool.importlinter.contracts]]"]
        lines += [f"{key} = {json.dumps(value)}" for key, value in contract.items()]
    return "\n".join(lines) + "\n"


def lint(root: Path, extra: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    files = dict(CLEAN_TREE)
    for path, text in (extra or {}).items():
        files[path] = files.get(path, "") + text
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text)
    (root / "pyproject.toml").write_text(toml_section(lint_config()))
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def analysed_files(result) -> int:
    found = re.search(r"Analyzed (\d+) files", result.stdout)
    assert found, result.stdout + result.stderr
    return int(found[1])


def test_the_written_config_is_the_projects():
    config = lint_config()
    assert tomllib.loads(toml_section(config))["tool"]["importlinter"] == config
    assert len(config["contracts"]) >= 2


def test_the_clean_tree_passes(tmp_path):
    result = lint(tmp_path)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout
    assert analysed_files(result) == len(CLEAN_TREE)  # the fake tree, not the project


@pytest.mark.parametrize(
    "extra",
    [
        {"budgeting/services.py": "from musrenbang.services import proposal_mark_funded\n"},
        {"budgeting/views.py": "from musrenbang import selectors\n"},
        {"budgeting/services.py": "import musrenbang.services\nimport musrenbang.selectors\n"},
    ],
    ids=["budgeting-services-to-musrenbang-services", "budgeting-views-to-selectors", "both-ties"],
)
def test_the_tie_design_md_draws_passes(tmp_path, extra):
    result = lint(tmp_path, extra)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("extra", "importer", "imported"),
    [
        (
            {"command_center/views.py": "from dokter.models import Booking\n"},
            "command_center.views",
            "dokter.models",
        ),
        (
            {"command_center/views.py": "from dokter import metrics\n"},
            "command_center.views",
            "dokter.metrics",
        ),
        (
            {"dokter/services.py": "from masyarakat import services as complaints\n"},
            "dokter.services",
            "masyarakat.services",
        ),
        ({"dokter/models.py": "import masyarakat\n"}, "dokter.models", "masyarakat"),
        # hidden in a function, as people do to dodge circular imports
        (
            {"perizinan/views.py": "def f():\n    from dokter.selectors import queue\n"},
            "perizinan.views",
            "dokter.selectors",
        ),
        # the tie is services and selectors, not models, and it points one way
        (
            {"budgeting/services.py": "from musrenbang.models import Proposal\n"},
            "budgeting.services",
            "musrenbang.models",
        ),
        (
            {"musrenbang/services.py": "from budgeting import services as budget\n"},
            "musrenbang.services",
            "budgeting.services",
        ),
        (
            {"masyarakat/views.py": "from command_center import views\n"},
            "masyarakat.views",
            "command_center.views",
        ),
        (
            {"binjai_portal/core/kpi.py": "from perizinan.metrics import permits\n"},
            "binjai_portal.core.kpi",
            "perizinan.metrics",
        ),
        (
            {"binjai_portal/core/workdays.py": "import budgeting.selectors\n"},
            "binjai_portal.core.workdays",
            "budgeting.selectors",
        ),
        (
            {"binjai_portal/accounts/models.py": "from command_center import views\n"},
            "binjai_portal.accounts.models",
            "command_center.views",
        ),
        # production code never uses a simulator of an outside system
        (
            {"binjai_portal/core/kpi.py": "from simulators import sms\n"},
            "binjai_portal.core.kpi",
            "simulators.sms",
        ),
        ({"dokter/services.py": "import simulators.sms\n"}, "dokter.services", "simulators.sms"),
        # reads never import writes (the arrow points from services to selectors)
        (
            {"dokter/selectors.py": "from dokter.services import booking_create\n"},
            "dokter.selectors",
            "dokter.services",
        ),
        (
            {"perizinan/selectors.py": "def f():\n    from . import services\n"},
            "perizinan.selectors",
            "perizinan.services",
        ),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_a_forbidden_import_fails(tmp_path, extra, importer, imported):
    result = lint(tmp_path, extra)

    assert result.returncode != 0, result.stdout
    assert "BROKEN" in result.stdout
    assert f"{importer} -> {imported}" in result.stdout


def test_the_project_itself_keeps_its_contracts():
    result = subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo"],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    assert result.returncode == 0, textwrap.indent(result.stdout + result.stderr, "  ")
    assert "0 broken" in result.stdout
    assert analysed_files(result) > len(CLEAN_TREE)
