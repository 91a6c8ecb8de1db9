"""The writing conventions of regulations.md §6.4: each written form reads back, and common variants read too."""

import datetime as dt

import pytest

from cadres import choices as c
from cadres.lrmx import texts

D = dt.date


def test_resume_lines_with_an_open_end_and_a_during_line():
    text = "\n".join(
        [
            "1997.08--2010.07  某小学教师",
            "（其间：2005.09--2008.07 在某大学数学专业在职学习；2009.01--2009.06 挂职某中学）",
            "2010.08--         某小学副校长",
        ]
    )
    lines, warnings = texts.parse_resume(text)
    assert warnings == []
    assert [(x.start, x.end, x.text) for x in lines] == [
        (D(1997, 8, 1), D(2010, 7, 1), "某小学教师"),
        (D(2010, 8, 1), None, "某小学副校长"),
    ]
    assert [(x.start, x.end, x.text) for x in lines[0].during] == [
        (D(2005, 9, 1), D(2008, 7, 1), "在某大学数学专业在职学习"),
        (D(2009, 1, 1), D(2009, 6, 1), "挂职某中学"),
    ]


def test_resume_variants_owip_dashes_inline_during_and_continuations():
    text = "\n".join(
        [
            "1990.09—1994.07 某师范学院学习",
            "1994.08～2001.07  某中学教师（其间：1996.09--1999.07 在职学习）",
            "    兼团委书记",
            "2001.08－至今 某中学校长",
        ]
    )
    lines, warnings = texts.parse_resume(text)
    assert warnings == []
    assert [(x.start, x.end, x.text) for x in lines] == [
        (D(1990, 9, 1), D(1994, 7, 1), "某师范学院学习"),
        (D(1994, 8, 1), D(2001, 7, 1), "某中学教师"),
        (D(2001, 8, 1), None, "某中学校长"),
    ]
    assert [(x.text, x.start) for x in lines[1].during] == [("在职学习兼团委书记", D(1996, 9, 1))]


def test_a_during_part_without_dates_takes_its_main_line_period_with_a_warning():
    lines, warnings = texts.parse_resume("2001.08--2005.07  某中学教师\n（其间：兼任教研组长）")
    assert (lines[0].during[0].start, lines[0].during[0].end) == (D(2001, 8, 1), D(2005, 7, 1))
    assert warnings == ["其间经历“兼任教研组长”未注明起止时间，按所属条目的时间导入。"]


def test_an_impossible_resume_month_is_an_error():
    with pytest.raises(texts.ResumeError, match=r"年月 2001\.13 无效"):
        texts.parse_resume("2001.13--2005.07  某中学教师")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2022年、2023年、2024年年度考核均为合格", {2022: "competent", 2023: "competent", 2024: "competent"}),
        ("2023年度考核为优秀，2024年、2025年年度考核为合格", {2023: "excellent", 2024: "competent", 2025: "competent"}),
        ("2019年：合格；2020年：优秀；2021年：基本合格", {2019: "competent", 2020: "excellent", 2021: "basic"}),
        ("2019—2021年年度考核均为称职", {2019: "competent", 2020: "competent", 2021: "competent"}),
        ("２０２４年度考核不合格。", {2024: "incompetent"}),
        ("无", {}),
    ],
)
def test_appraisal_sentences(text, expected):
    assert texts.parse_appraisals(text) == (expected, [])


def test_an_unreadable_appraisal_sentence_gives_a_warning_and_nothing():
    assert texts.parse_appraisals("近三年考核情况良好") == ({}, ["年度考核结果“近三年考核情况良好”无法解析，未导入。"])


@pytest.mark.parametrize(
    "records",
    [
        [(2024, "competent")],
        [(2022, "competent"), (2023, "competent"), (2024, "competent")],
        [(2022, "excellent"), (2023, "competent"), (2024, "excellent")],
        [(2022, "basic"), (2023, "basic"), (2024, "unrated")],
    ],
)
def test_the_appraisal_sentence_reads_back(records):
    sentence = texts.appraisal_sentence(records)
    assert texts.parse_appraisals(sentence) == (dict(records), [])


def test_the_appraisal_sentence_follows_the_form():
    assert texts.appraisal_sentence([(2024, "competent"), (2022, "competent"), (2023, "competent")]) == (
        "2022年、2023年、2024年年度考核均为合格"
    )
    assert texts.appraisal_sentence([(2025, "competent")]) == "2025年度考核为合格"


def test_rewards_read_back_and_none_clears():
    line = texts.reward_line(D(2019, 12, 1), "常州市教育局", "记三等功")
    assert line == "2019年12月，经常州市教育局批准，记三等功。"
    lines, warnings = texts.parse_rewards(line + "\n2021年3月被评为优秀班主任；2022年05月，受到警告处分")
    assert warnings == []
    assert [(x.date, x.approver, x.description, x.kind) for x in lines] == [
        (D(2019, 12, 1), "常州市教育局", "记三等功", c.RewardKind.REWARD),
        (D(2021, 3, 1), "", "被评为优秀班主任", c.RewardKind.REWARD),
        (D(2022, 5, 1), "", "受到警告处分", c.RewardKind.PUNISHMENT),
    ]
    assert texts.parse_rewards("无") == ([], [])
    assert texts.parse_rewards("(无)") == ([], [])
    assert texts.parse_rewards("") == (None, [])
    assert texts.parse_rewards("多次获得表彰")[1] == ["奖惩情况“多次获得表彰”没有年月，未导入。"]


