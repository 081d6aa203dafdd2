"""Run every benchmark module in ``bench/`` and print a table of what each measured."""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def discover() -> list[str]:
    folder = Path(__file__).resolve().parent
    return sorted(
        f"bench.{info.name}"
        for info in pkgutil.iter_modules([str(folder)])
        if not info.name.startswith("_")
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="the short version of each")
    parser.add_argument("only", nargs="*", help="module names to run (default: all)")
    args = parser.parse_args(argv)
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))  # the benches drive the test fakes in tests/
    rows: list[tuple[str, str, str]] = []
    failed = False
    for name in discover():
        short = name.removeprefix("bench.")
        if args.only and short not in args.only:
            continue
        module = importlib.import_module(name)
        run = getattr(module, "run", None)
        if not callable(run):
            continue
        started = time.perf_counter()
        try:
            results = run(args.quick)
        except Exception as exc:  # one broken bench doesn't hide the others
            failed = True
            first_line = (str(exc).splitlines() or [""])[0][:160]
            rows.append((short, "FAILED", f"{type(exc).__name__}: {first_line}"))
            continue
        rows.extend((short, metric, value) for metric, value in results)
        rows.append((short, "wall time", f"{time.perf_counter() - started:.1f} s"))
    _print_table(("bench", "measure", "value"), rows)
    return 1 if failed else 0


def _print_table(header: tuple[str, str, str], rows: list[tuple[str, str, str]]) -> None:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(3)]
    line = "  ".join("-" * w for w in widths)
    print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    print(line)
    for row in rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)))


if __name__ == "__main__":
    raise SystemExit(main())
