"""Issue 12, item 1: every dossier kind has a 密级 and an audience. A role × kind matrix over HTTP (list, version
page, download) proves who reads what; candidates never read the materials of their own case except what
is addressed to them.

The expected table is written out here by hand (not read from `dossiers.kinds.AUDIENCES`), so a change to
the audience data must be a deliberate change to this table too.
"""

from __future__ import annotations

import hashlib
import itertools
from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from audit.models import AuditEvent
from cadres.roles import Role
from dossiers.kinds import AUDIENCES, Classification, DossierKind
from dossiers.models import DossierDocument, series_key
from dossiers.selectors import documents_visible_to
from tests.factories import PersonFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db

K = DossierKind
Status = DossierDocument.Status

BUREAU = {"officer", "inspector", "discipline", "member", "recorder"}
EVERYONE_AT_SCHOOL = BUREAU | {"secretary", "candidate", "teacher", "judge"}

# kind -> (process, whether the document names the candidate as its subject, who reads it)
EXPECTED: dict[str, tuple[str, bool, set[str]]] = {
    K.APPOINTMENT_FORM: ("principal_selection:9001", True, BUREAU | {"secretary"}),
    K.INSPECTION_REPORT: ("principal_selection:9001", True, BUREAU),
    K.RECOMMENDATION_TALLY: ("principal_selection:9001", False, BUREAU | {"secretary"}),
    K.EVALUATION_TALLY: ("principal_selection:9001", False, BUREAU | {"secretary"}),
    K.VOTE_SHEET: ("principal_selection:9001", False, {"officer", "member", "recorder"}),
    K.MINUTES_EXTRACT: ("principal_selection:9001", False, {"officer", "member", "recorder"}),
    K.PUBLIC_NOTICE: ("principal_selection:9001", False, EVERYONE_AT_SCHOOL),
    K.APPOINTMENT_NOTICE: ("principal_selection:9001", False, EVERYONE_AT_SCHOOL),
    K.RECORD_SHEET: ("principal_selection:9001", False, {"officer", "discipline", "member", "recorder"}),
    K.COMPETITION_ANNOUNCEMENT: ("competition:9001", False, EVERYONE_AT_SCHOOL),
    K.COMPETITION_REGISTRATIONS: ("competition:9001", False, {"officer", "discipline", "secretary"}),
    K.COMPETITION_QUALIFICATION: ("competition:9001", False, {"officer", "discipline", "secretary", "candidate"}),
    K.COMPETITION_SCORE_SHEET: ("competition:9001", True, {"officer", "discipline", "member", "recorder", "secretary"}),
    K.COMPETITION_RANKING: ("competition:9001", False, {"officer", "discipline", "member", "recorder", "secretary"}),
    K.ADJUSTMENT_DECISION: ("adjustment:9001", True, {"officer", "discipline", "secretary", "candidate"}),
    K.ETHICS_DECISION: ("ethics_case:9001", True, {"officer", "discipline", "secretary", "candidate"}),
    K.RESERVE_PROFILE: ("reserve:9001", True, {"officer", "inspector", "member", "recorder", "secretary"}),
    K.RESERVE_ROSTER: ("reserve:roster", False, {"officer", "inspector", "member", "recorder", "secretary"}),
    K.ANNUAL_APPRAISAL_FORM: ("evaluation:9001", True, {"officer", "member", "recorder", "candidate"}),
    K.APPRAISAL_EVALUATION: ("evaluation:9001", False, {"officer", "member", "recorder", "secretary"}),
    K.TERM_REVIEW: ("term:9001", True, {"officer", "member", "recorder", "candidate"}),
    K.TEAM_STRUCTURE: ("teams:9001", False, {"officer", "member", "recorder", "secretary"}),
    K.BALLOT_SLIPS: ("principal_selection:9001", False, {"officer"}),
    K.BALLOT_TALLY: ("principal_selection:9001", False, BUREAU | {"secretary"}),
    K.VETO_CHECK: ("veto_check:9001", False, {"officer", "discipline", "secretary"}),
    K.EXCHANGE_PLAN: ("exchange_plan:9001", False, {"officer", "member", "recorder"}),
}

USERS = sorted(EVERYONE_AT_SCHOOL | {"other_secretary"})


_steps = itertools.count(1)


def stored(kind, *, organization, subject=None, process_ref="", created_by=None, version=1):
    """A rendered version of `kind` with a small stored file (each call its own series)."""
    step = f"s{next(_steps)}"
    pdf = f"%PDF-1.4 {kind} {process_ref} v{version}".encode()
    doc = DossierDocument(
        kind=kind,
        title=str(DossierKind(kind).label),
        subject=subject,
        organization=organization,
        process_ref=process_ref,
        step=step,
        series=series_key(
            kind=kind,
            subject_id=getattr(subject, "pk", None),
            organization_id=organization.pk,
            process_ref=process_ref,
            step=step,
        ),
        version=version,
        template_name=f"dossiers/{kind}.html",
        status=Status.RENDERED,
        sha256=hashlib.sha256(pdf).hexdigest(),
        page_count=1,
        rendered_at=timezone.now(),
        created_by=created_by,
    )
    doc.pdf.save(f"{kind}.pdf", ContentFile(pdf), save=False)
    doc.save()
    return doc


