"""The benchmark runs: a tiny load against the session's bot, and its table and statistics.

Only that it works is checked here; how fast the bot is, is `make bench`'s job.
"""

import math
import random
import subprocess
import sys

import pytest

from bench.conversations import clinic_conversation, stock_conversation
from bench.load import Budget, LevelResult, percentile, run_level
from bench.memory import Server, peak_memory_mb
from bench.projects import TrainingTimes
from bench.report import (
    END_MARKER,
    START_MARKER,
    BotResult,
    comparison_rows,
    markdown_table,
    render,
    target_checks,
    write_report,
)

COLUMNS = ["Measure", "this bot", "stock", "ratio"]


def bot_result(name: str, levels: list[LevelResult], scale: float = 1.0) -> BotResult:
    return BotResult(
        name=name,
        training=TrainingTimes(60 * scale, 10 * scale),
        startup_s=20 * scale,
        levels=levels,
        rasa_peak_mb=800 * scale,
        action_peak_mb=None if name == "stock" else 150,
    )


def level(concurrency: int, latencies_ms: list[float], wall_s: float = 1.0) -> LevelResult:
    return LevelResult(concurrency, wall_s, [ms / 1000 for ms in latencies_ms])


def expected_measures(levels: list[int]) -> list[str]:
    per_level = []
    for n in levels:
        label = f"{n} conversation{'s' if n > 1 else ''}"
        per_level += [f"Messages/s, {label}"] + [
            f"p{q} latency (ms), {label}" for q in (50, 95, 99)
        ]
    return [
        "Training from scratch (s)",
        "Training after rewording a response (s)",
        "Start-up (s)",
        *per_level,
        "Failed messages (all levels)",
        "Rasa server peak memory (MB)",
        "Action server peak memory (MB)",
    ]


def table_cells(table: str) -> list[list[str]]:
    return [[cell.strip() for cell in line.strip("|").split("|")] for line in table.splitlines()]


async def test_tiny_load_against_the_running_bot(bot):
    result = await run_level(
        bot.rasa_url, clinic_conversation, concurrency=2, budget=Budget(None, 4)
    )

    # Every message sent was answered with at least one message.
    assert result.failures == 0
    assert result.messages == 2 * 4
    assert result.messages_per_s > 0
    assert 0 < result.latency_ms(50) <= result.latency_ms(95) <= result.latency_ms(99)

    # Both of the bot's servers are found under `make run`, with their memory.
    rasa_mb = peak_memory_mb(bot.process.pid, Server.RASA)
    action_mb = peak_memory_mb(bot.process.pid, Server.ACTIONS)
    assert rasa_mb and action_mb and rasa_mb > action_mb > 0

    stock = bot_result("stock", [level(2, [100, 200])])
    cells = table_cells(markdown_table(bot_result("this bot", [result]), stock))
    assert cells[0] == COLUMNS
    assert [row[0] for row in cells[2:]] == expected_measures([2])
    assert all(len(row) == len(COLUMNS) for row in cells)
    measured = [row for row in cells if row[0].endswith("2 conversations")]
    assert len(measured) == 4 and all("—" not in row for row in measured)


def test_scripts_follow_each_bot():
    script = clinic_conversation(random.Random(1))
    assert script.count("No") >= 9, "answers every questionnaire item with No"
    assert stock_conversation(random.Random(1))[-1] == "bye"


@pytest.mark.parametrize(
    ("q", "expected"), [(0, 1.0), (50, 2.5), (95, 3.85), (99, 3.97), (100, 4.0)]
)
def test_percentile_interpolates_between_ranks(q, expected):
    assert percentile([4.0, 1.0, 3.0, 2.0], q) == pytest.approx(expected)


def test_percentile_of_one_and_of_none():
    assert percentile([0.2], 99) == 0.2
    assert math.isnan(percentile([], 50))
    with pytest.raises(ValueError):
        percentile([1.0], 101)


def test_a_budget_needs_a_limit():
    with pytest.raises(ValueError):
        Budget(None, None)
    assert Budget(30, None).describe() == "30 s"
    assert Budget(None, 5).describe() == "at most 5 messages per conversation"


def test_level_statistics():
    result = level(8, [10, 20, 30, 40], wall_s=2.0)
    assert result.messages == 4
    assert result.messages_per_s == 2.0
    assert result.latency_ms(50) == pytest.approx(25)


