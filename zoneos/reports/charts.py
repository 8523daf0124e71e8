"""Server-side SVG charts for the PDF briefing (WeasyPrint runs no JavaScript): a horizontal bar chart of
completion rates with a line at time progress, and a column chart of the cumulative completion rate
month by month against time progress. Each function takes plain numbers (percentages) and labels and
returns SVG markup; sizes are in CSS pixels (96 per inch), so 660 px fit an A4 page's text width."""

from __future__ import annotations

import math
from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.utils.safestring import SafeString, mark_safe

FONT = "Noto Sans CJK SC, Noto Sans, sans-serif"
INK = "#1f2933"
MUTED = "#6b7785"
GRID = "#dde3ea"
MARKER = "#c2255c"
PLAN = "#3b5bdb"


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None  # a percentage; None: nothing to show
    color: str
    text: str  # the value as printed at the bar's end


def _attr(value) -> str:
    return escape(str(value), {'"': "&quot;"})


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))


def _text(x, y, content, *, size=11, anchor="start", color=INK, weight="normal") -> str:
    return (
        f'<text x="{_num(x)}" y="{_num(y)}" font-family="{FONT}" font-size="{size}" fill="{color}" '
        f'text-anchor="{anchor}" font-weight="{weight}">{escape(content)}</text>'
    )


def _fit(text: str, width_em: float) -> str:
    """Shorten `text` to about `width_em` ems (a CJK character is one em, Latin about half)."""
    used, out = 0.0, []
    for char in text:
        used += 1.0 if ord(char) > 0x2E80 else 0.56
        if used > width_em:
            return "".join(out).rstrip() + "…"
        out.append(char)
    return text


def nice_scale(maximum: float, ticks: int = 5) -> tuple[float, float]:
    """An axis end and tick step (1, 2, 2.5 or 5 times a power of ten) that hold `maximum`."""
    if maximum <= 0:
        return 100.0, 20.0
    raw = maximum / ticks
    power = 10 ** math.floor(math.log10(raw))
    step = next(f * power for f in (1, 2, 2.5, 5, 10) if f * power >= raw)
    return math.ceil(maximum / step - 1e-9) * step, step


def _svg(width: int, height: int, body: list[str], title: str) -> SafeString:
    return mark_safe(  # noqa: S308  (every text and attribute above is escaped)
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{_attr(title)}">'
        f"<title>{escape(title)}</title>{''.join(body)}</svg>"
    )


