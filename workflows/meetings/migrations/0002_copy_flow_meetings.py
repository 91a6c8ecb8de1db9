"""Copy the meetings, member votes and objections of principal selection and the competition (and its
adjustment cases) into the shared tables; the flows' own tables are dropped by their next migration.

Principal selection kept one row per member and candidate; the competition kept label lists and JSON. Both
become one `MeetingVote` row per member and item and one tally shape ({due, present, quorum, items, recused}).
"""

from django.conf import settings
from django.db import migrations

PLAN = "实施方案"


def _user_label(user, profiles, people) -> str:
    profile = profiles.get(user.pk)
    if profile and profile.person_id and people.get(profile.person_id):
        return people[profile.person_id]
    return f"{user.first_name}{user.last_name}".strip() or "委员"


def _item_row(key, label, counts):
    return {
        "item": key,
        "label": label,
        "agree": counts.get("agree", 0),
        "disagree": counts.get("disagree", 0),
        "defer": counts.get("defer", 0),
        "outcome": counts.get("outcome", "failed"),
    }


def copy_principal_selection(apps, meeting_model, vote_model, objection_model):
    OldMeeting = apps.get_model("principal_selection", "Meeting")
    OldVote = apps.get_model("principal_selection", "MemberVote")
    OldObjection = apps.get_model("principal_selection", "Objection")
    Candidate = apps.get_model("principal_selection", "Candidate")
    Profile = apps.get_model("cadres", "Profile")
    Person = apps.get_model("cadres", "Person")
    User = apps.get_model(settings.AUTH_USER_MODEL)
    profiles = {p.user_id: p for p in Profile.objects.all()}
    people = dict(Person.objects.values_list("pk", "name"))
    users = {u.pk: u for u in User.objects.all()}
    candidates = {c.pk: c for c in Candidate.objects.all()}
    for old in OldMeeting.objects.order_by("pk"):
        rows = list(OldVote.objects.filter(meeting_id=old.pk).order_by("pk"))
        order = list(dict.fromkeys(r.candidate_id for r in rows))
        counts = (old.tally or {}).get("candidates", {})
        order += [int(k) for k in counts if int(k) not in order]
        recused: dict[str, list[str]] = {}
        labels = {uid: _user_label(users[uid], profiles, people) for uid in {r.member_id for r in rows}}
        for r in rows:
            if r.vote == "recused":
                recused.setdefault(str(r.candidate_id), []).append(labels[r.member_id])
        meeting = meeting_model.objects.create(
            process_id=old.case_id,
            purpose="decision",
            held_on=old.held_on,
            name=old.name,
            due=old.due,
            present=old.present,
            reconsideration=old.reconsideration,
            recorded_by_id=old.recorded_by_id,
            tally={
                "due": old.due,
                "present": old.present,
                "quorum": (old.tally or {}).get("quorum", 0),
                "items": [
                    _item_row(str(cid), people.get(candidates[cid].person_id, ""), counts.get(str(cid), {}))
                    for cid in order
                    if cid in candidates
                ],
                "recused": recused,
            },
        )
        by_member: dict[int, list] = {}
        for r in rows:
            by_member.setdefault(r.member_id, []).append(r)
        vote_model.objects.bulk_create(
            vote_model(
                meeting=meeting,
                member_label=labels[r.member_id],
                member_user_id=r.member_id,
                member_person_id=getattr(profiles.get(r.member_id), "person_id", None),
                item=str(r.candidate_id),
                item_label=people.get(candidates[r.candidate_id].person_id, ""),
                subject_id=candidates[r.candidate_id].person_id,
                vote=r.vote,
                reason=r.reason,
            )
            for member_rows in by_member.values()
            for r in member_rows
        )
    for old in OldObjection.objects.order_by("pk"):
        objection_model.objects.create(
            process_id=old.case_id,
            subject_id=candidates[old.candidate_id].person_id,
            received_on=old.received_on,
            content=old.content,
            status=old.status,
            finding=old.finding,
        )


