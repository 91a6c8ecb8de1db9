"""Server-rendered charts of the pool's structure: geometry for inline SVG bar charts, computed here so the
template only draws (no JavaScript, works in print and without network).

A chart is a horizontal bar per row of `selectors.pool_structure`, scaled to the largest count, with the count
and percentage printed at the bar's end.
"""

from __future__ import annotations

WIDTH = 420
LABEL_WIDTH = 112
VALUE_WIDTH = 84
BAR_HEIGHT = 18
GAP = 8
PALETTE = ("#b71c1c", "#8d6e63", "#1565c0", "#2e7d32", "#6a1b9a", "#ef6c00", "#00838f", "#5d4037", "#455a64")


def bar_chart(rows: list[dict], *, colour_index: int = 0) -> dict:
    """SVG geometry for `rows` ([{label, count, percent}]); an empty list gives an empty chart of one row."""
    span = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    top = max((r["count"] for r in rows), default=0) or 1
    bars = []
    for i, row in enumerate(rows):
        y = GAP + i * (BAR_HEIGHT + GAP)
        length = round(span * row["count"] / top, 1)
        bars.append(
            {
                "label": row["label"],
                "count": row["count"],
                "percent": row["percent"],
                "y": y,
                "text_y": y + BAR_HEIGHT - 5,
                "x": LABEL_WIDTH,
                "width": length,
                "value_x": LABEL_WIDTH + length + 6,
            }
        )
    height = GAP + max(len(rows), 1) * (BAR_HEIGHT + GAP)
    return {
        "width": WIDTH,
        "height": height,
        "label_x": LABEL_WIDTH - 6,
        "bar_height": BAR_HEIGHT,
        "colour": PALETTE[colour_index % len(PALETTE)],
        "bars": bars,
    }


def structure_charts(structure: dict) -> list[dict]:
    """One chart per dimension of `pool_structure(...)`, in its order, with the dimension's key and title."""
    charts = []
    for i, (key, dimension) in enumerate(structure["dimensions"].items()):
        chart = bar_chart(dimension["rows"], colour_index=i)
        chart.update({"key": key, "title": dimension["label"], "rows": dimension["rows"]})
        charts.append(chart)
    return charts
