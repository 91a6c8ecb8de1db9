"""Importing 民主测评 and 工作业绩 scores from a workbook: the template, the import, every refusal, the scope."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import Workbook, load_workbook

from audit.models import AuditEvent
from workflows.competition import score_import as si
from workflows.competition import services as s
from workflows.competition.flows import CompetitionFlow
from workflows.competition.models import Registration, RegStatus

from .conftest import CLOSES, OPENS, announced_case

HEADERS = ["序号", "姓名", "岗位", "民主测评成绩", "工作业绩成绩"]
IMPORTED = "competition.other_scores_import"


@pytest.fixture
def sitting_case(world):
    """Alice (1) and Bob (2) qualified for the dean post, Carol refused; judges set, the sitting not yet open."""
    case = announced_case(world)
    world.today.set(OPENS)
    regs = [
        s.registration_submit(competition=case, acting_user=user, person=person, post=world.dean)
        for person, user in (
            (world.alice, world.alice_user),
            (world.bob, world.bob_user),
            (world.carol, world.carol_user),
        )
    ]
    world.today.set(CLOSES + dt.timedelta(days=1))
    s.registration_close(competition=case, acting_user=world.secretary)
    s.qualification_decide(registration=regs[0], acting_user=world.secretary, accept=True)
    s.qualification_decide(registration=regs[1], acting_user=world.secretary, accept=True)
    s.qualification_decide(registration=regs[2], acting_user=world.secretary, accept=False, reason="材料不全")
    s.qualification_finish(competition=case, acting_user=world.secretary)
    s.judges_assign(competition=case, acting_user=world.secretary, post=world.dean, judges=world.judge_people[:5])
    case.refresh_from_db()
    return case


@pytest.fixture
def open_case(world, sitting_case):
    return s.sitting_open(competition=sitting_case, acting_user=world.secretary)


def workbook(rows, *, headers=HEADERS, title="2026年中层干部竞聘上岗　民主测评和工作业绩成绩") -> bytes:
    wb = Workbook()
    ws = wb.active
    if title:
        ws.append([title])
    ws.append(headers)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def scores(world):
    return {r.person.name: (r.evaluation, r.performance) for r in Registration.objects.select_related("person")}


def nothing_written(world):
    assert all(v == (None, None) for v in scores(world).values())
    assert not AuditEvent.objects.filter(action=IMPORTED).exists()


def test_the_template_lists_the_qualified_candidates_of_the_case(client, world, sitting_case):
    url = CompetitionFlow.instance.reverse("score_template", args=[sitting_case.pk])
    client.force_login(world.secretary)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    ws = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    assert f"竞聘编号：{sitting_case.pk}" in rows[0][0]
    assert rows[1] == HEADERS
    assert rows[2:] == [[1, "王晓燕", "教导处主任", None, None], [2, "赵立新", "教导处主任", None, None]]  # not Carol


def test_a_filled_template_imports_every_row_with_one_audit_event(client, world, open_case):
    flow = CompetitionFlow.instance
    client.force_login(world.secretary)
    wb = load_workbook(
        io.BytesIO(b"".join(client.get(flow.reverse("score_template", args=[open_case.pk])).streaming_content))
    )
    ws = wb.active
    ws["D3"], ws["E3"], ws["D4"], ws["E4"] = 88.5, 90, "92", 85.25
    upload = io.BytesIO()
    wb.save(upload)
    upload.seek(0)
    upload.name = "成绩.xlsx"
    response = client.post(flow.reverse("score_import", args=[open_case.pk]), {"file": upload, "next": "/next/page/"})
    assert response.status_code == 302 and response["Location"] == "/next/page/"
    assert scores(world) == {
        "王晓燕": (Decimal("88.50"), Decimal("90.00")),
        "赵立新": (Decimal("92.00"), Decimal("85.25")),
        "孙海涛": (None, None),
    }
    event = AuditEvent.objects.get(action=IMPORTED)
    assert event.actor == world.secretary and event.payload["rows"] == 2 and event.payload["filename"] == "成绩.xlsx"
    assert event.payload["scores"][0] == ["王晓燕", "教导处主任", "88.5", "90"]
    page = client.get(flow.reverse("score_import", args=[open_case.pk])).content.decode()
    assert "88.50" in page and "85.25" in page


def test_an_outside_next_address_is_not_followed(client, world, open_case):
    url = CompetitionFlow.instance.reverse("score_import", args=[open_case.pk])
    client.force_login(world.secretary)
    upload = io.BytesIO(workbook([[1, "王晓燕", "教导处主任", 80, 80]]))
    upload.name = "s.xlsx"
    response = client.post(url, {"file": upload, "next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == url


GOOD = [1, "王晓燕", "教导处主任", 88, 90]


@pytest.mark.parametrize(
    "rows, message",
    [
        ([GOOD, [9, "赵立新", "教导处主任", 80, 80]], "第4行“序号”：教导处主任没有序号为9的资格审查通过的竞聘人。"),
        ([GOOD, [2, "孙海涛", "教导处主任", 80, 80]], "第4行“姓名”：“孙海涛”与教导处主任2号竞聘人赵立新不符。"),
        ([GOOD, [1, "王晓燕", "教导处主任", 70, 70]], "第4行“序号”：王晓燕的成绩已在第3行填写，不能重复。"),
        (
            [GOOD, [1, "王晓燕", "教导处副主任", 80, 80]],
            "第4行“岗位”：“教导处副主任”不是本次竞聘的岗位，该行不属于本次竞聘。",
        ),
        ([GOOD, [2, "赵立新", "教导处主任", 101, 80]], "第4行“民主测评成绩”：成绩应在0至100之间，最多两位小数。"),
        ([GOOD, [2, "赵立新", "教导处主任", 80, 85.555]], "第4行“工作业绩成绩”：成绩应在0至100之间，最多两位小数。"),
        ([GOOD, [2, "赵立新", "教导处主任", "优秀", 80]], "第4行“民主测评成绩”：成绩不是有效数值。"),
        ([GOOD, [2, "赵立新", "教导处主任", None, 80]], "第4行“民主测评成绩”：必填，不能为空。"),
        ([GOOD, ["二", "赵立新", "教导处主任", 80, 80]], "第4行“序号”：序号须为正整数，现为“二”。"),
        ([], "文件中没有成绩行：请在列名下方逐行填写竞聘人的成绩。"),
    ],
)
def test_a_bad_row_refuses_the_whole_file_naming_row_and_column(world, open_case, rows, message):
    with pytest.raises(ValidationError) as exc:
        si.other_scores_import(competition=open_case, acting_user=world.secretary, file=workbook(rows))
    assert exc.value.messages == [message]
    nothing_written(world)


def test_every_problem_of_a_file_is_listed(world, open_case):
    rows = [[9, "王晓燕", "教导处主任", 88, 90], [2, "赵立新", "德育处", -1, 80]]
    with pytest.raises(ValidationError) as exc:
        si.other_scores_import(competition=open_case, acting_user=world.secretary, file=workbook(rows))
    assert exc.value.messages == [
        "第3行“序号”：教导处主任没有序号为9的资格审查通过的竞聘人。",
        "第4行“岗位”：“德育处”不是本次竞聘的岗位，该行不属于本次竞聘。",
        "第4行“民主测评成绩”：成绩应在0至100之间，最多两位小数。",
    ]
    nothing_written(world)


@pytest.mark.parametrize(
    "data, message",
    [
        (b"PK\x03\x04 not really a workbook", "无法读取文件：请上传 Excel 工作簿（.xlsx）"),
        ("序号,姓名,岗位\n1,王晓燕,教导处主任\n".encode(), "无法读取文件：请上传 Excel 工作簿（.xlsx）"),
        (
            workbook([GOOD], headers=["序号", "姓名", "岗位", "测评", "工作业绩成绩"]),
            "第2行有无法识别的列“测评”：列名应为序号、姓名、岗位、民主测评成绩、工作业绩成绩。",
        ),
        (workbook([GOOD[:4]], headers=HEADERS[:4]), "第2行缺少列：工作业绩成绩。"),
        (workbook([GOOD], headers=["编号", "名字", "岗位", "民主测评成绩", "工作业绩成绩"]), "找不到列名行"),
    ],
)
def test_a_file_that_is_not_a_score_workbook_is_refused(world, open_case, data, message):
    with pytest.raises(ValidationError) as exc:
        si.other_scores_import(competition=open_case, acting_user=world.secretary, file=data)
    assert len(exc.value.messages) == 1 and message in exc.value.messages[0]
    nothing_written(world)


def test_the_template_of_another_competition_is_refused(world, open_case):
    other = announced_case(world, title="2026年第二批中层干部竞聘")
    data = si.score_template(other)
    wb = load_workbook(io.BytesIO(data))
    wb.active.append([1, "王晓燕", "教导处主任", 88, 90])
    out = io.BytesIO()
    wb.save(out)
    with pytest.raises(ValidationError) as exc:
        si.other_scores_import(competition=open_case, acting_user=world.secretary, file=out.getvalue())
    assert exc.value.messages == [
        f"该文件是竞聘编号{other.pk}的成绩表，不是本次竞聘（竞聘编号{open_case.pk}）的，请下载本次竞聘的模板。"
    ]
    nothing_written(world)


def test_scores_are_imported_only_while_the_sitting_is_open(world, sitting_case):
    with pytest.raises(ValidationError, match="评分进行期间方可录入民主测评和工作业绩成绩"):
        si.other_scores_import(competition=sitting_case, acting_user=world.secretary, file=workbook([GOOD]))
    nothing_written(world)


@pytest.mark.parametrize("who", ["other_secretary", "officer", "alice_user", "judge"])
def test_only_the_schools_secretary_may_import(world, open_case, who):
    user = world.judges[0] if who == "judge" else getattr(world, who)
    with pytest.raises(PermissionDenied):
        si.other_scores_import(competition=open_case, acting_user=user, file=workbook([GOOD]))
    nothing_written(world)


def test_another_schools_secretary_cannot_reach_the_pages(client, world, open_case):
    flow = CompetitionFlow.instance
    client.force_login(world.other_secretary)
    assert client.get(flow.reverse("score_template", args=[open_case.pk])).status_code == 404
    upload = io.BytesIO(workbook([GOOD]))
    upload.name = "s.xlsx"
    assert client.post(flow.reverse("score_import", args=[open_case.pk]), {"file": upload}).status_code == 404
    client.force_login(world.officer)  # the bureau sees the case but does not key a school's scores
    assert client.get(flow.reverse("score_import", args=[open_case.pk])).status_code == 403
    nothing_written(world)


def test_the_import_page_shows_every_problem_and_keeps_the_scores(client, world, open_case):
    client.force_login(world.secretary)
    upload = io.BytesIO(workbook([GOOD, [2, "赵立新", "教导处主任", 120, 80]]))
    upload.name = "s.xlsx"
    response = client.post(CompetitionFlow.instance.reverse("score_import", args=[open_case.pk]), {"file": upload})
    assert response.status_code == 400
    assert "第4行“民主测评成绩”：成绩应在0至100之间，最多两位小数。" in response.content.decode()
    nothing_written(world)
    assert Registration.objects.filter(status=RegStatus.QUALIFIED).count() == 2
