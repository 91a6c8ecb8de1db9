"""Vocabularies of the reserve-cadre pool (DOMAIN §4). Values are stable codes; labels are Chinese source strings."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from cadres.choices import PostKind


class ReserveState(models.TextChoices):
    NOMINATED = "nominated", _("已提名")
    UNDER_REVIEW = "under_review", _("审核中")
    ASSESSED = "assessed", _("已考察")
    IN_POOL = "in_pool", _("在库")
    SHORTLISTED = "shortlisted", _("已列为考察对象")
    USED = "used", _("已使用")
    REMOVED = "removed", _("已撤销资格")
    EXPIRED = "expired", _("已到期")


# An entry is "live" until it is used, removed or expired; a person has at most one live entry.
LIVE_STATES = (
    ReserveState.NOMINATED,
    ReserveState.UNDER_REVIEW,
    ReserveState.ASSESSED,
    ReserveState.IN_POOL,
    ReserveState.SHORTLISTED,
)
# Admitted and not yet used: these count against quotas, the near-term share and the structure figures.
POOL_STATES = (ReserveState.IN_POOL, ReserveState.SHORTLISTED)
# Nominated but not admitted: these expire when the nomination outlives its validity.
PENDING_STATES = (ReserveState.NOMINATED, ReserveState.UNDER_REVIEW, ReserveState.ASSESSED)
ENDED_STATES = (ReserveState.USED, ReserveState.REMOVED, ReserveState.EXPIRED)


class Origin(models.TextChoices):
    SCHOOL_PARTY = "school_party", _("学校党组织推荐")
    BUREAU = "bureau", _("教育局推荐")
    DEMOCRATIC = "democratic", _("民主推荐")


class ReserveKind(models.TextChoices):
    HEAD = "head", _("正职后备")
    DEPUTY = "deputy", _("副职后备")


class Horizon(models.TextChoices):
    NEAR_TERM = "near_term", _("近期可提拔使用")
    LONG_TERM = "long_term", _("中长期培养")


# The post categories a reserve may be held for, and the kind each implies.
TARGET_POST_KINDS = {
    PostKind.PARTY_SECRETARY: ReserveKind.HEAD,
    PostKind.PRINCIPAL: ReserveKind.HEAD,
    PostKind.MIDDLE_HEAD: ReserveKind.HEAD,
    PostKind.DEPUTY_SECRETARY: ReserveKind.DEPUTY,
    PostKind.VICE_PRINCIPAL: ReserveKind.DEPUTY,
    PostKind.MIDDLE_DEPUTY: ReserveKind.DEPUTY,
}
# A change of kind at the yearly review moves to the counterpart category unless another is named.
COUNTERPART_POST_KIND = {
    PostKind.PARTY_SECRETARY: PostKind.DEPUTY_SECRETARY,
    PostKind.DEPUTY_SECRETARY: PostKind.PARTY_SECRETARY,
    PostKind.PRINCIPAL: PostKind.VICE_PRINCIPAL,
    PostKind.VICE_PRINCIPAL: PostKind.PRINCIPAL,
    PostKind.MIDDLE_HEAD: PostKind.MIDDLE_DEPUTY,
    PostKind.MIDDLE_DEPUTY: PostKind.MIDDLE_HEAD,
}


class EndTrigger(models.TextChoices):
    """Why a live entry ended (removed or expired)."""

    MANUAL = "manual", _("决定撤销")
    WITHDRAWN = "withdrawn", _("撤回提名")
    YEARLY_REVIEW = "yearly_review", _("年度复核撤销")
    ETHICS_VETO = "ethics_veto", _("师德一票否决")
    APPRAISAL = "appraisal", _("年度考核低于合格")
    AGE_LIMIT = "age_limit", _("超过年龄上限")
    LEFT = "left", _("不再在职")
    VALIDITY = "validity", _("入库有效期届满")
    NOMINATION_VALIDITY = "nomination_validity", _("提名逾期未入库")


AUTOMATIC_TRIGGERS = (EndTrigger.ETHICS_VETO, EndTrigger.APPRAISAL, EndTrigger.AGE_LIMIT, EndTrigger.LEFT)


class ReviewDecision(models.TextChoices):
    KEEP = "keep", _("继续保留")
    CHANGE_KIND = "change_kind", _("调整后备类别")
    CHANGE_HORIZON = "change_horizon", _("调整使用期限")
    REMOVE = "remove", _("撤销资格")


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("待复核")
    DECIDED = "decided", _("已复核")
