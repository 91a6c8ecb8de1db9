"""Officer pages of electronic ballots, beside a principal-selection case (电子投票).

While a round is open these pages show turnout per category only — to everyone, superusers included; the
per-candidate figures appear after the close. Who may see the case sees the rounds (else 404 for the case,
403 without the flow's view permission); personnel officers act on every round, the case's inspection team on
its 民主测评 rounds.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from workflows.principal_selection.models import CaseState
from workflows.principal_selection.selectors import cases_visible_to

from . import documents, forms, services
from .models import BallotKind, BallotRound, RoundState
from .selectors import may_manage, rounds_of, turnout


def _flow():
    from workflows.principal_selection.flows import PrincipalSelectionFlow

    return PrincipalSelectionFlow


def _errors(form) -> list[str]:
    return [
        f"{form.fields[k].label if k in form.fields else ''}{'：' if k in form.fields else ''}{m}"
        for k, errs in form.errors.items()
        for m in errs
    ]


class CaseBallotMixin:
    def dispatch(self, request, *args, **kwargs):
        if not _flow().instance.has_view_permission(request.user):
            raise PermissionDenied
        self.case = get_object_or_404(cases_visible_to(request.user), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def url(self, name, *args):
        return _flow().instance.reverse(name, args=[self.case.pk, *args])


class BallotListView(CaseBallotMixin, TemplateView):
    """The case's rounds and the forms to create one."""

    template_name = "ballots/round_list.html"

    def get_context_data(self, recommendation_form=None, evaluation_form=None, **kwargs):
        user = self.request.user
        rounds = [
            {
                "round": r,
                "turnout": sum(t["total"] for t in turnout(r)),
                "due": sum(t["due"] for t in turnout(r)),
                "url": self.url("ballot", r.pk),
            }
            for r in rounds_of(self.case)
        ]
        can_recommend = may_manage(user, BallotKind.RECOMMENDATION, self.case) and self.case.state == CaseState.PROPOSED
        can_evaluate = may_manage(user, BallotKind.EVALUATION, self.case) and self.case.active_candidates.exists()
        return super().get_context_data(
            case=self.case,
            rounds=rounds,
            recommendation_form=(
                recommendation_form
                or forms.RecommendationRoundForm(initial={"seats": self.case.posts_to_fill}, user=user)
            )
            if can_recommend
            else None,
            evaluation_form=(evaluation_form or forms.EvaluationRoundForm(case=self.case, user=user))
            if can_evaluate
            else None,
            process_url=_flow().instance.reverse("process_detail", args=[self.case.pk]),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        if action == "recommendation":
            form, kind = forms.RecommendationRoundForm(request.POST, user=request.user), BallotKind.RECOMMENDATION
        elif action == "evaluation":
            form = forms.EvaluationRoundForm(request.POST, case=self.case, user=request.user)
            kind = BallotKind.EVALUATION
        else:
            raise PermissionDenied
        if not may_manage(request.user, kind, self.case):
            raise PermissionDenied
        errors = []
        if form.is_valid():
            d = form.cleaned_data
            try:
                rnd = services.round_create(
                    case=self.case,
                    acting_user=request.user,
                    kind=kind,
                    held_on=d["held_on"],
                    categories=d["categories"],
                    form=d.get("form", ""),
                    people=d.get("people", ()),
                    seats=d.get("seats"),
                    candidate=d.get("candidate"),
                )
            except ValidationError as exc:
                errors = exc.messages
            else:
                messages.success(request, _("已建立投票：%(t)s。") % {"t": rnd.title})
                return HttpResponseRedirect(self.url("ballot", rnd.pk))
        else:
            errors = _errors(form)
        for message in errors:
            messages.error(request, message)
        key = "recommendation_form" if kind == BallotKind.RECOMMENDATION else "evaluation_form"
        return self.render_to_response(self.get_context_data(**{key: form}))


class BallotRoundView(CaseBallotMixin, TemplateView):
    """One round: draft (open it), open (turnout, paper counts, close), closed (the tally)."""

    template_name = "ballots/round_detail.html"

    def get_round(self) -> BallotRound:
        return get_object_or_404(
            BallotRound.objects.select_related("candidate__person", "opened_by", "closed_by"),
            pk=self.kwargs["round_pk"],
            case=self.case,
        )

    def get_context_data(self, paper_form=None, **kwargs):
        rnd = self.get_round()
        can_manage = may_manage(self.request.user, rnd, self.case)
        from dossiers.selectors import documents_visible_to

        return super().get_context_data(
            case=self.case,
            rnd=rnd,
            turnout=turnout(rnd),
            candidates=rnd.candidates.select_related("person") if rnd.kind == BallotKind.RECOMMENDATION else [],
            results=rnd.results if rnd.state == RoundState.CLOSED else None,
            can_manage=can_manage,
            paper_form=(paper_form or forms.PaperForm(rnd=rnd)) if can_manage and rnd.is_open else None,
            documents=documents_visible_to(self.request.user)
            .filter(process_ref=f"principal_selection:{self.case.pk}", step=f"ballot_{rnd.pk}")
            .order_by("id"),
            list_url=self.url("ballots"),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        rnd = self.get_round()
        if not may_manage(request.user, rnd, self.case):
            raise PermissionDenied
        action = request.POST.get("action")
        try:
            if action == "open":
                rnd, slips = services.round_open(rnd=rnd, acting_user=request.user)
                doc = documents.slips_document(
                    rnd, services.shuffled(slips), acting_user=request.user, base_url=documents.vote_url(request)
                )
                del slips
                messages.success(
                    request, _("投票已开始，已生成投票凭证（第%(v)d版），请打印后分发。") % {"v": doc.version}
                )
            elif action == "paper":
                form = forms.PaperForm(request.POST, rnd=rnd)
                if not form.is_valid():
                    for message in _errors(form):
                        messages.error(request, message)
                    return self.render_to_response(self.get_context_data(paper_form=form))
                d = form.cleaned_data
                services.paper_record(
                    rnd=rnd,
                    acting_user=request.user,
                    category=d["category"],
                    cast=d["cast"],
                    invalid=d["invalid"] or 0,
                    marks=form.marks(),
                )
                messages.success(request, _("已录入%(name)s的纸质票。") % {"name": d["category"].name})
            elif action == "close":
                rnd = services.round_close(rnd=rnd, acting_user=request.user)
                documents.tally_document(rnd, acting_user=request.user)
                if rnd.applied:
                    messages.success(request, _("投票已结束，计票结果已计入。"))
                    self._recommendation_documents(rnd)
                else:
                    messages.error(
                        request, _("投票已结束并已计票，但结果未能计入：%(reason)s") % {"reason": rnd.apply_error}
                    )
            elif action == "discard":
                services.round_discard(rnd=rnd, acting_user=request.user)
                messages.success(request, _("已删除未开始的投票。"))
                return HttpResponseRedirect(self.url("ballots"))
            else:
                raise PermissionDenied
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        return HttpResponseRedirect(request.path)

    def _recommendation_documents(self, rnd):
        """As the recommend page does: when both rounds are in, the 推荐票统计表 is generated."""
        from workflows.principal_selection.documents import recommendation_tally_document
        from workflows.principal_selection.services import recommendation_complete

        if rnd.kind == BallotKind.RECOMMENDATION and recommendation_complete(self.case):
            recommendation_tally_document(self.case, acting_user=self.request.user)
