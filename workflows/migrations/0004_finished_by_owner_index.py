"""An index on viewflow's task table for the home page's 近期案件: a user's finished tasks, newest first.

`workflows.inbox.recent_processes` reads the user's latest finished tasks in this order and stops after a
bounded number of rows, instead of grouping every task the user ever finished (bench_workbench, issue 13).
"""

from django.db import migrations

NAME = "workflows_task_finished_by_owner"


class Migration(migrations.Migration):
    dependencies = [("workflows", "0003_open_task_index")]

    operations = [
        migrations.RunSQL(
            sql=f"CREATE INDEX {NAME} ON viewflow_task (owner_id, finished) WHERE finished IS NOT NULL",
            reverse_sql=f"DROP INDEX {NAME}",
        ),
    ]
