"""Bar charts as server-rendered SVG: the geometry is computed here, the markup is a
template (services/_bar_chart.svg.html), and every chart has a data table beside it."""

from __future__ import annotations

from dataclasses import dataclass, field

WIDTH, HEIGHT = 720, 320
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 24, 48


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    value: object
    series: int
    label: str

    @property
    def label_x(self) -> float:
        return round(self.x + self.width / 2, 1)

    @property
    def label_y(self) -> float:
        return round(self.y - 4, 1)


@dataclass
class Chart:
    ident: str
    title: str
    description: str
    unit: str
    series: list[str]
    categories: list[str]
    bars: list[Bar] = field(default_factory=list)
    ticks: list[tuple[float, str]] = field(default_factory=list)
    category_x: list[tuple[float, str]] = field(default_factory=list)
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right_edge: int = WIDTH - RIGHT
    baseline: int = HEIGHT - BOTTOM


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if value <= step * 4:
            return step * 4 if value > step * 2 else step * 2 if value > step else step
    return value


def bar_chart(ident: str, title: str, description: str, categories: list[str], series: list[str],
              values: list[list[float | None]], *, unit: str = "", top: float | None = None) -> Chart:
    """``values[s][c]``: series ``s`` at category ``c`` (None: no bar, "无数据" in the table)."""
    chart = Chart(ident=ident, title=title, description=description, unit=unit, series=series, categories=categories)
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM
    highest = top if top is not None else _nice_max(max([v for row in values for v in row if v is not None] or [0]))
    slot = plot_width / max(1, len(categories))
    bar_width = slot * 0.7 / max(1, len(series))
    for i in range(5):
        share = i / 4
        y = TOP + plot_height * (1 - share)
        number = highest * share
        chart.ticks.append((round(y, 1), f"{number:g}"))
    for c, category in enumerate(categories):
        start = LEFT + slot * c + slot * 0.15
        chart.category_x.append((round(LEFT + slot * c + slot / 2, 1), category))
        for s, name in enumerate(series):
            value = values[s][c]
            if value is None:
                continue
            height = plot_height * (min(float(value), highest) / highest) if highest else 0
            chart.bars.append(Bar(
                x=round(start + bar_width * s, 1), y=round(TOP + plot_height - height, 1), width=round(bar_width - 2, 1),
                height=round(height, 1), value=value, series=s, label=f"{category} {name} {value:g}{unit}",
            ))
    return chart