@pytest.fixture
def world(bureau, school, other_school, officer, school_secretary):
    """The school's documents of every kind, the candidate 陈老师 as subject or party, and one user per role."""
    candidate = PersonFactory(organization=school, name="陈老师")
    school_secretary.profile.person = PersonFactory(organization=school, name="书记")
    school_secretary.profile.save()

    def bureau_user(role):
        return UserFactory(roles=[role], organization=bureau, organization__person=PersonFactory(organization=bureau))

    users = {
        "officer": officer,
        "inspector": bureau_user(Role.INSPECTION_TEAM),
        "discipline": bureau_user(Role.DISCIPLINE_INSPECTOR),
        "member": bureau_user(Role.COMMITTEE_MEMBER),
        "recorder": bureau_user(Role.COMMITTEE_SECRETARY),
        "secretary": school_secretary,
        "other_secretary": UserFactory(
            roles=[Role.SCHOOL_SECRETARY],
            organization=other_school,
            organization__person=PersonFactory(organization=other_school),
        ),
        "candidate": UserFactory(roles=[Role.TEACHER], organization=school, organization__person=candidate),
        "teacher": UserFactory(
            roles=[Role.TEACHER], organization=school, organization__person=PersonFactory(organization=school)
        ),
        "judge": UserFactory(
            roles=[Role.JUDGE], organization=school, organization__person=PersonFactory(organization=school)
        ),
    }
    docs = {
        kind: stored(
            kind,
            organization=school,
            subject=candidate if names_candidate else None,
            process_ref=process_ref,
            created_by=officer,
        )
        for kind, (process_ref, names_candidate, _readers) in EXPECTED.items()
    }
    return SimpleNamespace(users=users, docs=docs, candidate=candidate)


def test_the_matrix_covers_every_kind_and_every_kind_has_a_classification():
    assert set(EXPECTED) == set(DossierKind.values) == set(AUDIENCES)
    assert {a.classification for a in AUDIENCES.values()} <= set(Classification.values)
    assert AUDIENCES[K.VOTE_SHEET].classification == Classification.SECRET
    assert AUDIENCES[K.MINUTES_EXTRACT].classification == Classification.SECRET
    assert AUDIENCES[K.RECOMMENDATION_TALLY].classification == Classification.INTERNAL
    assert AUDIENCES[K.PUBLIC_NOTICE].classification == Classification.PUBLIC


@pytest.mark.parametrize("who", USERS)
def test_each_role_lists_opens_and_downloads_exactly_the_kinds_it_may_read(client, world, who):
    client.force_login(world.users[who])
    listing = client.get("/dossiers/documents/").content.decode()
    wrong = []
    for kind, doc in world.docs.items():
        expected = who in EXPECTED[kind][2]
        listed = doc.verification_code in listing
        detail = client.get(f"/dossiers/documents/{doc.pk}/").status_code
        download = client.get(f"/dossiers/documents/{doc.pk}/download/")
        body = b"".join(download.streaming_content) if download.status_code == 200 else b""
        got = (listed, detail, download.status_code, body == doc.pdf.open("rb").read())
        want = (expected, 200 if expected else 404, 200 if expected else 404, expected)
        if got != want:
            wrong.append((kind, got, want))
    assert not wrong, wrong
    downloads = AuditEvent.objects.filter(action="dossier_downloaded", actor=world.users[who]).count()
    assert downloads == sum(who in readers for _ref, _subject, readers in EXPECTED.values())


def test_the_version_page_shows_the_classification(client, world):
    client.force_login(world.users["officer"])
    page = client.get(f"/dossiers/documents/{world.docs[K.VOTE_SHEET].pk}/").content.decode()
    assert '<dd id="classification">机密</dd>' in page
    page = client.get(f"/dossiers/documents/{world.docs[K.PUBLIC_NOTICE].pk}/").content.decode()
    assert '<dd id="classification">公开</dd>' in page


def test_verify_tells_nothing_about_a_document_the_user_may_not_read(client, world):
    tally = world.docs[K.RECOMMENDATION_TALLY]
    for who in ("teacher", "judge", "candidate"):
        client.force_login(world.users[who])
        page = client.get("/dossiers/verify/", {"code": tally.verification_code}).content.decode()
        assert 'data-matched="false"' in page and "推荐票统计表" not in page and tally.sha256 not in page, who
    client.force_login(world.users["secretary"])
    page = client.get("/dossiers/verify/", {"code": tally.verification_code}).content.decode()
    assert 'data-matched="true"' in page and "推荐票统计表" in page


