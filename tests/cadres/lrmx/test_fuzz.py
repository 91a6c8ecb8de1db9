"""A seeded, bounded fuzz of the LRMX upload page: never a 500, always a Chinese refusal or an import.

About sixty variants of a valid file go through the page as an officer would send them (the Django test
client): truncations, byte flips, entity bombs and external entities, huge fields, impossible dates, bad
ID numbers, broken and oversized photos (a decompression-bomb PNG among them), empty files and a wrong
root. Each answer is 200 (imported) or 400 (413 when too large) with Chinese messages on the file field;
after a refusal the registry — the person, every row an import writes, the import's audit events and the
stored files — is exactly as before. The file describes a person already registered, so a refusal
half-way through an update would show. There is no LRMX endpoint in the REST API: the page is the way in.
"""

from __future__ import annotations

import base64
import datetime as dt
import random
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from audit.models import AuditEvent
from cadres import choices as c
from cadres.idcard import make_id_number
from cadres.lrmx import schema
from cadres.models import (
    AnnualAppraisal,
    Education,
    FamilyMember,
    Person,
    ResumeEntry,
    RewardPunishment,
    TitleHistory,
)
from tests.factories import EducationFactory, FamilyMemberFactory, PersonFactory, ResumeEntryFactory

from .samples import (
    ID_NUMBER,
    build_xml,
    jpeg_bytes,
    jpeg_huge_header,
    png_bomb,
    png_damaged_body,
    png_header_bomb,
    sample_file,
    sample_values,
)

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.cadres.lrmx.urls")]

UPLOAD = "/registry/lrmx/"
SEED = 20261207
_CJK = re.compile(r"[\u4e00-\u9fff]")
_TABLES = (Person, Education, ResumeEntry, FamilyMember, RewardPunishment, AnnualAppraisal, TitleHistory)


# ----------------------------------------------------------------------------------------- images


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


# --------------------------------------------------------------------------------------- variants


