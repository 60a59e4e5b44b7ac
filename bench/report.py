"""The comparison table, the targets of issue 5, and docs/benchmarks.md.

The measured part of docs/benchmarks.md sits between two markers; everything
outside them is written by hand and kept as it is when the table is rewritten.
"""

import math
import os
import platform
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from importlib.metadata import version
from pathlib import Path

from bench.load import Budget, LevelResult
from bench.projects import TrainingTimes

START_MARKER = "<!-- bench:start -->"
END_MARKER = "<!-- bench:end -->"
NEW_FILE_HEAD = "# Benchmarks\n\n## What we found and changed\n\n"
PERCENTILES = (50, 95, 99)


@dataclass
class BotResult:
    """Everything measured for one bot."""

    name: str
    training: TrainingTimes
    startup_s: float
    levels: list[LevelResult]
    rasa_peak_mb: float | None
    action_peak_mb: float | None

    def level(self, concurrency: int) -> LevelResult | None:
        return next((r for r in self.levels if r.concurrency == concurrency), None)


@dataclass(frozen=True)
class Row:
    """One measure for both bots; `decimals` is how it is printed."""

    measure: str
    ours: float | None
    stock: float | None
    decimals: int = 1
    # Counts such as failures are read as they are; a ratio of them says nothing.
    has_ratio: bool = True

    @property
    def ratio(self) -> float | None:
        if not self.has_ratio or _missing(self.ours) or _missing(self.stock) or self.stock == 0:
            return None
        return self.ours / self.stock

    def cells(self) -> list[str]:
        ratio = self.ratio
        return [
            self.measure,
            _number(self.ours, self.decimals),
            _number(self.stock, self.decimals),
            "—" if ratio is None else f"{ratio:.2f}×",
        ]


def _missing(value: float | None) -> bool:
    return value is None or math.isnan(value)


def _number(value: float | None, decimals: int) -> str:
    return "—" if _missing(value) else f"{value:,.{decimals}f}"


def _level_row(
    measure: str,
    concurrency: int,
    ours: BotResult,
    stock: BotResult,
    metric: Callable[[LevelResult], float],
    decimals: int,
) -> Row:
    mine, theirs = ours.level(concurrency), stock.level(concurrency)
    label = f"{concurrency} conversation{'s' if concurrency > 1 else ''}"
    return Row(
        f"{measure}, {label}",
        None if mine is None else metric(mine),
        None if theirs is None else metric(theirs),
        decimals,
    )


def _level_rows(ours: BotResult, stock: BotResult) -> list[Row]:
    rows = []
    for concurrency in sorted({r.concurrency for r in ours.levels + stock.levels}):
        rows.append(
            _level_row("Messages/s", concurrency, ours, stock, lambda r: r.messages_per_s, 1)
        )
        rows.extend(
            _level_row(
                f"p{q} latency (ms)", concurrency, ours, stock, lambda r, q=q: r.latency_ms(q), 0
            )
            for q in PERCENTILES
        )
    return rows


def comparison_rows(ours: BotResult, stock: BotResult) -> list[Row]:
    """Every measure of issue 5, this bot first."""
    return [
        Row(
            "Training from scratch (s)", ours.training.from_scratch_s, stock.training.from_scratch_s
        ),
        Row(
            "Training after rewording a response (s)",
            ours.training.after_response_change_s,
            stock.training.after_response_change_s,
        ),
        Row("Start-up (s)", ours.startup_s, stock.startup_s),
        *_level_rows(ours, stock),
        Row(
            "Failed messages (all levels)",
            sum(r.failures for r in ours.levels),
            sum(r.failures for r in stock.levels),
            decimals=0,
            has_ratio=False,
        ),
        Row("Rasa server peak memory (MB)", ours.rasa_peak_mb, stock.rasa_peak_mb, decimals=0),
        Row(
            "Action server peak memory (MB)", ours.action_peak_mb, stock.action_peak_mb, decimals=0
        ),
    ]


