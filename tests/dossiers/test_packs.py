"""Committee packs with the database: what goes in, building a copy, the audit trail, and the pages."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from unittest import mock

import pdfplumber
import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audit.models import AuditEvent
from cadres.person_search import person_token
from cadres.roles import Role
from dossiers import rendering
from dossiers.kinds import DossierKind
from dossiers.models import DossierDocument, series_key
from dossiers.packs import services
from dossiers.packs.models import CommitteeMeeting, PackBuild
from dossiers.packs.selectors import pack_plan
from dossiers.packs.services import CaseSpec, RecipientSpec, meeting_create, meeting_update, pack_build, pack_download
from tests.dossiers.test_packs_assembly import make_pdf, plain_text, running_number, watermark_text
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

Status = DossierDocument.Status


def stored(person, kind, *, version=1, pages=1, status=Status.RENDERED, process_ref="", step="", when=None):
    """A stored version with a small PDF whose pages read "<person> <kind> v<version> p<n>"."""
    series = series_key(
        kind=kind, subject_id=person.pk, organization_id=person.organization_id, process_ref=process_ref, step=step
    )
    doc = DossierDocument(
        kind=kind,
        title=DossierKind(kind).label,
        subject=person,
        organization=person.organization,
        process_ref=process_ref,
        step=step,
        series=series,
        version=version,
        template_name=f"dossiers/{kind}.html",
        status=status,
    )
    if status == Status.RENDERED:
        pdf = make_pdf([f"P{person.pk} {kind} v{version} p{n}" for n in range(1, pages + 1)])
        doc.pdf.save(f"{kind}-{person.pk}-{version}.pdf", ContentFile(pdf), save=False)
        doc.sha256 = hashlib.sha256(pdf).hexdigest()
        doc.page_count = pages
        doc.rendered_at = when or timezone.now()
    doc.save()
    return doc


@pytest.fixture
def meeting(officer, bureau, school):
    first = PersonFactory(organization=school, name="王一")
    second = PersonFactory(organization=school, name="李二")
    return meeting_create(
        title="2026年第3次党工委会议",
        date=dt.date(2026, 3, 12),
        organization=bureau,
        cases=[CaseSpec(first, "拟任第一实验小学校长"), CaseSpec(second, "拟任第一实验小学副校长")],
        recipients=[RecipientSpec(name="赵委员"), RecipientSpec(name="钱委员")],
        acting_user=officer,
    )


def people(meeting):
    return [case.subject for case in meeting.cases.order_by("order")]


def ready(meeting):
    """Give every candidate of the meeting a rendered 任免审批表."""
    return [stored(person, DossierKind.APPOINTMENT_FORM) for person in people(meeting)]


def build_now(meeting, recipient, user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        build = pack_build(meeting=meeting, recipient=recipient, acting_user=user)
    build.refresh_from_db()
    return build


# --- what goes into the pack ---------------------------------------------------------------------------


def test_the_pack_takes_the_latest_rendered_version_of_each_series_in_kind_order(meeting, school):
    first, second = people(meeting)
    stored(first, DossierKind.INSPECTION_REPORT, version=1)
    inspection_v2 = stored(first, DossierKind.INSPECTION_REPORT, version=2)
    stored(first, DossierKind.INSPECTION_REPORT, version=3, status=Status.PENDING)
    form = stored(first, DossierKind.APPOINTMENT_FORM, version=1, pages=2)
    stored(first, DossierKind.EVALUATION_TALLY, version=1, status=Status.FAILED)
    stored(first, DossierKind.PUBLIC_NOTICE, version=1)  # not a pack kind
    stored(PersonFactory(organization=school), DossierKind.APPOINTMENT_FORM)  # somebody else
    tally = stored(second, DossierKind.RECOMMENDATION_TALLY, version=1)

    plans = pack_plan(meeting)

    assert [p.case.subject for p in plans] == [first, second]
    assert plans[0].documents == [form, inspection_v2]
    assert sorted((d.kind, d.version) for d in plans[0].not_ready) == [
        (DossierKind.EVALUATION_TALLY, 1),
        (DossierKind.INSPECTION_REPORT, 3),
    ]
    assert plans[0].pages == 3
    assert plans[1].documents == [tally]


def test_a_meeting_can_choose_its_kinds_and_keeps_the_configured_order(meeting):
    first, _second = people(meeting)
    inspection = stored(first, DossierKind.INSPECTION_REPORT)
    stored(first, DossierKind.APPOINTMENT_FORM)
    meeting.kinds = [DossierKind.INSPECTION_REPORT, DossierKind.RECOMMENDATION_TALLY]
    meeting.save()
    assert pack_plan(meeting)[0].documents == [inspection]


def test_only_the_newest_appointment_form_series_is_used_and_the_case_process_limits_the_rest(meeting):
    first, _second = people(meeting)
    old = stored(first, DossierKind.APPOINTMENT_FORM, when=timezone.now() - dt.timedelta(days=30))
    new = stored(first, DossierKind.APPOINTMENT_FORM, process_ref="selection:9", step="propose")
    other = stored(first, DossierKind.INSPECTION_REPORT, process_ref="selection:1")
    mine = stored(first, DossierKind.INSPECTION_REPORT, process_ref="selection:9")
    assert old not in pack_plan(meeting)[0].documents
    assert pack_plan(meeting)[0].documents == [new, other, mine]
    meeting.cases.filter(subject=first).update(process_ref="selection:9")
    assert pack_plan(meeting)[0].documents == [new, mine]


# --- meetings ------------------------------------------------------------------------------------------


def test_creating_a_meeting_numbers_copies_in_order_and_is_audited(meeting, officer):
    assert meeting.confidentiality == "机密"
    assert [(r.copy_number, r.name) for r in meeting.recipients.all()] == [(1, "赵委员"), (2, "钱委员")]
    assert [(c.order, c.subject.name) for c in meeting.cases.all()] == [(1, "王一"), (2, "李二")]
    event = AuditEvent.objects.for_object(meeting).get()
    assert (event.action, event.actor) == ("pack_meeting_created", officer)


def test_a_meeting_refuses_the_same_person_twice_and_repeated_copy_numbers(officer, bureau, school):
    person = PersonFactory(organization=school)
    kwargs = {"title": "会议", "date": dt.date(2026, 3, 1), "organization": bureau, "acting_user": officer}
    with pytest.raises(ValidationError) as twice:
        meeting_create(cases=[CaseSpec(person), CaseSpec(person)], recipients=[], **kwargs)
    assert twice.value.code == "duplicate_case"
    with pytest.raises(ValidationError) as copies:
        recipients = [RecipientSpec("甲", copy_number=3), RecipientSpec("乙", copy_number=3)]
        meeting_create(cases=[CaseSpec(person)], recipients=recipients, **kwargs)
    assert copies.value.code == "duplicate_copy_number"
    assert not CommitteeMeeting.objects.exists()


def test_reordering_cases_and_a_recipient_with_a_built_copy_cannot_be_removed(
    meeting, officer, django_capture_on_commit_callbacks
):
    first, second = people(meeting)
    ready(meeting)
    meeting = meeting_update(
        meeting=meeting,
        title=meeting.title,
        date=meeting.date,
        cases=[CaseSpec(second, "拟任副校长"), CaseSpec(first, "拟任校长")],
        recipients=[RecipientSpec("赵委员", copy_number=1), RecipientSpec("钱委员", copy_number=2)],
        acting_user=officer,
    )
    assert [c.subject for c in meeting.cases.order_by("order")] == [second, first]
    build_now(meeting, meeting.recipients.get(copy_number=2), officer, django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError) as exc:
        meeting_update(
            meeting=meeting,
            title=meeting.title,
            date=meeting.date,
            cases=[CaseSpec(first)],
            recipients=[RecipientSpec("赵委员", copy_number=1)],
            acting_user=officer,
        )
    assert exc.value.code == "recipient_has_builds"


# --- building a copy -----------------------------------------------------------------------------------


def test_building_a_copy_reuses_stored_pdfs_and_records_the_build(meeting, officer, django_capture_on_commit_callbacks):
    first, second = people(meeting)
    form = stored(first, DossierKind.APPOINTMENT_FORM, pages=2)
    inspection = stored(first, DossierKind.INSPECTION_REPORT, pages=3)
    tally = stored(second, DossierKind.EVALUATION_TALLY, pages=1)
    recipient = meeting.recipients.get(copy_number=2)
    seen = []
    real_progress = services._Progress.__call__

    def spy(self, percent):
        seen.append(percent)
        return real_progress(self, percent)

    with (
        mock.patch.object(rendering, "render_pdf", wraps=rendering.render_pdf) as render,
        mock.patch.object(services._Progress, "__call__", spy),
    ):
        build = build_now(meeting, recipient, officer, django_capture_on_commit_callbacks)

    assert build.status == PackBuild.Status.DONE
    assert build.progress == 100
    assert seen == sorted(seen) and seen[-1] < 100 and len(seen) > 3
    assert render.call_count == 1 and render.call_args.args[0] == "dossiers/pack_cover.html"
    assert build.pages == 1 + 1 + 2 + 3 + 1
    data = build.file.open("rb").read()
    assert hashlib.sha256(data).hexdigest() == build.sha256
    assert [d["id"] for d in build.manifest["cases"][0]["documents"]] == [form.pk, inspection.pk]
    assert [d["id"] for d in build.manifest["cases"][1]["documents"]] == [tally.pk]

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        texts = [plain_text(p) for p in pdf.pages]
        numbers = [running_number(p) for p in pdf.pages]
        assert all("钱委员" in watermark_text(p) and "第002份" in watermark_text(p) for p in pdf.pages)
    assert f"P{first.pk} appointment_form v1 p1" in texts[2]
    assert f"P{first.pk} inspection_report v1 p1" in texts[4]
    assert f"P{second.pk} evaluation_tally v1 p1" in texts[7]
    assert numbers == [f"— {n} —" for n in range(1, 9)]
    assert "王一" in texts[1] and "李二" in texts[1]

    actions = list(AuditEvent.objects.for_object(build).values_list("action", "actor"))
    assert actions == [("pack_build_requested", officer.pk), ("pack_built", None)]


def test_a_stored_file_that_no_longer_matches_its_hash_fails_the_build_without_raising(
    meeting, officer, django_capture_on_commit_callbacks
):
    first, _second = people(meeting)
    doc = stored(first, DossierKind.APPOINTMENT_FORM)
    stored(_second, DossierKind.APPOINTMENT_FORM)
    with open(doc.pdf.path, "ab") as handle:
        handle.write(b"% tampered")
    build = build_now(meeting, meeting.recipients.first(), officer, django_capture_on_commit_callbacks)
    assert build.status == PackBuild.Status.FAILED
    assert "SHA-256" in build.error
    assert AuditEvent.objects.for_object(build).filter(action="pack_build_failed").exists()


def test_a_copy_is_refused_while_a_candidate_has_no_rendered_document(meeting, officer):
    first, _second = people(meeting)
    stored(first, DossierKind.APPOINTMENT_FORM)
    with pytest.raises(ValidationError) as exc:
        pack_build(meeting=meeting, recipient=meeting.recipients.first(), acting_user=officer)
    assert exc.value.code == "case_without_documents"
    assert "李二" in exc.value.messages[0] and "王一" not in exc.value.messages[0]
    assert not PackBuild.objects.exists()


def test_downloading_is_audited_and_refused_before_the_copy_is_done(
    meeting, officer, django_capture_on_commit_callbacks
):
    ready(meeting)
    pending = pack_build(meeting=meeting, recipient=meeting.recipients.first(), acting_user=officer)
    with pytest.raises(ValidationError):
        pack_download(build=pending, acting_user=officer)
    build = build_now(meeting, meeting.recipients.first(), officer, django_capture_on_commit_callbacks)
    assert pack_download(build=build, acting_user=officer) == build
    with build.file.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"
    event = AuditEvent.objects.for_object(build).get(action="pack_downloaded")
    assert event.actor == officer and event.payload["copy_number"] == 1


# --- pages ---------------------------------------------------------------------------------------------


def test_an_officer_creates_a_meeting_builds_a_copy_polls_its_progress_and_downloads_it(
    client, officer, bureau, school, django_capture_on_commit_callbacks
):
    first = PersonFactory(organization=school, name="周一")
    second = PersonFactory(organization=school, name="吴二")
    stored(first, DossierKind.APPOINTMENT_FORM, pages=2)
    stored(second, DossierKind.APPOINTMENT_FORM, pages=2)
    member = UserFactory(username="member", first_name="委员", roles=[Role.COMMITTEE_MEMBER], organization=bureau)
    client.force_login(officer)
    assert client.get("/dossiers/packs/").status_code == 200
    add_page = client.get("/dossiers/packs/add/").content.decode()
    cases_table = add_page.split('id="cases"')[1].split("</table>")[0]
    assert add_page.count('role="combobox"') == 3 and "<option" not in cases_table
    form = {
        "title": "2026年第4次党工委会议",
        "date": "2026-04-02",
        "confidentiality": "机密",
        "kinds": [DossierKind.APPOINTMENT_FORM, DossierKind.INSPECTION_REPORT],
        "cases-TOTAL_FORMS": "2",
        "cases-INITIAL_FORMS": "0",
        "cases-0-subject": person_token(first.pk),
        "cases-0-label": "拟任校长",
        "cases-0-ORDER": "2",
        "cases-1-subject": person_token(second.pk),
        "cases-1-label": "拟任副校长",
        "cases-1-ORDER": "1",
        "recipients-TOTAL_FORMS": "2",
        "recipients-INITIAL_FORMS": "0",
        "recipients-0-user": str(member.pk),
        "recipients-1-name": "列席人员",
        "recipients-1-copy_number": "9",
    }
    response = client.post("/dossiers/packs/add/", form)
    meeting = CommitteeMeeting.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/dossiers/packs/{meeting.pk}/")
    assert [c.subject for c in meeting.cases.order_by("order")] == [second, first]
    assert [(r.copy_number, r.name) for r in meeting.recipients.all()] == [(1, "委员"), (9, "列席人员")]
    detail = client.get(f"/dossiers/packs/{meeting.pk}/").content.decode()
    assert detail.index("吴二") < detail.index("周一")
    with CaptureQueriesContext(connection) as ctx:
        change = client.get(f"/dossiers/packs/{meeting.pk}/change/").content.decode()
    assert "2026年第4次党工委会议" in change and "拟任副校长" in change
    assert "吴二 · 第一实验小学" in change and "周一 · 第一实验小学" in change  # the chosen people as chips
    assert f'-subject" value="{first.pk}"' not in change and f'-subject" value="{person_token(first.pk)}"' in change
    assert sum("cadres_tenure" in q["sql"] for q in ctx.captured_queries) == 1  # one read for every row's chip

    recipient = meeting.recipients.get(copy_number=9)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/dossiers/packs/{meeting.pk}/build/", {"recipient": recipient.pk})
    build = PackBuild.objects.get()
    assert response["Location"].endswith(f"/dossiers/packs/builds/{build.pk}/")
    page = client.get(f"/dossiers/packs/builds/{build.pk}/").content.decode()
    assert "progressbar" in page and f"/dossiers/packs/builds/{build.pk}/status/" in page
    status = client.get(f"/dossiers/packs/builds/{build.pk}/status/").json()
    assert status["status"] == "done" and status["progress"] == 100 and status["pages"] == 2 + 4
    assert status["download_url"] in client.get(f"/dossiers/packs/{meeting.pk}/").content.decode()
    download = client.get(status["download_url"])
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    assert AuditEvent.objects.for_object(build).filter(action="pack_downloaded", actor=officer).count() == 1


@pytest.fixture
def built(meeting, officer, django_capture_on_commit_callbacks):
    ready(meeting)
    return build_now(meeting, meeting.recipients.first(), officer, django_capture_on_commit_callbacks)


def _urls(build):
    m = build.meeting.pk
    return [
        "/dossiers/packs/",
        "/dossiers/packs/add/",
        f"/dossiers/packs/{m}/",
        f"/dossiers/packs/{m}/change/",
        f"/dossiers/packs/builds/{build.pk}/",
        f"/dossiers/packs/builds/{build.pk}/status/",
        f"/dossiers/packs/builds/{build.pk}/download/",
    ]


def test_a_bureau_user_who_is_not_a_personnel_officer_is_forbidden(client, bureau, built):
    member = UserFactory(roles=[Role.COMMITTEE_MEMBER], organization=bureau)
    client.force_login(member)
    for url in _urls(built):
        assert client.get(url).status_code == 403, url
    assert client.post(f"/dossiers/packs/{built.meeting.pk}/build/").status_code == 403
    assert not AuditEvent.objects.filter(action="pack_downloaded").exists()
    assert "/dossiers/packs/" not in client.get("/dossiers/documents/").content.decode()  # not in the menu


def test_personnel_officers_find_packs_in_the_menu(client, officer):
    client.force_login(officer)
    assert 'href="/dossiers/packs/"' in client.get("/dossiers/documents/").content.decode()


def test_school_level_users_do_not_see_packs_at_all(client, school, school_secretary, built):
    school_officer = UserFactory(roles=[Role.PERSONNEL_OFFICER], organization=school)
    for user in (school_secretary, school_officer):
        client.force_login(user)
        for url in _urls(built):
            assert client.get(url).status_code == 404, url
        assert client.post(f"/dossiers/packs/{built.meeting.pk}/build/").status_code == 404


def test_anonymous_visitors_are_sent_to_login(client, built):
    response = client.get(f"/dossiers/packs/builds/{built.pk}/download/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_with_a_broker_the_build_is_handed_to_celery(meeting, officer, settings, django_capture_on_commit_callbacks):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/0"
    ready(meeting)
    with mock.patch("dossiers.packs.tasks.build_pack_task.delay") as delay:
        build = build_now(meeting, meeting.recipients.first(), officer, django_capture_on_commit_callbacks)
    delay.assert_called_once_with(build.pk)
    assert build.status == PackBuild.Status.PENDING and build.progress == 0
