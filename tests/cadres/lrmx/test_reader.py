"""Reading .lrmx bytes: the sample file field by field, the variants real files use, and every refusal."""

import base64
import datetime as dt

import pytest

from cadres.lrmx import schema
from cadres.lrmx.reader import LrmxError, LrmxPerson, read_lrmx

from .samples import (
    APPRAISALS,
    ID_NUMBER,
    REWARDS,
    build_xml,
    jpeg_bytes,
    png_bomb,
    png_bytes,
    png_damaged_body,
    sample_file,
    sample_values,
)


def refusal(data: bytes) -> LrmxError:
    with pytest.raises(LrmxError) as info:
        read_lrmx(data)
    return info.value


def test_the_sample_file_reads_every_element():
    person = read_lrmx(sample_file())
    assert (person.name, person.sex, person.birth_month) == ("王建国", "M", dt.date(1975, 3, 1))
    assert person.party_join == "199806"
    assert person.work_start_month == dt.date(1997, 8, 1)
    assert person.full_time_level_school == "南京师范大学数学与应用数学专业"
    assert person.in_service_level == "硕士研究生"
    assert person.resume.splitlines()[3].startswith("（其间：2012.09--2015.07 ")
    assert person.resume.splitlines()[4] == "2016.08--         常州市武进区第一实验小学副校长"
    assert person.rewards == REWARDS.replace("\r\n", "\n")
    assert person.appraisals == APPRAISALS
    assert [m.relation for m in person.family] == ["妻子", "儿子", "父亲", "母亲", "哥哥"]
    assert person.family[0].birth_month == dt.date(1977, 5, 1)
    assert person.age_reference_date == dt.date(2025, 6, 1)
    assert person.id_number == ID_NUMBER
    assert person.photo == jpeg_bytes()
    assert person.version == "3.2.1.16"


def test_the_dataclass_has_one_field_per_schema_element():
    from dataclasses import fields

    assert [f.name for f in fields(LrmxPerson)] == [e.field for e in schema.PERSON_ELEMENTS]


def test_element_order_and_unknown_elements_do_not_matter():
    values = sample_values()
    shuffled = dict(reversed(list(values.items())))
    xml = build_xml(shuffled).replace("<Version>", "<DaoLingNianYue>203503</DaoLingNianYue><Version>")
    assert read_lrmx(xml.encode()) == read_lrmx(sample_file())


def test_dotted_months_and_whitespace_from_pretty_printed_templates_are_read():
    person = read_lrmx(sample_file(ChuShengNianYue="\n   1975.03\n  ", CanJiaGongZuoShiJian="1997-08"))
    assert person.birth_month == dt.date(1975, 3, 1)
    assert person.work_start_month == dt.date(1997, 8, 1)


def test_a_png_photo_and_a_utf8_bom_are_accepted():
    data = b"\xef\xbb\xbf" + sample_file(values=sample_values(photo=png_bytes()))
    assert read_lrmx(data).photo == png_bytes()


def test_a_gb18030_declared_file_is_decoded():
    data = build_xml(encoding="GB18030").encode("gb18030")
    assert read_lrmx(data).registry_fields() == read_lrmx(sample_file()).registry_fields()


# ------------------------------------------------------------------------------------------ refusals


def test_malformed_xml_is_refused_with_its_position():
    error = refusal(sample_file().replace(b"</XingMing>", b"</XingMingX>"))
    assert error.code == "malformed"
    assert "不是格式正确的 XML" in str(error) and "第 3 行" in str(error)


def test_a_file_that_is_not_xml_is_refused():
    assert "不是 XML 格式" in str(refusal(b"\x89PNG\r\n\x1a\nnot an lrmx"))
    assert refusal(b"   ").code == "not_xml"


def test_a_root_other_than_person_is_refused():
    error = refusal(build_xml(root="Cadre").encode())
    assert error.code == "root"
    assert "根元素应为 <Person>" in str(error) and "<Cadre>" in str(error)


@pytest.mark.parametrize(
    "prolog",
    [
        '<!DOCTYPE Person [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>',
        '<!DOCTYPE Person SYSTEM "file:///etc/passwd">',
    ],
)
def test_doctype_and_entity_declarations_are_refused_before_parsing(prolog):
    xml = build_xml(prolog=prolog, XingMing="&lol2;" if "lol2" in prolog else "王建国")
    error = refusal(xml.encode())
    assert error.code == "doctype"
    assert "DOCTYPE 或实体（ENTITY）声明" in str(error)


def test_an_undeclared_entity_is_a_parse_error_not_an_expansion():
    assert refusal(sample_file(XingMing="&xxe;")).code == "malformed"


def test_a_gbk_body_declared_utf8_is_refused():
    data = build_xml().encode("gbk")
    error = refusal(data)
    assert error.code == "encoding"
    assert "文件声明为 UTF-8 编码，但自第" in str(error) and "GBK" in str(error)


