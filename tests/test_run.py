"""run.json's parts are declared, and none overwrites another's key."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bilingual import RunReport, Settings, build_corpus
from bilingual.corpus import RunRecord
from bilingual.loading import VERSION
from conftest import SEEDS


def test_the_parts_are_written_in_order() -> None:
    record = RunRecord({"version": "1", "dedupe": "exact"}, {"documents": 2}, {"engine": "ray"})
    assert list(record.to_dict()) == ["version", "dedupe", "documents", "engine"]


def test_a_key_in_two_parts_is_an_error_not_an_overwrite() -> None:
    with pytest.raises(ValueError, match="documents twice"):
        RunRecord({"documents": 1}, {"documents": 2}).to_dict()


def test_run_json_holds_each_part(tmp_path: Path) -> None:
    report = build_corpus([str(SEEDS[0])], tmp_path, None, Settings(report=False))
    run = json.loads((tmp_path / "run.json").read_text("utf-8"))
    assert run["version"] == VERSION and run["dedupe"] == "exact"
    assert {k: run[k] for k in vars(RunReport())} == {
        **vars(report),
        "seconds": run["seconds"],
    }
