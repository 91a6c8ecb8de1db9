"""Electronic ballots (民主推荐, 民主测评): a round, its candidates, voter categories, one-time codes, ballots.

Secrecy is a property of the schema, not of discipline:
- `BallotCode` holds the HMAC of a code, its round and category, and whether it is spent: no time, no choice,
  no reference to a ballot.
- `Ballot` holds the round, the category and the marks: no code, no user, no address, no time; its primary key
  is a random UUID so that neither the key nor an ordering by it tells which ballot was cast first.
The plain codes exist only in the slips document handed to the officer (`dossiers`, kind ballot_slips).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from cadres.models import Person
from workflows.principal_selection.models import Candidate, RoundForm, SelectionCase


class BallotKind(models.TextChoices):
    RECOMMENDATION = "recommendation", _("民主推荐")
    EVALUATION = "evaluation", _("民主测评")


class RoundState(models.TextChoices):
    DRAFT = "draft", _("未开始")
    OPEN = "open", _("投票中")
    CLOSED = "closed", _("已结束")


class Grade(models.TextChoices):
    """The four grades of a 民主测评, keyed as `inspection_record` stores them."""

    EXCELLENT = "excellent", _("优秀")
    COMPETENT = "competent", _("称职")
    BASIC = "basic", _("基本称职")
    INCOMPETENT = "incompetent", _("不称职")


class BallotRound(models.Model):
    """One vote of one meeting: the recommendation round of a selection case, or the 民主测评 of a candidate.

    `state` moves only through its transitions (draft → open → closed). `results` is written once, at close.
    `applied` says whether the totals reached the step; `apply_error` keeps the step's refusal otherwise.
    """

    kind = models.CharField(_("投票类别"), max_length=16, choices=BallotKind.choices)
    case = models.ForeignKey(SelectionCase, on_delete=models.CASCADE, related_name="ballot_rounds")
    form = models.CharField(_("推荐方式"), max_length=10, choices=RoundForm.choices, blank=True)
    candidate = models.ForeignKey(
        Candidate,
        verbose_name=_("测评对象"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ballot_rounds",
    )
    title = models.CharField(_("标题"), max_length=200)
    held_on = models.DateField(_("投票日期"))
    seats = models.PositiveSmallIntegerField(_("应选人数"), default=1)
    state = FSMField(_("状态"), default=RoundState.DRAFT, choices=RoundState.choices, protected=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    results = models.JSONField(_("计票结果"), default=dict, blank=True)
    applied = models.BooleanField(_("已计入步骤"), default=False)
    apply_error = models.TextField(_("未能计入的原因"), blank=True)

    class Meta:
        verbose_name = _("投票")
        verbose_name_plural = _("投票")
        ordering = ["case", "held_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(kind="recommendation", candidate__isnull=True) & ~models.Q(form=""))
                | models.Q(kind="evaluation", candidate__isnull=False, form=""),
                name="ballots_round_target",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @transition(field=state, source=RoundState.DRAFT, target=RoundState.OPEN)
    def open(self):
        """Codes are issued by the service in the same transaction."""

    @transition(field=state, source=RoundState.OPEN, target=RoundState.CLOSED)
    def close(self):
        """Counting happens in the service in the same transaction."""

    @property
    def is_open(self) -> bool:
        return self.state == RoundState.OPEN

    @property
    def is_closed(self) -> bool:
        return self.state == RoundState.CLOSED


class BallotCandidate(models.Model):
    """A person on a recommendation ballot; `description` (unit and post) tells two of one name apart."""

    round = models.ForeignKey(BallotRound, on_delete=models.CASCADE, related_name="candidates")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    description = models.CharField(_("单位职务"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["round", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["round", "person"], name="ballots_candidate_once")]

    def __str__(self) -> str:
        return self.person.name


class VoterCategory(models.Model):
    """A category of voters with its 应到 number, and the paper ballots counted for it (recorded as such)."""

    round = models.ForeignKey(BallotRound, on_delete=models.CASCADE, related_name="categories")
    name = models.CharField(_("类别"), max_length=60)
    due = models.PositiveIntegerField(_("应到人数"))
    order = models.PositiveSmallIntegerField(default=0)
    paper_cast = models.PositiveIntegerField(_("纸质票数"), default=0)
    paper_invalid = models.PositiveIntegerField(_("纸质废票"), default=0)
    paper_marks = models.JSONField(_("纸质票计票"), default=dict, blank=True)  # {candidate id or grade: n}
    paper_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    paper_recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["round", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["round", "name"], name="ballots_category_once")]

    def __str__(self) -> str:
        return self.name


class BallotCode(models.Model):
    """One slip: the HMAC of its code (never the code), its category, spent or not — nothing else."""

    round = models.ForeignKey(BallotRound, on_delete=models.CASCADE, related_name="codes")
    category = models.ForeignKey(VoterCategory, on_delete=models.CASCADE, related_name="codes")
    code_hash = models.CharField(max_length=64, unique=True)
    spent = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"{self.round_id}/{self.category_id}"


class Ballot(models.Model):
    """One electronic ballot: round, category, marks. Deliberately nothing that could join it to a slip."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(BallotRound, on_delete=models.CASCADE, related_name="ballots")
    category = models.ForeignKey(VoterCategory, on_delete=models.CASCADE, related_name="ballots")
    marks = models.JSONField(default=list)  # BallotCandidate ids (recommendation) or one Grade (evaluation)
    valid = models.BooleanField(default=True)

    def __str__(self) -> str:
        return str(self.id)


class GuessFailure(models.Model):
    """One wrong code typed from one address (the code itself is not kept): the throttle counts these rows."""

    address = models.CharField(max_length=45, db_index=True)
    at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.address} {self.at:%Y-%m-%d %H:%M}"
