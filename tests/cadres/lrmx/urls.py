"""The site with the LRMX viewset routed under 干部信息 (/registry/lrmx/), as cadres.urls will route it."""

from django.contrib.auth import views as auth_views
from django.urls import include, path
from viewflow.urls import Site, route

from cadres.lrmx.urls import LrmxViewset
from cadres.urls import RegistryApp
from workflows.notifications.urls import NotificationsApp


class RegistryWithLrmx(RegistryApp):
    lrmx_path = route("lrmx/", LrmxViewset())


site = Site(title="CadreFlow", viewsets=[RegistryWithLrmx(), NotificationsApp()])  # the top bar links 通知

urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", site.urls),
]
