#!/usr/bin/env python
"""Time `cadres.roster.importer.import_roster` on a generated, valid roster of N rows (default 10,000).

Runs against a throwaway database: a new SQLite file under /tmp by default, or, when DATABASE_URL is set,
a `test_<name>` database created on that server and dropped afterwards (the named database itself is not
touched). Creates a bureau and ~60 schools, then measures, best of --repeat runs each:

    create     every row is a new person (the people are deleted between runs)
    unchanged  the same file again: every row matches, nothing is written but the audit event
    update     a file that changes two fields of every person: 10,000 updates
    export     `export_roster` of everyone (the same N people) to .xlsx bytes

Usage:
    .venv/bin/python bench/bench_roster_import.py [--rows 10000] [--repeat 3] [--profile]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cadreflow_bench .venv/bin/python bench/bench_roster_import.py
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import io
import os
import pstats
import time

from benchsetup import setup_django

SCHOOLS = 60


def _parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000, help="data rows in the workbook (default 10000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per scenario; the best is reported")
    parser.add_argument("--profile", action="store_true", help="print the top functions of one create run")
    return parser.parse_args()


def _district():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from cadres import choices as c
    from cadres.models import Organization, Profile
    from cadres.roles import Role

    bureau = Organization.objects.create(code="B001", name="示范区教育局", kind=c.OrgKind.BUREAU)
    stages = list(c.Stage)
    schools = Organization.objects.bulk_create(
        Organization(
            code=f"S{n:03d}",
            name=f"示范区第{n}学校",
            kind=c.OrgKind.SCHOOL,
            stage=stages[n % len(stages)],
            parent=bureau,
        )
        for n in range(1, SCHOOLS + 1)
    )
    officer = get_user_model().objects.create_user("bench-officer", password="bench-only")
    officer.groups.add(Group.objects.get(name=Role.PERSONNEL_OFFICER))
    Profile.objects.create(user=officer, organization=bureau)
    return officer, [s.code for s in schools]


def _workbook(rows: int, school_codes: list[str], *, variant: int = 0) -> bytes:
    """A valid roster of `rows` people; `variant` changes 健康状况 and 任教学科 of everyone."""
    from openpyxl import Workbook

    from cadres import choices as c
    from cadres.idcard import make_id_number
    from cadres.roster.columns import HEADERS

    subjects = ["语文", "数学", "英语", "物理", "化学", "生物", "历史", "地理", "音乐", "体育"]
    titles = ["二级教师", "一级教师", "高级教师"]
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("花名册")
    ws.append(list(HEADERS))
    for i in range(rows):
        birth = dt.date(1965, 1, 1) + dt.timedelta(days=i % 12_000)
        sex = c.Sex.MALE if i % 2 else c.Sex.FEMALE
        region = f"{110101 + i // 12_000:06d}"
        party = i % 3 != 0
        work_start = dt.date(birth.year + 22, 8, 1)
        values = {
            "身份证号": make_id_number(region, birth, i % 100, sex),
            "姓名": f"测试{i}",
            "性别": "男" if sex == c.Sex.MALE else "女",
            "出生日期": birth,
            "民族": "汉族",
            "籍贯": "山东济南",
            "出生地": "山东济南",
            "政治面貌": "中共党员" if party else "群众",
            "入党时间": f"{birth.year + 21}.06" if party else None,
            "参加工作时间": work_start,
            "健康状况": "健康" if variant == 0 else "良好",
            "单位代码": school_codes[i % len(school_codes)],
            "任教学科": subjects[(i + variant) % len(subjects)],
            "在职状态": "在职",
            "专业技术职务": titles[i % len(titles)],
            "取得资格时间": f"{work_start.year + 5}-12-01",
            "全日制学历": "大学本科",
            "全日制学位": "学士",
            "全日制毕业院校": "山东师范大学",
            "全日制专业": "教育学",
            "在职学历": "硕士研究生" if i % 2 else None,
            "在职学位": "硕士" if i % 2 else None,
            "在职毕业院校": "北京师范大学" if i % 2 else None,
            "在职专业": "教育管理" if i % 2 else None,
        }
        ws.append([values.get(h) for h in HEADERS])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _clear_people() -> None:
    from cadres.models import Education, Person, TitleHistory

    TitleHistory.objects.all().delete()
    Education.objects.all().delete()
    Person.objects.all().delete()


def _timed_import(data: bytes, officer, *, expect: str, rows: int) -> float:
    from cadres.roster.importer import import_roster

    file_obj = io.BytesIO(data)
    file_obj.name = "bench.xlsx"
    start = time.perf_counter()
    result = import_roster(file_obj, acting_user=officer)
    elapsed = time.perf_counter() - start
    if not result.ok:
        raise SystemExit(f"benchmark workbook was refused: {result.errors[:5]}")
    counts = {"create": result.created, "unchanged": result.unchanged, "update": result.updated}
    if counts[expect] != rows:
        raise SystemExit(f"{expect}: expected {rows} rows, result was {result}")
    return elapsed


def main() -> None:
    args = _parse_args()
    sqlite_path = setup_django("roster")
    from django.db import connection

    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        officer, school_codes = _district()
        t0 = time.perf_counter()
        original = _workbook(args.rows, school_codes)
        changed = _workbook(args.rows, school_codes, variant=1)
        print(
            f"database: {connection.vendor} ({connection.settings_dict['NAME']}); rows: {args.rows}; "
            f"schools: {len(school_codes)}; workbook: {len(original) / 1e6:.1f} MB, "
            f"generated in {time.perf_counter() - t0:.1f} s"
        )
        if args.profile:
            profiler = cProfile.Profile()
            profiler.enable()
            _timed_import(original, officer, expect="create", rows=args.rows)
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
            _clear_people()

        results: dict[str, list[float]] = {"create": [], "unchanged": [], "update": []}
        for _ in range(args.repeat):
            _clear_people()
            results["create"].append(_timed_import(original, officer, expect="create", rows=args.rows))
        for _ in range(args.repeat):
            results["unchanged"].append(_timed_import(original, officer, expect="unchanged", rows=args.rows))
        for run in range(args.repeat):
            data = changed if run % 2 == 0 else original
            results["update"].append(_timed_import(data, officer, expect="update", rows=args.rows))
        from cadres.models import Person
        from cadres.roster.exporter import export_roster

        results["export"] = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            export_roster(Person.objects.all())
            results["export"].append(time.perf_counter() - start)
        for scenario, times in results.items():
            best = min(times)
            runs = ", ".join(f"{t:.2f}" for t in times)
            print(f"{scenario:>9}: best {best:6.2f} s  {args.rows / best:8.0f} rows/s   (runs: {runs} s)")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        if sqlite_path and os.path.exists(sqlite_path):
            os.remove(sqlite_path)


if __name__ == "__main__":
    main()
