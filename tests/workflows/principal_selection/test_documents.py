"""Each step's document content is built from the case (plain data, no rendering)."""

from __future__ import annotations

import datetime as dt

import pytest

from dossiers.packs.models import CommitteeMeeting
from workflows.principal_selection import documents as docs
from workflows.principal_selection import services as s
from workflows.principal_selection.models import CaseState

from . import stages
from .conftest import FLOW

D = dt.date


@pytest.mark.django_db
def test_recommendation_tally_has_both_rounds_and_the_attendance_rule(world):
    case = stages.recommended(world)
    content = docs.recommendation_tally_content(case)
    assert [r["method"] for r in content["rounds"]] == ["谈话调研推荐", "会议推荐"]
    assert "王晓燕" in str(content["rounds"][1])


@pytest.mark.django_db
def test_inspection_report_carries_the_figures_and_the_four_musts(world):
    case = stages.signed(world)
    alice = case.candidates.get(person=world.alice)
    content = docs.inspection_report_content(case, alice, on=D(2026, 4, 1))
    text = str(content)
    assert "民主测评共35人参加" in text
    assert "会议推荐共28人参加" in text
    assert "纪检监察机关意见" in text and "信访举报核查" in text
    form = docs.candidate_form_content(case, alice, on=D(2026, 4, 1))
    assert "校长" in str(form) and "副校长" in str(form)


@pytest.mark.django_db
def test_vote_sheet_and_minutes_name_the_recused_member(world):
    from .conftest import make_kin

    case = stages.signed(world)
    make_kin(world.members[2], world.bob)
    present = world.members[:7]
    meeting = s.meeting_record(
        case=case,
        acting_user=world.secretary,
        held_on=D(2026, 4, 10),
        name="第3次会议",
        members=world.members,
        present=present,
        votes=stages.votes_for(case, world, present, {world.alice: "agree", world.bob: "disagree"}),
    )
    sheet, minutes = docs.meeting_contents(meeting)
    assert "委员3" in str(sheet) and "赵立新" in str(sheet)
    assert "同意王晓燕同志任" in str(minutes)
    bob_item = next(i for i in minutes["items"] if "赵立新" in i["heading"])
    assert "委员3" in bob_item["recusal_line"]


@pytest.mark.django_db
def test_the_public_notice_gives_the_bureaus_phone_address_and_postcode_from_the_registry(world):
    case = stages.decided(world)
    s.publicity_open(case=case, acting_user=world.officer, start=D(2026, 9, 29))
    notice = docs.public_notice_content(case)
    assert notice["phone"] == "（请向单位办公室咨询）"  # nothing recorded yet: whom to ask, not a made-up number
    assert notice["address"] == "示范区教育局" and notice["postcode"] == ""
    world.bureau.contact_phone, world.bureau.address, world.bureau.postcode = (
        "0519-86120000",
        "示范区城关街道人民路88号",
        "213100",
    )
    world.bureau.save()
    notice = docs.public_notice_content(case)
    assert (notice["phone"], notice["address"], notice["postcode"]) == (
        "0519-86120000",
        "示范区城关街道人民路88号",
        "213100",
    )
    assert notice["contact_unit"] == "示范区教育局组织人事科"
    assert "向示范区教育局组织人事科反映" in notice["report_line"]


@pytest.mark.django_db
def test_notice_and_appointment_documents(world):
    case = stages.decided(world)
    s.publicity_open(case=case, acting_user=world.officer, start=D(2026, 9, 29))
    notice = docs.public_notice_content(case)
    assert "2026" in str(notice) and "王晓燕" in str(notice)
    s.appointment_make(
        case=case,
        acting_user=world.officer,
        document_number="示教工委〔2026〕12号",
        notice_date=D(2026, 10, 12),
        talk_on=D(2026, 10, 12),
        talk_by="书记",
    )
    appointment = docs.appointment_notice_content(case)
    assert "示教工委〔2026〕12号" in str(appointment) and "副校长" in str(appointment)
    sheet = docs.record_sheet_content(case, prepared_by="组织人事科")
    steps = [e["step"] for e in sheet["events"]]
    assert steps[0] == "动议" and "讨论决定" in steps and "任职" in steps


@pytest.mark.django_db
def test_a_committee_pack_is_made_from_the_cases_on_the_agenda(client, world):
    case = stages.signed(world)
    assert case.state == CaseState.INSPECTED
    client.force_login(world.officer)
    url = FLOW.instance.reverse("agenda")
    assert case.pk in [c.pk for c in client.get(url).context["cases"]]
    response = client.post(url, {"cases": [case.pk], "title": "2026年第3次委员会会议", "date": "2026-04-10"})
    assert response.status_code == 302
    meeting = CommitteeMeeting.objects.get()
    assert [pc.subject for pc in meeting.cases.order_by("order")] == [world.alice, world.bob]
    assert meeting.cases.first().process_ref == f"principal_selection:{case.pk}"
    client.force_login(world.school_user)
    assert client.get(url).status_code == 403
