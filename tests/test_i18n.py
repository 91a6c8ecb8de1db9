"""English through Django i18n: the language switcher turns the pages English; the catalogue is complete.

Source strings are Chinese (LANGUAGE_CODE zh-hans); locale/en translates them. The .po checks read the file with
a small parser of their own, so they do not trust the one in scripts/update_translations.py.
"""

from __future__ import annotations

import gettext
import re
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.utils import translation

from cadres import choices as c
from cadres.roles import Role
from dossiers.kinds import DossierKind
from dossiers.services import dossier_generate
from tests.factories import (
    EducationFactory,
    FamilyMemberFactory,
    PersonFactory,
    PostFactory,
    ResumeEntryFactory,
    TenureFactory,
    UserFactory,
)

LOCALE = Path(settings.BASE_DIR) / "locale"
EN_PO = LOCALE / "en" / "LC_MESSAGES" / "django.po"
EN_MO = LOCALE / "en" / "LC_MESSAGES" / "django.mo"


# --- pages -----------------------------------------------------------------------------------------------


@pytest.fixture
def person(school):
    """Someone with enough of a record for every section of the detail page to print."""
    someone = PersonFactory(name="王晓明", organization=school, sex=c.Sex.MALE)
    EducationFactory(person=someone)
    ResumeEntryFactory(person=someone)
    FamilyMemberFactory(person=someone)
    TenureFactory(person=someone, post=PostFactory(organization=school))
    return someone


@pytest.fixture
def officer_user(bureau):
    return UserFactory(username="i18n-officer", roles=[Role.PERSONNEL_OFFICER], organization=bureau)