def markdown_table(ours: BotResult, stock: BotResult) -> str:
    header = ["Measure", ours.name, stock.name, "ratio"]
    lines = ["| " + " | ".join(header) + " |", "|---|" + "---:|" * (len(header) - 1)]
    lines += ["| " + " | ".join(row.cells()) + " |" for row in comparison_rows(ours, stock)]
    return "\n".join(lines)


def target_checks(ours: BotResult, stock: BotResult) -> list[tuple[str, bool]]:
    """Issue 5's targets that this run measured, each with whether it was met."""
    checks = []
    mine32, theirs32 = ours.level(32), stock.level(32)
    if mine32 and theirs32:
        checks.append(
            (
                "Throughput at 32 conversations at least 2× the stock bot's",
                mine32.messages_per_s >= 2 * theirs32.messages_per_s,
            )
        )
    if (mine8 := ours.level(8)) is not None:
        checks.append(("p95 latency at 8 conversations under 250 ms", mine8.latency_ms(95) < 250))
    checks += [
        ("Start-up under 30 s", ours.startup_s < 30),
        ("Rasa server memory under 1 GB", (ours.rasa_peak_mb or math.inf) < 1024),
        ("Training from scratch under 3 minutes", ours.training.from_scratch_s < 180),
    ]
    return checks


def machine_description(load_before: tuple[float, float, float]) -> list[str]:
    """Where and when: the numbers mean nothing without the machine and how busy it was."""
    cpuinfo = Path("/proc/cpuinfo").read_text()
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in cpuinfo.splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown",
    )
    meminfo = Path("/proc/meminfo").read_text().split()
    total_gb = int(meminfo[meminfo.index("MemTotal:") + 1]) / 1024**2
    return [
        f"- Date: {datetime.now().astimezone().isoformat(timespec='minutes')}",
        f"- CPUs: {len(os.sched_getaffinity(0))} (`nproc`), {cpu}",
        f"- Memory: {total_gb:.1f} GB",
        f"- Rasa {version('rasa')}, Python {platform.python_version()}",
        "- Load average before the run (1/5/15 min): "
        + " / ".join(f"{x:.2f}" for x in load_before),
    ]


def targets_list(ours: BotResult, stock: BotResult) -> list[str]:
    return [
        f"- {'met' if met else '**not met**'}: {name}" for name, met in target_checks(ours, stock)
    ]


def production_section(production: BotResult | None, stock: BotResult) -> list[str]:
    """The same bot in production mode, against the same stock run."""
    if production is None:
        return []
    return [
        "",
        "### Production mode",
        "",
        "`CLINIC_MODE=production make run`: two Rasa servers and two action servers behind"
        ' nginx, PostgreSQL tracker store, Redis lock store (README, "Production mode").'
        " Training is the same model's; memory is both Rasa servers together.",
        "",
        markdown_table(production, stock),
        "",
        *targets_list(production, stock),
    ]


def render(
    ours: BotResult,
    stock: BotResult,
    budget: Budget,
    load_before: tuple[float, float, float],
    production: BotResult | None = None,
) -> str:
    """The measured section of docs/benchmarks.md."""
    levels = ", ".join(str(r.concurrency) for r in ours.levels)
    return "\n".join(
        [
            "## Measurements",
            "",
            "Generated by `make bench` (`python -m bench`); do not edit by hand.",
            "",
            *machine_description(load_before),
            f"- Load: {levels} concurrent conversations, {budget.describe()} per level,"
            " after one warm-up conversation; ratio = this bot / stock",
            "",
            markdown_table(ours, stock),
            "",
            "### Targets (issue 5)",
            "",
            *targets_list(ours, stock),
            *production_section(production, stock),
        ]
    )


def write_report(path: Path, measured: str) -> None:
    """Put `measured` between the markers of `path`, keeping the hand-written rest."""
    block = f"{START_MARKER}\n{measured}\n{END_MARKER}"
    text = path.read_text(encoding="utf-8") if path.exists() else NEW_FILE_HEAD
    if START_MARKER in text and END_MARKER in text:
        head, rest = text.split(START_MARKER, 1)
        tail = rest.split(END_MARKER, 1)[1]
        text = f"{head}{block}{tail}"
    else:
        text = f"{text.rstrip()}\n\n{block}\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