def bar_chart(
    bars: list[Bar],
    *,
    marker: float,
    marker_label: str,
    legend: list[tuple[str, str]],
    title: str,
    width: int = 660,
) -> SafeString:
    """Horizontal bars, one per row, with a dashed vertical line at `marker` (time progress)."""
    label_w, right_pad, row_h, top, bottom = 150, 52, 24, 26, 44
    plot_w = width - label_w - right_pad
    height = top + row_h * max(len(bars), 1) + bottom
    values = [b.value for b in bars if b.value is not None]
    end, step = nice_scale(max([marker, *values]) * 1.05)
    scale = plot_w / end

    def x(value: float) -> float:
        return label_w + max(0.0, value) * scale

    body = []
    plot_bottom = top + row_h * max(len(bars), 1)
    tick = 0.0
    while tick <= end + 1e-9:
        body.append(
            f'<line x1="{_num(x(tick))}" y1="{top}" x2="{_num(x(tick))}" y2="{plot_bottom}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        body.append(_text(x(tick), plot_bottom + 14, f"{_num(tick)}%", size=9, anchor="middle", color=MUTED))
        tick += step
    for index, bar in enumerate(bars):
        y = top + index * row_h
        body.append(_text(label_w - 8, y + row_h / 2 + 4, _fit(bar.label, 12), anchor="end"))
        if bar.value is None:
            body.append(_text(label_w + 4, y + row_h / 2 + 4, bar.text, size=10, color=MUTED))
            continue
        bar_w = max(x(bar.value) - label_w, 1.0)
        body.append(
            f'<rect x="{label_w}" y="{_num(y + 5)}" width="{_num(bar_w)}" height="{row_h - 10}" '
            f'rx="2" fill="{_attr(bar.color)}"/>'
        )
        body.append(_text(label_w + bar_w + 4, y + row_h / 2 + 4, bar.text, size=10, weight="bold"))
    body.append(
        f'<line x1="{label_w}" y1="{top}" x2="{label_w}" y2="{plot_bottom}" '
        f'stroke="{MUTED}" stroke-width="1"/>'
    )
    mx = x(marker)
    body.append(
        f'<line x1="{_num(mx)}" y1="{top - 6}" x2="{_num(mx)}" y2="{plot_bottom}" stroke="{MARKER}" '
        f'stroke-width="1.5" stroke-dasharray="5 3"/>'
    )
    anchor = "end" if mx > label_w + plot_w * 0.7 else "start"
    body.append(
        _text(
            mx + (-4 if anchor == "end" else 4), top - 10, marker_label, size=10, anchor=anchor, color=MARKER
        )
    )
    body.extend(_legend(legend, plot_bottom + 30, label_w))
    return _svg(width, height, body, title)


def _legend(items: list[tuple[str, str]], y: float, x: float) -> list[str]:
    out = []
    for color, label in items:
        out.append(
            f'<rect x="{_num(x)}" y="{_num(y - 9)}" width="10" height="10" rx="2" fill="{_attr(color)}"/>'
        )
        out.append(_text(x + 14, y, label, size=9, color=MUTED))
        x += 14 + 10 * sum(1.0 if ord(c) > 0x2E80 else 0.56 for c in label) + 18
    return out


def trend_chart(
    months: list[str],
    rates: list[float | None],
    progress: list[float],
    *,
    rate_label: str,
    progress_label: str,
    title: str,
    width: int = 660,
    height: int = 210,
) -> SafeString:
    """Columns of the cumulative completion rate by month, and time progress as a line with dots."""
    left, right, top, bottom = 44, 12, 14, 50
    plot_w, plot_h = width - left - right, height - top - bottom
    end, step = nice_scale(max([*(r for r in rates if r is not None), *progress, 1.0]) * 1.1)
    slot = plot_w / max(len(months), 1)

    def y(value: float) -> float:
        return top + plot_h - max(0.0, value) / end * plot_h

    body = []
    tick = 0.0
    while tick <= end + 1e-9:
        body.append(
            f'<line x1="{left}" y1="{_num(y(tick))}" x2="{left + plot_w}" y2="{_num(y(tick))}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        body.append(_text(left - 6, y(tick) + 3, f"{_num(tick)}%", size=9, anchor="end", color=MUTED))
        tick += step
    column_w = min(slot * 0.55, 34)
    for index, (month, rate) in enumerate(zip(months, rates, strict=True)):
        cx = left + slot * (index + 0.5)
        body.append(_text(cx, top + plot_h + 14, month, size=9, anchor="middle", color=MUTED))
        if rate is None:
            continue
        body.append(
            f'<rect x="{_num(cx - column_w / 2)}" y="{_num(y(rate))}" width="{_num(column_w)}" '
            f'height="{_num(top + plot_h - y(rate))}" rx="2" fill="{PLAN}"/>'
        )
        # Inside the column's top when it is tall enough, so the label never sits on the progress line.
        inside = top + plot_h - y(rate) > 16
        body.append(
            _text(cx, y(rate) + (11 if inside else -4), f"{rate:.1f}", size=8, anchor="middle",
                  color="#ffffff" if inside else INK)
        )  # fmt: skip
    points = " ".join(f"{_num(left + slot * (i + 0.5))},{_num(y(p))}" for i, p in enumerate(progress))
    body.append(
        f'<polyline points="{points}" fill="none" stroke="{MARKER}" stroke-width="1.5" '
        f'stroke-dasharray="5 3"/>'
    )
    for i, p in enumerate(progress):
        body.append(
            f'<circle cx="{_num(left + slot * (i + 0.5))}" cy="{_num(y(p))}" r="2.5" fill="{MARKER}"/>'
        )
    body.extend(_legend([(PLAN, rate_label), (MARKER, progress_label)], height - 10, left))
    return _svg(width, height, body, title)