def copy_competition(apps, meeting_model, vote_model, objection_model):
    OldMeeting = apps.get_model("competition", "Meeting")
    OldObjection = apps.get_model("competition", "Objection")
    Registration = apps.get_model("competition", "Registration")
    Adjustment = apps.get_model("competition", "Adjustment")
    Tenure = apps.get_model("cadres", "Tenure")
    Person = apps.get_model("cadres", "Person")
    people = dict(Person.objects.values_list("pk", "name"))
    for old in OldMeeting.objects.order_by("pk"):
        tally = old.tally or {}
        subject_of: dict[str, int | None] = {}
        if old.purpose == "adjustment":
            adjustment = Adjustment.objects.get(pk=old.adjustment_id)
            person_id = Tenure.objects.get(pk=adjustment.tenure_id).person_id if adjustment.tenure_id else None
        old_items = [t["candidate"] for t in tally.get("candidates", [])]
        old_items += [k for v in (old.votes or {}).values() for k in v if k not in old_items]
        old_items += [k for k in (old.recused or {}) if k not in old_items]
        keys, labels = {}, {}
        regs = {str(r.pk): r for r in Registration.objects.filter(pk__in=[k for k in old_items if k.isdigit()])}
        for key in old_items:
            if old.purpose == "plan":
                keys[key], labels[key], subject_of[key] = "plan", PLAN, None
            elif old.purpose == "adjustment":
                keys[key], labels[key], subject_of[key] = "adjustment", key, person_id
            else:
                reg = regs.get(key)
                keys[key], labels[key] = key, people.get(reg.person_id, key) if reg else key
                subject_of[key] = reg.person_id if reg else None
        counts = {t["candidate"]: t for t in tally.get("candidates", [])}
        members = list(dict.fromkeys(old.members or []))
        present = list(old.present or [])
        recused = old.recused or {}
        meeting = meeting_model.objects.create(
            process_id=old.competition_id or old.adjustment_id,
            purpose=old.purpose,
            held_on=old.held_on,
            name=old.name,
            due=tally.get("due", len(members)),
            present=tally.get("present", len(present)),
            recorded_by_id=old.recorded_by_id,
            tally={
                "due": tally.get("due", len(members)),
                "present": tally.get("present", len(present)),
                "quorum": tally.get("quorum", 0),
                "items": [_item_row(keys[k], labels[k], counts.get(k, {})) for k in old_items],
                "recused": {keys[k]: v for k, v in recused.items() if v and k in keys},
            },
        )
        rows = []
        for member in members:
            for key in old_items:
                if member in recused.get(key, []):
                    vote, reason = "recused", "须回避。"
                elif member not in present:
                    vote, reason = "absent", ""
                else:
                    vote, reason = (old.votes or {}).get(member, {}).get(key, ""), ""
                    if not vote:
                        continue
                rows.append(
                    vote_model(
                        meeting=meeting,
                        member_label=member,
                        item=keys[key],
                        item_label=labels[key],
                        subject_id=subject_of[key],
                        vote=vote,
                        reason=reason,
                    )
                )
        vote_model.objects.bulk_create(rows)
    for old in OldObjection.objects.order_by("pk"):
        objection_model.objects.create(
            process_id=old.competition_id,
            subject_id=Registration.objects.get(pk=old.registration_id).person_id,
            received_on=old.received_on,
            content=old.summary,
            status=old.status,
            finding=old.finding,
        )


def copy(apps, schema_editor):
    models = [apps.get_model("meetings", name) for name in ("Meeting", "MeetingVote", "Objection")]
    copy_principal_selection(apps, *models)
    copy_competition(apps, *models)


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0001_initial"),
        ("principal_selection", "0004_state_is_protected_fsm"),
        ("competition", "0004_state_is_protected_fsm"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [migrations.RunPython(copy, migrations.RunPython.noop)]
