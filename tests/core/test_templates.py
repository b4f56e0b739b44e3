"""Template hygiene: a Django `{# #}` comment ends on its own line, or it is shown to users."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_no_template_comment_spans_lines():
    offenders = []
    for path in ROOT.glob("**/templates/**/*.html"):
        if ".venv" in path.parts:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if "{#" in line and "#}" not in line.split("{#", 1)[1]:
                offenders.append(f"{path.relative_to(ROOT)}:{number}")
    assert not offenders, f"multi-line {{# #}} comments (use {{% comment %}}): {offenders}"