def test_the_person_page_block_of_the_candidate_shows_them_only_what_is_addressed_to_them(client, world):
    client.force_login(world.users["candidate"])
    page = client.get(f"/registry/people/{world.candidate.pk}/").content.decode()
    assert world.docs[K.ETHICS_DECISION].verification_code in page
    assert world.docs[K.ADJUSTMENT_DECISION].verification_code in page
    for kind in (K.APPOINTMENT_FORM, K.INSPECTION_REPORT, K.COMPETITION_SCORE_SHEET, K.RESERVE_PROFILE):
        assert world.docs[kind].verification_code not in page, kind


# ---- a candidate who holds a reading role -------------------------------------------------------------------


def test_a_school_secretary_who_is_a_candidate_does_not_read_their_own_case(school, world):
    """Known as a candidate from the workflow itself (a principal-selection Candidate row), before any
    document names them: the tally of their own case is closed to them, another case's stays open."""
    from workflows.principal_selection.flows import PrincipalSelectionFlow
    from workflows.principal_selection.models import Candidate, SelectionCase

    secretary = world.users["secretary"]
    case = SelectionCase.objects.create(
        flow_class=PrincipalSelectionFlow, post=PostFactory(organization=school, name="校长"), officer=None
    )
    Candidate.objects.create(case=case, person=secretary.profile.person)
    own = stored(K.RECOMMENDATION_TALLY, organization=school, process_ref=f"principal_selection:{case.pk}")
    notice = stored(K.PUBLIC_NOTICE, organization=school, process_ref=f"principal_selection:{case.pk}")
    visible = set(documents_visible_to(secretary).values_list("pk", flat=True))
    assert own.pk not in visible and notice.pk in visible
    assert world.docs[K.RECOMMENDATION_TALLY].pk in visible  # principal_selection:9001 is not their case
    assert own.pk in set(documents_visible_to(world.users["officer"]).values_list("pk", flat=True))


def test_a_registrant_of_a_competition_is_a_party_from_registration_on(school, world):
    from workflows.competition.flows import CompetitionFlow
    from workflows.competition.models import Competition, Registration

    secretary = world.users["secretary"]
    competition = Competition.objects.create(flow_class=CompetitionFlow, organization=school, title="中层竞聘")
    Registration.objects.create(
        competition=competition, post=PostFactory(organization=school, name="教务主任"), person=secretary.profile.person
    )
    ref = f"competition:{competition.pk}"
    ranking = stored(K.COMPETITION_RANKING, organization=school, process_ref=ref)
    qualification = stored(K.COMPETITION_QUALIFICATION, organization=school, process_ref=ref)
    visible = set(documents_visible_to(secretary).values_list("pk", flat=True))
    assert ranking.pk not in visible and qualification.pk in visible


def test_a_generator_reads_what_they_generated_but_not_if_they_are_a_party(school, world):
    secretary = world.users["secretary"]
    vote = stored(K.VOTE_SHEET, organization=school, process_ref="competition:7", created_by=secretary)
    assert documents_visible_to(secretary).filter(pk=vote.pk).exists()
    stored(
        K.COMPETITION_SCORE_SHEET, organization=school, subject=secretary.profile.person, process_ref="competition:7"
    )
    assert not documents_visible_to(secretary).filter(pk=vote.pk).exists()


def test_an_appointee_reads_the_appointment_notice_of_another_schools_post(bureau, other_school, world):
    """Addressed kinds reach the parties of the case even outside their scope."""
    teacher = world.users["candidate"]
    ref = "principal_selection:55"
    stored(K.INSPECTION_REPORT, organization=other_school, subject=world.candidate, process_ref=ref)
    notice = stored(K.APPOINTMENT_NOTICE, organization=other_school, process_ref=ref)
    tally = stored(K.RECOMMENDATION_TALLY, organization=other_school, process_ref=ref)
    visible = set(documents_visible_to(teacher).values_list("pk", flat=True))
    assert notice.pk in visible and tally.pk not in visible
    assert notice.pk not in set(documents_visible_to(world.users["teacher"]).values_list("pk", flat=True))


def test_the_visibility_is_one_query(world, django_assert_max_num_queries):
    user = world.users["secretary"]
    user._cadreflow_roles = {Role.SCHOOL_SECRETARY}  # roles are read once per request, like the middleware's user
    with django_assert_max_num_queries(2):  # the profile, then the documents (scope and parties as subqueries)
        list(documents_visible_to(user))


def test_anonymous_and_superusers(world):
    from django.contrib.auth.models import AnonymousUser

    assert not documents_visible_to(AnonymousUser()).exists()
    admin = UserFactory(is_superuser=True)
    assert documents_visible_to(admin).count() == len(world.docs)


def test_a_dated_public_notice_of_another_school_stays_out_of_scope(other_school, world):
    notice = stored(K.PUBLIC_NOTICE, organization=other_school, process_ref="principal_selection:9")
    assert not documents_visible_to(world.users["teacher"]).filter(pk=notice.pk).exists()
    assert documents_visible_to(world.users["other_secretary"]).filter(pk=notice.pk).exists()
