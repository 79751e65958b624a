"""Export to JSON Lines and import back; associations from CSV. All or nothing, with lines."""

from __future__ import annotations

import io
from pathlib import Path

import orjson
import pytest

from hubgraph.errors import ValidationError
from hubgraph.services.access import portals
from hubgraph.services.context import Services
from hubgraph.services.portability import snapshots, transfer
from tests.support.populate import populate
from tests.support.portals import Portal


def export_to(path: Path, services: Services, portal_id: int) -> dict[str, int]:
    with path.open("wb") as out:
        return transfer.export_portal(services, portal_id, out)


def tables(services: Services, portal_id: int) -> dict[str, object]:
    return snapshots.take_snapshot(services, portal_id)["tables"]  # type: ignore[no-any-return]


class Recorder:
    def __init__(self) -> None:
        self.total = -1
        self.done = 0

    def start(self, total: int) -> None:
        self.total = total

    def advance(self, amount: int) -> None:
        self.done += amount


def test_export_import_into_a_new_portal_round_trips_exactly(
    portal: Portal, services: Services, tmp_path: Path
) -> None:
    populate(portal, services)
    # enough rows to cross the 1,000-row chunks on both sides
    contacts = portal.create_records("contacts", 1100)
    [company] = portal.create_records("companies", 1)
    pairs = [{"from": {"id": c}, "to": {"id": company}} for c in contacts]
    for start in range(0, len(pairs), 1000):
        portal.post(
            "/crm/v4/associations/contacts/companies/batch/associate/default",
            json={"inputs": pairs[start : start + 1000]},
        )
    dump = tmp_path / "dump.jsonl"
    exporting = Recorder()
    with dump.open("wb") as out:
        counts = transfer.export_portal(services, portal.id, out, exporting)
    assert counts["objects"] == 1106
    assert counts["associations"] == 8 + 2200
    assert exporting.done == exporting.total == sum(counts.values())
    assert len(dump.read_bytes().splitlines()) == 1 + sum(counts.values())

    target = portals.create_portal(services, "copy")
    importing = Recorder()
    assert transfer.import_portal(services, target, dump, importing) == counts
    assert importing.done == importing.total == dump.stat().st_size
    assert tables(services, target) == tables(services, portal.id)
    source_next = snapshots.take_snapshot(services, portal.id)["portal"]["nextObjectId"]
    assert snapshots.take_snapshot(services, target)["portal"]["nextObjectId"] == source_next


def test_import_refuses_a_portal_with_data_unless_replace(
    portal: Portal, services: Services, tmp_path: Path
) -> None:
    portal.create_records("contacts", 2)
    dump = tmp_path / "dump.jsonl"
    export_to(dump, services, portal.id)
    with pytest.raises(ValidationError, match="already holds data"):
        transfer.import_portal(services, portal.id, dump)
    portal.create_records("companies", 1)
    transfer.import_portal(services, portal.id, dump, replace=True)
    assert [r["object_type_id"] for r in tables(services, portal.id)["objects"]] == ["0-1", "0-1"]  # type: ignore[index]


def write_dump(path: Path, rows: list[object]) -> Path:
    header = {"format": "hubgraph-export", "version": 1, "portal": {"nextObjectId": 1001}}
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in [header, *rows]))
    return path


def contact(object_id: int, **overrides: object) -> dict[str, object]:
    row = {
        "object_type_id": "0-1",
        "id": object_id,
        "properties": {},
        "created_at": 1,
        "updated_at": 1,
        "archived_at": None,
    }
    return {"table": "objects", "row": {**row, **overrides}}


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            [contact(1001), contact(1002, created_at="yesterday")],
            "line 3: objects.created_at must be an integer, not 'yesterday'",
        ),
        ([contact(1001), contact(1001)], "line 3: this objects row conflicts with another"),
        ([contact(1001), {"table": "objects"}], 'line 3: expected {"table": …, "row": {…}}'),
        ([contact(1001), {"table": "deals", "row": {}}], "line 3: unknown table 'deals'"),
        ([contact(1001), contact(1002, colour="red")], "line 3: objects has no column 'colour'"),
        ([contact(2**63)], f"line 2: objects.id must fit in 64 bits, not {2**63}"),
        ([contact(1001, object_type_id="9-9")], "line 2: objects.object_type_id '9-9' is not"),
        ([contact(1001, properties=["x"])], "line 2: objects.properties must be an object"),
        (
            [
                {
                    "table": "associations",
                    "row": {
                        "from_type": "0-1",
                        "from_id": 1001,
                        "to_type": "0-2",
                        "to_id": 5,
                        "category": 1,
                        "type_id": 279,
                        "created_at": 1,
                    },
                },
                contact(1001),
            ],
            "line 2: association to a record that is not there: 0-1 1001 -> 0-2 5",
        ),
    ],
)
def test_a_bad_line_is_named_and_nothing_is_written(
    services: Services, tmp_path: Path, rows: list[object], message: str
) -> None:
    target = portals.create_portal(services)
    dump = write_dump(tmp_path / "bad.jsonl", rows)
    with pytest.raises(ValidationError) as info:
        transfer.import_portal(services, target, dump)
    assert info.value.message.startswith(message)
    assert all(rows == [] for rows in tables(services, target).values())  # type: ignore[attr-defined]


