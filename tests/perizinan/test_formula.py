from decimal import Decimal

import pytest

from perizinan.formula import FormulaError, formula_evaluate

VALUES = {"luas_bangunan": "120.5", "jumlah_lantai": 2}


def test_arithmetic_with_decimals():
    assert formula_evaluate("luas_bangunan * 10000 * jumlah_lantai + 250000", VALUES) == Decimal(
        "2660000"
    )
    assert formula_evaluate("(luas_bangunan - 0.5) / 2", VALUES) == Decimal("60")
    assert isinstance(formula_evaluate("-1 + 2", {}), Decimal)


@pytest.mark.parametrize(
    "formula",
    [
        "__import__('os').system('id')",
        "open('/etc/passwd').read()",
        "luas_bangunan.__class__",
        "9 ** 9 ** 9",
        "[x for x in ()]",
        "lambda: 1",
        "luas_bangunan if 1 else 2",
        "1 < 2",
        "'a' * 3",
        "unknown_field * 2",
        "1 / 0",
        "1e400 * 1e400",
        "(" * 200 + "1" + ")" * 200,
        "",
        "1 +",
        "x := 1",
    ],
)
def test_malicious_or_bad_formulas_are_refused(formula):
    with pytest.raises(FormulaError):
        formula_evaluate(formula, VALUES)
