"""Print templates of the dossier kinds: each sample rendered to PDF and read back with pdfplumber.

Checks key fields, the page footer (page n of N and the verification code), that no glyph is missing (every
CJK character the template emitted is in the PDF text), the title face, page orientation, and that a long
ranking table never cuts a row between two pages. Rendering is the slow part (~0.3–1 s a document): every
sample is rendered once per module.
"""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser

import pdfplumber
import pytest
from django.core.management import call_command
from django.template.loader import render_to_string

from dossiers.content import samples
from dossiers.content.competition_ranking import build_competition_ranking
from dossiers.kinds import template_for
from dossiers.rendering import render_pdf

A4_SHORT, A4_LONG = 595.3, 841.9
CJK = re.compile(r"[\u2e80-\u9fff\uff00-\uffef]")
KEY_FIELDS = {
    "inspection_report": [
        "王晓燕同志考察材料",
        "一、德、能、勤、绩、廉方面的主要表现和主要特长",
        "二、主要缺点和不足",
        "三、民主推荐、民主测评等情况",
        "会议推荐共42人参加，推荐她的36票，占85.7%，居第1位。",
        "“优秀”和“称职”票占97.6%",
        "考察组组长：陈建国",
    ],
    "recommendation_tally": [
        "谈话调研推荐",
        "会议推荐",
        "应到47人，实到42人，到会率89.4%",
        "王晓燕示范区第一实验小学副校长41020236",
    ],
    "evaluation_tally": [
        "民主测评统计表",
        "优秀",
        "称职",
        "基本称职",
        "不称职",
        "王晓燕",
        "97.6",
        "应参加测评47人，实参加42人",
    ],
    "vote_sheet": [
        "干部任免事项表决计票单",
        "应到9人实到7人同意7票通过",
        "应到9人实到7人同意5票通过",
        "冯晓明对赵立新的表决回避",
        "法定到会人数6人",
    ],
    "minutes_extract": [
        "会议纪要（摘录）",
        "应到9人，实到7人，符合规定人数",
        "会议决定：",
        "经核对与原件一致",
        "摘录人：刘芳",
    ],
    "public_notice": [
        "干部任前公示",
        "王晓燕，女，1982年5月生",
        "拟任示范区第一实验小学校长",
        "公示时间：2026年9月30日至2026年10月12日（不少于5个工作日）",
        "联系电话：0519-86123456",
        "示范区人民路88号",
        "中共示范区教育工作委员会组织人事科",
    ],
    "appointment_notice": [
        "中共示范区教育工作委员会文件",
        "示教工委〔2026〕12号",
        "关于王晓燕等同志职务任免的通知",
        "试用期一年，自2026年10月14日至2027年10月13日",
        "特此通知。",
        "2026年10月14日印发",
    ],
    "competition_score_sheet": [
        "竞聘演讲答辩评分表",
        "孙海涛",
        "教导处主任",
        "仪表风范",
        "88.0",
        "评委签名",
        "提交并锁定",
    ],
    "competition_ranking": ["成绩汇总及排名表", "综合成绩", "演讲答辩评委评分", "成绩计算过程", "去掉最高分"],
    "competition_announcement": [
        "2026年中层干部竞聘上岗公告",
        "一、竞聘岗位及职数",
        "（二）专业技术职务为一级教师及以上。",
        "报名时间：2026年6月1日至2026年6月5日。",
        "演讲答辩占50%、民主测评占30%、工作业绩占20%",
        "依次比较演讲答辩成绩、民主测评成绩、教龄（高者在前）",
        "3f1c9a7e52d04b8a9e6c1f0d2b7a4e5c8d9f0a1b2c3d4e5f60718293a4b5c6d7",
        "联系电话：0519-86130001",
    ],
    "competition_registrations": [
        "2026年中层干部竞聘上岗报名情况表",
        "竞聘岗位：教导处主任（职数1名）",
        "孙海涛男1988.0937教导处副主任一级教师2026.06.01已报名",
        "报名3人，撤回1人，有效报名2人。",
        "年龄按2026年6月5日计算（周岁）。",
    ],
    "competition_qualification": [
        "2026年中层干部竞聘上岗资格审查结果",
        "周文静数学教研组长不通过",
        "须2025年度考核为合格及以上",
        "【合格人数不足】德育处主任：参加资格审查2人，通过1人",
        "合格人数不足的岗位：德育处主任。",
    ],
    "adjustment_decision": [
        "中共示范区第一实验小学支部委员会文件",
        "示实小党〔2026〕5号",
        "关于钱宏伟同志职务调整的决定",
        "本人陈述：2026年3月10日，钱宏伟同志本人作了陈述",
        "会议应到7人，实到6人，同意6票、不同意0票、缓议0票。",
        "决定免去钱宏伟同志总务处主任职务，降职任总务处副主任。",
        "本决定自2026年3月18日起执行。",
    ],
    "ethics_decision": [
        "示范区教育局文件",
        "关于给予马建军同志记过处分的决定",
        "第四条第（十）项",
        "处分期12个月（自2026年10月9日至2027年10月8日）",
        "30日内向示范区教育局申请复核",
        "30日内向常州市教育局提出申诉",
        "复核、申诉期间，不停止本决定的执行。",
    ],
    "reserve_profile": ["后备干部小传", "孙海涛", "副职后备", "近期可提拔使用", "（38岁）", "合计学时100"],
    "reserve_roster": ["后备干部名册（在库）", "孙海涛", "李芳", "中长期培养", "2025.12.20", "共2人"],
    "record_sheet": ["干部选拔任用工作纪实表", "工作过程纪实", "5d0c2a8f0b1e", "审计链校验通过"],
    "annual_appraisal_form": [
        "2025年度考核登记表",
        "王晓燕",
        "受2025年03月12日受警告处理影响，本年度最高可定为“称职”。",
        "考核结果以书面形式告知本人",
        "区教育工委2026年第2次委员会会议",
    ],
    "appraisal_evaluation": [
        "示范区第一实验小学2025年度干部考核民主测评结果",
        "陈建国",
        "孙海涛",
        "参加测评46人",
        "97.8",
    ],
    "term_review": ["陈建国任期考核表", "第2个任期：2023年9月1日至2026年8月31日", "创建市级规范化学校", "优秀"],
    "team_structure": [
        "示范区第一实验小学领导班子结构分析",
        "林晓梅",
        "2026.11.01（将届满）",
        "副校长211",
        "班子无40岁以下成员",
        "校级职数4、空缺1",
    ],
    "ballot_slips": [
        "机密",
        "示范区第一实验小学校长人选民主推荐投票凭证",
        "共12张（学校领导班子成员2张、中层干部3张、教职工代表7张）",
        "类别：教职工代表",
        "5CJZJ PWZ5X",
        "扫码或访问 https://cadreflow.example.org/vote/ 输入投票码；每码仅可使用一次",
    ],
    "ballot_tally": [
        "民主推荐（电子投票）计票结果",
        "教职工代表26212231228",
        "合计4336339138",
        "1王晓燕示范区第一实验小学副校长3023284.2",
        "计票人",
        "监票人",
    ],
    "veto_check": [
        "师德一票否决校验结果",
        "（教师资格定期注册）",
        "共校验3人：无一票否决情形1人，受限2人。其中暂缓注册1人、注册不合格1人。",
        "1周明",
        "0031注册不合格",
        "暂缓注册",
        "2026-09-14",
        "未能校验的行",
    ],
    "exchange_plan": [
        "机密",
        "2026年秋季中小学校领导人员交流轮岗方案",
        "周建国",
        "刘志强",
        "各项核查通过",
        "本方案共交流3人，涉及4所学校；核查未通过0人。",
        "消除：副校长空缺1人",
    ],
}
LANDSCAPE = {"competition_ranking", "record_sheet", "reserve_roster"}
# Wraps to about eight lines in the ranking's 现任岗位 column: tall enough that WeasyPrint would split the row
# at a page end if the template allowed it (checked: with `tr { break-inside: auto }` 8 of 60 rows are cut).
LONG_POST = (
    "示范区第一实验小学数学教研组长兼五年级年级组长、校本课程开发负责人、区学科中心组成员、青年教师导师团副团长，"
    "曾任示范区实验中学初中部数学教师、班主任、年级组副组长，现兼任学校教学质量监测小组成员、家校合作委员会秘书"
)


