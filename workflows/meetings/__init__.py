"""One home for the decision meetings and the 公示 objections of every flow (issue #11).

Principal selection (讨论决定, 复议, 缓议), the competition (plan meeting, decision meeting) and the 能上能下
adjustment all record a 党组织会议 the same way and take objections during the 公示 the same way, so the rows
live in this one small app rather than in each flow: a `Meeting` and an `Objection` hang off viewflow's
`Process` (every case is a Process subclass through multi-table inheritance), so `case.meetings` and
`case.objections` read the same on any case. A separate app, not the `workflows` app itself, so its tables
and migrations (with the copy of the former per-flow rows) stand on their own. `services` is the one meeting
service; the flows keep their own gates and audit events around it.
"""
