from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from .site import site

urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("admin/", admin.site.urls),
    path("vote/", include("workflows.ballots.vote_urls")),
    path("api/principal-selection/", include("workflows.principal_selection.api_urls")),
    path("api/ethics-cases/", include("workflows.ethics_case.api_urls")),
    path("api/reserve-pool/", include("reserve_pool.api_urls")),
    path("api/", include("cadres.api.urls")),
    path("", site.urls),
]

# No static(MEDIA_URL, ...) here, in any setting: stored files leave only through views that check scope
# and audience (cadres.files.protected_file_response).
