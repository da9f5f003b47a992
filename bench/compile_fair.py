"""Record compilation measured fairly: in one process and as commands, on our releases and on
release packages shaped like other publishers', against OCDS Merge and ocdskit (issue 17).

    .venv/bin/python bench/compile_fair.py --releases 2000 --rounds 3
    DATABASE_URL=postgres://… .venv/bin/python bench/compile_fair.py --ours 20000   # + our releases

Data sets (whole contracting processes, releases in date order):

- "national": large releases, every optional field of the OCDS 1.1 release schema filled (from
  ../shared/ocds/release-schema.json), arrays of objects with --width items, each release a full
  snapshot of the process with a fifth of the values changed since the last one — the shape of a
  national publisher that republishes the whole notice at each stage;
- "incremental": small releases carrying only the stage's own part (tender, then an award, then a
  contract, then transactions) — the shape of publishers that release what changed;
- "ours": with DATABASE_URL, --ours releases of whole processes from our Release table.

In one process each contender gets the same parsed releases and returns JSON text: govbuy
(`records_from_releases` → json.dumps of every record), OCDS Merge (`Merger.create_compiled_release`
and `create_versioned_release` per ocid → json.dumps) and ocdskit (`ocdskit.combine.merge` with
return_package and return_versioned_release → json.dumps); medians of --rounds. The compiled and
versioned releases of govbuy and OCDS Merge are compared for every ocid, and the run stops if one
differs. As commands: `manage.py ocds_compile FILE` against `ocdskit compile --package --versioned`,
process start included, with the same schema. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

STAGES = ["planning", "tender", "award", "contract", "implementation"]


# --- Releases generated from the schema ---------------------------------------------------------


class Generator:
    def __init__(self, schema: dict[str, Any], width: int, depth: int) -> None:
        self.definitions = schema.get("definitions", {})
        self.schema = schema
        self.width = width
        self.depth = depth

    def resolve(self, node: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in node:
            node = self.definitions[node["$ref"].removeprefix("#/definitions/")]
        return node

    def value(self, node: dict[str, Any], path: tuple[str, ...], rng: random.Random, level: int) -> Any:
        node = self.resolve(node)
        types = node.get("type", "object" if "properties" in node else "string")
        kind = next((t for t in types if t != "null"), "string") if isinstance(types, list) else types
        if kind == "object":
            if level > self.depth or "properties" not in node:
                return None
            out: dict[str, Any] = {}
            for key, child in node["properties"].items():
                if self.resolve(child).get("deprecated"):
                    continue
                value = self.value(child, (*path, key), rng, level + 1)
                if value is not None:
                    out[key] = value
            return out or None
        if kind == "array":
            items = self.resolve(node.get("items", {}))
            item_kind = items.get("type", "object" if "properties" in items else "string")
            if item_kind == "object" or "properties" in items:
                if level > self.depth:
                    return None
                out_items = []
                for position in range(self.width):
                    item = self.value(items, path, rng, level + 1) or {}
                    item["id"] = f"{path[-1]}-{position}"
                    out_items.append(item)
                return out_items
            enum = [v for v in items.get("enum", []) if v is not None]
            return enum[:2] if enum else [f"{path[-1]}-{n}" for n in range(2)]
        if kind == "string":
            enum = [v for v in node.get("enum", []) if v is not None]
            if enum:
                return enum[rng.randrange(len(enum))]
            if node.get("format") == "date-time":
                return f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T08:00:00Z"
            if node.get("format") == "uri":
                return f"https://example.org/{'/'.join(path)}/{rng.randint(1, 999)}"
            return f"{'.'.join(path[-2:])} {rng.randint(1, 10**6)}"
        if kind in ("number", "integer"):
            return rng.randint(1, 10**7)
        if kind == "boolean":
            return rng.random() < 0.5
        return None

    def body(self, rng: random.Random) -> dict[str, Any]:
        out = {}
        for key, child in self.schema["properties"].items():
            if key in ("id", "date", "tag", "ocid", "initiationType"):
                continue
            value = self.value(child, (key,), rng, 1)
            if value is not None:
                out[key] = value
        return out


def _mutate(node: Any, rng: random.Random, stage: int, share: float) -> Any:
    if isinstance(node, dict):
        return {k: (v if k == "id" else _mutate(v, rng, stage, share)) for k, v in node.items()}
    if isinstance(node, list):
        return [_mutate(item, rng, stage, share) for item in node]
    if isinstance(node, str) and rng.random() < share and not node.endswith("Z"):
        return f"{node} r{stage}"
    if isinstance(node, int) and not isinstance(node, bool) and rng.random() < share:
        return node + stage
    return node


def national(generator: Generator, releases: int, seed: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    out: list[dict[str, Any]] = []
    process = 0
    while len(out) < releases:
        process += 1
        ocid = f"ocds-national-{process:06d}"
        state = generator.body(rng)
        for stage, tag in enumerate(STAGES):
            state = _mutate(state, rng, stage, 0.2) if stage else state
            out.append(_release(ocid, stage, tag, copy.deepcopy(state)))
    return out[:releases] if len(out) % len(STAGES) == 0 else out


def incremental(generator: Generator, releases: int, seed: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    parts = {"planning": "planning", "tender": "tender", "award": "awards", "contract": "contracts"}
    out: list[dict[str, Any]] = []
    process = 0
    while len(out) < releases:
        process += 1
        ocid = f"ocds-incremental-{process:06d}"
        full = generator.body(rng)
        for stage, tag in enumerate(STAGES):
            key = parts.get(tag)
            if key is None:  # implementation: the contracts' transactions only
                contracts = full.get("contracts", [])
                body = {
                    "contracts": [{"id": c["id"], "implementation": c.get("implementation") or {}} for c in contracts]
                }
            else:
                body = {key: full.get(key)} if full.get(key) is not None else {}
            if stage == 0:
                body.update({k: full[k] for k in ("buyer", "parties", "language") if k in full})
            out.append(_release(ocid, stage, tag, body))
    return out


def _release(ocid: str, stage: int, tag: str, body: dict[str, Any]) -> dict[str, Any]:
    return {
        **body,
        "ocid": ocid,
        "id": f"{ocid}-{stage}",
        "date": f"2026-0{stage + 1}-01T00:00:00Z",
        "tag": [tag],
        "initiationType": "tender",
    }


def our_releases(count: int, seed: int) -> list[dict[str, Any]]:
    import django

    django.setup()
    from govbuy.disclosure.models import Release

    rng = random.Random(seed)
    ocids = list(Release.objects.values_list("ocid", flat=True).distinct())
    rng.shuffle(ocids)
    out: list[dict[str, Any]] = []
    for ocid in ocids:
        documents = Release.objects.filter(ocid=ocid).order_by("seq").values_list("document", flat=True)
        out.extend(json.loads(document) for document in documents)
        if len(out) >= count:
            break
    return out


# --- Contenders -------------------------------------------------------------------------------------


def run_govbuy(releases: list[dict[str, Any]], rules: dict) -> str:
    from govbuy.disclosure.compile import records_from_releases

    return "".join(json.dumps(record, ensure_ascii=False) for record in records_from_releases(releases, rules))


def run_ocdsmerge(releases: list[dict[str, Any]], merger: Any) -> str:
    groups: dict[str, list[dict[str, Any]]] = {}
    for release in releases:
        groups.setdefault(release["ocid"], []).append(release)
    parts = []
    for ocid in sorted(groups):
        group = groups[ocid]
        record = {
            "ocid": ocid,
            "releases": group,
            "compiledRelease": merger.create_compiled_release(group),
            "versionedRelease": merger.create_versioned_release(group),
        }
        parts.append(json.dumps(record, ensure_ascii=False))
    return "".join(parts)


def run_ocdskit(releases: list[dict[str, Any]], schema: dict[str, Any]) -> str:
    from ocdskit.combine import merge

    package = {"uri": "x", "publishedDate": "2026-01-01T00:00:00Z", "version": "1.1", "releases": releases}
    (result,) = merge([package], schema=schema, return_package=True, return_versioned_release=True)
    return json.dumps(result, ensure_ascii=False)


def check_identical(releases: list[dict[str, Any]], rules: dict, merger: Any) -> int:
    from govbuy.disclosure.compile import compiled_release, versioned_release

    groups: dict[str, list[dict[str, Any]]] = {}
    for release in releases:
        groups.setdefault(release["ocid"], []).append(release)
    for ocid, group in groups.items():
        if compiled_release(group, rules) != merger.create_compiled_release(group):
            raise SystemExit(f"compiled releases differ for {ocid}")
        if versioned_release(group, rules) != merger.create_versioned_release(group):
            raise SystemExit(f"versioned releases differ for {ocid}")
    return len(groups)


def timed(function: Any, *args: Any) -> float:
    start = time.perf_counter()
    function(*args)
    return time.perf_counter() - start


def commands(releases: list[dict[str, Any]], schema_path: Path, rounds: int) -> dict[str, float]:
    ocdskit = shutil.which("ocdskit", path=str(Path(sys.executable).parent)) or "ocdskit"
    with tempfile.TemporaryDirectory() as directory:
        package_path = Path(directory) / "package.json"
        package = {"uri": "x", "publishedDate": "2026-01-01T00:00:00Z", "version": "1.1", "releases": releases}
        package_path.write_text(json.dumps(package, ensure_ascii=False), encoding="utf-8")
        ours, theirs = [], []
        for _ in range(rounds):
            start = time.perf_counter()
            subprocess.run(  # nosec B603  # fixed argv
                [
                    sys.executable,
                    "manage.py",
                    "ocds_compile",
                    str(package_path),
                    "--schema",
                    str(schema_path),
                    "--output",
                    str(Path(directory) / "ours.json"),
                ],
                cwd=ROOT,
                check=True,
            )
            ours.append(time.perf_counter() - start)
            start = time.perf_counter()
            with package_path.open("rb") as stdin, (Path(directory) / "theirs.json").open("wb") as stdout:
                subprocess.run(  # nosec B603  # fixed argv
                    [ocdskit, "compile", "--package", "--versioned", "--schema", str(schema_path)],
                    stdin=stdin,
                    stdout=stdout,
                    check=True,
                )
            theirs.append(time.perf_counter() - start)
    return {"govbuy_cmd_s": statistics.median(ours), "ocdskit_cmd_s": statistics.median(theirs)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--releases", type=int, default=2000, help="releases per generated data set")
    parser.add_argument("--ours", type=int, default=0, help="releases of ours (needs DATABASE_URL)")
    parser.add_argument("--width", type=int, default=3, help="items per array of objects (national)")
    parser.add_argument("--depth", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-commands", action="store_true")
    parser.add_argument("--json", help="write the results here")
    args = parser.parse_args()

    import django

    django.setup()
    from ocdsmerge import Merger

    from govbuy.disclosure import schema as ocds_schema
    from govbuy.disclosure.compile import merge_rules_from_schema

    official = ocds_schema.release_schema()
    patched = ocds_schema.patched_release_schema()
    generator = Generator(official, args.width, args.depth)
    data_sets: dict[str, tuple[list[dict[str, Any]], dict[str, Any]]] = {
        "national": (national(generator, args.releases, 1), official),
        "incremental": (incremental(generator, args.releases, 2), official),
    }
    if args.ours:
        data_sets["ours"] = (our_releases(args.ours, 3), patched)
    results = {}
    with tempfile.TemporaryDirectory() as directory:
        for name, (releases, schema) in data_sets.items():
            rules = merge_rules_from_schema(schema)
            merger = Merger(schema=schema)
            processes = check_identical(releases, rules, merger)
            size = len(json.dumps(releases, ensure_ascii=False).encode())
            times: dict[str, list[float]] = {"govbuy": [], "ocdsmerge": [], "ocdskit": []}
            for _ in range(args.rounds):
                times["govbuy"].append(timed(run_govbuy, releases, rules))
                times["ocdsmerge"].append(timed(run_ocdsmerge, releases, merger))
                times["ocdskit"].append(timed(run_ocdskit, releases, schema))
            row: dict[str, Any] = {
                "releases": len(releases),
                "processes": processes,
                "mean_release_kb": round(size / len(releases) / 1024, 1),
                **{f"{k}_s": round(statistics.median(v), 3) for k, v in times.items()},
            }
            row["vs_ocdsmerge"] = round(row["ocdsmerge_s"] / row["govbuy_s"], 2)
            row["vs_ocdskit"] = round(row["ocdskit_s"] / row["govbuy_s"], 2)
            if not args.no_commands:
                schema_path = Path(directory) / f"{name}-schema.json"
                schema_path.write_text(json.dumps(schema, ensure_ascii=False), encoding="utf-8")
                row.update({k: round(v, 2) for k, v in commands(releases, schema_path, args.rounds).items()})
            results[name] = row
            print(name, json.dumps(row), flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