@pytest.fixture
def document(officer_user, person, django_capture_on_commit_callbacks):
    """A rendered dossier version; WeasyPrint is stood in for, the page is what is tested."""
    with (
        mock.patch("dossiers.rendering.render_pdf", return_value=(b"%PDF-1.7 i18n", 2)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        doc = dossier_generate(
            kind=DossierKind.APPOINTMENT_FORM,
            content={},
            acting_user=officer_user,
            organization=person.organization,
            subject=person,
            title="干部任免审批表",
        )
    doc.refresh_from_db()
    return doc


def switch_to(client, language: str) -> None:
    response = client.post("/i18n/setlang/", {"language": language, "next": "/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == language


def page_text(client, url: str) -> str:
    response = client.get(url, follow=True)
    assert response.status_code == 200, url
    return response.content.decode()


# url → (English that must show, Chinese labels that must be gone in English and show in Chinese)
PAGES = {
    "home": ("/", ["My dashboard", "To do", "Alerts", "Cadre registry"], ["我的工作台", "待办事项", "提醒"]),
    "people": (
        "/registry/people/",
        ["People", "Filter", "Export roster", "Current post"],
        ["人员名册", "筛选", "导出花名册"],
    ),
    "person": (
        "/registry/people/{person}/",
        ["Basic information", "Résumé", "Family members and important social relations", "Not restricted"],
        ["基本情况", "家庭主要成员及重要社会关系", "不受限"],
    ),
    "dossier": (
        "/dossiers/documents/{document}/",
        ["Verification code", "All versions", "Download PDF", "Generated. This version cannot be changed"],
        ["验证码", "全部版本", "下载PDF"],
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", PAGES)
def test_a_page_is_english_after_choosing_english_in_the_switcher(client, officer_user, person, document, name):
    url, english, chinese = PAGES[name]
    client.force_login(officer_user)
    switch_to(client, "en")
    html = page_text(client, url.format(person=person.pk, document=document.pk))
    assert '<html lang="en"' in html
    for words in english:
        assert words in html, words
    for label in chinese:
        assert label not in html, label


@pytest.mark.django_db
@pytest.mark.parametrize("name", PAGES)
def test_the_same_page_is_chinese_by_default_and_after_switching_back(client, officer_user, person, document, name):
    url, english, chinese = PAGES[name]
    client.force_login(officer_user)
    url = url.format(person=person.pk, document=document.pk)
    html = page_text(client, url)
    assert '<html lang="zh-hans"' in html
    for label in chinese:
        assert label in html, label
    switch_to(client, "en")
    switch_to(client, "zh-hans")
    html = page_text(client, url)
    for label in chinese:
        assert label in html, label
    assert english[0] not in html


@pytest.mark.django_db
def test_the_login_page_follows_the_switcher_before_anyone_logs_in(client):
    assert "区委教育工委" in page_text(client, "/accounts/login/")
    switch_to(client, "en")
    html = page_text(client, "/accounts/login/")
    assert "District Education Party Committee" in html
    assert "Personnel Office" in html
    assert "区委教育工委" not in html
    assert "组织人事科" not in html


@pytest.mark.django_db
def test_viewflow_menu_heading_keeps_its_chinese_override_and_is_english_in_english(client, officer_user):
    client.force_login(officer_user)
    assert "功能导航" in page_text(client, "/")
    switch_to(client, "en")
    html = page_text(client, "/")
    assert "Applications" in html
    assert "功能导航" not in html


def test_plural_forms_follow_the_count_in_english():
    with translation.override("en"):
        assert translation.ngettext("共 %(n)s 人", "共 %(n)s 人", 1) % {"n": 1} == "1 person"
        assert translation.ngettext("共 %(n)s 人", "共 %(n)s 人", 3) % {"n": 3} == "3 people"
    with translation.override("zh-hans"):
        assert translation.ngettext("共 %(n)s 人", "共 %(n)s 人", 3) % {"n": 3} == "共 3 人"


# --- the catalogue ---------------------------------------------------------------------------------------

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


def _po_string(line: str) -> str:
    body = line.strip()
    assert body.startswith('"') and body.endswith('"'), line
    return re.sub(r"\\(.)", lambda m: _ESCAPES[m.group(1)], body[1:-1])


def read_po(path: Path) -> list[dict]:
    """Entries as dicts: msgid, msgid_plural (or None), msgstr (list), flags (set)."""
    entries = []
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8").strip()):
        entry = {"msgid": None, "msgid_plural": None, "msgstr": {}, "flags": set(), "obsolete": False}
        field = None
        for line in block.splitlines():
            if line.startswith("#~"):
                entry["obsolete"] = True
            elif line.startswith("#,"):
                entry["flags"] |= {f.strip() for f in line[2:].split(",")}
            elif line.startswith("#"):
                continue
            elif line.startswith(("msgid ", "msgid_plural ", "msgctxt ")):
                key, rest = line.split(" ", 1)
                field = (key, None)
                entry[key] = _po_string(rest)
            elif line.startswith("msgstr"):
                key, rest = line.split(" ", 1)
                index = int(key[7:-1]) if key.startswith("msgstr[") else 0
                field = ("msgstr", index)
                entry["msgstr"][index] = _po_string(rest)
            elif line.startswith('"'):
                key, index = field
                if key == "msgstr":
                    entry["msgstr"][index] += _po_string(line)
                else:
                    entry[key] += _po_string(line)
        if entry["msgid"] and not entry["obsolete"]:
            entry["msgstr"] = [entry["msgstr"][i] for i in sorted(entry["msgstr"])]
            entries.append(entry)
    return entries


PLACEHOLDER = re.compile(r"%%|%\([^)]+\)[-#0 +]*\d*(?:\.\d+)?[a-z]|\{\{[^}]*\}\}|\{\w*\}")


def placeholders(text: str) -> list[str]:
    return sorted(re.sub(r"\s+", "", p) for p in PLACEHOLDER.findall(text))


@pytest.fixture(scope="module")
def english():
    return read_po(EN_PO)


def test_the_english_catalogue_has_many_entries_and_each_has_a_translation(english):
    assert len(english) > 1500
    empty = [e["msgid"] for e in english if not all(e["msgstr"])]
    assert empty == []


def test_no_english_entry_is_fuzzy(english):
    assert [e["msgid"] for e in english if "fuzzy" in e["flags"]] == []


def test_plural_entries_have_both_english_forms(english):
    plurals = [e for e in english if e["msgid_plural"] is not None]
    assert plurals
    for e in plurals:
        assert len(e["msgstr"]) == 2, e["msgid"]


def test_every_translation_keeps_exactly_the_placeholders_of_its_source(english):
    wrong = []
    for e in english:
        sources = [e["msgid"]] if e["msgid_plural"] is None else [e["msgid"], e["msgid_plural"]]
        for i, text in enumerate(e["msgstr"]):
            if placeholders(text) != placeholders(sources[min(i, len(sources) - 1)]):
                wrong.append((e["msgid"], text))
    assert wrong == []


def test_translations_keep_the_line_breaks_at_the_edges_of_their_source(english):
    def edges(s: str) -> tuple[str, str]:
        return (s[: len(s) - len(s.lstrip("\n"))], s[len(s.rstrip("\n")) :])

    assert [e["msgid"] for e in english if any(edges(s) != edges(e["msgid"]) for s in e["msgstr"])] == []


def test_the_english_catalogue_contains_no_untranslated_chinese_labels(english):
    """Chinese may appear only where the English quotes it on purpose (example values, names of sheets)."""
    han = re.compile(r"[\u4e00-\u9fff]")
    allowed = {"男", "女", "示教工委〔2026〕12号", "示教人〔2026〕8号", "汉族", "花名册", "序号", "备注", "身份证号"}
    leaks = [s for e in english for s in e["msgstr"] if han.search(s) and not any(a in s for a in allowed)]
    assert leaks == []


def test_the_committed_mo_files_match_their_po_files(english):
    """The .mo is committed for machines without gettext: it must not lag behind the .po."""
    with EN_MO.open("rb") as fh:
        mo = gettext.GNUTranslations(fh)
    stale = []
    for e in english:
        if e["msgid_plural"] is None:
            got = [mo.gettext(e["msgid"])]
        else:
            got = [mo.ngettext(e["msgid"], e["msgid_plural"], n) for n in (1, 2)]
        if got != e["msgstr"]:
            stale.append(e["msgid"])
    assert stale == []
    zh = LOCALE / "zh_Hans" / "LC_MESSAGES"
    with (zh / "django.mo").open("rb") as fh:
        assert gettext.GNUTranslations(fh).gettext("Applications") == "功能导航"