def test_a_utf8_body_declared_gbk_is_refused():
    error = refusal(build_xml(encoding="GBK").encode("utf-8"))
    assert error.code == "encoding"
    assert "声明与内容不一致" in str(error)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (build_xml(encoding="UTF-16").encode("utf-16"), "UTF-16"),
        (build_xml(encoding="ISO-8859-1").encode("utf-8"), "不支持的编码“ISO-8859-1”"),
    ],
)
def test_other_encodings_are_refused(data, expected):
    error = refusal(data)
    assert error.code == "encoding"
    assert expected in str(error)


def test_missing_required_elements_are_named():
    error = refusal(sample_file(XingMing=None, ChuShengNianYue=" "))
    assert error.code == "missing"
    assert str(error) == "缺少必填项：姓名、出生年月。"


def test_an_impossible_month_is_refused():
    error = refusal(sample_file(ChuShengNianYue="2019-13"))
    assert error.code == "invalid"
    assert error.messages == ["出生年月“2019-13”不是有效的年月，应写作 YYYYMM（如 197503）。"]


def test_every_bad_value_is_reported_at_once():
    data = build_xml(
        family=[("妻子", "李梅", "1977", "中共党员", "")], XingBie="未知", RuDangShiJian="1998-00", ZhaoPian="@@@"
    ).encode()
    messages = refusal(data).messages
    assert messages == [
        "性别“未知”无法识别，应为“男”或“女”。",
        "入党时间“1998-00”不是有效的年月，应写作 YYYYMM（如 197503）。",
        "家庭成员第 1 行（李梅）出生日期“1977”不是有效的年月，应写作 YYYYMM（如 197503）。",
        "照片不是有效的 Base64 编码。",
    ]


def test_a_20_mb_photo_is_refused_before_it_is_decoded():
    huge = "A" * (20 * 1024 * 1024 * 4 // 3)
    error = refusal(sample_file(ZhaoPian=huge))
    assert error.code == "photo_too_large"
    assert str(error) == "照片过大：约 20.0 MB，照片不得超过 2 MB。"


def test_a_photo_just_over_the_limit_inside_a_small_enough_file_is_refused():
    over = base64.b64encode(b"\xff\xd8\xff" + b"\0" * (schema.MAX_PHOTO_BYTES + 10)).decode()
    assert len(over) + 20_000 < schema.MAX_FILE_BYTES
    assert refusal(sample_file(ZhaoPian=over)).messages == ["照片过大：约 2.0 MB，照片不得超过 2 MB。"]


def test_a_file_too_large_for_other_reasons_is_refused():
    error = refusal(sample_file(RenMianLiYou="理由" * (schema.MAX_FILE_BYTES // 3)))
    assert error.code == "file_too_large"
    assert "文件过大" in str(error)


@pytest.mark.parametrize(
    ("photo", "message"),
    [
        (base64.b64encode(b"GIF89a not a jpeg").decode(), "照片须为 JPEG 或 PNG 图片。"),
        (base64.b64encode(b"%PDF-1.7").decode(), "照片须为 JPEG 或 PNG 图片。"),
        (base64.b64encode(jpeg_bytes()[:40]).decode(), "照片已损坏，无法读取。"),
    ],
)
def test_a_photo_that_is_not_a_readable_jpeg_or_png_is_refused(photo, message):
    assert refusal(sample_file(ZhaoPian=photo)).messages == [message]


def test_more_family_rows_than_any_form_has_are_refused():
    rows = [("儿子", f"子{i}", "200001", "", "") for i in range(schema.MAX_FAMILY_ITEMS + 1)]
    assert refusal(build_xml(family=rows).encode()).messages == ["家庭成员超过 50 行。"]


def test_markup_that_only_mentions_a_doctype_in_a_comment_is_read():
    data = build_xml(prolog="<!-- exported by a tool that writes <!DOCTYPE> in its notes -->").encode()
    assert read_lrmx(data).name == "王建国"


def test_a_png_whose_pixel_data_stops_half_way_is_refused():
    assert refusal(sample_file(ZhaoPian=base64.b64encode(png_damaged_body()).decode())).messages == [
        "照片已损坏，无法读取。"
    ]


def test_a_photo_over_the_pixel_cap_is_refused_before_it_is_decoded():
    error = refusal(sample_file(ZhaoPian=base64.b64encode(png_bomb()).decode()))
    assert error.messages == ["照片尺寸过大（5000×4000 像素），不得超过 1600 万像素。"]
    assert 5000 * 4000 > schema.MAX_PHOTO_PIXELS


def test_a_zip_or_office_file_is_named_as_such():
    error = refusal(b"PK\x03\x04" + b"\0" * 200)
    assert error.code == "not_xml"
    assert "压缩包或 Office 文档" in str(error)
