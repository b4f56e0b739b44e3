"""Where a PDF's text lands: a small content-stream reader (pikepdf) for layout tests.

Follows the graphics state ReportLab writes (q/Q, cm, BT/ET, Tf, TL, Tm, Td, TD, T*, Tj,
TJ) for translations only, which is all ReportLab's platypus emits for plain text, and
measures each run with ReportLab's own font metrics.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import pikepdf
from reportlab.pdfbase.pdfmetrics import stringWidth


@dataclass(frozen=True)
class Run:
    page: int
    x: float
    y: float
    width: float
    text: str
    font: str
    size: float

    @property
    def right(self) -> float:
        return self.x + self.width


def text_runs(content: bytes) -> list[Run]:
    runs: list[Run] = []
    with pikepdf.open(io.BytesIO(content)) as pdf:
        for number, page in enumerate(pdf.pages):
            fonts = {
                str(name): str(font.get("/BaseFont", "/Helvetica"))[1:]
                for name, font in (page.Resources.get("/Font") or {}).items()
            }
            stack, ctm = [], (0.0, 0.0)
            line, pos, font, size, leading = (0.0, 0.0), (0.0, 0.0), "Helvetica", 10.0, 0.0
            for operands, op in pikepdf.parse_content_stream(page):
                op = str(op)
                if op == "q":
                    stack.append(ctm)
                elif op == "Q":
                    ctm = stack.pop() if stack else (0.0, 0.0)
                elif op == "cm":
                    e, f = float(operands[4]), float(operands[5])
                    ctm = (ctm[0] + e, ctm[1] + f)
                elif op == "BT":
                    line = pos = (0.0, 0.0)
                elif op == "Tf":
                    font = fonts.get(str(operands[0]), "Helvetica")
                    size = float(operands[1])
                elif op == "TL":
                    leading = float(operands[0])
                elif op == "Tm":
                    line = pos = (float(operands[4]), float(operands[5]))
                elif op in ("Td", "TD"):
                    if op == "TD":
                        leading = -float(operands[1])
                    line = pos = (line[0] + float(operands[0]), line[1] + float(operands[1]))
                elif op == "T*":
                    line = pos = (line[0], line[1] - leading)
                elif op in ("Tj", "TJ"):
                    parts = operands[0] if op == "TJ" else [operands[0]]
                    text = "".join(
                        bytes(p).decode("latin-1") for p in parts if isinstance(p, pikepdf.String)
                    )
                    width = stringWidth(text, font, size)
                    runs.append(
                        Run(number, ctm[0] + pos[0], ctm[1] + pos[1], width, text, font, size)
                    )
                    pos = (pos[0] + width, pos[1])
    return runs
