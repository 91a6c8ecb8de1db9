"""The steps a user can take on one entry from its page: form, service call and success message per step.

Which steps are offered comes from the state machine itself (`get_available_user_state_transitions`: source
state, conditions and the policies as permissions), plus training for admitted entries. A step that is not
offered can still be posted: the service then refuses it with its reason, so the page and the rules never
disagree silently.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import forms, policies, services
from .choices import POOL_STATES
from .models import ReserveEntry


@dataclass(frozen=True)
class EntryAction:
    name: str
    label: str
    form_class: type
    perform: Callable  # (entry, user, cleaned_data) -> object
    done: str  # success message
    transition: str | None = None  # the FSM transition that offers this step
    danger: bool = False

    def form(self, entry: ReserveEntry, data=None):
        return self.form_class(data, prefix=self.name, initial=initial_for(self.name, entry))


def initial_for(name: str, entry: ReserveEntry) -> dict:
    if name == "assess":
        return {
            "talks_count": entry.talks_count,
            "evaluation_summary": entry.evaluation_summary,
            "profile_text": entry.profile_text,
        }
    if name == "admit":
        return {"horizon": entry.horizon}
    return {}


def _submit(entry, user, data):
    return services.reserve_entry_submit_for_review(acting_user=user, entry=entry)


def _review(entry, user, data):
    return services.reserve_entry_review(
        acting_user=user,
        entry=entry,
        personal_matters_ok=data["personal_matters_ok"],
        personal_matters_note=data["personal_matters_note"],
    )


def _assess(entry, user, data):
    return services.reserve_entry_assess(
        acting_user=user,
        entry=entry,
        talks_count=data["talks_count"],
        evaluation_summary=data["evaluation_summary"],
        profile_text=data["profile_text"],
    )


def _admit(entry, user, data):
    return services.reserve_entry_admit(
        acting_user=user, entry=entry, document_number=data["document_number"], on=data["on"], horizon=data["horizon"]
    )


def _renew(entry, user, data):
    return services.reserve_entry_renew(acting_user=user, entry=entry, document_number=data["document_number"])


def _remove(entry, user, data):
    return services.reserve_entry_remove(acting_user=user, entry=entry, reason=data["reason"])


def _yearly_review(entry, user, data):
    return services.reserve_entry_yearly_review(
        acting_user=user,
        entry=entry,
        decision=data["decision"],
        reason=data["reason"],
        new_kind=data["new_kind"] or None,
        new_post_kind=data["new_post_kind"] or None,
        new_horizon=data["new_horizon"] or None,
    )


def _training(entry, user, data):
    return services.training_record_add(acting_user=user, entry=entry, **data)


ACTIONS = {
    a.name: a
    for a in [
        EntryAction(
            "submit",
            gettext_lazy("提交审核"),
            forms.SubmitForm,
            _submit,
            gettext_lazy("已提交审核。"),
            "submit_for_review",
        ),
        EntryAction(
            "review",
            gettext_lazy("资格审查"),
            forms.ReviewForm,
            _review,
            gettext_lazy("已记录资格审查结果。"),
            "record_review",
        ),
        EntryAction(
            "assess",
            gettext_lazy("录入考察结果"),
            forms.AssessForm,
            _assess,
            gettext_lazy("已录入考察结果。"),
            "assess",
        ),
        EntryAction("admit", gettext_lazy("决定入库"), forms.AdmitForm, _admit, gettext_lazy("已决定入库。"), "admit"),
        EntryAction("renew", gettext_lazy("续期"), forms.RenewForm, _renew, gettext_lazy("已续期。"), "renew"),
        EntryAction(
            "yearly_review",
            gettext_lazy("年度复核"),
            forms.YearlyReviewForm,
            _yearly_review,
            gettext_lazy("已完成年度复核。"),
            "amend",
        ),
        EntryAction("training", gettext_lazy("登记培训"), forms.TrainingForm, _training, gettext_lazy("已登记培训。")),
        EntryAction(
            "remove",
            gettext_lazy("撤销资格"),
            forms.RemoveForm,
            _remove,
            gettext_lazy("已撤销后备干部资格。"),
            "remove",
            danger=True,
        ),
    ]
}


def available_actions(entry: ReserveEntry, user) -> list[EntryAction]:
    """The steps `user` may take on `entry` now, in the order of the procedure."""
    offered = {t.name for t in entry.get_available_user_state_transitions(user)}
    actions = []
    for action in ACTIONS.values():
        if action.transition is not None:
            if action.transition in offered:
                actions.append(action)
        elif entry.state in POOL_STATES and policies.training_refusal(entry, user) is None:
            actions.append(action)
    return actions


def unknown_action_message(name: str) -> str:
    return _("没有“%(name)s”这一操作。") % {"name": name}
