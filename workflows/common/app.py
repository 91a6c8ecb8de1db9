"""The application of one flow in the site: viewflow's `FlowAppViewset` with the one inbox instead of its own.

viewflow gives each flow an Inbox, a Queue and an Archive, computed per flow and with English labels. Here all
three lead to the one inbox (`workflows.common.inbox`): 待办 filtered to this flow (tasks held by the user and
tasks they may take are one list), and 已办. The menu's counter is one bounded count in the database.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.views.generic import RedirectView
from viewflow.utils import viewprop
from viewflow.workflow.flow import FlowAppViewset

from . import inbox


class _ToInbox(RedirectView):
    flow_key = ""
    done = False

    def get_redirect_url(self, *args, **kwargs):
        if self.done:
            return reverse("home:inbox:done")
        return f"{reverse('home:inbox:index')}?{urlencode({'flow': self.flow_key})}"


class CaseFlowApp(FlowAppViewset):
    menu_template_name = "workflows/flow_menu.html"
    menu_kept = False  # the menu counts the user's tasks: rendered on each page (cadreflow_shell)

    @property
    def flow_key(self) -> str:
        return inbox.flow_key(self._flow_class)

    @viewprop
    def inbox_view(self):
        return _ToInbox.as_view(flow_key=self.flow_key)

    @viewprop
    def queue_view(self):
        return _ToInbox.as_view(flow_key=self.flow_key)

    @viewprop
    def archive_view(self):
        return _ToInbox.as_view(done=True)

    def get_context_data(self, request):
        """The menu's counter: this flow's tasks in the user's inbox, counted up to 100 ("99+")."""
        count = inbox.badge_count(inbox.actionable_tasks(request.user, flow_classes=(self._flow_class,)))
        return {
            "flow_inbox_count": inbox.badge_label(count),
            "flow_inbox_url": f"{reverse('home:inbox:index')}?flow={self.flow_key}",
        }
