"""The site's URLs plus one bench-only page, the BARE page `bench_workbench.py` compares every page against.

The bare page is what any list page costs at least: login required (the session and the user are read), one
query for 50 rows, a minimal template. Mounted only through `workbench_settings` (never in production).
"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponse
from django.template import engines
from django.urls import path
from django.views import View
from viewflow.workflow.models import Task

from config.urls import urlpatterns as site_urlpatterns

BARE_PATH = "/bench/bare/"
_TEMPLATE = engines["django"].from_string(
    '<!doctype html><html lang="zh-hans"><head><meta charset="utf-8"><title>基准页</title></head><body>'
    "<table>{% for row in rows %}<tr><td>{{ row.pk }}</td><td>{{ row.status }}</td><td>{{ row.created }}</td>"
    "<td>{{ row.data.due }}</td></tr>{% endfor %}</table></body></html>"
)


class BareView(LoginRequiredMixin, View):
    def get(self, request):
        rows = list(Task.objects.order_by("-pk").values("pk", "status", "created", "data")[:50])
        return HttpResponse(_TEMPLATE.render({"rows": rows}, request))


urlpatterns = [path(BARE_PATH.strip("/") + "/", BareView.as_view(), name="bench_bare"), *site_urlpatterns]
