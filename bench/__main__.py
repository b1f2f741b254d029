"""Run every benchmark and write its figures to bench/results/<name>.json."""

from __future__ import annotations

import json
import platform
import sys
from datetime import UTC, datetime
from pathlib import Path

from bench import (
    autosave,
    content,
    foundation,
    jobs,
    log,
    notices,
    pages,
    reports,
    review,
    save_profile,
    scale,
    workspace,
)

RESULTS = Path(__file__).parent / "results"
BENCHMARKS = {"foundation": foundation.run, "content": content.run, "workspace": workspace.run,
              "autosave": autosave.run, "save_profile": save_profile.figures,
              "review": review.run, "reports": reports.run,
              "pages": pages.run, "jobs": jobs.run, "log": log.run, "notices": notices.run,
              "scale": scale.run}


def main(names: list[str]) -> int:
    RESULTS.mkdir(exist_ok=True)
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}")
        return 2
    for name in names or BENCHMARKS:
        figures = BENCHMARKS[name]()
        figures["_meta"] = {"when": datetime.now(UTC).isoformat(timespec="seconds"),
                            "python": platform.python_version(), "machine": platform.machine()}
        out = RESULTS / f"{name}.json"
        out.write_text(json.dumps(figures, indent=2) + "\n")
        print(f"{name}: written to {out}")
        for key, value in figures.items():
            if key != "_meta":
                shown = repr(value)
                print(f"  {key}: {shown if len(shown) <= 400 else '(long: see the file)'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
