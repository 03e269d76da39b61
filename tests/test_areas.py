"""ICB areas compared across files (NHS Act 2006 s.14Z25(3)): a council claimed by two ICBs is
an overlap unless both hold only part of it and show where the line runs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from ics_rules.areas import compare

from .conftest import EXAMPLE, run_cli


def icb(name: str, councils: list[dict[str, Any]], lsoa: bool = False) -> dict[str, Any]:
    area: dict[str, Any] = {"local_authorities": councils}
    if lsoa:
        area["lsoa_exceptions"] = ["E01000001"]
    return {"icb": {"name": name, "area": area}}


def la(id_: str, coverage: str | None = None, name: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"id": id_}
    if coverage:
        out["coverage"] = coverage
    if name:
        out["name"] = name
    return out


def test_a_council_held_whole_by_one_icb_and_claimed_by_another_overlaps() -> None:
    found = compare([("a.yaml", icb("NHS A ICB", [la("shire", "whole")])),
                     ("b.yaml", icb("NHS B ICB", [la("shire", "part"), la("town", "whole")]))])
    assert [f.kind for f in found] == ["overlap"]
    assert "NHS A ICB and NHS B ICB" in found[0].message
    assert {c.path for c in found[0].claims} == {"a.yaml", "b.yaml"}


def test_councils_match_by_name_when_ids_differ() -> None:
    a = icb("NHS A ICB", [la("shire-cc", "whole", "Shire County Council")])
    b = icb("NHS B ICB", [la("shire", None, "shire  county council")])
    found = compare([("a.yaml", a), ("b.yaml", b)])
    assert [f.kind for f in found] == ["overlap"]
    assert "coverage not stated" in found[0].message


def test_a_split_council_is_lawful_when_both_sides_draw_the_line() -> None:
    files = [("a.yaml", icb("NHS A ICB", [la("shire", "part")], lsoa=True)),
             ("b.yaml", icb("NHS B ICB", [la("shire", "part")], lsoa=True))]
    assert compare(files) == []
    files[1] = ("b.yaml", icb("NHS B ICB", [la("shire", "part")]))
    assert [f.kind for f in compare(files)] == ["unclear"]


def test_versions_of_one_constitution_and_neighbours_do_not_clash() -> None:
    assert compare([("v1.yaml", icb("NHS A ICB", [la("shire", "whole")])),
                    ("v2.yaml", icb("NHS A ICB", [la("shire", "whole")])),
                    ("b.yaml", icb("NHS B ICB", [la("town", "whole")]))]) == []


def _neighbour(tmp_path: Path, name: str) -> Path:
    data = yaml.safe_load(EXAMPLE.read_text())
    data["icb"]["name"] = name
    out = tmp_path / "neighbour.yaml"
    out.write_text(yaml.safe_dump(data))
    return out


def test_cli_reports_overlap_and_exits_1(tmp_path: Path) -> None:
    other = _neighbour(tmp_path, "NHS Neighbour\x1b[31m Integrated Care Board")
    proc = run_cli("areas", str(EXAMPLE), str(other))
    assert proc.returncode == 1, proc.stderr
    assert "error NHSA06-14Z25-3: Exampleshire County Council is claimed by" in proc.stdout
    assert "\x1b" not in proc.stdout
    assert "2 ICB areas compared: 2 overlapping councils" in proc.stdout
    proc = run_cli("areas", "--format", "json", str(EXAMPLE), str(other))
    assert proc.returncode == 1
    doc = json.loads(proc.stdout)
    assert doc["icbs_compared"] == 2 and len(doc["findings"]) == 2


def test_cli_no_overlap_exits_0_and_bad_file_exits_2(tmp_path: Path) -> None:
    proc = run_cli("areas", str(EXAMPLE))
    assert proc.returncode == 0 and "0 overlapping councils" in proc.stdout
    bad = tmp_path / "bad.yaml"
    bad.write_text("schema: ics-constitution/1\nicb: {name: 3}\n")
    proc = run_cli("areas", str(EXAMPLE), str(bad))
    assert proc.returncode == 2
    assert "bad.yaml" in proc.stderr and "Traceback" not in proc.stderr
