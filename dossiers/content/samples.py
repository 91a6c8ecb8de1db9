"""One realistic input per dossier kind, for tests, the benchmark and `manage.py render_dossier_samples`.

`SAMPLES[kind]` (for each kind in `KINDS`) is the keyword input of `dossiers.content.<kind>.build_<kind>`;
`build_sample(kind)` runs it.
The people, units and numbers are invented but consistent with one another (one district, one principal
selection, one competition, one ethics case).
"""

from __future__ import annotations

import base64
import copy
import datetime as dt
import importlib
import io
from functools import lru_cache

DISTRICT = "示范区"
BUREAU = "示范区教育局"
COMMITTEE = "中共示范区教育工作委员会"
SCHOOL = "示范区第一实验小学"
CANDIDATE = "王晓燕"


@lru_cache(maxsize=1)
def sample_photo() -> str:
    """A plain grey head-and-shoulders silhouette (PNG data URI), standing in for a 2-inch ID photo."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (300, 375), (226, 232, 240))
    draw = ImageDraw.Draw(image)
    draw.ellipse((95, 60, 205, 185), fill=(120, 130, 145))
    draw.ellipse((40, 200, 260, 440), fill=(120, 130, 145))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def _inspection_report() -> dict:
    return {
        "name": CANDIDATE,
        "sex": "女",
        "birth": "1982-05",
        "current_post": f"{SCHOOL}副校长",
        "proposed_post": f"{SCHOOL}校长",
        "authorised_by": "区教育工委",
        "start": "2026-09-14",
        "end": "2026-09-18",
        "talks": 32,
        "performance": {
            "morality": [
                "政治立场坚定，认真学习贯彻习近平新时代中国特色社会主义思想，自觉在思想上政治上行动上同党中央保持高度一致。"
                "坚持党组织领导的校长负责制，带头执行“三重一大”集体决策制度，大局意识和组织纪律观念强。"
                "为人正派，待人真诚，关心教职工冷暖，在教师中威信较高。",
            ],
            "ability": [
                "教育理论功底扎实，熟悉小学教育教学规律。分管教学工作期间，牵头制定学校课程规划，推动“双减”背景下作业设计改革，"
                "组织开发校本课程12门。统筹协调能力较强，2025年承办全区小学教学质量推进会，组织周密，反响良好。",
            ],
            "diligence": [
                "事业心和责任感强，工作勤勉，坚持每周听课不少于4节，连续五年担任毕业班数学教学工作。"
                "疫情防控和校园安全工作中靠前指挥，敢于担当。",
            ],
            "achievement": [
                "分管教学以来，学校教学质量综合评价连续三年位居全区前列；指导青年教师获市级以上优质课奖项9人次；"
                "主持的省级课题《小学数学单元整体教学实践研究》顺利结题。本人被评为市学科带头人。",
            ],
            "integrity": [
                "认真执行中央八项规定及其实施细则精神，严格遵守廉洁自律各项规定，在教材教辅征订、评优评先等工作中坚持原则、公开透明，"
                "未发现违规违纪问题。",
            ],
            "specialties": ["擅长课程建设与教学管理，长于小学数学教学研究。"],
        },
        "shortcomings": [
            "工作标准高、要求严，有时对年轻教师的成长节奏考虑不够，工作方法还需更加细致；",
            "对学校后勤保障和财务管理等方面的工作接触较少，统筹全局工作的经验有待进一步积累。",
        ],
        "recommendations": [
            {"method": "会议推荐", "participants": 42, "votes": 36, "rank": 1},
            {"method": "谈话调研推荐", "participants": 28, "votes": 23, "rank": 1},
        ],
        "evaluation": {"participants": 42, "excellent": 35, "competent": 6, "basic": 1, "incompetent": 0},
        "checks": [
            {"item": "档案审核", "result": "干部人事档案经审核，“三龄两历一身份”记载清楚，前后一致。"},
            {"item": "个人有关事项报告查核", "result": "经查核，个人有关事项报告与查核结果一致。"},
            {"item": "纪检监察机关意见", "result": "区纪委监委驻区教育局纪检监察组回复：未发现违纪违法问题。"},
            {"item": "信访举报核查", "result": "考察期间未收到反映该同志问题的信访举报。"},
        ],
        "opinion": ["考察组认为，王晓燕同志符合拟任职务的任职条件和资格，建议任命为示范区第一实验小学校长。"],
        "team_leader": "陈建国",
        "team_members": ["陈建国", "刘芳", "周明"],
        "date": "2026-09-22",
    }


def _recommendation_tally() -> dict:
    voters = [
        {"category": "学校领导班子成员", "due": 5, "attended": 5},
        {"category": "中层干部", "due": 12, "attended": 11},
        {"category": "教师代表", "due": 26, "attended": 23},
        {"category": "离退休干部代表", "due": 4, "attended": 3},
    ]
    return {
        "organization": SCHOOL,
        "post": "校长",
        "posts": 1,
        "rounds": [
            {
                "method": "谈话调研推荐",
                "date": "2026-08-31",
                "place": "学校会议室（二）",
                "voters": [
                    {"category": "学校领导班子成员", "due": 5, "attended": 5},
                    {"category": "中层干部", "due": 12, "attended": 12},
                    {"category": "教师代表", "due": 12, "attended": 11},
                ],
                "candidates": [
                    {"name": CANDIDATE, "current_post": f"{SCHOOL}副校长", "votes": 23},
                    {"name": "赵立新", "current_post": "示范区实验中学副校长", "votes": 4},
                    {"name": "孙海涛", "current_post": f"{SCHOOL}教导处主任", "votes": 1},
                ],
            },
            {
                "method": "会议推荐",
                "date": "2026-09-07",
                "place": "学校报告厅",
                "voters": voters,
                "ballots": {"issued": 42, "returned": 42, "valid": 42},
                "candidates": [
                    {
                        "name": CANDIDATE,
                        "current_post": f"{SCHOOL}副校长",
                        "votes_by_category": {
                            "学校领导班子成员": 4,
                            "中层干部": 10,
                            "教师代表": 20,
                            "离退休干部代表": 2,
                        },
                    },
                    {
                        "name": "赵立新",
                        "current_post": "示范区实验中学副校长",
                        "votes_by_category": {"学校领导班子成员": 1, "中层干部": 1, "教师代表": 2, "离退休干部代表": 1},
                    },
                    {
                        "name": "孙海涛",
                        "current_post": f"{SCHOOL}教导处主任",
                        "votes_by_category": {"学校领导班子成员": 0, "中层干部": 0, "教师代表": 1, "离退休干部代表": 0},
                    },
                ],
            },
        ],
        "counter": "刘芳",
        "scrutineer": "周明",
        "issuer": "区教育工委组织人事科",
        "date": "2026-09-07",
    }


def _evaluation_tally() -> dict:
    return {
        "organization": SCHOOL,
        "purpose": "拟任校长人选考察民主测评",
        "date": "2026-09-15",
        "voters": [
            {"category": "学校领导班子成员", "due": 5, "attended": 5},
            {"category": "中层干部", "due": 12, "attended": 11},
            {"category": "教师代表", "due": 26, "attended": 24},
            {"category": "离退休干部代表", "due": 4, "attended": 2},
        ],
        "subjects": [
            {
                "name": CANDIDATE,
                "post": f"{SCHOOL}副校长",
                "excellent": 35,
                "competent": 6,
                "basic": 1,
                "incompetent": 0,
            },
        ],
        "favourable_numerator": 2,
        "favourable_denominator": 3,
        "counter": "刘芳",
        "scrutineer": "周明",
    }


COMMITTEE_MEMBERS = [
    ("李卫东", "区教育工委书记、区教育局局长", {"is_head": True}),
    ("张志强", "区教育工委副书记"),
    ("陈建国", "区教育工委委员、区教育局副局长"),
    ("黄丽华", "区教育工委委员、区教育局副局长"),
    ("吴敏", "区教育工委委员、驻局纪检监察组组长"),
    ("杨光", "区教育工委委员、区教育局副局长", {"present": False, "absence_reason": "公出"}),
    ("郑秀英", "区教育工委委员、工会主席"),
    ("钱宏伟", "区教育工委委员、办公室主任", {"present": False, "absence_reason": "病假"}),
    ("冯晓明", "区教育工委委员", {"recused_for": ["赵立新"], "recusal_reason": "与赵立新系夫妻关系"}),
]


def _vote_sheet() -> dict:
    candidates = [
        {"name": CANDIDATE, "current_post": f"{SCHOOL}副校长", "proposed": f"任{SCHOOL}校长"},
        {"name": "赵立新", "current_post": "示范区实验中学副校长", "proposed": "任示范区实验中学党支部书记"},
    ]
    members = []
    for name, role, *extra in COMMITTEE_MEMBERS:
        member = {"name": name, "role": role, **(extra[0] if extra else {})}
        if member.get("present", True):
            votes = {CANDIDATE: "同意", "赵立新": "同意"}
            if name == "郑秀英":
                votes["赵立新"] = "缓议"
            for recused in member.get("recused_for", []):
                votes.pop(recused)
            member["votes"] = votes
        members.append(member)
    return {
        "body": COMMITTEE,
        "meeting": "区教育工委2026年第9次委员会会议",
        "date": "2026-09-28",
        "place": "区教育局三楼会议室",
        "method": "举手表决",
        "chair": "李卫东",
        "recorder": "刘芳",
        "scrutineers": ["吴敏"],
        "candidates": candidates,
        "members": members,
    }


def _minutes_extract() -> dict:
    present = [m[0] for m in COMMITTEE_MEMBERS if not (len(m) > 2 and m[2].get("present") is False)]
    return {
        "body": COMMITTEE,
        "meeting": "2026年第9次委员会会议",
        "number": "〔2026〕第9次",
        "date": "2026-09-28",
        "place": "区教育局三楼会议室",
        "chair": "李卫东",
        "recorder": "刘芳",
        "present": present,
        "absent": [{"name": "杨光", "reason": "公出"}, {"name": "钱宏伟", "reason": "病假"}],
        "attending": ["区教育局组织人事科科长 刘芳"],
        "items": [
            {
                "title": "研究示范区第一实验小学校长人选",
                "discussion": [
                    "组织人事科汇报了示范区第一实验小学校长选拔任用工作情况，介绍了王晓燕同志的民主推荐、考察情况和任职理由。"
                    "会议听取了驻局纪检监察组关于王晓燕同志党风廉政情况的意见，认为档案审核、个人有关事项报告查核、"
                    "纪检监察机关意见和信访举报核查均已完成，未发现影响使用的问题。",
                    "与会委员逐一发表了意见，李卫东同志最后表态。",
                ],
                "decision": [
                    "同意王晓燕同志任示范区第一实验小学校长（试用期一年），按规定进行任前公示。",
                ],
                "vote": {"agree": 7, "disagree": 0, "defer": 0},
            },
            {
                "title": "研究示范区实验中学党支部书记人选",
                "discussion": ["组织人事科汇报了赵立新同志的民主推荐、考察情况和任职理由，与会委员逐一发表了意见。"],
                "decision": ["同意赵立新同志任示范区实验中学党支部书记，按规定进行任前公示。"],
                "vote": {"agree": 5, "disagree": 0, "defer": 1},
                "recused": ["冯晓明"],
            },
        ],
        "extracted_by": "刘芳",
        "extract_date": "2026-09-29",
    }


def _public_notice() -> dict:
    return {
        "issuer": "中共示范区教育工作委员会组织人事科",
        "decided_by": "区教育工委",
        "candidates": [
            {
                "name": CANDIDATE,
                "sex": "女",
                "birth": "1982-05",
                "ethnicity": "汉族",
                "native_place": "江苏常州",
                "political_status": "中共党员",
                "party_join": "2004-06",
                "work_start": "2004-08",
                "education": "大学本科",
                "degree": "理学学士",
                "title": "高级教师",
                "current_post": f"{SCHOOL}副校长",
                "proposed_post": f"{SCHOOL}校长",
            },
            {
                "name": "赵立新",
                "sex": "男",
                "birth": "1979-11",
                "ethnicity": "汉族",
                "native_place": "江苏金坛",
                "political_status": "中共党员",
                "party_join": "2001-05",
                "work_start": "2001-08",
                "education": "硕士研究生",
                "degree": "教育学硕士",
                "title": "高级教师",
                "current_post": "示范区实验中学副校长",
                "proposed_post": "示范区实验中学党支部书记",
            },
        ],
        "start": "2026-09-30",
        "end": "2026-10-12",
        "workdays": 5,
        "contact_unit": "区教育工委组织人事科",
        "phone": "0519-86123456（工作日8:30—17:00）",
        "address": "示范区人民路88号区教育局行政楼305室",
        "postcode": "213100",
        "email": "zzrsk@sfq.edu.cn",
        "date": "2026-09-30",
    }


def _appointment_notice() -> dict:
    return {
        "issuer": COMMITTEE,
        "doc_number": "示教工委〔2026〕12号",
        "addressee": f"{SCHOOL}党支部、示范区实验中学党支部",
        "decided_by": "区教育工委2026年第9次委员会会议",
        "decided_on": "2026-09-28",
        "date": "2026-10-14",
        "appointments": [
            {"name": CANDIDATE, "appoint": f"{SCHOOL}校长", "remove": f"{SCHOOL}副校长", "probation": True},
            {
                "name": "赵立新",
                "appoint": "示范区实验中学党支部书记",
                "remove": "示范区实验中学副校长",
                "probation": True,
            },
        ],
        "cc": ["区委组织部", "区人力资源和社会保障局"],
        "printer": "中共示范区教育工作委员会办公室",
    }


CRITERIA = [
    ("岗位认知", "对竞聘岗位职责、任务的理解和认识", 20),
    ("工作思路", "任职设想清晰、目标明确、措施可行", 30),
    ("专业素养", "教育教学与管理专业知识和实践经验", 20),
    ("答辩表现", "回答问题切题、思维敏捷、观点正确", 20),
    ("仪表风范", "仪表端庄，语言表达准确流畅", 10),
]


def _competition_score_sheet() -> dict:
    scores = [17.5, 26, 18, 17.5, 9]
    return {
        "competition": f"{SCHOOL}2026年中层干部竞聘上岗",
        "organization": SCHOOL,
        "post": "教导处主任",
        "candidate": {"name": "孙海涛", "number": 3, "current_post": "教导处副主任"},
        "judge": {"name": "黄丽华", "number": 2},
        "criteria": [
            {"name": n, "description": d, "max_points": m, "score": s}
            for (n, d, m), s in zip(CRITERIA, scores, strict=True)
        ],
        "opened_at": "2026-06-12T14:30:00",
        "locked_at": "2026-06-12T15:42:00",
    }


# fmt: off
RANKED = {
    # As the competition workflow stores them (`scoring.rank_post` under the sample plan: 7 judges, trimmed,
    # weights 50/30/20): name, draw number, current post, the judges' totals, the judges whose highest and
    # lowest score were dropped, speech after trimming, evaluation, performance, composite, rank.
    "教导处主任": [
        ("李建华", 4, "教师", (82.5, 86.0, 79.5, 83.0, 85.5, 80.0, 82.5), (2, 3), 82.70, 94.50, 91.00, 87.90, 1),
        ("郑雪梅", 7, "年级组长", (89.5, 84.0, 86.5, 90.0, 83.5, 87.0, 89.5), (4, 5), 87.30, 89.00, 84.00, 87.15, 2),
        ("赵海涛", 1, "年级组长", (75.5, 79.0, 81.5, 76.0, 78.5, 82.0, 75.5), (6, 1), 78.10, 80.00, 75.00, 78.05, 3),
    ],
    "德育处主任": [
        ("王嘉怡", 8, "教师", (97.5, 92.0, 94.5, 98.0, 91.5, 95.0, 97.5), (4, 5), 95.30, 81.50, 97.00, 91.50, 1),
        ("钱志刚", 2, "教师", (83.5, 87.0, 89.5, 84.0, 86.5, 90.0, 83.5), (6, 1), 86.10, 91.50, 88.00, 88.10, 2),
        ("周春燕", 5, "年级组长", (90.5, 94.0, 87.5, 91.0, 93.5, 88.0, 90.5), (2, 3), 90.70, 86.00, 81.00, 87.35, 3),
    ],
    "总务处副主任": [
        ("吴晓明", 6, "教师", (81.5, 85.0, 78.5, 82.0, 84.5, 79.0, 81.5), (2, 3), 81.70, 97.50, 94.00, 88.90, 1),
        ("冯文静", 9, "年级组长", (88.5, 83.0, 85.5, 89.0, 82.5, 86.0, 88.5), (4, 5), 86.30, 92.00, 87.00, 88.15, 2),
        ("孙思远", 3, "年级组长", (91.5, 95.0, 97.5, 92.0, 94.5, 98.0, 91.5), (6, 1), 94.10, 83.00, 78.00, 87.55, 3),
    ],
}
# fmt: on
# The two stored trace sentences with sums (the others only list the figures above).
RANKED_SUMS = {
    "李建华": (
        "评委7人，不少于5人：去掉最高分86.00（评委2）、最低分79.50（评委3），其余5个分数之和413.5，平均82.7，四舍五入为82.70",
        "综合成绩 = 82.70×50% + 94.50×30% + 91.00×20% = 41.35 + 28.35 + 18.2 = 87.9，四舍五入保留两位小数为87.90",
    ),
    "郑雪梅": (
        "评委7人，不少于5人：去掉最高分90.00（评委4）、最低分83.50（评委5），其余5个分数之和436.5，平均87.3，四舍五入为87.30",
        "综合成绩 = 87.30×50% + 89.00×30% + 84.00×20% = 43.65 + 26.7 + 16.8 = 87.15，四舍五入保留两位小数为87.15",
    ),
    "赵海涛": (
        "评委7人，不少于5人：去掉最高分82.00（评委6）、最低分75.50（评委1），其余5个分数之和390.5，平均78.1，四舍五入为78.10",
        "综合成绩 = 78.10×50% + 80.00×30% + 75.00×20% = 39.05 + 24 + 15 = 78.05，四舍五入保留两位小数为78.05",
    ),
    "王嘉怡": (
        "评委7人，不少于5人：去掉最高分98.00（评委4）、最低分91.50（评委5），其余5个分数之和476.5，平均95.3，四舍五入为95.30",
        "综合成绩 = 95.30×50% + 81.50×30% + 97.00×20% = 47.65 + 24.45 + 19.4 = 91.5，四舍五入保留两位小数为91.50",
    ),
    "钱志刚": (
        "评委7人，不少于5人：去掉最高分90.00（评委6）、最低分83.50（评委1），其余5个分数之和430.5，平均86.1，四舍五入为86.10",
        "综合成绩 = 86.10×50% + 91.50×30% + 88.00×20% = 43.05 + 27.45 + 17.6 = 88.1，四舍五入保留两位小数为88.10",
    ),
    "周春燕": (
        "评委7人，不少于5人：去掉最高分94.00（评委2）、最低分87.50（评委3），其余5个分数之和453.5，平均90.7，四舍五入为90.70",
        "综合成绩 = 90.70×50% + 86.00×30% + 81.00×20% = 45.35 + 25.8 + 16.2 = 87.35，四舍五入保留两位小数为87.35",
    ),
    "吴晓明": (
        "评委7人，不少于5人：去掉最高分85.00（评委2）、最低分78.50（评委3），其余5个分数之和408.5，平均81.7，四舍五入为81.70",
        "综合成绩 = 81.70×50% + 97.50×30% + 94.00×20% = 40.85 + 29.25 + 18.8 = 88.9，四舍五入保留两位小数为88.90",
    ),
    "冯文静": (
        "评委7人，不少于5人：去掉最高分89.00（评委4）、最低分82.50（评委5），其余5个分数之和431.5，平均86.3，四舍五入为86.30",
        "综合成绩 = 86.30×50% + 92.00×30% + 87.00×20% = 43.15 + 27.6 + 17.4 = 88.15，四舍五入保留两位小数为88.15",
    ),
    "孙思远": (
        "评委7人，不少于5人：去掉最高分98.00（评委6）、最低分91.50（评委1），其余5个分数之和470.5，平均94.1，四舍五入为94.10",
        "综合成绩 = 94.10×50% + 83.00×30% + 78.00×20% = 47.05 + 24.9 + 15.6 = 87.55，四舍五入保留两位小数为87.55",
    ),
}


def _ranked_row(figures: tuple, sums: tuple[str, str], *, rank: int | None = None, **changes) -> dict:
    """One candidate as `score_summary_content` passes it: the stored figures and the stored trace sentences."""
    post, (name, number, current, scores, (high, low), speech, evaluation, performance, composite, stored) = figures
    rank = rank or stored
    listed = "、".join(f"评委{j} {s:.2f}" for j, s in enumerate(scores, 1))
    return {
        "name": name,
        "number": number,
        "post": post,
        "current_post": current,
        "speech_scores": list(scores),
        "dropped": {f"评委{high}": "high", f"评委{low}": "low"},
        "speech": speech,
        "evaluation": evaluation,
        "performance": performance,
        "composite": composite,
        "rank": rank,
        "shortlisted": rank <= 2,
        "trace": [
            f"演讲答辩评分（{len(scores)}位评委）：{listed}",
            sums[0],
            f"民主测评{evaluation:.2f}，工作业绩{performance:.2f}",
            sums[1],
            f"第{rank}名",
        ],
    } | changes


def ranking_candidates(n: int) -> list[dict]:
    """`n` ranked candidates of one post (the 60-row test uses this): the sample's figures, best first."""
    surnames = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜"
    given = ["海涛", "晓明", "丽君", "建华", "文静", "志刚", "雪梅", "国强", "春燕", "德胜", "思远", "嘉怡"]
    best_first = sorted(((p, r) for p, rows in RANKED.items() for r in rows), key=lambda pr: -float(pr[1][8]))
    rows = []
    for i in range(n):
        figures = best_first[i * len(best_first) // n]
        rows.append(
            _ranked_row(
                figures,
                RANKED_SUMS[figures[1][0]],
                rank=i + 1,
                name=surnames[i % len(surnames)] + given[(i * 5) % len(given)],
                number=i + 1,
                post="教导处主任",
            )
        )
    return rows


def _competition_ranking() -> dict:
    return {
        "competition": f"{SCHOOL}2026年中层干部竞聘上岗",
        "organization": SCHOOL,
        "date": "2026-06-13",
        "judges": [f"评委{i}" for i in range(1, 8)],
        "weights": {"speech": 50, "evaluation": 30, "performance": 20},
        "tie_break": ["speech", "evaluation", "years_of_teaching", "number"],
        "shortlist": 2,
        "candidates": [_ranked_row((p, r), RANKED_SUMS[r[0]]) for p, rows in RANKED.items() for r in rows],
        "counter": "孙丽",
        "supervisor": "吴敏",
    }


COMPETITION = "2026年中层干部竞聘上岗"
PLAN_HASH = "3f1c9a7e52d04b8a9e6c1f0d2b7a4e5c8d9f0a1b2c3d4e5f60718293a4b5c6d7"


def _competition_announcement() -> dict:
    return {
        "school": SCHOOL,
        "competition": COMPETITION,
        "posts": [
            {"name": "教导处主任", "seats": 1, "min_candidates": 2},
            {"name": "德育处主任", "seats": 1, "min_candidates": 2},
            {"name": "总务处副主任", "seats": 1},
        ],
        "conditions": [
            "本校在职在编教职工",
            "专业技术职务为一级教师及以上",
            "2023—2025年度考核均为合格及以上",
            "年龄不超过50周岁",
            "参加教育教学工作满5年",
            "未受师德处理，或师德处理影响期已满",
        ],
        "opens": "2026-06-01",
        "closes": "2026-06-05",
        "registration_place": "学校行政楼二楼党政办公室",
        "weights": {"speech": 50, "evaluation": 30, "performance": 20},
        "trim_min_judges": 5,
        "tie_break": ["speech", "evaluation", "years_of_teaching", "number"],
        "inspect_top": 1,
        "plan_hash": PLAN_HASH,
        "contact": "孙丽",
        "phone": "0519-86130001",
        "issuer": f"中共{SCHOOL}支部委员会",
        "date": "2026-05-25",
    }


def _competition_registrations() -> dict:
    def row(name, sex, birth, post, title, day, status="已报名"):
        return {
            "name": name,
            "sex": sex,
            "birth": birth,
            "current_post": post,
            "title": title,
            "registered": day,
            "status": status,
        }

    return {
        "school": SCHOOL,
        "competition": COMPETITION,
        "opens": "2026-06-01",
        "closes": "2026-06-05",
        "as_of": "2026-06-05",
        "date": "2026-06-08",
        "posts": [
            {
                "name": "教导处主任",
                "seats": 1,
                "rows": [
                    row("孙海涛", "男", "1988-09-14", "教导处副主任", "一级教师", "2026-06-01"),
                    row("王丽君", "女", "1985-06-05", "五年级年级组长", "高级教师", "2026-06-02"),
                    row("周文静", "女", "1990-03-21", "数学教研组长", "一级教师", "2026-06-02"),
                ],
            },
            {
                "name": "德育处主任",
                "seats": 1,
                "rows": [
                    row("李建华", "男", "1983-11-30", "德育处副主任", "高级教师", "2026-06-01"),
                    row("陈雪梅", "女", "1987-02-08", "大队辅导员", "一级教师", "2026-06-03", "已撤回"),
                    row("吴思远", "男", "1979-07-19", "语文教师", "一级教师", "2026-06-04"),
                ],
            },
            {
                "name": "总务处副主任",
                "seats": 1,
                "rows": [row("赵国强", "男", "1986-04", "总务处干事", "一级教师", "2026-06-05")],
            },
        ],
        "prepared_by": "孙丽",
    }


def _competition_qualification() -> dict:
    return {
        "school": SCHOOL,
        "competition": COMPETITION,
        "reviewed_by": "学校竞聘工作领导小组",
        "date": "2026-06-09",
        "posts": [
            {
                "name": "教导处主任",
                "seats": 1,
                "min_candidates": 2,
                "rows": [
                    {"name": "孙海涛", "current_post": "教导处副主任", "result": "通过"},
                    {"name": "王丽君", "current_post": "五年级年级组长", "result": "通过"},
                    {
                        "name": "周文静",
                        "current_post": "数学教研组长",
                        "result": "不通过",
                        "reason": "须2025年度考核为合格及以上，现为基本合格",
                    },
                ],
            },
            {
                "name": "德育处主任",
                "seats": 1,
                "min_candidates": 2,
                "rows": [
                    {"name": "李建华", "current_post": "德育处副主任", "result": "通过"},
                    {
                        "name": "吴思远",
                        "current_post": "语文教师",
                        "result": "不通过",
                        "reason": "受师德处理（通报批评），处理影响期内不得参加竞聘",
                    },
                ],
            },
            {
                "name": "总务处副主任",
                "seats": 1,
                "rows": [{"name": "赵国强", "current_post": "总务处干事", "result": "通过"}],
            },
        ],
    }


def _adjustment_decision() -> dict:
    return {
        "issuer": f"中共{SCHOOL}支部委员会",
        "doc_number": "示实小党〔2026〕5号",
        "addressee": "学校各处室",
        "person": {"name": "钱宏伟", "sex": "男", "birth": "1978-04"},
        "current_post": "总务处主任",
        "since": "2019-09",
        "trigger": "2025年度考核不合格",
        "grounds": [
            "钱宏伟同志2025年度考核被确定为不合格等次。经核实，该同志2025年分管的校舍维修项目未按计划完成，"
            "食堂管理出现多次问题，经提醒后仍未有效整改，不适宜继续担任总务处主任职务。",
        ],
        "statement": ["本人对考核结果无异议，愿意服从组织安排，今后在新的岗位上努力改进工作。"],
        "statement_on": "2026-03-10",
        "meeting": {
            "name": "学校党支部委员会2026年第3次会议",
            "date": "2026-03-16",
            "due": 7,
            "present": 6,
            "agree": 6,
        },
        "outcome": "demote",
        "new_post": "总务处副主任",
        "effective": "2026-03-18",
        "date": "2026-03-18",
        "cc": [f"{BUREAU}组织人事科"],
    }


def _ethics_decision() -> dict:
    return {
        "authority": BUREAU,
        "doc_number": "示教人〔2026〕8号",
        "date": "2026-10-09",
        "decided_by": "区教育局2026年第18次局务会议",
        "teacher": {
            "name": "马建军",
            "sex": "男",
            "birth": "1986-03",
            "unit": "示范区第三中学",
            "post": "数学教师",
            "title": "一级教师",
            "political_status": "群众",
        },
        "facts": [
            "2026年3月至2026年6月，马建军同志在本校任教期间，利用周末在校外租用场所，组织本校所教班级学生14人参加有偿补课，"
            "共收取补课费用计人民币33600元。",
            "2026年6月，经学生家长举报，示范区第三中学会同区教育局督查室调查核实，上述情况属实。马建军同志对上述事实无异议，"
            "并已退还全部补课费用。",
        ],
        "evidence": ["学生家长举报材料", "补课场所租赁合同", "收费转账记录", "本人书面说明", "调查询问笔录"],
        "statement_on": "2026-09-18",
        "hearing_requested": False,
        "violation": 10,
        "sanction": "记过",
        "other_measures": [
            {"measure": "通报批评"},
            {"measure": "取消资格", "scopes": ["评奖评优", "职称评定"], "months": 24},
        ],
        "appeal_body": "常州市教育局",
        "cc": ["示范区人力资源和社会保障局", "示范区第三中学"],
    }


def _reserve_profile() -> dict:
    return {
        "name": "孙海涛",
        "sex": "男",
        "birth": "1988-09",
        "ethnicity": "汉族",
        "native_place": "江苏溧阳",
        "political_status": "中共党员",
        "party_join": "2009-12",
        "work_start": "2010-08",
        "title": "一级教师",
        "full_time_education": {"level": "大学本科", "degree": "理学学士", "school": "南京师范大学数学与应用数学专业"},
        "in_service_education": {
            "level": "硕士研究生",
            "degree": "教育硕士",
            "school": "江苏师范大学学科教学（数学）专业",
        },
        "unit": SCHOOL,
        "current_post": "教导处副主任",
        "current_post_since": "2021-09",
        "kind": "副职后备",
        "term": "近期可提拔使用",
        "origin": "学校党组织推荐",
        "target_post": "小学副校长",
        "admitted_on": "2025-12-20",
        "profile": [
            "孙海涛，男，1988年9月生，江苏溧阳人，中共党员，大学本科学历，在职教育硕士，一级教师。2010年8月参加工作，"
            "历任示范区第一实验小学数学教师、年级组长，2021年9月起任教导处副主任。",
            "该同志政治立场坚定，理想信念坚定，工作责任心强。协助分管教学管理工作，牵头推进“作业设计与管理”校本研修，"
            "所带团队获市级优秀教研组称号；本人执教的数学课获省级优质课评比一等奖，为市级骨干教师。善于沟通协调，"
            "在教师中有较好的群众基础。",
            "主要不足：学校全局管理经验尚浅，在统筹德育、后勤等工作方面还需加强锻炼。",
        ],
        "appraisals": [
            {"year": 2023, "grade": "合格"},
            {"year": 2024, "grade": "优秀"},
            {"year": 2025, "grade": "合格"},
        ],
        "trainings": [
            {
                "start": "2026-03-02",
                "end": "2026-03-06",
                "name": "示范区中小学后备干部能力提升班",
                "organizer": "示范区教师发展中心",
                "hours": 40,
            },
            {
                "start": "2026-07-13",
                "end": "2026-07-17",
                "name": "常州市学校中层干部管理实务研修",
                "organizer": "常州市教育局",
                "hours": 36,
            },
            {
                "start": "2026-09-01",
                "end": "2026-12-31",
                "name": "跟岗锻炼（示范区实验中学）",
                "organizer": BUREAU,
                "hours": 24,
            },
        ],
        "photo": sample_photo(),
        "as_of": "2026-10-01",
        "date": "2026-10-08",
    }


def _record_sheet() -> dict:
    def doc(title, version, code):
        return {"title": title, "version": version, "code": code}

    return {
        "case": {
            "title": f"{SCHOOL}校长选拔任用",
            "ref": "XZ-2026-007",
            "unit": SCHOOL,
            "post": "校长",
            "method": "民主推荐",
            "started_on": "2026-08-20",
            "rule_set": "《党政领导干部选拔任用工作条例》（2019）规则集",
        },
        "events": [
            {
                "at": "2026-08-20T09:30:00+08:00",
                "step": "动议",
                "actor": "刘芳",
                "from_state": "",
                "to_state": "已动议",
                "reason": "原校长达到任职年龄界限，岗位空缺。",
                "figures": {"职数": "1", "选拔方式": "民主推荐", "推荐范围": "全区小学副校长"},
                "documents": [doc("工作方案", 1, "7KQ2MX9PRT")],
                "hash": "5d0c2a8f0b1e6c3c9a1f1a9c30c3e2aa14b0c6f8d2b3c4d5e6f708192a3b4c5d",
            },
            {
                "at": "2026-08-31T15:00:00+08:00",
                "step": "谈话调研推荐",
                "actor": "陈建国",
                "to_state": "推荐中",
                "figures": [["谈话人数", "28"], ["王晓燕得票", "23"], ["名次", "第1位"]],
                "hash": "8e1f...c2",
            },
            {
                "at": "2026-09-07T16:20:00+08:00",
                "step": "会议推荐",
                "actor": "刘芳",
                "from_state": "推荐中",
                "to_state": "已推荐",
                "figures": [["应到", "47"], ["实到", "42"], ["王晓燕得票", "36/42"], ["名次", "第1位"]],
                "documents": [doc("推荐票统计表", 1, "H3N8WQ4ZKD")],
                "hash": "93ab4410ce55aa0718d2b61f0e94c5a7d8e2f1c0b9a8d7e6f5c4b3a291807f6e",
            },
            {
                "at": "2026-09-10T10:00:00+08:00",
                "step": "确定考察对象",
                "actor": "刘芳",
                "acting_for": "区教育工委",
                "from_state": "已推荐",
                "to_state": "考察中",
                "reason": "经资格审查，无不得列为考察对象情形。",
                "figures": {"考察对象": "王晓燕、赵立新", "职数": "1"},
                "hash": "a04c77e1d3b2c1f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6",
            },
            {
                "at": "2026-09-18T17:10:00+08:00",
                "step": "考察",
                "actor": "陈建国",
                "from_state": "考察中",
                "to_state": "已考察",
                "figures": [
                    ["个别谈话", "32人"],
                    ["民主测评", "优秀35 称职6 基本称职1 不称职0"],
                    ["纪检意见征求/回复", "2026-09-14 / 2026-09-17"],
                    ["个人事项查核委托/处理", "2026-09-14 / 2026-09-18"],
                    ["“三龄两历一身份”核定", "2026-09-16"],
                ],
                "documents": [doc("王晓燕同志考察材料", 1, "P5TA2R8YVC"), doc("民主测评统计表", 1, "Q9XK3M2D7B")],
                "hash": "b7d54f0e2a1c9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d",
            },
            {
                "at": "2026-09-28T11:40:00+08:00",
                "step": "讨论决定",
                "actor": "刘芳",
                "from_state": "已考察",
                "to_state": "已决定",
                "figures": [["应到", "9"], ["实到", "7"], ["同意", "7"], ["结果", "通过"]],
                "documents": [doc("计票单", 1, "R2WJ8K5NHM"), doc("会议纪要（摘录）", 1, "S6YB4T9PQX")],
                "hash": "c1e9a7b5d3f1e0c8a6b4d2f0e9c7a5b3d1f0e8c6a4b2d0f9e7c5a3b1d0f8e6c4",
            },
            {
                "at": "2026-09-30T09:00:00+08:00",
                "step": "任前公示",
                "actor": "刘芳",
                "from_state": "已决定",
                "to_state": "公示中",
                "figures": {"公示期": "2026-09-30至2026-10-12", "工作日": "5"},
                "documents": [doc("干部任前公示", 1, "T8ZC5V3WRA")],
                "hash": "d2f0b8c6a4e2d0f8b6c4a2e0d8f6b4c2a0e8d6f4b2c0a8e6d4f2b0c8a6e4d2f0",
            },
            {
                "at": "2026-10-13T10:00:00+08:00",
                "step": "公示结束",
                "actor": "刘芳",
                "from_state": "公示中",
                "to_state": "公示无异议",
                "reason": "公示期间未收到反映。",
                "figures": {"公示有无反映": "无"},
                "hash": "e3a1c9d7b5f3e1a9c7d5b3f1e9a7c5d3b1f9e7a5c3d1b9f7e5a3c1d9b7f5e3a1",
            },
            {
                "at": "2026-10-14T15:30:00+08:00",
                "step": "任职",
                "actor": "刘芳",
                "from_state": "公示无异议",
                "to_state": "已任职（试用期）",
                "figures": {"发文日期": "2026-10-14", "文号": "示教工委〔2026〕12号", "试用期至": "2027-10-13"},
                "documents": [doc("任职通知", 1, "U3AD6W4XSB")],
                "hash": "f4b2d0e8c6a4f2b0d8e6c4a2f0b8d6e4c2a0f8b6d4e2c0a8f6b4d2e0c8a6f4b2",
            },
        ],
        "summary": [
            ["会议推荐", "得票36 / 有效票42，第1名"],
            ["谈话调研推荐", "得票23 / 谈话28人，第1名"],
            ["是否考察", "是；无不得列为考察对象情形"],
            ["讨论决定", "应参会9人，实际参会7人，同意7人"],
            ["公示", "2026年9月30日至10月12日，无反映"],
            ["发文", "2026年10月14日，示教工委〔2026〕12号"],
        ],
        "chain": {"verified": True, "checked": 9},
        "prepared_by": "刘芳",
        "date": "2026-10-15",
    }


def _reserve_roster() -> dict:
    def row(name, sex, birth, age, post, kind, target, horizon, hours):
        return {
            "name": name,
            "sex": sex,
            "birth": birth,
            "age": age,
            "unit": SCHOOL,
            "current_post": post,
            "education": "大学本科",
            "title": "一级教师",
            "political_status": "中共党员",
            "kind": kind,
            "target": target,
            "horizon": horizon,
            "origin": "学校党组织推荐",
            "state": "在库",
            "admitted_on": "2025-12-20",
            "valid_until": "2028-12-19",
            "training_hours": hours,
        }

    return {
        "issuer": BUREAU,
        "scope": "状态：在库（含已列为考察对象）",
        "as_of": "2026-10-15",
        "date": "2026-10-15",
        "pool_only": True,
        "rows": [
            row("孙海涛", "男", "1988.09", 38, "教导处副主任", "副职后备", f"{SCHOOL}副校长", "近期可提拔使用", "40"),
            row("李芳", "女", "1984.03", 42, "副校长", "正职后备", f"{SCHOOL}校长", "中长期培养", "24"),
        ],
    }


VOTE_URL = "https://cadreflow.example.org/vote/"
BALLOT_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read from paper


def ballot_codes(n: int, length: int = 10) -> list[str]:
    """`n` distinct, deterministic sample codes (for the slips sample and tests; real codes come from secrets)."""
    import random

    rng = random.Random(2026)
    codes: list[str] = []
    while len(codes) < n:
        code = "".join(rng.choice(BALLOT_ALPHABET) for _ in range(length))
        if code not in codes:
            codes.append(code)
    return codes


def _ballot_slips() -> dict:
    categories = [("学校领导班子成员", 2), ("中层干部", 3), ("教职工代表", 7)]
    names = [name for name, count in categories for _ in range(count)]
    return {
        "title": f"{SCHOOL}校长人选民主推荐",
        "organization": SCHOOL,
        "kind_label": "民主推荐",
        "held_on": "2026-09-07",
        "vote_url": VOTE_URL,
        "slips": [{"code": code, "category": name} for code, name in zip(ballot_codes(len(names)), names, strict=True)],
    }


def _ballot_tally() -> dict:
    def candidate(name, unit, electronic, paper, share):
        return {
            "name": name,
            "unit": unit,
            "electronic": electronic,
            "paper": paper,
            "total": electronic + paper,
            "share": share,
        }

    return {
        "title": f"{SCHOOL}校长人选民主推荐",
        "organization": SCHOOL,
        "kind": "recommendation",
        "held_on": "2026-09-07",
        "closed_at": "2026-09-07T16:35:00+08:00",
        "seats": 1,
        "categories": [
            {"name": "学校领导班子成员", "due": 5, "electronic": 5, "paper": 0, "invalid": 0},
            {"name": "中层干部", "due": 12, "electronic": 10, "paper": 1, "invalid": 0},
            {"name": "教职工代表", "due": 26, "electronic": 21, "paper": 2, "invalid": 1},
        ],
        # 38 valid ballots; the shares are printed as the ballots app stored them at close
        "results": [
            candidate(CANDIDATE, f"{SCHOOL}副校长", 30, 2, "84.2"),
            candidate("赵立新", "示范区实验中学副校长", 4, 0, "10.5"),
            candidate("孙海涛", f"{SCHOOL}教导处主任", 1, 0, "2.6"),
        ],
    }


def _veto_check() -> dict:
    def row(name, standing, blocked, reason="", until=""):
        return {
            "name": name,
            "unit": SCHOOL,
            "id_tail": "0031",
            "standing": standing,
            "blocked": blocked,
            "reason": reason,
            "until": until,
        }

    return {
        "issuer": SCHOOL,
        "purpose_label": "教师资格定期注册",
        "on": "2026-10-15",
        "submitted_by": "陈立华",
        "date": "2026-10-15",
        "registration": True,
        "rows": [
            row(
                "周明",
                "注册不合格",
                True,
                "注册周期内2024、2025年度师德考核连续不合格（教师资格定期注册暂行办法第十一条）",
            ),
            row(
                "赵老师",
                "暂缓注册",
                True,
                "受警告处理（2026年03月15日决定，示教发〔2026〕3号），影响期至2026年09月14日（含）",
                "2026-09-14",
            ),
            row(CANDIDATE, "可以注册", False),
        ],
        "problems": [
            {"row": 5, "name": "钱某", "id_tail": "1234", "message": "在您可校验的人员中找不到该身份证号（尾号1234）。"}
        ],
    }


def _team_structure() -> dict:
    def member(name, post, sex, age, education, subject, years, term_end, ending=False):
        return {
            "name": name,
            "post": post,
            "sex": sex,
            "age": age,
            "education": education,
            "subject": subject,
            "years_in_post": years,
            "term_end": term_end,
            "term_ending": ending,
        }

    return {
        "organization": SCHOOL,
        "on": "2026-10-15",
        "issuer": "区教育局组织人事科",
        "date": "2026-10-15",
        "members": [
            member("陈建国", "党组织书记", "男", 52, "大学本科", "语文", "4年1个月", "2027-09-01"),
            member("林晓梅", "校长", "女", 47, "硕士研究生", "数学", "4年11个月", "2026-11-01", True),
            member("周志强", "副校长", "男", 44, "大学本科", "物理", "2年1个月", "2029-09-01"),
        ],
        "middle": [
            member("吴丽", "教务处主任", "女", 38, "大学本科", "英语", "3年1个月", ""),
            member("郑伟", "德育处主任", "男", 41, "大学本科", "体育", "1年1个月", ""),
        ],
        "leader_posts": [
            {"name": "党组织书记", "headcount": 1, "holders": 1, "vacancies": 0},
            {"name": "校长", "headcount": 1, "holders": 1, "vacancies": 0},
            {"name": "副校长", "headcount": 2, "holders": 1, "vacancies": 1},
        ],
        "middle_posts": [
            {"name": "教务处主任", "headcount": 1, "holders": 1, "vacancies": 0},
            {"name": "德育处主任", "headcount": 1, "holders": 1, "vacancies": 0},
        ],
        "headcount": 4,
        "vacancies": 1,
        "middle_headcount": 2,
        "middle_vacancies": 0,
        "reserve": [],
        "gaps": ["班子无40岁以下成员", "校级领导职数空缺", "6个月内任期届满", "无校级后备干部"],
        "thresholds": {"young_age": 40, "term_warning_months": 6},
    }


APPRAISAL_VOTERS = [
    {"category": "校领导班子成员", "attended": 5},
    {"category": "中层干部", "attended": 11},
    {"category": "教职工代表", "attended": 30},
]


def _appraisal_votes(leaders, cadres, staff) -> list[dict]:
    keys = ("excellent", "competent", "basic", "incompetent")
    return [
        {"category": v["category"], **dict(zip(keys, counts, strict=True))}
        for v, counts in zip(APPRAISAL_VOTERS, (leaders, cadres, staff), strict=True)
    ]


def _appraisal_evaluation() -> dict:
    return {
        "organization": SCHOOL,
        "year": 2025,
        "date": "2026-01-08",
        "voters": APPRAISAL_VOTERS,
        "subjects": [
            {"name": "陈建国", "post": "校长", "votes": _appraisal_votes((3, 2, 0, 0), (7, 4, 0, 0), (18, 11, 1, 0))},
            {
                "name": CANDIDATE,
                "post": "副校长",
                "votes": _appraisal_votes((2, 3, 0, 0), (5, 6, 0, 0), (15, 14, 0, 0)),
            },
            {
                "name": "孙海涛",
                "post": "教导处主任",
                "votes": _appraisal_votes((1, 3, 1, 0), (3, 6, 2, 0), (6, 18, 5, 1)),
            },
        ],
    }


def _annual_appraisal_form() -> dict:
    return {
        "organization": SCHOOL,
        "year": 2025,
        "name": CANDIDATE,
        "sex": "女",
        "birth": "1982-05",
        "post": f"{SCHOOL}副校长",
        "education": "大学本科",
        "title": "高级教师",
        "report_summary": "分管教学工作，牵头完成课程规划修订，组织开发校本课程4门；严格遵守廉洁自律各项规定。",
        "voters": APPRAISAL_VOTERS,
        "votes": _appraisal_votes((2, 3, 0, 0), (5, 6, 0, 0), (15, 14, 0, 0)),
        "proposed_grade": "称职",
        "proposed_by": "学校",
        "confirmed_grade": "称职",
        "cap_grade": "称职",
        "cap_reason": "2025年03月12日受警告处理",
        "meeting": "区教育工委2026年第2次委员会会议",
        "meeting_date": "2026-01-20",
        "final_date": "2026-02-03",
    }


def _term_review() -> dict:
    return {
        "organization": SCHOOL,
        "name": "陈建国",
        "post": f"{SCHOOL}校长",
        "number": 2,
        "start": "2023-09-01",
        "end": "2026-08-31",
        "goals": "三年内创建市级规范化学校；教师中高级职称占比提高到45%；建成劳动教育实践基地。",
        "voters": APPRAISAL_VOTERS,
        "votes": _appraisal_votes((3, 2, 0, 0), (7, 4, 0, 0), (18, 11, 1, 0)),
        "grade": "优秀",
        "reviewed_on": "2026-07-10",
    }


def _exchange_plan() -> dict:
    def passed(*labels):
        return [{"label": label, "passed": True, "messages": []} for label in labels]

    labels = ("现任职务", "拟任职位", "任职资格", "师德一票否决", "任职回避")
    return {
        "title": "2026年秋季中小学校领导人员交流轮岗方案",
        "issuer": BUREAU,
        "effective_date": "2026-08-25",
        "status": "已批准",
        "checked_on": "2026-07-20",
        "meeting": {
            "name": "区教育工委2026年第7次委员会会议",
            "date": "2026-07-20",
            "decision": "同意该方案，自2026年8月25日起实施。",
        },
        "moves": [
            {
                "name": "周建国",
                "sex": "男",
                "birth": "1972-03",
                "from_unit": SCHOOL,
                "from_post": "校长",
                "to_unit": "示范区实验中学",
                "to_post": "校长",
                "reason": "在本校任领导职务已12年3个月",
                "checks": passed(*labels),
            },
            {
                "name": "陈丽华",
                "sex": "女",
                "birth": "1976-11",
                "from_unit": "示范区实验中学",
                "from_post": "校长",
                "to_unit": SCHOOL,
                "to_post": "校长",
                "reason": "任校长已满2届（现第3任）",
                "checks": passed(*labels),
            },
            {
                "name": "刘志强",
                "sex": "男",
                "birth": "1979-06",
                "from_unit": "示范区第二实验小学",
                "from_post": "副校长",
                "to_unit": "示范区城东小学",
                "to_post": "副校长",
                "reason": "在本校任领导职务已10年1个月",
                "checks": passed(*labels),
            },
        ],
        "schools": [
            {
                "name": SCHOOL,
                "before": ["周建国（校长）", "李敏（副校长）"],
                "after": ["陈丽华（校长）", "李敏（副校长）"],
                "gaps_added": [],
                "gaps_removed": [],
            },
            {
                "name": "示范区城东小学",
                "before": ["王强（校长）"],
                "after": ["王强（校长）", "刘志强（副校长）"],
                "gaps_added": [],
                "gaps_removed": ["副校长空缺1人"],
            },
        ],
        "date": "2026-07-20",
    }


_FACTORIES = {
    "inspection_report": _inspection_report,
    "recommendation_tally": _recommendation_tally,
    "evaluation_tally": _evaluation_tally,
    "vote_sheet": _vote_sheet,
    "minutes_extract": _minutes_extract,
    "public_notice": _public_notice,
    "appointment_notice": _appointment_notice,
    "competition_score_sheet": _competition_score_sheet,
    "competition_ranking": _competition_ranking,
    "competition_announcement": _competition_announcement,
    "competition_registrations": _competition_registrations,
    "competition_qualification": _competition_qualification,
    "adjustment_decision": _adjustment_decision,
    "ethics_decision": _ethics_decision,
    "reserve_profile": _reserve_profile,
    "reserve_roster": _reserve_roster,
    "record_sheet": _record_sheet,
    "annual_appraisal_form": _annual_appraisal_form,
    "appraisal_evaluation": _appraisal_evaluation,
    "term_review": _term_review,
    "team_structure": _team_structure,
    "ballot_slips": _ballot_slips,
    "ballot_tally": _ballot_tally,
    "veto_check": _veto_check,
    "exchange_plan": _exchange_plan,
}
KINDS = tuple(_FACTORIES)
SAMPLES: dict[str, dict] = {kind: factory() for kind, factory in _FACTORIES.items()}


def sample_input(kind: str) -> dict:
    """A fresh copy of the sample input of `kind` (callers may change it freely)."""
    return copy.deepcopy(SAMPLES[kind])


def builder_for(kind: str):
    """`dossiers.content.<kind>.build_<kind>` — the naming every kind's builder follows."""
    return getattr(importlib.import_module(f"dossiers.content.{kind}"), f"build_{kind}")


def build_sample(kind: str) -> dict:
    return builder_for(kind)(**sample_input(kind))


def sample_document(kind: str, content: dict) -> dict:
    """The `document` part of a render context, as `dossiers.services.render_context` gives it."""
    from dossiers.kinds import DossierKind

    return {
        "title": content.get("title", kind),
        "kind": str(DossierKind(kind).label),
        "version": 1,
        "verification_code": "SAMPLE" + f"{KINDS.index(kind) + 1:04d}" if kind in KINDS else "SAMPLE0000",
        "created_at": dt.datetime(2026, 10, 15, 9, 0),
    }
