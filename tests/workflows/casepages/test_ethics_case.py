"""The ethics case on the shared case page."""

from __future__ import annotations

import pytest

from dossiers.models import DossierDocument
from tests.workflows.ethics_case import conftest as flow_conftest
from tests.workflows.ethics_case.conftest import evidence_file
from workflows.ethics_case.flows import EthicsCaseFlow as F
from workflows.ethics_case.models import EthicsCaseEvidence

from .helpers import chinese, named, queries

pytestmark = pytest.mark.django_db
# the flow's own fixtures
_site_urls, clock, district = flow_conftest._site_urls, flow_conftest.clock, flow_conftest.district
driver = flow_conftest.driver


def page_url(case):
    return F.instance.reverse("process_detail", args=[case.pk])


@pytest.fixture
def investigated(district, driver):
    named(district.officer, "李组织")
    named(district.inspector, "王纪检")
    named(district.secretary, "陈书记")
    driver.report(district.secretary, district.ma)
    return driver.investigate(district)


def test_officer_reads_the_ethics_case_in_chinese(client, district, investigated):
    client.force_login(district.officer)
    html = chinese(client.get(page_url(investigated)))
    assert "马建军师德违规案件" in html and "第一实验小学" in html
    assert "报告案件，来源：学校报告。" in html and "陈书记（第一实验小学）" in html
    assert "指定调查人员：王纪检（区教育局）。" in html and "李组织（区教育局）" in html
    assert "查明违反职业道德行为1项，拟记过；证据材料1份。" in html
    assert "陈述申辩" in html and "马建军（第一实验小学）" in html  # the open step; who may act: the teacher
    assert "收费记录" in html  # the evidence, for those who may read it
    assert "报告案件" in html.split('id="events"')[1]  # the trail, in words


def test_school_and_teacher_see_it_other_school_does_not(client, district, investigated):
    for user in (district.secretary, district.teacher):
        client.force_login(user)
        chinese(client.get(page_url(investigated)))
    client.force_login(district.teacher)
    task = investigated.task_set.get(flow_task=F.statement)
    assert (
        F.statement.reverse("execute", args=[investigated.pk, task.pk])
        in client.get(page_url(investigated)).content.decode()
    )
    for user in (district.other_secretary, district.other_teacher):
        client.force_login(user)
        assert client.get(page_url(investigated)).status_code in (403, 404)
        assert client.get(F.instance.reverse("process_chart", args=[investigated.pk])).status_code in (403, 404)


def test_queries_do_not_grow_with_documents_and_evidence(client, district, investigated):
    client.force_login(district.officer)
    few = queries(client, page_url(investigated))
    for i in range(5):
        DossierDocument.objects.create(
            kind="ethics_decision",
            title=f"处理决定书{i}",
            organization=district.school,
            process_ref=investigated.ref,
            series=f"test-{i}",
            version=1,
            template_name="dossiers/ethics_decision.html",
        )
        EthicsCaseEvidence.objects.create(
            case=investigated,
            file=evidence_file(f"记录{i}.txt"),
            description=f"记录{i}",
            uploaded_by=district.inspector,
        )
    html = chinese(client.get(page_url(investigated)))
    assert html.count("处理决定书") == 5
    assert queries(client, page_url(investigated)) <= few


def test_assign_page_is_chinese(client, district, driver):
    driver.report(district.secretary, district.ma)
    task = driver.task(F.assign_investigator)
    client.force_login(district.officer)
    html = chinese(client.get(F.assign_investigator.reverse("assign", args=[task.process_id, task.pk])))
    assert "领取并办理" in html and "返回案件" in html


def test_board_and_list_are_chinese(client, district, investigated):
    client.force_login(district.officer)
    chinese(client.get(F.instance.reverse("index")))
    html = chinese(client.get(F.instance.reverse("process_list")))
    assert "马建军师德违规案件" in html and "陈述申辩" in html
