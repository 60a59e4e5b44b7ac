"""`python -m bench [--quick] [--out docs/benchmarks.md]`: measure the bots, print the tables.

This bot as `make run` starts it, the same bot in production mode (two Rasa
servers behind nginx, PostgreSQL, Redis; `--no-production` leaves it out) and
the stock `rasa init` bot.

The bots are measured one after the other, never at the same time, and each
is trained before it is served so that training never competes with the load.
"""

import argparse
import asyncio
import os
import random
import tempfile
from collections.abc import Sequence
from contextlib import AbstractContextManager
from pathlib import Path

from bench.conversations import clinic_conversation, stock_conversation
from bench.load import Budget, Script, run_level, run_load
from bench.memory import Server, peak_memory_mb
from bench.projects import TrainingTimes, init_stock, train_clinic
from bench.report import BotResult, render, write_report
from bench.servers import ServedBot, serve_clinic, serve_production, serve_stock

# --quick: enough to show that every part runs, far too little to mean anything.
QUICK_BUDGET = Budget(duration_s=2.0)
# The warm-up conversation's own draw: none of the measured levels starts with it.
WARM_UP_SEED = "warm-up"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--out", type=Path, help="write the table into this Markdown file")
    parser.add_argument(
        "--quick", action="store_true", help=f"tiny load ({QUICK_BUDGET.describe()})"
    )
    parser.add_argument(
        "--duration", type=float, default=30.0, help="seconds per concurrency level (default 30)"
    )
    parser.add_argument(
        "--messages",
        type=int,
        help="stop each simulated visitor after this many messages (default: no limit)",
    )
    parser.add_argument(
        "--levels",
        type=lambda text: [int(n) for n in text.split(",")],
        default=[1, 8, 32],
        help="concurrent conversations, comma-separated (default 1,8,32)",
    )
    parser.add_argument(
        "--no-production",
        dest="production",
        action="store_false",
        help="leave out production mode (it needs PostgreSQL and Redis on 127.0.0.1)",
    )
    return parser.parse_args(argv)


def measure(
    name: str,
    training: TrainingTimes,
    serve: AbstractContextManager[ServedBot],
    script: Script,
    levels: Sequence[int],
    budget: Budget,
) -> BotResult:
    """Serve a trained bot, put it under each load level, read its servers' peak memory."""
    print(f"{name}: serving and measuring", flush=True)
    with serve as bot:
        # One conversation first, unmeasured: the first pass through each code
        # path is slow (lazy imports, TensorFlow graph building).
        warm_up = Budget(None, len(script(random.Random(WARM_UP_SEED))))
        asyncio.run(run_level(bot.rasa_url, script, 1, warm_up, seed=WARM_UP_SEED))
        results = run_load(bot.rasa_url, script, levels, budget)
        return BotResult(
            name=name,
            training=training,
            startup_s=bot.startup_s,
            levels=results,
            rasa_peak_mb=peak_memory_mb(bot.root_pid, Server.RASA),
            action_peak_mb=peak_memory_mb(bot.root_pid, Server.ACTIONS),
        )


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    budget = QUICK_BUDGET if args.quick else Budget(args.duration, args.messages)
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        workdir = Path(tmp)
        print("this bot: training from scratch, then after rewording a response", flush=True)
        clinic_training = train_clinic(workdir)
        ours = measure(
            "this bot",
            clinic_training,
            serve_clinic(workdir),
            clinic_conversation,
            args.levels,
            budget,
        )
        production = None
        if args.production:
            production = measure(
                "this bot, production mode",
                clinic_training,
                serve_production(workdir / "production"),
                clinic_conversation,
                args.levels,
                budget,
            )
        print("stock bot: `rasa init`, then training after rewording a response", flush=True)
        stock_project, stock_training = init_stock(workdir)
        stock = measure(
            "stock `rasa init`",
            stock_training,
            serve_stock(stock_project),
            stock_conversation,
            args.levels,
            budget,
        )
    measured = render(ours, stock, budget, load_before, production)
    print(measured)
    if args.out:
        write_report(args.out, measured)
        print(f"written to {args.out}")


if __name__ == "__main__":
    main()
