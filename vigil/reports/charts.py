"""Geometry of the report's charts, drawn as SVG by templates (no JavaScript, nothing fetched): a daily
timeline in three panels (named arrests, named killings, protests and strikes) and a tile-grid map of the
provinces. Numbers here are SVG user units; templates only place what is computed here.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import jdatetime
from django.utils.translation import gettext

from vigil.core.dates import GREGORIAN_MONTHS_EN, JALALI_MONTHS_FA
from vigil.core.text import reads_persian, to_persian_digits
from vigil.reports.event_counts import AreaCount
from vigil.reports.render.words import day, number
from vigil.reports.tilegrid import PROVINCE_TILES
from vigil.reports.timeline import TimelineDay

WIDTH = 720
PANEL_HEIGHT = 96
PLOT_TOP = 22  # room for the panel title
PLOT_BOTTOM = 80
AXIS_HEIGHT = 24
MARGIN = 44  # room for the value labels at the side
BUCKETS = 5


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str  # for the tooltip and screen readers: "9 January 2026: 12"


@dataclass(frozen=True)
class Panel:
    title: str
    css: str
    top: int
    peak: int
    peak_label: str
    bars: list[Bar]


@dataclass(frozen=True)
class AxisLabel:
    x: float
    text: str


@dataclass(frozen=True)
class TimelineChart:
    width: int
    height: int
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: int
    panels: list[Panel]
    axis: list[AxisLabel]
    axis_y: int
    rtl: bool


def _short_day(value: dt.date) -> str:
    if reads_persian():
        jalali = jdatetime.date.fromgregorian(date=value)
        return to_persian_digits(f"{jalali.day} {JALALI_MONTHS_FA[jalali.month - 1]}")
    return f"{value.day} {GREGORIAN_MONTHS_EN[value.month - 1][:3]}"


def timeline_chart(days: list[TimelineDay]) -> TimelineChart | None:
    """Three stacked panels sharing one time axis; each panel has its own scale (protests may number in
    the hundreds a day while named killings number a few). Right to left in Persian."""
    if not days:
        return None
    rtl = reads_persian()
    series = [
        (gettext("Named people arrested, per day"), "arrests", [entry.arrests for entry in days]),
        (gettext("Named people killed, per day"), "killings", [entry.killings for entry in days]),
        (
            gettext("Protests and strikes documented, per day"),
            "protests",
            [entry.protests + entry.strikes for entry in days],
        ),
    ]
    left, right = MARGIN, WIDTH - MARGIN
    slot = (right - left) / len(days)
    gap = min(2.0, slot * 0.2)

    def x_of(index: int) -> float:
        x = left + index * slot
        return (left + right) - x - slot if rtl else x

    panels: list[Panel] = []
    for position, (title, css, values) in enumerate(series):
        top = position * PANEL_HEIGHT
        peak = max(values) or 1
        height_per_unit = (PLOT_BOTTOM - PLOT_TOP) / peak
        bars = [
            Bar(
                round(x_of(index) + gap / 2, 2),
                round(top + PLOT_BOTTOM - value * height_per_unit, 2),
                round(max(slot - gap, 0.5), 2),
                round(value * height_per_unit, 2),
                f"{day(entry.day)}: {number(value)}",
            )
            for index, (entry, value) in enumerate(zip(days, values, strict=True))
            if value
        ]
        panels.append(Panel(title, css, top, max(values), number(max(values)), bars))
    step = max(1, math.ceil(len(days) / 8))
    axis = [
        AxisLabel(round(x_of(index) + slot / 2, 2), _short_day(entry.day))
        for index, entry in enumerate(days)
        if index % step == 0
    ]
    height = len(series) * PANEL_HEIGHT + AXIS_HEIGHT
    return TimelineChart(WIDTH, height, left, right, PLOT_TOP, PLOT_BOTTOM, panels, axis, height - 8, rtl)


@dataclass(frozen=True)
class Tile:
    x: int
    y: int
    code: str
    label: str
    name: str
    value: int
    value_label: str
    bucket: int  # 0: none; 1 to BUCKETS: share of the largest value


@dataclass(frozen=True)
class TileMap:
    width: int
    height: int
    size: int
    tiles: list[Tile]
    unplaced: list[AreaCount]
    peak: int
    legend: list[tuple[int, str]]  # bucket, words


def tile_map(areas: list[AreaCount], *, size: int = 84, gap: int = 6) -> TileMap:
    """Protests and strikes per province on the tile grid. Geography is not mirrored in Persian."""
    peak = max((area.events for area in areas), default=0)
    tiles: list[Tile] = []
    unplaced: list[AreaCount] = []
    for area in areas:
        place = PROVINCE_TILES.get(area.code)
        if place is None:
            unplaced.append(area)
            continue
        column, row, short_en, short_fa = place
        bucket = 0 if not area.events or not peak else max(1, math.ceil(BUCKETS * area.events / peak))
        tiles.append(
            Tile(
                column * (size + gap),
                row * (size + gap),
                area.code,
                short_fa if reads_persian() else short_en,
                area.name,
                area.events,
                number(area.events),
                bucket,
            )
        )
    columns = 1 + max((tile[0] for tile in PROVINCE_TILES.values()), default=0)
    rows = 1 + max((tile[1] for tile in PROVINCE_TILES.values()), default=0)
    legend = [(0, gettext("none"))]
    for bucket in range(1, BUCKETS + 1):
        low = math.floor(peak * (bucket - 1) / BUCKETS) + 1
        high = math.floor(peak * bucket / BUCKETS)
        if peak and high >= low:
            legend.append((bucket, f"{number(low)}–{number(high)}" if high > low else number(high)))
    return TileMap(
        columns * (size + gap) - gap, rows * (size + gap) - gap, size, tiles, unplaced, peak, legend
    )
