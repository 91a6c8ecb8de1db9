"""`assert_chinese_page` catches what a Chinese page must not show, and only in what a user reads."""

from __future__ import annotations

import pytest

from tests.support.chinese_page import assert_chinese_page, chinese_page_problems, visible_text

PAGE = """<html><head><title>x</title><style>.a{color:red}</style></head><body>
<h1 class="vf-card__title" id="case-header">第一实验小学校长选拔任用</h1>
<i class="material-icons" aria-hidden="true">inbox</i>
<a href="/principalselection/1/" data-turbo="false">CadreFlow 纪实表PDF</a>
<input name="post" type="text" value="typed by the user"><script>var x = {};</script>
<select><option>English</option></select>%s</body></html>"""


def test_a_chinese_page_passes():
    assert_chinese_page(PAGE % "<p>李组织（区教育局）</p>", usernames=["officer"])


def test_only_visible_text_is_read():
    text = visible_text(PAGE % "")
    assert "inbox" not in " ".join(text) and "typed" not in " ".join(text) and "var x" not in " ".join(text)


@pytest.mark.parametrize(
    "fragment, problem",
    [
        ("<td>Description</td>", "Latin word 'Description'"),
        ("<button>Assign and continue</button>", "Latin word 'Assign'"),
        ("<td>{}</td>", "raw value '{}'"),
        ("<td>False</td>", "raw value 'False'"),
        ("<td>查核结果：None</td>", "raw value 'None'"),
        ("<td>{'due': '2026-12-18'}</td>", "raw value"),
        ("<td>[]</td>", "raw value '[]'"),
        ("<td>经办人 officer</td>", "username 'officer'"),
        ('<img src="/a.png" alt="Status">', "Latin word 'Status'"),
        ('<input placeholder="Search">', "Latin word 'Search'"),
    ],
)
def test_english_raw_values_and_usernames_fail(fragment, problem):
    problems = chinese_page_problems(PAGE % fragment, usernames=["officer"])
    assert any(problem in p for p in problems), problems
    with pytest.raises(AssertionError):
        assert_chinese_page(PAGE % fragment, usernames=["officer"])