@pytest.mark.parametrize(
    ("level", "degree", "expected"),
    [
        ("大学本科", "学士", ("bachelor", "bachelor")),
        ("大学", "工学学士", ("bachelor", "bachelor")),
        ("研究生", "教育学硕士", ("master", "master")),
        ("研究生", "博士", ("doctor", "doctor")),
        ("博士研究生", "", ("doctor", "")),
        ("大学专科", "无", ("junior_college", "")),
        ("中专", "", ("secondary_vocational", "")),
    ],
)
def test_education_labels(level, degree, expected):
    code = texts.parse_degree(degree)
    assert (texts.parse_level(level, code), code) == expected


def test_school_text_splits_back_into_institution_and_major():
    assert texts.school_text("山东师范大学", "数学与应用数学") == "山东师范大学数学与应用数学专业"
    assert texts.split_school("山东师范大学数学与应用数学专业") == ("山东师范大学", "数学与应用数学")
    assert texts.split_school("南京师范大学数学系数学教育专业") == ("南京师范大学", "数学系数学教育")
    assert texts.split_school("江苏教育学院") == ("江苏教育学院", "")
    assert texts.split_school("中共中央党校") == ("中共中央党校", "")


@pytest.mark.parametrize(
    ("relation", "sex", "member_birth", "label"),
    [
        (c.Relation.SPOUSE, "M", None, "妻子"),
        (c.Relation.SPOUSE, "F", None, "丈夫"),
        (c.Relation.FATHER_IN_LAW, "F", None, "公公"),
        (c.Relation.MOTHER_IN_LAW, "M", None, "岳母"),
        (c.Relation.BROTHER, "M", D(1970, 1, 1), "哥哥"),
        (c.Relation.SISTER, "M", D(1980, 1, 1), "妹妹"),
        (c.Relation.BROTHER, "M", None, "兄弟"),
        (c.Relation.GRANDPARENT, "M", None, "祖父母/外祖父母"),
    ],
)
def test_relation_labels_follow_the_form_and_read_back(relation, sex, member_birth, label):
    written = texts.relation_label(relation, sex=sex, birth=D(1975, 3, 1), member_birth=member_birth)
    assert written == label
    assert texts.parse_relation(written) == relation


def test_every_registry_relation_label_reads_back():
    for relation in c.Relation:
        assert texts.parse_relation(str(relation.label)) == relation


@pytest.mark.parametrize(
    ("status", "joined", "text"),
    [
        (c.PoliticalStatus.CPC_MEMBER, D(1998, 6, 1), "199806"),
        (c.PoliticalStatus.CPC_PROBATIONARY, D(2025, 7, 1), "202507（预备党员）"),
        (c.PoliticalStatus.DEMOCRATIC_PARTY, D(2001, 5, 1), "200105；民主党派"),
        (c.PoliticalStatus.DEMOCRATIC_PARTY, None, "民主党派"),
        (c.PoliticalStatus.CYL_MEMBER, None, "共青团员"),
        (c.PoliticalStatus.NON_PARTISAN, None, "无党派人士"),
        (c.PoliticalStatus.MASSES, None, "群众"),
    ],
)
def test_party_join_text_reads_back(status, joined, text):
    from cadres.lrmx.reader import split_party

    assert texts.party_join_text(status, joined) == text
    month, note = split_party(text)
    assert (texts.party_from(month, note), month) == (status, joined)


def test_democratic_party_names_are_recognised():
    assert texts.parse_political_status("九三学社社员") == c.PoliticalStatus.DEMOCRATIC_PARTY
    assert texts.parse_political_status("中国民主同盟盟员") == c.PoliticalStatus.DEMOCRATIC_PARTY
    assert texts.parse_political_status("已故") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("高级教师", ("senior", None)),
        ("中学高级教师", ("senior", None)),
        ("一级教师（2012.12）", ("first", D(2012, 12, 1))),
        ("正高级教师 2020年12月取得", ("professor", D(2020, 12, 1))),
        ("小学高级教师", (None, None)),
        ("讲师", (None, None)),
    ],
)
def test_professional_titles(text, expected):
    assert texts.parse_title(text) == expected


def test_a_resume_of_hundreds_of_lines_is_refused():
    text = "\n".join(
        f"{1900 + i // 12}.{i % 12 + 1:02d}--{1900 + i // 12}.{i % 12 + 1:02d}  某单位" for i in range(201)
    )
    with pytest.raises(texts.ResumeError, match="简历超过 200 条"):
        texts.parse_resume(text)


@pytest.mark.parametrize(
    ("institution", "major", "written"),
    [
        ("北京师范大学珠海分校", "英语", "北京师范大学珠海分校 英语专业"),
        ("华东师大", "学前教育", "华东师大 学前教育专业"),
        ("南京师范大学", "文学院汉语言文学", "南京师范大学文学院汉语言文学专业"),
    ],
)
def test_a_school_the_plain_text_would_cut_wrongly_is_written_with_a_space(institution, major, written):
    assert texts.school_text(institution, major) == written
    assert texts.split_school(written) == (institution, major)
