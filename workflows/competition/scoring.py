"""Composite scores and ranking of a competition, from the frozen plan (DOMAIN §5.3, regulations.md §4).

Pure functions over plain values, no database. Guarantees:
- Decimal arithmetic throughout; the speech mean is rounded half-up to 2 places before weighting, the
  composite (Σ part × weight / 100) is rounded half-up to 2 places once, at the end. This is the only place
  the ranking is computed: `services.ranking_compute` stores the results (speech score after trimming, the
  dropped sheets, composite, rank, shortlist, trace) and the printed sheet only formats them.
- Trimming: when a post's panel has at least `trim_min_judges` judges (the plan's number, default 5), one
  highest and one lowest speech score are dropped (the first occurrence in judge order for each).
- Missing sheets: a post is NOT ranked until every assigned (non-recused) judge has submitted a sheet for
  every qualified candidate and both other scores are entered; `rank_post` raises `IncompleteScores`
  naming every missing item. A partial ranking would change when the last sheet arrives, so none is shown.
- Ranking is total and deterministic: composite descending, then the plan's tie-break keys in order
  (speech / evaluation / performance / years_of_teaching descending), then the draw number ascending as
  the final key (always appended). Name pinyin is deliberately not a key: pypinyin is not installed and
  the draw number (演讲抽签序号) is unique, public and fixed before the sitting.
- Every candidate carries a trace: each step as a Chinese sentence with its numbers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _

HUNDRED = Decimal(100)
TWO_PLACES = Decimal("0.01")
COMPONENTS = ("speech", "evaluation", "performance")
COMPONENT_LABELS = {"speech": "演讲答辩", "evaluation": "民主测评", "performance": "工作业绩"}
TIE_KEYS = {
    "speech": "演讲答辩成绩",
    "evaluation": "民主测评成绩",
    "performance": "工作业绩成绩",
    "years_of_teaching": "教龄",
    "number": "抽签序号",
}
DEFAULT_TIE_BREAK = ("speech", "evaluation", "years_of_teaching", "number")


class ScoringError(ValueError):
    """A plan's scoring rules that cannot be applied (weights not summing to 100, unknown tie key)."""


class IncompleteScores(ValueError):
    """The post cannot be ranked yet; `missing` lists every missing sheet or score as a sentence."""

    def __init__(self, missing: list[str]):
        super().__init__("；".join(missing))
        self.missing = missing


def half_up(value: Decimal, places: Decimal = TWO_PLACES) -> Decimal:
    return value.quantize(places, rounding=ROUND_HALF_UP)


def fmt(value: Decimal) -> str:
    """Two decimals, always ("85.10")."""
    return str(half_up(value))


def fmt_exact(value: Decimal) -> str:
    """The exact value without trailing zeros ("25.539", "18")."""
    text = format(value.normalize(), "f")
    return text


def to_decimal(value, label: str) -> Decimal:
    try:
        result = Decimal(str(value))
    except (InvalidOperation, TypeError) as exc:
        raise ScoringError(_("%(label)s不是有效数值：%(value)s") % {"label": label, "value": repr(value)}) from exc
    if not result.is_finite():
        raise ScoringError(_("%(label)s不是有效数值：%(value)s") % {"label": label, "value": repr(value)})
    return result


