"""The OCDS export: valid against the 1.1.5 schema offline, and counting what the database holds."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from libcoveocds.api import ocds_json_output
from libcoveocds.config import LibCoveOCDSConfig
from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session, sessionmaker

from procurement.cli import main
from procurement.demo.bulk import store_lines
from procurement.demo.generator import award_lines
from procurement.models import AwardLine, Tender
from procurement.services.ocds import OCID_PREFIX

STANDARD = Path(__file__).resolve().parents[1] / "data" / "standard-1__1__5.zip"


def _validate(path: Path, folder: Path) -> dict:
    config = LibCoveOCDSConfig()
    config.config["context"] = "api"
    config.config["standard_zip"] = STANDARD.as_uri()
    return ocds_json_output(
        str(folder), str(path), schema_version="1.1", convert=False, lib_cove_ocds_config=config
    )


def test_the_ocds_export_of_300_lines_validates_and_counts_tenders_awards_suppliers(
    sessions: sessionmaker[Session], runner: CliRunner, tmp_path: Path
) -> None:
    with sessions() as session, session.begin():
        store_lines(session, "awards-2024.xlsx", award_lines(7, 300))
    path = tmp_path / "ocds.json"
    result = runner.invoke(main, ["export", "ocds", "-o", str(path)])
    assert result.exit_code == 0, result.output

    report = _validate(path, tmp_path / "cove")
    assert report["validation_errors"] == []
    assert "conformance_errors" not in report  # the ocid prefix has the registered shape

    package = json.loads(path.read_text(encoding="utf-8"))
    releases = package["releases"]
    with sessions() as session:
        tenders = session.scalar(select(func.count(Tender.id)))
        pairs = session.scalar(
            select(func.count()).select_from(
                select(AwardLine.tender_id, AwardLine.supplier_id).distinct().subquery()
            )
        )
        suppliers = session.scalar(select(func.count(distinct(AwardLine.supplier_id))))
        lines = session.scalar(select(func.count(AwardLine.id)))
    assert len(releases) == tenders
    assert sum(len(r["awards"]) for r in releases) == pairs
    assert len({p["id"] for r in releases for p in r["parties"] if "supplier" in p["roles"]}) == (
        suppliers
    )
    assert sum(len(a["items"]) for r in releases for a in r["awards"]) == lines
    ocids = [r["ocid"] for r in releases]
    assert len(set(ocids)) == len(ocids)
    assert all(ocid.startswith(OCID_PREFIX) for ocid in ocids)
    assert "extensions" not in package


def test_an_item_carries_unit_value_medicine_fields_and_origin_attributes(
    sessions: sessionmaker[Session], runner: CliRunner, tmp_path: Path
) -> None:
    with sessions() as session, session.begin():
        store_lines(session, "awards.xlsx", award_lines(3, 40))
    path = tmp_path / "ocds.json"
    assert runner.invoke(main, ["export", "ocds", "-o", str(path)]).exit_code == 0
    release = json.loads(path.read_text(encoding="utf-8"))["releases"][0]
    item = release["awards"][0]["items"][0]
    assert item["unit"]["value"]["currency"] == "VND"
    assert item["unit"]["value"]["amount"] > 0
    assert item["quantity"] > 0
    assert item["activeIngredients"][0]["name"]
    assert item["dosageForm"] and item["administrationRoute"]
    attributes = {a["id"]: a["value"] for a in item["attributes"]}
    assert {"manufacturer", "countryOfOrigin", "origin"} <= attributes.keys()
    roles = {role for party in release["parties"] for role in party["roles"]}
    assert {"buyer", "supplier", "tenderer"} <= roles
    assert release["tag"] == ["award"] and release["initiationType"] == "tender"


def test_the_demo_databases_ocds_export_validates(
    sessions: sessionmaker[Session], runner: CliRunner, tmp_path: Path
) -> None:
    """The demo as `make run` builds it (smaller): every layout, reference data, agreements."""
    built = runner.invoke(
        main, ["demo", "--lines", "3000", "--keep", "--out", str(tmp_path / "files")]
    )
    assert built.exit_code == 0, built.output
    path = tmp_path / "ocds.json"
    assert runner.invoke(main, ["export", "ocds", "-o", str(path)]).exit_code == 0
    report = _validate(path, tmp_path / "cove")
    assert report["validation_errors"] == []
    releases = json.loads(path.read_text(encoding="utf-8"))["releases"]
    with sessions() as session:
        assert len(releases) == session.scalar(select(func.count(Tender.id)))
        lines = session.scalar(select(func.count(AwardLine.id)))
    assert sum(len(item) for r in releases for item in [r["tender"]["items"]]) == lines