class _Text(HTMLParser):
    """The text a template emitted, without the CSS in <style>."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("style", "title")

    def handle_endtag(self, tag):
        self._skip -= tag in ("style", "title")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def html_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return "".join(parser.parts)


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def render(kind: str, content: dict) -> dict:
    context = {"content": content, "document": samples.sample_document(kind, content)}
    pdf, pages = render_pdf(template_for(kind), context)
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        texts = [page.extract_text() or "" for page in doc.pages]
        sizes = [(float(page.width), float(page.height)) for page in doc.pages]
        fonts = {char["fontname"] for page in doc.pages for char in page.chars}
        title_fonts = {c["fontname"] for c in doc.pages[0].chars if c["size"] > 17 and CJK.match(c["text"])}
    return {
        "content": content,
        "html": render_to_string(template_for(kind), context),
        "pdf": pdf,
        "pages": pages,
        "texts": texts,
        "sizes": sizes,
        "fonts": fonts,
        "title_fonts": title_fonts,
        "code": context["document"]["verification_code"],
    }


@pytest.fixture(scope="module")
def rendered():
    return {kind: render(kind, samples.build_sample(kind)) for kind in samples.KINDS}


@pytest.mark.parametrize("kind", samples.KINDS)
def test_each_sample_prints_its_key_fields(rendered, kind):
    text = squash("".join(rendered[kind]["texts"]))
    missing = [field for field in KEY_FIELDS[kind] if squash(field) not in text]
    assert not missing, f"{kind}: not printed: {missing}"


@pytest.mark.parametrize("kind", samples.KINDS)
def test_no_glyph_is_missing(rendered, kind):
    result = rendered[kind]
    emitted = {ch for ch in CJK.findall(html_text(result["html"])) if not ch.isspace()}
    printed = set("".join(result["texts"]))
    assert emitted, kind
    assert emitted <= printed, f"{kind}: characters without a glyph: {''.join(sorted(emitted - printed))}"
    assert "\ufffd" not in printed and "\x00" not in printed
    assert all("Noto" in font for font in result["fonts"]), result["fonts"]


@pytest.mark.parametrize("kind", samples.KINDS)
def test_every_page_has_the_footer_with_page_numbers_and_verification_code(rendered, kind):
    result = rendered[kind]
    total = result["pages"]
    assert total == len(result["texts"]) >= 1
    for number, text in enumerate(result["texts"], 1):
        flat = squash(text)
        assert f"第{number}页共{total}页" in flat, (kind, number)
        assert f"验证码{result['code']}" in flat, (kind, number)


@pytest.mark.parametrize("kind", samples.KINDS)
def test_pages_are_a4_in_the_orientation_of_the_kind(rendered, kind):
    for width, height in rendered[kind]["sizes"]:
        short, long_ = sorted((width, height))
        assert abs(short - A4_SHORT) < 1 and abs(long_ - A4_LONG) < 1
        assert (width > height) == (kind in LANDSCAPE), kind


@pytest.mark.parametrize("kind", samples.KINDS)
def test_the_title_is_set_in_the_bold_serif_face(rendered, kind):
    fonts = rendered[kind]["title_fonts"]
    assert fonts and all("NotoSerifCJK" in f.replace("-", "") and "Bold" in f for f in fonts), (kind, fonts)


def test_later_pages_repeat_the_title_and_confidentiality_mark_in_the_header(rendered):
    second_page = rendered["inspection_report"]["texts"][1]
    assert "内部资料注意保密" in squash(second_page.splitlines()[0])
    assert "王晓燕同志考察材料" in squash(second_page.splitlines()[0])


def test_a_sixty_row_ranking_never_cuts_a_row_between_pages():
    data = samples.sample_input("competition_ranking")
    data["candidates"] = samples.ranking_candidates(60)
    for i, candidate in enumerate(data["candidates"], 1):
        # a long cell that wraps over several lines, marked at both ends (latin words: never broken inside)
        candidate["current_post"] = f"S{i:03d}S{LONG_POST}E{i:03d}E"
    content = build_competition_ranking(**data)
    result = render("competition_ranking", content)
    texts = [squash(t) for t in result["texts"]]
    assert result["pages"] >= 4

    table_pages = [n for n, t in enumerate(texts) if any(f"S{i:03d}S" in t for i in range(1, 61))]
    assert len(table_pages) >= 3  # the ranking table itself spans pages
    for n in table_pages:
        assert "演讲答辩评委评分" in texts[n] and "评委7" in texts[n]  # header repeated on each page

    with pdfplumber.open(io.BytesIO(result["pdf"])) as doc:
        for i in range(1, 61):
            starts = [(n, hit) for n, p in enumerate(doc.pages) for hit in p.search(f"S{i:03d}S", regex=False)]
            ends = [(n, hit) for n, p in enumerate(doc.pages) for hit in p.search(f"E{i:03d}E", regex=False)]
            assert len(starts) == len(ends) == 1, i
            (start_page, start), (end_page, end) = starts[0], ends[0]
            assert start_page == end_page, f"row {i} is cut between pages {start_page + 1} and {end_page + 1}"
            assert end["top"] > start["top"] + 5  # the cell really wraps, so a cut would have been possible

        # the calculation table: each trace whole on one page (read from the trace column alone, since a trace
        # wraps over lines beside the vertically centred post, rank and name)
        columns = []
        for page in doc.pages:
            starts = [w["x0"] for w in page.extract_words() if w["text"].startswith("演讲答辩评分（")]
            columns.append(
                squash(page.crop((min(starts) - 1, 0, page.width, page.height)).extract_text()) if starts else ""
            )
    rows = [row for group in content["groups"] for row in group["rows"]]
    for row in rows:
        pages_with_trace = [n for n, t in enumerate(columns) if squash(row["trace"]) in t]
        assert len(pages_with_trace) == 1, row["name"]


def test_dropped_scores_are_marked_in_the_ranking(rendered):
    text = squash("".join(rendered["competition_ranking"]["texts"]))
    first = rendered["competition_ranking"]["content"]["groups"][0]["rows"][0]
    high = next(s["text"] for s in first["scores"] if s["dropped"] == "high")
    low = next(s["text"] for s in first["scores"] if s["dropped"] == "low")
    assert f"{high}高" in text and f"{low}低" in text


def test_render_dossier_samples_writes_a_pdf_per_kind(tmp_path):
    call_command("render_dossier_samples", out=str(tmp_path), kind=["public_notice"])
    pdf = (tmp_path / "public_notice.pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        assert "干部任前公示" in squash(doc.pages[0].extract_text())