def test_rows_compare_both_bots_level_by_level():
    ours = bot_result("this bot", [level(1, [10] * 10), level(32, [50] * 40, wall_s=0.5)], 0.5)
    stock = bot_result("stock", [level(1, [40] * 20), level(32, [500] * 40, wall_s=2.0)])
    rows = {row.measure: row for row in comparison_rows(ours, stock)}

    assert list(rows) == expected_measures([1, 32])
    assert rows["Messages/s, 32 conversations"].ratio == pytest.approx(4.0)
    assert rows["p95 latency (ms), 1 conversation"].cells() == [
        "p95 latency (ms), 1 conversation", "10", "40", "0.25×"
    ]  # fmt: skip
    assert rows["Training from scratch (s)"].cells()[1:] == ["30.0", "60.0", "0.50×"]
    assert rows["Action server peak memory (MB)"].cells()[1:] == ["150", "—", "—"]
    assert rows["Failed messages (all levels)"].cells()[1:] == ["0", "0", "—"]


def test_a_level_only_one_bot_ran_has_no_ratio():
    ours = bot_result("this bot", [level(8, [10])])
    rows = {row.measure: row for row in comparison_rows(ours, bot_result("stock", []))}
    assert rows["Messages/s, 8 conversations"].cells()[2:] == ["—", "—"]


def test_targets_of_the_issue():
    ours = bot_result("this bot", [level(8, [100] * 20), level(32, [50] * 100)], 0.5)
    stock = bot_result("stock", [level(8, [600] * 20), level(32, [500] * 30)])
    assert all(met for _, met in target_checks(ours, stock))

    slow = bot_result("this bot", [level(8, [300] * 20), level(32, [50] * 40)], 2.0)
    failed = {name for name, met in target_checks(slow, stock) if not met}
    assert failed == {
        "Throughput at 32 conversations at least 2× the stock bot's",
        "p95 latency at 8 conversations under 250 ms",
        "Start-up under 30 s",
        "Rasa server memory under 1 GB",
    }


def test_production_mode_gets_its_own_table_and_targets_against_the_same_stock_run():
    stock = bot_result("stock", [level(32, [500] * 30)])
    ours = bot_result("this bot", [level(32, [50] * 50)])
    production = bot_result("this bot, production mode", [level(32, [50] * 90)])
    measured = render(ours, stock, Budget(duration_s=1.0), (0.0, 0.0, 0.0), production)

    head, production_part = measured.split("### Production mode")
    assert "production mode" not in head
    cells = table_cells(
        "\n".join(line for line in production_part.splitlines() if line.startswith("|"))
    )
    assert cells[0] == ["Measure", "this bot, production mode", "stock", "ratio"]
    assert ["Messages/s, 32 conversations", "90.0", "30.0", "3.00×"] in cells
    assert "- met: Throughput at 32 conversations at least 2× the stock bot's" in production_part
    assert "**not met**: Throughput at 32" not in production_part
    assert "- met: Throughput at 32" not in head


def test_report_keeps_the_hand_written_text(tmp_path):
    path = tmp_path / "benchmarks.md"
    path.write_text(f"# B\n\nWhat we found.\n\n{START_MARKER}\nold\n{END_MARKER}\n\nNotes.\n")
    write_report(path, "new table")
    assert (
        path.read_text()
        == f"# B\n\nWhat we found.\n\n{START_MARKER}\nnew table\n{END_MARKER}\n\nNotes.\n"
    )


def test_report_is_created_with_markers(tmp_path):
    path = tmp_path / "docs" / "benchmarks.md"
    write_report(path, "table")
    write_report(path, "table 2")
    text = path.read_text()
    assert text.startswith("# Benchmarks")
    assert text.count(START_MARKER) == 1 and f"{START_MARKER}\ntable 2\n{END_MARKER}" in text


@pytest.mark.parametrize(
    ("cmdline", "server"),
    [
        (
            "/repo/.venv/bin/python3 /repo/.venv/bin/rasa run --model m.tar.gz --port 5005",
            Server.RASA,
        ),
        (
            "/repo/.venv/bin/python3 /repo/.venv/bin/rasa run actions --actions actions",
            Server.ACTIONS,
        ),
        ("/repo/.venv/bin/python -m actions --port 5055", Server.ACTIONS),
    ],
)
def test_servers_are_told_apart(cmdline, server):
    assert server.runs(cmdline)
    assert not next(other for other in Server if other is not server).runs(cmdline)


def test_a_server_started_directly_counts_itself():
    # As the stock bot's `rasa run` is: the root of the tree is the server.
    command = [sys.executable, "-c", "import sys; sys.stdin.read()", "rasa run"]
    process = subprocess.Popen(command, stdin=subprocess.PIPE)
    try:
        assert peak_memory_mb(process.pid, Server.RASA) > 0
        assert peak_memory_mb(process.pid, Server.ACTIONS) is None
    finally:
        process.communicate(b"")