def test_a_line_that_is_not_json_or_a_file_that_is_not_an_export(
    services: Services, tmp_path: Path
) -> None:
    target = portals.create_portal(services)
    broken = write_dump(tmp_path / "broken.jsonl", [contact(1001)])
    broken.write_bytes(broken.read_bytes() + b"{oops\n")
    with pytest.raises(ValidationError, match=r"^line 3: not JSON"):
        transfer.import_portal(services, target, broken)
    other = tmp_path / "other.jsonl"
    other.write_bytes(b'{"hello": 1}\n')
    with pytest.raises(ValidationError, match=r"^line 1: not a hubgraph export"):
        transfer.import_portal(services, target, other)


def test_csv_associates_records_in_both_directions(
    portal: Portal, services: Services, tmp_path: Path
) -> None:
    contacts = portal.create_records("contacts", 2)
    [company] = portal.create_records("companies", 1)
    source = tmp_path / "links.csv"
    source.write_text(
        "from_type,from_id,to_type,to_id,type\n"
        f"contacts,{contacts[0]},companies,{company},\n"
        f"0-1,{contacts[1]},COMPANY,{company},Primary\n"
        f"contact,{contacts[0]},contact,{contacts[1]},449\n"
    )
    assert transfer.import_associations_csv(services, portal.id, source) == 3
    rows = tables(services, portal.id)["associations"]
    got = {(r["from_id"], r["to_id"], r["type_id"]) for r in rows}  # type: ignore[attr-defined]
    a, b, c = (int(contacts[0]), int(contacts[1]), int(company))
    assert got == {(a, c, 279), (c, a, 280), (b, c, 1), (c, b, 2), (a, b, 449), (b, a, 449)}
    # importing the same file again is harmless: existing associations are kept
    assert transfer.import_associations_csv(services, portal.id, source) == 3
    assert len(tables(services, portal.id)["associations"]) == 6  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (
            "contacts,{c},companies,99999999,",
            "line 3: company 99999999 is not a record of this portal",
        ),
        ("contacts,{c},widgets,1,", "line 3: Unable to infer object type from: widgets"),
        ("contacts,abc,companies,{k},", "line 3: from_id 'abc' is not a record id"),
        ("contacts,{c},companies,{k},Nope", "line 3: no association type labelled 'Nope'"),
    ],
)
def test_a_bad_csv_row_is_named_and_nothing_is_written(
    portal: Portal, services: Services, tmp_path: Path, line: str, message: str
) -> None:
    [c] = portal.create_records("contacts", 1)
    [k] = portal.create_records("companies", 1)
    source = tmp_path / "links.csv"
    source.write_text(
        "from_type,from_id,to_type,to_id,type\n"
        f"contacts,{c},companies,{k},\n" + line.format(c=c, k=k) + "\n"
    )
    with pytest.raises(ValidationError) as info:
        transfer.import_associations_csv(services, portal.id, source)
    assert info.value.message.startswith(message)
    assert tables(services, portal.id)["associations"] == []


def test_csv_without_the_header_is_refused(
    portal: Portal, services: Services, tmp_path: Path
) -> None:
    source = tmp_path / "links.csv"
    source.write_text("1,2,3,4\n")
    with pytest.raises(ValidationError, match=r"^line 1: the header must name"):
        transfer.import_associations_csv(services, portal.id, source)


def test_export_streams_to_any_binary_file(portal: Portal, services: Services) -> None:
    portal.create_records("contacts", 1)
    out = io.BytesIO()
    transfer.export_portal(services, portal.id, out)
    header, row = (orjson.loads(line) for line in out.getvalue().splitlines())
    assert header["format"] == "hubgraph-export"
    assert header["counts"]["objects"] == 1
    assert row["table"] == "objects"


def test_a_row_without_a_nullable_column_loads_with_null(
    services: Services, tmp_path: Path
) -> None:
    # what a dump written before a nullable column was added looks like
    row = contact(1001)
    del row["row"]["archived_at"]  # type: ignore[attr-defined]
    target = portals.create_portal(services)
    transfer.import_portal(services, target, write_dump(tmp_path / "old.jsonl", [row]))
    [loaded] = tables(services, target)["objects"]  # type: ignore[misc]
    assert loaded["archived_at"] is None


def test_an_import_with_an_unknown_property_is_refused(
    tmp_path: Path, services: Services, portal: Portal
) -> None:
    dump = write_dump(tmp_path / "d.jsonl", [contact(1001, properties={"shoe_size": "9"})])
    with pytest.raises(ValidationError, match="contacts carry properties that do not exist"):
        transfer.import_portal(services, portal.id, dump)
    assert tables(services, portal.id)["objects"] == []


def test_imported_emails_are_unique_even_from_an_export_without_the_index(
    tmp_path: Path, services: Services, portal: Portal
) -> None:
    rows = [
        contact(1001, properties={"email": "ada@example.com"}),
        contact(1002, properties={"email": "ADA@example.com"}),
    ]
    transfer.import_portal(services, portal.id, write_dump(tmp_path / "d.jsonl", rows))
    again = portal.post(
        "/crm/v3/objects/contacts", json={"properties": {"email": "ada@example.com"}}
    )
    assert again.status_code == 409
    assert again.json()["message"] == "Contact already exists. Existing ID: 1001"
    found = portal.get("/crm/v3/objects/contacts/ada@example.com?idProperty=email")
    assert found.json()["id"] == "1001"
