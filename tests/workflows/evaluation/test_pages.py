"""The pages as the roles drive them: scope, the report download, the admin, the lists."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cadres import choices as c
from cadres.ethics.models import SanctionKind
from cadres.ethics.services import sanction_record
from cadres.models import AnnualAppraisal, RuleSetItem
from tests.factories import AppraisalFactory, UserFactory
from workflows.evaluation.models import EvaluationYear, Term

from .helpers import ATTENDED, D, form_data, open_year, poll

G = c.AppraisalGrade


def _year(client, user, school):
    client.force_login(user)
    response = client.post("/evaluation/years/", {"organization": school.pk, "year": 2025})
    assert response.status_code == 302
    return EvaluationYear.objects.get(organization=school, year=2025)


def test_a_school_opens_its_year_and_types_the_poll(client, school_secretary, school, cadres_of_school):
    evaluation = _year(client, school_secretary, school)
    url = f"/evaluation/years/{evaluation.pk}/"
    page = client.get(url).content.decode()
    assert all(p.name in page for p in cadres_of_school)
    data = {"polled_on": "2026-03-02", **{f"attended-{k}": v for k, v in ATTENDED.items()}}
    for a in evaluation.assessments.all():
        data[f"poll-{a.pk}-staff-excellent"] = "9"
        data[f"poll-{a.pk}-staff-competent"] = "20"
    client.post(f"{url}do/poll/", data)
    assert EvaluationYear.objects.get(pk=evaluation.pk).polled_on == D(2026, 3, 2)
    assert evaluation.assessments.first().poll_counts["staff"]["competent"] == 20
    data[f"poll-{evaluation.assessments.first().pk}-staff-basic"] = "5"  # 34 > 30
    page = client.post(f"{url}do/poll/", data, follow=True).content.decode()
    assert "教职工代表的测评票合计34张，多于实到人数30人" in page


def test_the_cap_refusal_and_each_persons_cap_are_shown(client, officer, school_secretary, school, cadres_of_school):
    sanction_record(
        acting_user=officer,
        person=cadres_of_school[1],
        kind=SanctionKind.WARNING,
        decided_on=D(2025, 5, 6),
        authority="区教育局",
    )
    evaluation = open_year(school_secretary, school)
    poll(school_secretary, evaluation)
    client.force_login(school_secretary)
    url = f"/evaluation/years/{evaluation.pk}/"
    page = client.get(url).content.decode()
    assert "2025年05月06日受警告处理" in page and "最高“称职”" in page
    ids = [evaluation.assessments.get(person=p).pk for p in cadres_of_school]
    grades = {f"grade-{pk}": "competent" for pk in ids}
    grades[f"grade-{ids[0]}"] = grades[f"grade-{ids[2]}"] = "excellent"
    page = client.post(f"{url}do/propose/", {"proposed_on": "2026-01-12", **grades}, follow=True).content.decode()
    assert "拟定优秀2人，超过本单位优秀名额：参加考核5人的20%（向下取整、至少1人），即1人" in page
    grades[f"grade-{ids[2]}"] = "competent"
    grades[f"grade-{ids[1]}"] = "excellent"  # the one with the warning
    page = client.post(f"{url}do/propose/", {"proposed_on": "2026-01-12", **grades}, follow=True).content.decode()
    assert "不能定为“优秀”" in page and "警告" in page
    assert EvaluationYear.objects.get(pk=evaluation.pk).state == "draft"


def test_another_schools_secretary_gets_404_and_a_teacher_403(
    client, school_secretary, other_secretary, teacher_user, school, other_school, cadres_of_school
):
    evaluation = open_year(school_secretary, school)
    client.force_login(other_secretary)
    assert client.get(f"/evaluation/years/{evaluation.pk}/").status_code == 404
    assert client.post(f"/evaluation/years/{evaluation.pk}/do/poll/", {}).status_code == 404
    listing = client.get("/evaluation/years/?year=2025").content.decode()
    assert school.name not in listing and other_school.name in listing
    assert client.post("/evaluation/years/", {"organization": school.pk, "year": 2025}).status_code == 404
    client.force_login(teacher_user)
    assert client.get("/evaluation/years/").status_code == 403
    assert client.get(f"/evaluation/years/{evaluation.pk}/").status_code == 403


def test_the_report_is_uploaded_and_downloaded_only_in_scope(
    client, officer, school_secretary, other_secretary, school, cadres_of_school
):
    evaluation = open_year(school_secretary, school)
    a = evaluation.assessments.order_by("id").first()
    client.force_login(school_secretary)
    upload = SimpleUploadedFile("述职述廉报告.pdf", b"%PDF-1.4 report", content_type="application/pdf")
    client.post(
        f"/evaluation/years/{evaluation.pk}/report/{a.pk}/", {"report": upload, "summary": "分管教学，廉洁自律"}
    )
    a.refresh_from_db()
    assert a.report.name.startswith("evaluation/") and "述职" not in a.report.name  # stored under a random name
    download = f"/evaluation/years/{evaluation.pk}/report/{a.pk}/download/"
    response = client.get(download)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 report"
    client.force_login(officer)
    assert client.get(download).status_code == 200
    client.force_login(other_secretary)
    assert client.get(download).status_code == 404


def test_the_admin_no_longer_saves_excellent_during_a_warning(client, officer, school, cadres_of_school):
    person = cadres_of_school[0]
    sanction_record(
        acting_user=officer, person=person, kind=SanctionKind.WARNING, decided_on=D(2025, 5, 6), authority="区"
    )
    AnnualAppraisal.objects.filter(person=person).delete()
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    url = f"/admin/cadres/person/{person.pk}/change/"
    page = client.get(url).content.decode()
    assert 'name="appraisals-0-grade"' not in page and "只读" in page
    data = form_data(page)
    data.update(
        {
            "appraisals-TOTAL_FORMS": "1",
            "appraisals-INITIAL_FORMS": "0",
            "appraisals-0-year": "2025",
            "appraisals-0-grade": "excellent",
            "appraisals-0-person": str(person.pk),
        }
    )
    response = client.post(url, data)
    assert response.status_code in (200, 302)
    assert not AnnualAppraisal.objects.filter(person=person, grade=G.EXCELLENT).exists()


def test_the_rule_set_is_edited_in_the_admin_and_changes_the_cap(client, officer, school, cadres_of_school):
    item = RuleSetItem.objects.get(rule_code="cadre_evaluation_params")
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    url = f"/admin/cadres/ruleset/{item.rule_set_id}/change/"
    data = form_data(client.get(url).content.decode())
    prefix = next(k[: -len("-rule_code")] for k, v in data.items() if v == "cadre_evaluation_params")
    params = json.loads(data[f"{prefix}-params"])
    data[f"{prefix}-params"] = json.dumps({**params, "excellent_share_percent": 30}, ensure_ascii=False)
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    evaluation = open_year(officer, school)
    poll(officer, evaluation)
    from .helpers import propose

    propose(officer, evaluation, "excellent")
    assert EvaluationYear.objects.get(pk=evaluation.pk).excellent_places == 1  # 30% of 5 = 1.5 → 1
    bad = {**params, "excellent_share_percent": 130}
    data[f"{prefix}-params"] = json.dumps(bad)
    page = client.post(url, data).content.decode()
    assert "优秀比例须在0到100之间" in page


def test_the_adjustment_list_names_the_reason_and_links_the_start(
    client, officer, school_secretary, school, cadres_of_school
):
    AppraisalFactory(person=cadres_of_school[3], year=2025, grade=G.INCOMPETENT)
    client.force_login(officer)
    page = client.get("/evaluation/adjustments/?year=2025").content.decode()
    assert cadres_of_school[3].name in page and "2025年度考核不称职" in page
    assert 'href="/adjustment/propose/"' in page
    assert cadres_of_school[2].name not in page


def test_terms_page_opens_terms_and_lists_those_ending(client, officer, school_secretary, school):
    from .conftest import make_cadres

    make_cadres(school, 2, start=D(2023, 9, 1))  # terms end 2026-08-31: within six months of 2026-03-02
    client.force_login(officer)
    client.post("/evaluation/terms/")
    assert Term.objects.count() == 2
    page = client.get("/evaluation/terms/").content.decode()
    assert "2026-08-31" in page
    term = Term.objects.first()
    client.force_login(school_secretary)
    client.post(
        f"/evaluation/terms/{term.pk}/", {"action": "goals", "goals": "建成劳动教育基地", "recorded_on": "2026-03-01"}
    )
    term.refresh_from_db()
    assert term.goals == "建成劳动教育基地"
    assert client.post("/evaluation/terms/").status_code == 302
    assert Term.objects.count() == 2  # a school secretary does not open the district's terms


@pytest.mark.parametrize("path", ["/evaluation/years/", "/evaluation/adjustments/", "/evaluation/terms/"])
def test_pages_answer_for_the_bureau(client, officer, path):
    client.force_login(officer)
    assert client.get(path).status_code == 200


def test_terms_are_counted_per_school(client, officer, school):
    from workflows.evaluation import selectors

    from .conftest import make_cadres

    make_cadres(school, 2, start=D(2017, 9, 1))  # third term running on 2026-03-02: two completed each
    client.force_login(officer)
    client.post("/evaluation/terms/")
    [row] = selectors.term_counts_by_school(officer, on=D(2026, 3, 2))
    assert (row["organization"], row["leaders"], row["completed"], row["longest_years"]) == (school, 2, 4, 8)
    page = client.get("/evaluation/terms/").content.decode()
    assert "最长连续任职年数" in page


def test_a_missing_rule_set_is_said_in_chinese_not_a_500(client, officer, school, cadres_of_school):
    from cadres.models import RuleSet

    evaluation = open_year(officer, school)
    RuleSet.objects.filter(purpose="cadre_evaluation").delete()
    client.force_login(officer)
    for path in [f"/evaluation/years/{evaluation.pk}/", "/evaluation/adjustments/", "/evaluation/terms/"]:
        response = client.get(path)
        assert response.status_code == 503 and "没有适用的干部考核规则集" in response.content.decode()
    page = client.post(f"/evaluation/years/{evaluation.pk}/do/poll/", {"polled_on": "2026-03-02"}, follow=True)
    assert "没有适用的干部考核规则集" in page.content.decode()


def test_an_objection_is_recorded_and_upheld_from_the_page(client, officer, school_secretary, school, cadres_of_school):
    from workflows.evaluation import clock

    from .helpers import run_to_publicised

    evaluation = run_to_publicised(officer, school_secretary, school, "excellent")
    excellent = evaluation.assessments.get(confirmed_grade=G.EXCELLENT)
    client.force_login(officer)
    url = f"/evaluation/years/{evaluation.pk}/"
    client.post(
        f"{url}do/objection/", {"assessment": excellent.pk, "received_on": "2026-01-23", "text": "反映其考勤不实"}
    )
    page = client.get(url).content.decode()
    assert "反映其考勤不实" in page and f'name="upheld-{excellent.pk}"' in page
    assert clock.today() > evaluation.publicity_end
    client.post(f"{url}do/finalise/", {"finalised_on": "2026-03-02", f"upheld-{excellent.pk}": "competent"})
    assert EvaluationYear.objects.get(pk=evaluation.pk).state == "final"
    assert AnnualAppraisal.objects.get(person=excellent.person, year=2025).grade == G.COMPETENT
