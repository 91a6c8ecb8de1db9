"""Driving a unit's year through the services, as the pages do."""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser

from workflows.evaluation import services

D = dt.date
ATTENDED = {"leaders": 5, "cadres": 10, "staff": 30}
OPENED, POLLED, PROPOSED = D(2026, 1, 5), D(2026, 1, 8), D(2026, 1, 12)


def counts(excellent=10, competent=17, basic=3, incompetent=0) -> dict:
    """One cadre's counts: all in the staff category (the leaders and cadres abstained)."""
    return {"staff": {"excellent": excellent, "competent": competent, "basic": basic, "incompetent": incompetent}}


def open_year(user, school, year=2025, on=OPENED):
    return services.evaluation_year_open(acting_user=user, organization=school, year=year, opened_on=on)


def poll(user, evaluation, on=POLLED):
    return services.evaluation_poll_record(
        acting_user=user,
        evaluation=evaluation,
        polled_on=on,
        attended=ATTENDED,
        counts={a.pk: counts() for a in evaluation.assessments.all()},
    )


def grades_for(evaluation, *grades: str, default="competent") -> dict[int, str]:
    """Grades in the assessments' order; the rest `default`."""
    assessments = list(evaluation.assessments.order_by("id"))
    return {a.pk: (grades[i] if i < len(grades) else default) for i, a in enumerate(assessments)}


def propose(user, evaluation, *grades: str, on=PROPOSED, default="competent"):
    return services.evaluation_propose(
        acting_user=user, evaluation=evaluation, grades=grades_for(evaluation, *grades, default=default), proposed_on=on
    )


def run_to_publicised(officer, secretary, school, *grades: str):
    evaluation = open_year(secretary, school)
    poll(secretary, evaluation)
    propose(secretary, evaluation, *grades)
    services.evaluation_confirm(
        acting_user=officer, evaluation=evaluation, meeting_on=D(2026, 1, 20), meeting_name="区教育工委2026年第2次会议"
    )
    services.evaluation_publicise(acting_user=officer, evaluation=evaluation, start=D(2026, 1, 21))
    evaluation = type(evaluation).objects.get(pk=evaluation.pk)
    return evaluation


class _FormFields(HTMLParser):
    """Every named input/select/textarea value of each form with method=post on the page."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict[str, str]] = []
        self.data: dict[str, str] | None = None
        self.select: str | None = None
        self.textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self.data = {}
            self.forms.append(self.data)
        if self.data is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.data[name] = a.get("value") or "on"
            elif kind not in ("submit", "button", "file", "image"):
                self.data[name] = a.get("value") or ""
        elif tag == "select" and name:
            self.select = name
            self.data.setdefault(name, "")
        elif tag == "option" and self.select and "selected" in a:
            self.data[self.select] = a.get("value") or ""
        elif tag == "textarea" and name:
            self.textarea = name
            self.data[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None
        elif tag == "form":
            self.data = None

    def handle_data(self, data):
        if self.textarea and self.data is not None:
            self.data[self.textarea] += data


def form_data(html: str) -> dict[str, str]:
    """The fields of the page's largest POST form (the admin's change form, not its logout button)."""
    parser = _FormFields()
    parser.feed(html)
    return max(parser.forms, key=len)