def _variants() -> list[tuple[str, bytes]]:
    rng = random.Random(SEED)
    base = sample_file()
    out: list[tuple[str, bytes]] = [("valid", base)]

    for n in range(8):
        cut = rng.randrange(1, len(base) - 1)
        out.append((f"truncated-{n}-at-{cut}", base[:cut]))
    for n in range(10):
        # Half the flips stay in the ASCII markup and digits (tags, dates, the ID number), half are any byte.
        data = bytearray(base)
        for _i in range(rng.randint(1, 6)):
            data[rng.randrange(len(data))] = rng.choice(b'<>/&;="0123456789X ') if n % 2 else rng.randrange(256)
        out.append((f"byte-flips-{n}", bytes(data)))

    lol = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">' for i in range(1, 10)
    )
    out += [
        ("billion-laughs", build_xml(prolog=f"<!DOCTYPE Person [{lol}]>", XingMing="&lol9;").encode()),
        (
            "quadratic-blowup",
            build_xml(prolog=f'<!DOCTYPE Person [<!ENTITY a "{"x" * 50_000}">]>', JianLi="&a;" * 60).encode(),
        ),
        (
            "external-entity",
            build_xml(
                prolog='<!DOCTYPE Person [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', XingMing="&xxe;"
            ).encode(),
        ),
        ("external-dtd", build_xml(prolog='<!DOCTYPE Person SYSTEM "http://127.0.0.1:9/evil.dtd">').encode()),
        (
            "parameter-entity",
            build_xml(prolog='<!DOCTYPE Person [<!ENTITY % p SYSTEM "file:///etc/hostname"> %p;]>').encode(),
        ),
        ("undeclared-entity", sample_file(XingMing="&xxe;")),
        ("forbidden-char-reference", sample_file(XingMing="王&#x1;建国")),
        ("nul-char-reference", sample_file(ShuXiZhuanYeYouHeZhuanChang="&#0;")),
    ]

    deep = "<a>" * 5000 + "x" + "</a>" * 5000
    out += [
        ("huge-name", sample_file(XingMing="王" * 5000)),
        ("huge-specialty", sample_file(ShuXiZhuanYeYouHeZhuanChang="数学" * 20_000)),
        ("huge-resume-line", sample_file(JianLi="2001.09--2005.07  " + "某" * 500)),
        (
            "many-resume-lines",
            sample_file(JianLi="\r\n".join(f"{1950 + i // 12}.{i % 12 + 1:02d}--  某校教师" for i in range(400))),
        ),
        ("huge-school", sample_file(QuanRiZhiJiaoYu_XueLi_BiYeYuanXiaoXi="南京师范大学" + "数学" * 300)),
        ("huge-reward", sample_file(JiangChengQingKuang="2015年09月，经某批准，" + "嘉奖" * 500)),
        ("huge-family-unit", build_xml(family=[("妻子", "李梅", "197705", "群众", "医院" * 200)]).encode()),
        ("many-family-rows", build_xml(family=[("儿子", f"子{i}", "200001", "", "") for i in range(60)]).encode()),
        ("deeply-nested-field", sample_file(XingMing=deep)),
        ("over-the-file-cap", sample_file(RenMianLiYou="理由" * (schema.MAX_FILE_BYTES // 3))),
    ]

    out += [
        ("month-13", sample_file(ChuShengNianYue="1990.13")),
        ("month-00", sample_file(CanJiaGongZuoShiJian="199000")),
        ("year-zero", sample_file(ChuShengNianYue="000001")),
        ("year-2101", sample_file(ChuShengNianYue="210101")),
        ("words-for-a-month", sample_file(CanJiaGongZuoShiJian="参加工作")),
        ("party-month-13", sample_file(RuDangShiJian="1998.13")),
        ("family-birth-garbage", build_xml(family=[("妻子", "李梅", "19xx", "群众", "")]).encode()),
        ("age-date-feb-30", sample_file(JiSuanNianLingShiJian="20250230")),
        ("resume-month-13", sample_file(JianLi="2001.13--2005.07  某中学教师")),
        ("work-before-birth", sample_file(CanJiaGongZuoShiJian="196001")),
        ("title-month-99", sample_file(ZhuanYeJiShuZhiWu="高级教师（2012.99）")),
        ("reward-feb-31", sample_file(JiangChengQingKuang="2015年02月31日，嘉奖。")),
    ]

    out += [
        ("id-bad-check-digit", sample_file(ShenFenZheng=ID_NUMBER[:-1] + ("0" if ID_NUMBER[-1] != "0" else "1"))),
        ("id-17-digits", sample_file(ShenFenZheng=ID_NUMBER[:17])),
        ("id-letters", sample_file(ShenFenZheng="ABCDEFGHIJKLMNOPQR")),
        ("id-other-sex", sample_file(ShenFenZheng=make_id_number("320483", dt.date(1975, 3, 12), 5, "F"))),
        ("id-impossible-date", sample_file(ShenFenZheng="320483197502301234")),
        ("sex-unknown", sample_file(XingBie="未知")),
        ("missing-name", sample_file(XingMing=None)),
    ]

    ok_header = jpeg_bytes()
    out += [
        ("photo-base64-garbage", sample_file(ZhaoPian="@@@!!!***")),
        ("photo-random-bytes", sample_file(ZhaoPian=b64(bytes(rng.randrange(256) for _i in range(3000))))),
        ("photo-truncated-jpeg", sample_file(ZhaoPian=b64(ok_header[: len(ok_header) // 2]))),
        ("photo-jpeg-huge-header", sample_file(ZhaoPian=b64(jpeg_huge_header()))),
        ("photo-png-decompression-bomb", sample_file(ZhaoPian=b64(png_bomb()))),
        ("photo-png-header-bomb", sample_file(ZhaoPian=b64(png_header_bomb()))),
        ("photo-png-damaged-body", sample_file(ZhaoPian=b64(png_damaged_body()))),
        ("photo-gif", sample_file(ZhaoPian=b64(b"GIF89a" + b"\0" * 100))),
        ("photo-over-2-mb", sample_file(ZhaoPian=b64(b"\xff\xd8\xff" + b"\0" * (schema.MAX_PHOTO_BYTES + 10)))),
    ]

    out += [
        ("empty", b""),
        ("whitespace", b"  \r\n\t "),
        ("wrong-root", build_xml(root="Cadre").encode()),
        ("html", b"<html><body>not a form</body></html>"),
        ("binary", bytes(rng.randrange(256) for _i in range(2000))),
        ("zip-header", b"PK\x03\x04" + b"\0" * 200),
        ("utf16", build_xml(encoding="UTF-16").encode("utf-16")),
        ("gbk-body-declared-utf8", build_xml().encode("gbk")),
        ("utf8-body-declared-gbk", build_xml(encoding="GBK").encode("utf-8")),
        ("latin1-declared", build_xml(encoding="ISO-8859-1").encode("utf-8")),
        ("unknown-encoding", build_xml(encoding="X-NOPE").encode("utf-8")),
        ("gb18030-file", build_xml(encoding="GB18030").encode("gb18030")),
        ("no-photo", sample_file(ZhaoPian="")),
        (
            "only-required",
            build_xml(
                {
                    k: v
                    for k, v in sample_values().items()
                    if k in ("XingMing", "XingBie", "ChuShengNianYue", "CanJiaGongZuoShiJian", "ShenFenZheng")
                },
                family=[],
            ).encode(),
        ),
    ]
    return out


VARIANTS = _variants()
# Random variants may go either way; every other variant has a known outcome.
RANDOM = ("truncated-", "byte-flips-")
IMPORTED = {"valid", "huge-reward", "reward-feb-31", "title-month-99", "gb18030-file", "no-photo", "only-required"}


# ------------------------------------------------------------------------------------------ state


def registry_state() -> dict:
    state = {model.__name__: list(model.objects.order_by("pk").values()) for model in _TABLES}
    state["imports"] = AuditEvent.objects.filter(action="lrmx_import").count()
    media = Path(settings.MEDIA_ROOT)
    state["files"] = sorted(str(p) for p in media.rglob("*") if p.is_file()) if media.exists() else []
    return state


@pytest.fixture
def registered(school):
    """The file's person as already registered, with rows an update would replace."""
    person = PersonFactory(name="王建国", id_number=ID_NUMBER, birth_date=dt.date(1975, 3, 12), organization=school)
    EducationFactory(person=person, institution="南京师范大学", major="数学与应用数学")
    FamilyMemberFactory(person=person, relation=c.Relation.SPOUSE, name="李梅")
    ResumeEntryFactory(person=person, text="旧简历")
    return person


def test_the_variants_are_about_sixty_and_distinct():
    names = [name for name, _data in VARIANTS]
    assert 55 <= len(names) <= 80 and len(set(names)) == len(names)
    assert IMPORTED < set(names)


@pytest.mark.parametrize(("name", "data"), VARIANTS, ids=[name for name, _data in VARIANTS])
def test_an_upload_is_imported_or_refused_in_chinese_never_a_500(client, officer, school, registered, name, data):
    client.force_login(officer)
    before = registry_state()
    file = SimpleUploadedFile(f"{name}.lrmx", data, content_type="application/xml")
    response = client.post(UPLOAD, {"file": file, "organization": school.pk})

    assert response.status_code in (200, 400, 413), name
    if not name.startswith(RANDOM):
        assert (response.status_code == 200) == (name in IMPORTED), name
    if response.status_code == 200:
        assert response.context["report"] is not None
        assert Person.objects.filter(id_number=ID_NUMBER).get().pk == registered.pk
        return
    errors = response.context["form"].errors.get("file", [])
    assert errors, name
    assert all(_CJK.search(message) for message in errors), errors
    assert registry_state() == before, name


def test_a_photo_that_cannot_be_stored_leaves_nothing_written(client, officer, school, registered, monkeypatch):
    """The photo is the import's last write; when the storage fails, the rows written before it roll back."""
    from django.core.files.storage import FileSystemStorage

    def broken(self, name, content):
        raise OSError("disk full")

    monkeypatch.setattr(FileSystemStorage, "_save", broken)
    client.force_login(officer)
    before = registry_state()
    file = SimpleUploadedFile("p.lrmx", sample_file(), content_type="application/xml")
    response = client.post(UPLOAD, {"file": file, "organization": school.pk})
    assert response.status_code == 400
    assert response.context["form"].errors["file"] == ["照片无法保存，未导入任何数据；请稍后重试或联系系统管理员。"]
    assert registry_state() == before
