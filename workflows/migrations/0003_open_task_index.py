"""Indexes on viewflow's task table for the one inbox (`workflows.common.inbox`), over open tasks only.

Every inbox question starts from the open tasks (status NEW or ASSIGNED) of some nodes, held by the user or by
nobody, on some cases. Two partial indexes hold exactly those rows:

- by node, then holder, then case: a count of a user's tasks (the flow menu's counter on every page of a flow,
  the inbox's total) is an index-only scan of those nodes' open tasks instead of a scan of every open task;
- by due date (`data->>'due'`, the inbox's default order), then arrival and id (PostgreSQL only: an
  expression over JSON): the first page of the inbox walks the index in its own order and stops after 50
  rows instead of reading and sorting every task the user may act on.

Measured with bench/bench_workbench.py at 100,000 tasks (see bench/README.md). The table is viewflow's, so
the indexes are written in SQL here (an app cannot add a model index to another app's model).
"""

from django.db import migrations

BY_NODE = "workflows_task_open_node_owner_case"
BY_DUE = "workflows_task_open_due"
OPEN = "status IN ('NEW', 'ASSIGNED')"


def by_due_create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # The expression is the one `inbox_rows` sorts by: Cast(KT("data__due"), CharField()).
        schema_editor.execute(
            f"CREATE INDEX {BY_DUE} ON viewflow_task ((((data ->> 'due'))::varchar), created, id) WHERE {OPEN}"
        )


def by_due_drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {BY_DUE}")


class Migration(migrations.Migration):
    dependencies = [
        ("workflows", "0002_evidence_random_name"),
        ("viewflow", "0015_task_scheduled"),
    ]

    operations = [
        migrations.RunSQL(
            sql=f"CREATE INDEX {BY_NODE} ON viewflow_task (flow_task, owner_id, process_id) WHERE {OPEN}",
            reverse_sql=f"DROP INDEX {BY_NODE}",
        ),
        migrations.RunPython(by_due_create, by_due_drop),
    ]