@dataclass(frozen=True)
class ScoringRules:
    weights: Mapping[str, Decimal]
    trim_min_judges: int = 5
    tie_break: tuple[str, ...] = DEFAULT_TIE_BREAK

    def __post_init__(self):
        if set(self.weights) != set(COMPONENTS):
            raise ScoringError(_("权重须包括演讲答辩、民主测评、工作业绩三项。"))
        total = sum(self.weights.values(), Decimal(0))
        if total != HUNDRED:
            raise ScoringError(_("各项权重之和应为100，现为%(total)s。") % {"total": fmt_exact(total)})
        if any(w < 0 for w in self.weights.values()):
            raise ScoringError(_("权重不能为负数。"))
        if self.weights["speech"] == 0:
            raise ScoringError(_("演讲答辩权重不能为0。"))
        if self.trim_min_judges < 3:
            raise ScoringError(_("去高去低的最少评委数不得少于3。"))
        unknown = [k for k in self.tie_break if k not in TIE_KEYS]
        if unknown:
            raise ScoringError(_("未知的同分排序依据：%(keys)s") % {"keys": "、".join(unknown)})
        if len(set(self.tie_break)) != len(self.tie_break):
            raise ScoringError(_("同分排序依据重复。"))

    @classmethod
    def from_plan(cls, plan: Mapping) -> ScoringRules:
        """The rules as stored in a plan: {"weights": {...}, "trim_min_judges": 5, "tie_break": [...]}."""
        weights = {k: to_decimal(plan.get("weights", {}).get(k, 0), COMPONENT_LABELS[k]) for k in COMPONENTS}
        return cls(
            weights=weights,
            trim_min_judges=int(plan.get("trim_min_judges", 5)),
            tie_break=tuple(plan.get("tie_break") or DEFAULT_TIE_BREAK),
        )

    @property
    def sort_keys(self) -> tuple[str, ...]:
        keys = tuple(self.tie_break)
        return keys if "number" in keys else (*keys, "number")


@dataclass(frozen=True)
class CandidateScores:
    """One qualified candidate of a post: the judges' sheet totals (judge label → total) and other scores."""

    key: object
    name: str
    number: int
    sheets: Mapping[str, Decimal]
    evaluation: Decimal | None
    performance: Decimal | None
    years_of_teaching: int = 0


@dataclass
class CandidateResult:
    key: object
    name: str
    number: int
    speech: Decimal
    evaluation: Decimal
    performance: Decimal
    years_of_teaching: int
    composite: Decimal
    dropped: dict[str, str] = field(default_factory=dict)  # judge label → "high"/"low"
    trace: list[str] = field(default_factory=list)
    rank: int = 0

    def value(self, key: str):
        return getattr(self, key)

    def as_dict(self) -> dict:
        """Plain JSON-able values (for dossiers and the case record)."""
        return {
            "key": self.key,
            "name": self.name,
            "number": self.number,
            "speech": fmt(self.speech),
            "evaluation": fmt(self.evaluation),
            "performance": fmt(self.performance),
            "years_of_teaching": self.years_of_teaching,
            "composite": fmt(self.composite),
            "dropped": dict(self.dropped),
            "trace": list(self.trace),
            "rank": self.rank,
        }


def missing_items(candidates: Iterable[CandidateScores], judges: Sequence[str]) -> list[str]:
    """Every sheet or score still missing for a post, as sentences (empty when the post can be ranked)."""
    missing = []
    if not judges:
        missing.append(_("本岗位没有可评分的评委。"))
    for cand in candidates:
        for judge in judges:
            if judge not in cand.sheets:
                missing.append(_("%(judge)s尚未提交%(name)s的评分表") % {"judge": judge, "name": cand.name})
        if cand.evaluation is None:
            missing.append(_("%(name)s的民主测评成绩未录入") % {"name": cand.name})
        if cand.performance is None:
            missing.append(_("%(name)s的工作业绩成绩未录入") % {"name": cand.name})
    return missing


