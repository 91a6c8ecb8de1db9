"""A small district for the ethics-case tests, a settable clock, and a driver that runs steps through HTTP."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.test import APIClient

from cadres import choices as c
from cadres.roles import Role
from tests.factories import OrganizationFactory, PersonFactory, UserFactory
from workflows.ethics_case.flows import EthicsCaseFlow
from workflows.ethics_case.models import EthicsCase
from workflows.ethics_case.selectors import open_task

REPORTED, INVESTIGATED, STATED, PROPOSED, DECIDED = (dt.date(2026, 9, d) for d in (1, 3, 5, 7, 9))
DOC_NUMBER = "示教人〔2026〕8号"


@pytest.fixture(autouse=True, scope="session")
def _site_urls():
    """Node URLs reverse through the site's viewsets: load the URLconf before a test reverses one."""
    import config.urls  # noqa: F401


@pytest.fixture
def clock(monkeypatch):
    """`clock.today` is what `timezone.localdate()` answers (a date given as argument still converts)."""
    state = SimpleNamespace(today=REPORTED)
    original = timezone.localdate

    def localdate(value=None, timezone=None):
        return state.today if value is None else original(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)
    return state


@pytest.fixture
def district(bureau, school, other_school, officer, school_secretary):
    """Two public schools and a private one, a teacher with a login in each, and every role of the case."""
    private = OrganizationFactory(name="育才民办学校", parent=bureau, ownership=c.Ownership.PRIVATE)
    ma = PersonFactory(name="马建军", organization=school, subject="数学")
    li = PersonFactory(name="李文静", organization=private, sex=c.Sex.FEMALE)
    zhao = PersonFactory(name="赵其他", organization=other_school)
    return SimpleNamespace(
        bureau=bureau,
        school=school,
        other_school=other_school,
        private=private,
        ma=ma,
        li=li,
        zhao=zhao,
        officer=officer,
        secretary=school_secretary,
        private_secretary=UserFactory(username="private_sec", roles=[Role.SCHOOL_SECRETARY], organization=private),
        other_secretary=UserFactory(username="other_sec", roles=[Role.SCHOOL_SECRETARY], organization=other_school),
        inspector=UserFactory(username="inspector", roles=[Role.DISCIPLINE_INSPECTOR], organization=bureau),
        committee=UserFactory(username="committee", roles=[Role.COMMITTEE_MEMBER], organization=bureau),
        teacher=UserFactory(username="ma", roles=[Role.TEACHER], organization=school, organization__person=ma),
        private_teacher=UserFactory(username="li", roles=[Role.TEACHER], organization=private, organization__person=li),
        other_teacher=UserFactory(
            username="zhao", roles=[Role.TEACHER], organization=other_school, organization__person=zhao
        ),
    )


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def evidence_file(name="补课收费记录.txt") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, "收费转账记录".encode(), content_type="text/plain")


class Driver:
    """Runs the case's steps as the given users through the web pages, with the dates of a typical case."""

    def __init__(self, client, clock):
        self.client, self.clock = client, clock
        self.case: EthicsCase | None = None

    def as_user(self, user):
        self.client.force_login(user)
        return self

    def reload(self) -> EthicsCase:
        self.case = EthicsCase.objects.get(pk=self.case.pk)
        return self.case

    def task(self, node):
        return open_task(self.case.pk, node)

    def post(self, user, node, data, *, on: dt.date | None = None):
        """POST `data` to the open task of `node` as `user` (on `on`); returns the response."""
        if on is not None:
            self.clock.today = on
        task = self.task(node)
        assert task is not None, f"no open task {node.name}"
        self.as_user(user)
        return self.client.post(task.reverse("execute"), data)

    def step(self, user, node, data, *, on: dt.date | None = None):
        response = self.post(user, node, data, on=on)
        assert response.status_code == 302, _errors(response)
        return self.reload()

    def report(self, user, teacher, *, source="school_report", on=REPORTED):
        self.clock.today = on
        self.as_user(user)
        response = self.client.post(
            EthicsCaseFlow.report.reverse("execute"),
            {"teacher": teacher.pk, "source": source, "report_text": "家长反映该教师组织有偿补课。", "reported_on": on},
        )
        assert response.status_code == 302, _errors(response)
        self.case = EthicsCase.objects.filter(teacher=teacher).latest("pk")
        return self.case

    def investigate(self, d, *, kind="demerit", violations=("v10",), regime="teacher", evidence=True):
        self.step(d.officer, EthicsCaseFlow.assign_investigator, {"investigator": d.inspector.pk}, on=REPORTED)
        data = {
            "findings": "2026年3月至6月组织本校学生14人有偿补课。\n收取费用33600元。",
            "violations": list(violations),
            "intended_kind": kind,
            "regime": regime,
            "investigated_on": INVESTIGATED,
            "evidence_note": "收费记录",
        }
        if evidence:
            data["evidence"] = evidence_file()
        return self.step(d.inspector, EthicsCaseFlow.investigate, data, on=INVESTIGATED)

    def statement(self, teacher_user, *, hearing=False):
        data = {"statement": "我承认组织了补课。", "defence": "已退还全部费用，请求从轻处理。"}
        if hearing:
            data["hearing_requested"] = "on"
        return self.step(teacher_user, EthicsCaseFlow.statement, data, on=STATED)

    def propose(self, secretary, *, kind="demerit", disqualify=True):
        data = {"kind": kind, "measures": ["circulated_criticism"], "reason": "情节较重，但已退还费用。"}
        if disqualify:
            data |= {"disqualify": "on", "scopes": ["awards", "title"], "months": 24}
        return self.step(secretary, EthicsCaseFlow.propose, data, on=PROPOSED)

    def decide_data(self, *, kind="demerit", disqualify=True):
        data = {
            "sanctioned": "1",
            "kind": kind,
            "measures": ["circulated_criticism"],
            "decided_on": DECIDED,
            "document_number": DOC_NUMBER,
            "meeting": "区教育局2026年第18次局务会议",
            "facts": "",
            "appeal_body": "常州市教育局",
        }
        if disqualify:
            data |= {"disqualify": "on", "scopes": ["awards", "title"], "months": 24}
        return data

    def decide(self, authority_user, **kwargs):
        return self.step(authority_user, EthicsCaseFlow.decide, self.decide_data(**kwargs), on=DECIDED)

    def to_decision(self, d, teacher, teacher_user, secretary, authority_user, **kwargs):
        """Report → … → decision issued, as each role."""
        self.report(secretary, teacher)
        self.investigate(d)
        self.statement(teacher_user)
        self.propose(secretary)
        return self.decide(authority_user, **kwargs)


def _errors(response) -> str:
    form = response.context.get("form") if response.context else None
    return f"{response.status_code}: {form.errors if form is not None else response.content[:500]!r}"


@pytest.fixture
def driver(client, clock):
    return Driver(client, clock)
