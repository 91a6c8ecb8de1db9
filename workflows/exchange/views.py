"""Pages of the exchange plans (bureau only; anyone else gets 404). Views are thin: forms, then services."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from audit.models import AuditEvent
from cadres.person_search import pk_from_token
from cadres.roles import is_bureau_user
from cadres.scoping import people_visible_to
from dossiers.selectors import documents_visible_to

from . import checks, selectors, services
from .due import due_for_exchange
from .forms import ApplyForm, DecisionForm, MoveForm, MovePersonForm, PlanForm, TargetFilterForm
from .impact import plan_impact, uses_shared_module
from .models import ExchangeMove, PlanState

EVENT_LABELS = {
    "exchange_plan_create": gettext_lazy("拟定方案"),
    "exchange_move_add": gettext_lazy("加入人选"),
    "exchange_move_remove": gettext_lazy("移出人选"),
    "exchange_plan_approve": gettext_lazy("会议批准"),
    "exchange_plan_approve_refused": gettext_lazy("批准被拒：有人选未通过核查"),
    "exchange_plan_return": gettext_lazy("会议退回"),
    "exchange_plan_reopen": gettext_lazy("重新修改"),
    "exchange_plan_apply": gettext_lazy("实施"),
    "exchange_plan_apply_refused": gettext_lazy("实施被拒：有人选未通过核查"),
}


class BureauOnly:
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect(f"/accounts/login/?next={request.path}")
        if not is_bureau_user(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_plan(self):
        return get_object_or_404(selectors.plans_visible_to(self.request.user), pk=self.kwargs["pk"])


def _due_holders(on) -> dict[int, str]:
    return {d.tenure.post_id: d.person.name for d in due_for_exchange(on=on)}


def _refused(request, exc: services.ExchangeError) -> None:
    messages.error(request, "".join(exc.messages))
    for line in exc.details:
        messages.error(request, line)


class PlanListView(BureauOnly, TemplateView):
    template_name = "exchange/plan_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            plans=selectors.plans_visible_to(self.request.user)
            .select_related("created_by")
            .annotate(move_count=Count("moves")),
            form=kwargs.pop("form", None) or PlanForm(),
            may_write=services.is_officer(self.request.user),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        form = PlanForm(request.POST)
        if form.is_valid():
            try:
                plan = services.plan_create(acting_user=request.user, **form.cleaned_data)
            except services.ExchangeError as exc:
                _refused(request, exc)
            else:
                return redirect("exchange:plans:detail", pk=plan.pk)
        return self.render_to_response(self.get_context_data(form=form))


class PlanDetailView(BureauOnly, TemplateView):
    template_name = "exchange/plan_detail.html"

    def get_context_data(self, **kwargs):
        plan = self.get_plan()
        on = services.today()
        if plan.state == PlanState.APPLIED:
            # Made: the checks were asked at application (audited); the page shows the new posts, and the
            # teams as they were the day before and became on the effective date.
            moves = checks.plan_moves(plan)
            results = [checks.MoveCheck(m, plan.applied_on, ()) for m in moves]
            impact_on = plan.effective_date - dt.timedelta(days=1)
        else:
            results = checks.check_plan(plan, on=on)
            moves = [r.move for r in results]
            impact_on = max(on, plan.effective_date)
        in_plan = {m.person_id for m in moves}
        draft = plan.state == PlanState.DRAFT
        events = AuditEvent.objects.filter(object_type="exchange.exchangeplan", object_id=str(plan.pk)).order_by("id")
        return super().get_context_data(
            plan=plan,
            on=on,
            results=results,
            refused=[r for r in results if r.refused],
            impacts=plan_impact(moves, on=impact_on) if moves else [],
            shared_impact=uses_shared_module(),
            due=[d for d in due_for_exchange(on=on) if d.person.pk not in in_plan] if draft else [],
            pick_form=MovePersonForm(user=self.request.user, queryset=selectors.sitting_cadres(on)),
            may_write=services.is_officer(self.request.user),
            decision_form=DecisionForm(initial={"meeting_date": on}),
            apply_form=ApplyForm(),
            documents=documents_visible_to(self.request.user).filter(process_ref=plan.process_ref).order_by("-id"),
            history=[(e, EVENT_LABELS.get(e.action, e.action)) for e in events],
            **kwargs,
        )


class MoveAddView(BureauOnly, TemplateView):
    """Step two of adding a move: the person is chosen (from the due list or the name search); pick the post
    left (their current cadre posts) and the target from the short list."""

    template_name = "exchange/move_form.html"

    def setup_move(self):
        plan = self.get_plan()
        if not services.is_officer(self.request.user):
            raise Http404
        person_id = pk_from_token(self.request.GET.get("person") or self.request.POST.get("person") or "")
        if person_id is None:
            raise Http404
        person = get_object_or_404(people_visible_to(self.request.user), pk=person_id)
        on = services.today()
        tenures = services.cadre_tenures_of(person, on)
        return plan, person, on, tenures

    def targets(self, plan, tenures, on, filters):
        chosen = self.request.POST.get("from_tenure") or self.request.GET.get("from_tenure")
        from_tenure = next((t for t in tenures if str(t.pk) == str(chosen)), tenures[0] if tenures else None)
        if from_tenure is None:
            return None, []
        data = filters.cleaned_data if filters.is_valid() else {}
        level = data.get("level", from_tenure.post.level) if "level" in self.request.GET else from_tenure.post.level
        return from_tenure, selectors.target_choices(
            plan_moves=checks.plan_moves(plan),
            from_tenure=from_tenure,
            on=on,
            level=level or "",
            school=data.get("school", ""),
            due_holders=_due_holders(on),
        )

    def get_context_data(self, **kwargs):
        plan, person, on, tenures = self.setup_move()
        filters = TargetFilterForm(self.request.GET or None)
        from_tenure, targets = self.targets(plan, tenures, on, filters)
        form = kwargs.pop("form", None) or MoveForm(
            tenures=tenures, targets=targets, initial={"from_tenure": from_tenure.pk if from_tenure else None}
        )
        if not filters.is_bound:
            filters = TargetFilterForm(initial={"level": from_tenure.post.level if from_tenure else ""})
        return super().get_context_data(
            plan=plan, person=person, tenures=tenures, form=form, filters=filters, targets=targets, **kwargs
        )

    def post(self, request, *args, **kwargs):
        plan, person, on, tenures = self.setup_move()
        filters = TargetFilterForm(request.GET or None)
        _from, _shown = self.targets(plan, tenures, on, filters)
        # the target may be any post of the short list at any level (the filter only narrows the page)
        all_targets = (
            selectors.target_choices(
                plan_moves=checks.plan_moves(plan), from_tenure=_from, on=on, due_holders=_due_holders(on)
            )
            if _from
            else []
        )
        form = MoveForm(request.POST, tenures=tenures, targets=all_targets)
        if form.is_valid():
            tenure = next(t for t in tenures if t.pk == form.cleaned_data["from_tenure"])
            target = next(t.post for t in all_targets if t.post.pk == form.cleaned_data["to_post"])
            try:
                services.move_add(
                    acting_user=request.user,
                    plan=plan,
                    person=person,
                    from_tenure=tenure,
                    to_post=target,
                    reason=form.cleaned_data["reason"],
                )
            except services.ExchangeError as exc:
                form.add_error(None, "".join(exc.messages))
            else:
                messages.success(request, _("已将%(n)s加入方案。") % {"n": person.name})
                return redirect("exchange:plans:detail", pk=plan.pk)
        return self.render_to_response(self.get_context_data(form=form))


class MoveRemoveView(BureauOnly, View):
    def post(self, request, pk, move_pk):
        plan = self.get_plan()
        move = get_object_or_404(ExchangeMove, pk=move_pk, plan=plan)
        try:
            services.move_remove(acting_user=request.user, plan=plan, move=move)
        except services.ExchangeError as exc:
            _refused(request, exc)
        else:
            messages.success(request, _("已将%(n)s移出方案。") % {"n": move.person.name})
        return redirect("exchange:plans:detail", pk=plan.pk)


class PlanActionView(BureauOnly, View):
    """approve / return / reopen / apply, each a form on the plan's page."""

    def post(self, request, pk, action):
        plan = self.get_plan()
        try:
            if action in ("approve", "return"):
                form = DecisionForm(request.POST)
                if not form.is_valid():
                    raise services.ExchangeError(_("须填写研究会议名称和会议日期。"), "meeting")
                data = form.cleaned_data
                if action == "approve":
                    services.plan_approve(acting_user=request.user, plan=plan, **data)
                    messages.success(request, _("方案已批准。"))
                else:
                    services.plan_return(acting_user=request.user, plan=plan, **data)
                    messages.success(request, _("方案已退回修改。"))
            elif action == "reopen":
                services.plan_reopen(acting_user=request.user, plan=plan)
            elif action == "apply":
                form = ApplyForm(request.POST)
                if not form.is_valid():
                    raise services.ExchangeError(_("须填写首个任免文号。"), "document_number")
                services.plan_apply(acting_user=request.user, plan=plan, **form.cleaned_data)
                messages.success(request, _("方案已实施，任职记录已更新。"))
            else:
                raise Http404
        except services.ExchangeError as exc:
            _refused(request, exc)
        return redirect("exchange:plans:detail", pk=plan.pk)
