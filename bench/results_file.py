"""The shared results file: every benchmark adds its figures to bench/results/latest.*."""

import json
import os
import platform
import subprocess
from datetime import UTC, datetime
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def figure(
    name: str, database: str, value: float, unit: str, target: str, met: bool | None
) -> dict:
    """Return one result record."""
    return {
        "name": name,
        "database": database,
        "value": round(value, 2),
        "unit": unit,
        "target": target,
        "met": met,
    }


def _machine() -> str:
    system, python = f"{platform.system()} {platform.machine()}", platform.python_version()
    return f"{system}, {os.cpu_count()} cores, Python {python}"


def _commit() -> str:
    found = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    return found.stdout.strip() or "unknown"


def save(figures: list[dict]) -> Path:
    """Merge figures into latest.json (replacing same name and database) and rewrite latest.md."""
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / "latest.json"
    old = json.loads(path.read_text())["figures"] if path.exists() else []
    keys = {(f["name"], f["database"]) for f in figures}
    merged = [f for f in old if (f["name"], f["database"]) not in keys] + figures
    data = {
        "commit": _commit(),
        "machine": _machine(),
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "figures": merged,
    }
    path.write_text(json.dumps(data, indent=2) + "\n")
    lines = [
        f"# Benchmark results\n\nCommit {data['commit']} on {data['machine']}, {data['date']}.\n",
        "| figure | database | value | unit | target | met |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for record in merged:
        met = {True: "yes", False: "no", None: "-"}[record["met"]]
        cells = [record[key] for key in ("name", "database", "value", "unit", "target")] + [met]
        lines.append("| " + " | ".join(str(cell) for cell in cells) + " |")
    (RESULTS / "latest.md").write_text("\n".join(lines) + "\n")
    return path
