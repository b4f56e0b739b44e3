"""A tiny, safe arithmetic evaluator for permit fee formulas.

A fee formula (e.g. ``luas_bangunan * 15000 + 250000``) is written by an administrator
and evaluated over an application's numeric fields. Python's ``eval`` would run any
code; here the formula is parsed with ``ast`` and only numbers, field names, + - * /,
unary minus and parentheses are accepted. Results are Decimal, rounded to whole rupiah.
"""

from __future__ import annotations

import ast
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _

MAX_FORMULA_LENGTH = 300
MAX_DEPTH = 30
_OPS = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
}


class FormulaError(ValueError):
    """The formula is not allowed or cannot be evaluated (message in Indonesian)."""


def _check(node: ast.AST, names: set[str], depth: int = 0) -> None:
    if depth > MAX_DEPTH:
        raise FormulaError(_("Rumus terlalu bertingkat."))
    if isinstance(node, ast.Expression):
        return _check(node.body, names, depth + 1)
    if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
        _check(node.left, names, depth + 1)
        _check(node.right, names, depth + 1)
        return None
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        return _check(node.operand, names, depth + 1)
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return None
    if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
        if node.id not in names:
            raise FormulaError(
                _("Nama isian tidak dikenal dalam rumus: %(name)s.") % {"name": node.id}
            )
        return None
    raise FormulaError(_("Rumus hanya boleh berisi angka, nama isian, + - * / dan tanda kurung."))


def formula_parse(formula: str, *, names: set[str]) -> ast.Expression:
    """Parse and whitelist-check a formula, or raise FormulaError."""
    formula = (formula or "").strip()
    if not formula:
        raise FormulaError(_("Rumus kosong."))
    if len(formula) > MAX_FORMULA_LENGTH:
        raise FormulaError(_("Rumus terlalu panjang."))
    try:
        tree = ast.parse(formula, mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        raise FormulaError(_("Rumus tidak dapat dibaca.")) from None
    _check(tree, names)
    return tree


def _eval(node: ast.AST, values: dict[str, Decimal]) -> Decimal:
    if isinstance(node, ast.Expression):
        return _eval(node.body, values)
    if isinstance(node, ast.BinOp):
        left, right = _eval(node.left, values), _eval(node.right, values)
        if isinstance(node.op, ast.Div) and right == 0:
            raise FormulaError(_("Pembagian dengan nol dalam rumus."))
        return _OPS[type(node.op)](left, right)
    if isinstance(node, ast.UnaryOp):
        value = _eval(node.operand, values)
        return -value if isinstance(node.op, ast.USub) else value
    if isinstance(node, ast.Constant):
        return Decimal(str(node.value))
    if isinstance(node, ast.Name):
        return values[node.id]
    raise FormulaError(_("Rumus tidak diizinkan."))  # unreachable after _check


def formula_evaluate(formula: str, values: dict) -> Decimal:
    """Evaluate the formula over numeric values; returns whole rupiah (Decimal)."""
    numeric = {}
    for key, value in values.items():
        if isinstance(value, bool) or value is None:
            continue
        try:
            numeric[key] = Decimal(str(value))
        except (InvalidOperation, ValueError):
            continue
    tree = formula_parse(formula, names=set(numeric))
    try:
        result = _eval(tree, numeric)
    except (InvalidOperation, OverflowError):
        raise FormulaError(_("Rumus menghasilkan angka yang tidak sah.")) from None
    if not result.is_finite() or result.adjusted() > 15:
        raise FormulaError(_("Rumus menghasilkan angka yang tidak sah."))
    return result.quantize(Decimal("1"), rounding=ROUND_HALF_UP)
