"""任前公示: the pre-appointment notice (DOMAIN §3.6, regulations.md §1.6, §7).

Guarantees: each candidate is printed as the customary sentence (姓名，性别，出生年月生，…现任…，拟任…); the
period runs from `start` to `end` with `workdays` working days, which must be at least `min_workdays`
(default 5) — the caller counts them with `cadres.workdays` (holidays and 调休 included) and passes the
figure, so this builder stays pure; where and how to report objections; issuing unit and date.
Raises ValueError (Chinese) on a missing field or a period that is too short or inconsistent.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from cadres.choices import EducationLevel, PoliticalStatus

from .support import Fields, cn_date, cn_month


def _candidate(item: Fields) -> dict:
    name = item.text("name", "姓名")
    sex = item.sex()
    y, m = item.month("birth", "出生年月")
    ethnicity = item.text("ethnicity", "民族", required=False)
    native_place = item.text("native_place", "籍贯", required=False)
    political = item.text("political_status", "政治面貌")
    party_join = item.month("party_join", "入党时间", required=False)
    work_start = item.month("work_start", "参加工作时间", required=False)
    education = item.text("education", "学历")
    degree = item.text("degree", "学位", required=False)
    title = item.text("title", "专业技术职务", required=False)
    current = item.text("current_post", "现任职务")
    proposed = item.text("proposed_post", "拟任职务")
    note = item.text("note", "说明", required=False)
    item.done()
    political = PoliticalStatus(political).label if political in PoliticalStatus.values else political
    education = EducationLevel(education).label if education in EducationLevel.values else education
    parts = [name, sex, _("%(m)s生") % {"m": cn_month(y, m)}]
    if ethnicity:
        parts.append(ethnicity)
    if native_place:
        parts.append(_("%(p)s人") % {"p": native_place})
    if party_join:
        parts.append(_("%(m)s加入中国共产党") % {"m": cn_month(*party_join)})
    else:
        parts.append(str(political))
    if work_start:
        parts.append(_("%(m)s参加工作") % {"m": cn_month(*work_start)})
    parts.append(_("%(e)s学历") % {"e": education} if not str(education).endswith("学历") else str(education))
    if degree:
        parts.append(degree)
    if title:
        parts.append(title)
    parts.append(_("现任%(p)s") % {"p": current})
    parts.append(_("拟任%(p)s") % {"p": proposed})
    sentence = "，".join(parts) + "。"
    if note:
        sentence += note
    return {
        "name": name,
        "sex": sex,
        "birth_text": cn_month(y, m),
        "political_status": str(political),
        "education": str(education),
        "current_post": current,
        "proposed_post": proposed,
        "sentence": sentence,
    }


def build_public_notice(**data) -> dict:
    """Content of the 任前公示 notice."""
    f = Fields(data)
    title = f.text("title", "标题", required=False) or _("干部任前公示")
    issuer = f.text("issuer", "发布单位")
    decided_by = f.text("decided_by", "研究决定机关")
    candidates = [_candidate(item) for item in f.items("candidates", "公示对象")]
    start = f.date("start", "公示开始日期")
    end = f.date("end", "公示结束日期")
    workdays = f.integer("workdays", "公示工作日数", minimum=1)
    minimum = f.integer("min_workdays", "最少工作日数", default=5, minimum=1)
    if end < start:
        raise f.error(_("公示结束日期早于开始日期"))
    if workdays > (end - start).days + 1:
        raise f.error(_("公示工作日数（%(n)d）多于公示期内的天数") % {"n": workdays})
    if workdays < minimum:
        raise f.error(_("公示期只有%(n)d个工作日，不得少于%(m)d个工作日") % {"n": workdays, "m": minimum})
    contact_unit = f.text("contact_unit", "受理单位")
    phone = f.text("phone", "联系电话")
    address = f.text("address", "通讯地址")
    postcode = f.text("postcode", "邮政编码", required=False)
    email = f.text("email", "电子邮箱", required=False)
    hours = f.text("office_hours", "受理时间", required=False)
    day = f.date("date", "发布日期")
    f.done()
    if day > start:
        raise f.error(_("发布日期不能晚于公示开始日期"))
    period_line = _("公示时间：%(a)s至%(b)s（不少于%(m)d个工作日）。") % {
        "a": cn_date(start),
        "b": cn_date(end),
        "m": minimum,
    }
    return {
        "title": title,
        "issuer": issuer,
        "intro": _(
            "根据《党政领导干部选拔任用工作条例》和干部任前公示制度的有关规定，经%(by)s研究，"
            "拟任用以下同志，现将有关情况予以公示："
        )
        % {"by": decided_by},
        "candidates": candidates,
        "start": start.isoformat(),
        "end": end.isoformat(),
        "workdays": workdays,
        "min_workdays": minimum,
        "period_line": period_line,
        "report_line": _(
            "公示期间，对公示对象有不同意见或者反映问题的，可以通过来信、来电、来访等方式向%(unit)s反映。"
            "反映问题应当实事求是、客观公正，提倡实名反映，并尽可能提供具体事实或者线索，以便调查核实。"
            "我们将对反映人和反映内容严格保密。"
        )
        % {"unit": contact_unit},
        "contact_unit": contact_unit,
        "phone": phone,
        "office_hours": hours,
        "address": address,
        "postcode": postcode,
        "email": email,
        "date": day.isoformat(),
        "date_text": cn_date(day),
    }