def _speech(cand: CandidateScores, judges: Sequence[str], rules: ScoringRules) -> tuple[Decimal, dict, list[str]]:
    scores = [cand.sheets[j] for j in judges]
    listed = "、".join(f"{j} {fmt(s)}" for j, s in zip(judges, scores, strict=True))
    trace = [f"演讲答辩评分（{len(judges)}位评委）：{listed}"]
    dropped: dict[str, str] = {}
    if len(judges) >= rules.trim_min_judges:
        hi = max(range(len(scores)), key=lambda i: (scores[i], -i))
        lo = min((i for i in range(len(scores)) if i != hi), key=lambda i: (scores[i], i))
        dropped = {judges[hi]: "high", judges[lo]: "low"}
        kept = [s for i, s in enumerate(scores) if i not in (hi, lo)]
        total = sum(kept, Decimal(0))
        mean = half_up(total / len(kept))
        trace.append(
            f"评委{len(judges)}人，不少于{rules.trim_min_judges}人：去掉最高分{fmt(scores[hi])}（{judges[hi]}）、"
            f"最低分{fmt(scores[lo])}（{judges[lo]}），其余{len(kept)}个分数之和{fmt_exact(total)}，"
            f"平均{fmt_exact(total / len(kept))}，四舍五入为{fmt(mean)}"
        )
    else:
        total = sum(scores, Decimal(0))
        mean = half_up(total / len(scores))
        trace.append(
            f"评委{len(judges)}人，少于{rules.trim_min_judges}人，不去高去低：{len(scores)}个分数之和"
            f"{fmt_exact(total)}，平均{fmt_exact(total / len(scores))}，四舍五入为{fmt(mean)}"
        )
    return mean, dropped, trace


def score_candidate(cand: CandidateScores, judges: Sequence[str], rules: ScoringRules) -> CandidateResult:
    """The composite score of one candidate with its trace (every sheet and score must be present)."""
    missing = missing_items([cand], judges)
    if missing:
        raise IncompleteScores(missing)
    speech, dropped, trace = _speech(cand, judges, rules)
    parts = {"speech": speech, "evaluation": cand.evaluation, "performance": cand.performance}
    products = {k: parts[k] * rules.weights[k] / HUNDRED for k in COMPONENTS}
    exact = sum(products.values(), Decimal(0))
    composite = half_up(exact)
    used = [k for k in COMPONENTS if rules.weights[k]]
    formula = " + ".join(f"{fmt(parts[k])}×{fmt_exact(rules.weights[k])}%" for k in used)
    terms = " + ".join(fmt_exact(products[k]) for k in used)
    trace.append(f"民主测评{fmt(cand.evaluation)}，工作业绩{fmt(cand.performance)}")
    trace.append(f"综合成绩 = {formula} = {terms} = {fmt_exact(exact)}，四舍五入保留两位小数为{fmt(composite)}")
    return CandidateResult(
        key=cand.key,
        name=cand.name,
        number=cand.number,
        speech=speech,
        evaluation=cand.evaluation,
        performance=cand.performance,
        years_of_teaching=cand.years_of_teaching,
        composite=composite,
        dropped=dropped,
        trace=trace,
    )


def _sort_key(result: CandidateResult, keys: Sequence[str]):
    values = [-result.composite]
    for key in keys:
        value = result.value(key)
        values.append(value if key == "number" else -value)
    return tuple(values)


def rank_post(
    candidates: Sequence[CandidateScores], judges: Sequence[str], rules: ScoringRules
) -> list[CandidateResult]:
    """Score and rank one post's candidates; raises IncompleteScores while anything is missing."""
    numbers = [c.number for c in candidates]
    if len(set(numbers)) != len(numbers):
        raise ScoringError(_("抽签序号重复，无法确定排名。"))
    missing = missing_items(candidates, judges)
    if missing:
        raise IncompleteScores(missing)
    results = [score_candidate(c, judges, rules) for c in candidates]
    keys = rules.sort_keys
    results.sort(key=lambda r: _sort_key(r, keys))
    for index, result in enumerate(results, start=1):
        result.rank = index
    for result in results:
        tied = [r for r in results if r is not result and r.composite == result.composite]
        if not tied:
            result.trace.append(f"第{result.rank}名")
            continue
        labels = "、".join(TIE_KEYS[k] for k in keys)
        own = "，".join(f"{TIE_KEYS[k]}{_show(result, k)}" for k in keys)
        result.trace.append(
            f"与{'、'.join(r.name for r in tied)}综合成绩同为{fmt(result.composite)}，依次比较{labels}"
            f"（本人：{own}），列第{result.rank}名"
        )
    return results


def _show(result: CandidateResult, key: str) -> str:
    value = result.value(key)
    return fmt(value) if isinstance(value, Decimal) else str(value)
