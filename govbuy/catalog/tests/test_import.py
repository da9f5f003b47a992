"""Spreadsheet import and export: every error at once with row and column, nothing written on
error, cells stored as text, formulas neutralised on export, bounded reading, background path."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.urls import reverse

from govbuy.catalog import selectors, spreadsheets
from govbuy.catalog.models import CatalogItem, CatalogVersion, ImportJob
from govbuy.catalog.services import imports
from govbuy.catalog.spreadsheets import ImportRefused
from govbuy.catalog.tests.conftest import HEADER, csv_bytes, reference_csv, small_draft
from govbuy.core.errors import Conflict, PermissionRefused, ValidationFailed

pytestmark = pytest.mark.django_db


def xlsx_bytes(rows, header=HEADER) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def reference_rows():
    import csv

    return list(csv.reader(io.StringIO(reference_csv().decode("utf-8"))))[1:]


def test_real_catalog_imports_inline(world, events):
    outcome = imports.import_spreadsheet(
        actor=world.city_finance, region=world.city, file_name="catalog-lanzhou-2014.csv", data=reference_csv()
    )
    assert outcome.job is None
    assert outcome.rows == 60
    draft = outcome.catalog
    assert draft.status == "draft"
    assert draft.items.count() == 60
    e04 = draft.items.get(code="E04")
    assert (e04.level, e04.parent.code, e04.name_en, e04.name_zh_hant) == (
        2,
        "E",
        "Other government logistics services",
        "其他機關後勤服務",
    )
    assert e04.description == "原文兜底项；不计入52项"
    assert events("catalog.version.imported")[0].data["rows"] == 60


def test_real_catalog_imports_from_xlsx(world):
    data = xlsx_bytes(
        [[int(r[1]) if i == 1 else v for i, v in enumerate(r)] for r in (row for row in reference_rows())]
    )
    outcome = imports.import_spreadsheet(actor=world.city_finance, region=world.city, file_name="目录.xlsx", data=data)
    assert outcome.catalog.items.count() == 60


BAD_ROWS = {
    "duplicate_code": ([["A", 1, "", "甲", ""], ["A", 1, "", "乙", ""]], 3, "code"),
    "unknown_parent": ([["A", 1, "", "甲", ""], ["A01", 2, "Q", "乙", ""]], 3, "parent_code"),
    "level_over_4": ([["A", 1, "", "甲", ""], ["A01", 5, "A", "乙", ""]], 3, "level"),
    "missing_name": ([["A", 1, "", "", "English only"]], 2, "name_zh"),
    "parent_level": ([["A", 1, "", "甲", ""], ["A01", 3, "A", "乙", ""]], 3, "parent_code"),
    "negative_list": ([["A", 1, "", "甲", ""], ["A01", 2, "A", "劳务派遣服务", ""]], 3, "name_zh"),
}


@pytest.mark.parametrize("code", list(BAD_ROWS))
def test_each_import_error_names_row_and_column(world, code):
    rows, row_number, column = BAD_ROWS[code]
    with pytest.raises(ImportRefused) as exc:
        imports.import_spreadsheet(actor=world.city_finance, region=world.city, file_name="x.csv", data=csv_bytes(rows))
    found = [(e.code, e.row, e.column) for e in exc.value.errors]
    assert (code, row_number, column) in found, found
    assert CatalogVersion.objects.count() == 0


def test_five_distinct_errors_are_all_reported_and_nothing_changes(world):
    draft = small_draft(world.city, world.city_finance)
    before = list(draft.items.values_list("code", "name_zh"))
    rows = [
        ["A", 1, "", "基本公共服务", ""],
        ["A", 1, "", "重复", ""],  # duplicate code (row 3)
        ["A01", 2, "ZZ", "养老", ""],  # unknown parent (row 4)
        ["A02", 7, "A", "过深", ""],  # level over 4 (row 5)
        ["A03", 2, "A", "", "no name"],  # missing name (row 6)
        ["A04", 2, "A", "劳务派遣", ""],  # negative list (row 7)
    ]
    with pytest.raises(ImportRefused) as exc:
        imports.import_spreadsheet(
            actor=world.city_finance,
            region=world.city,
            file_name="bad.xlsx",
            data=xlsx_bytes(rows),
            version=draft.version,
        )
    got = sorted((e.row, e.code) for e in exc.value.errors)
    assert got == [
        (3, "duplicate_code"),
        (4, "unknown_parent"),
        (5, "level_over_4"),
        (6, "missing_name"),
        (7, "negative_list"),
    ]
    assert {e.letter for e in exc.value.errors} == {"A", "C", "B", "D"}
    assert len(exc.value.fields["file"]) == 5
    assert list(CatalogItem.objects.filter(version=draft).values_list("code", "name_zh")) == before
    assert CatalogVersion.objects.get(pk=draft.pk).version == draft.version


def test_import_into_a_draft_needs_its_current_version(world):
    draft = small_draft(world.city, world.city_finance)
    data = csv_bytes([["X", 1, "", "新类别", ""]])
    with pytest.raises(Conflict):
        imports.import_spreadsheet(actor=world.city_finance, region=world.city, file_name="x.csv", data=data)
    with pytest.raises(Conflict):
        imports.import_spreadsheet(
            actor=world.city_finance, region=world.city, file_name="x.csv", data=data, version=draft.version - 1
        )
    outcome = imports.import_spreadsheet(
        actor=world.city_finance, region=world.city, file_name="x.csv", data=data, version=draft.version
    )
    assert outcome.catalog.pk == draft.pk
    assert list(outcome.catalog.items.values_list("code", flat=True)) == ["X"]


def test_formulas_and_markup_are_stored_as_text_and_exports_neutralise_them(world):
    rows = [
        ["A", 1, "", '=HYPERLINK("http://evil.example","点我")', "+cmd|' /C calc'!A0"],
        ["A01", 2, "A", "<script>alert(1)</script>", "@SUM(1+1)"],
        ["A02", 2, "A", "-2+3", "normal"],
    ]
    outcome = imports.import_spreadsheet(
        actor=world.city_finance, region=world.city, file_name="f.xlsx", data=xlsx_bytes(rows)
    )
    items = {i.code: i for i in outcome.catalog.items.all()}
    assert items["A"].name_zh == '=HYPERLINK("http://evil.example","点我")'
    assert items["A01"].name_zh == "<script>alert(1)</script>"
    exported = spreadsheets.export_xlsx(selectors.items_with_parent_codes(outcome.catalog), title="t")
    sheet = openpyxl.load_workbook(io.BytesIO(exported)).worksheets[0]
    cells = [list(row) for row in sheet.iter_rows()]
    assert [c.value for c in cells[0]] == list(spreadsheets.COLUMNS)
    values = {row[0].value: row for row in cells[1:]}
    assert values["A"][3].value == "'" + items["A"].name_zh
    assert values["A"][3].data_type == "s"
    assert values["A"][4].value.startswith("'+")
    assert values["A01"][4].value == "'@SUM(1+1)"
    assert values["A02"][3].value == "'-2+3"
    assert all(c.data_type != "f" for row in cells for c in row)
    # Round trip: importing the export gives the same text back.
    draft = outcome.catalog
    again = imports.import_spreadsheet(
        actor=world.city_finance, region=world.city, file_name="back.xlsx", data=exported, version=draft.version
    )
    assert again.catalog.items.get(code="A").name_zh == items["A"].name_zh
    assert again.catalog.items.get(code="A02").name_zh == "-2+3"


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("broken.xlsx", b"PK\x03\x04" + b"\x00" * 200),
        ("fake.xlsx", b"this is not a spreadsheet"),
        ("binary.csv", b"code,level\x00\x01"),
        ("empty.csv", b""),
        ("catalog.exe", b"MZ\x90\x00"),
        ("header-only.csv", b"code,level,parent_code,name_zh\n"),
        ("no-columns.csv", b"a,b\n1,2\n"),
    ],
)
def test_malformed_files_are_refused_with_a_message(world, name, data):
    with pytest.raises(ValidationFailed) as exc:
        imports.import_spreadsheet(actor=world.city_finance, region=world.city, file_name=name, data=data)
    assert exc.value.fields.get("file")
    assert CatalogVersion.objects.count() == 0


def test_too_many_rows_is_refused_while_reading(world, settings):
    settings.CATALOG_IMPORT_MAX_ROWS = 10
    rows = [["A", 1, "", "甲", ""]] + [[f"A{i:02d}", 2, "A", f"项{i}", ""] for i in range(20)]
    for data, name in ((csv_bytes(rows), "big.csv"), (xlsx_bytes(rows), "big.xlsx")):
        with pytest.raises(ValidationFailed) as exc:
            imports.import_spreadsheet(actor=world.city_finance, region=world.city, file_name=name, data=data)
        assert exc.value.code == "too_many_rows"


def test_a_20_mb_file_is_refused_by_the_page_and_the_api(world, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    big = b"code,level,parent_code,name_zh\n" + b"A,1,,x\n" * (20 * 1024 * 1024 // 7)
    client = login(world.city_finance)
    response = client.post(
        reverse("catalog:import"), {"region": world.city.pk, "file": SimpleUploadedFile("big.csv", big, "text/csv")}
    )
    assert response.status_code == 400
    assert "MB" in response.content.decode()
    api = client.post(
        "/api/v1/catalog/versions/import/",
        {"region": world.city.code, "file": SimpleUploadedFile("big.csv", big, "text/csv")},
    )
    assert api.status_code == 400
    assert api.json()["code"] == "upload_refused"
    assert CatalogVersion.objects.count() == 0


def test_page_lists_every_error(world, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    rows = [["A", 1, "", "甲", ""], ["A", 1, "", "乙", ""], ["B01", 2, "Q", "丙", ""]]
    client = login(world.city_finance)
    response = client.post(
        reverse("catalog:import"),
        {"region": world.city.pk, "file": SimpleUploadedFile("x.csv", csv_bytes(rows), "text/csv")},
    )
    assert response.status_code == 400
    assert [e.code for e in response.context["errors"]] == ["duplicate_code", "unknown_parent"]
    api = client.post(
        "/api/v1/catalog/versions/import/",
        {"region": world.city.code, "file": SimpleUploadedFile("x.csv", csv_bytes(rows))},
    )
    assert api.status_code == 400
    assert set(api.json()) == {"code", "message", "fields"}
    assert [name for name in api.json()["fields"] if name.startswith("rows.")] == ["rows.3.code", "rows.4.parent_code"]


def test_large_import_runs_as_a_task_with_progress(world, settings, django_capture_on_commit_callbacks, login, events):
    settings.CATALOG_IMPORT_INLINE_ROWS = 10
    with django_capture_on_commit_callbacks(execute=True):
        outcome = imports.import_spreadsheet(
            actor=world.city_finance,
            region=world.city,
            file_name="lanzhou.csv",
            data=reference_csv(),
            title_zh="大文件",
        )
    assert outcome.job is not None
    assert outcome.catalog is None
    job = ImportJob.objects.get(pk=outcome.job.pk)
    assert (job.status, job.total_rows, job.processed_rows, job.percent) == ("done", 60, 60, 100)
    assert job.catalog.items.count() == 60
    assert job.catalog.title_zh == "大文件"
    assert events("catalog.import.queued")
    assert events("catalog.version.imported")
    page = login(world.city_finance).get(reverse("catalog:import_job", args=[job.pk]))
    assert page.status_code == 200
    assert "refresh" not in page.content.decode()
    assert login(world.district_finance_a).get(reverse("catalog:import_job", args=[job.pk])).status_code == 404


def test_large_import_with_errors_fails_the_task_and_writes_nothing(
    world, settings, django_capture_on_commit_callbacks
):
    settings.CATALOG_IMPORT_INLINE_ROWS = 2
    rows = [["A", 1, "", "甲", ""], ["A", 1, "", "乙", ""], ["B", 5, "", "丙", ""]]
    with django_capture_on_commit_callbacks(execute=True):
        outcome = imports.import_spreadsheet(
            actor=world.city_finance, region=world.city, file_name="x.csv", data=csv_bytes(rows)
        )
    job = ImportJob.objects.get(pk=outcome.job.pk)
    assert job.status == "failed"
    assert {e["code"] for e in job.errors} == {"duplicate_code", "level_over_4"}
    assert CatalogVersion.objects.count() == 0
    # Delivered twice, the finished job is left alone.
    assert imports.run_import_job(job_id=job.pk).status == "failed"


def test_export_page_has_the_import_columns(world, demo_catalog, client):
    response = client.get(reverse("catalog:export", args=["110000", 1]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:6] == tuple(HEADER)
    assert len(rows) == 61


def test_check_table_is_pure_and_accepts_chinese_headers():
    table = spreadsheets.Table(
        header_row=1,
        headers=["代码", "层级", "上级代码", "名称", "英文名称", "民生"],
        rows=[(2, ["A", "1", "", "甲", "A", "是"]), (3, ["A01", "2", "A", "乙", "", "maybe"])],
    )
    rows, errors = spreadsheets.check_table(table, [])
    assert [e.code for e in errors] == ["bad_flag"]
    assert rows[0].is_priority is True


def test_services_refuse_other_regions(world):
    with pytest.raises(PermissionRefused):
        imports.import_spreadsheet(
            actor=world.district_finance_a, region=world.city, file_name="x.csv", data=reference_csv()
        )
