"""Routes of the registry API under /api/.

Decision on an interactive docs page (/api/docs/): not served. drf-spectacular's SpectacularSwaggerView and
SpectacularRedocView load their JavaScript from a CDN (jsdelivr) unless drf-spectacular[sidecar] is
installed, and it is not; a bureau intranet page must not depend on a third-party CDN, and adding the
sidecar (about 5 MB of vendored JS) is not worth a dependency. The OpenAPI 3 schema at /api/schema/ is the
contract; load it into any local Swagger UI or Redoc, or generate clients from it.
"""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import SimpleRouter

from . import ethics, views

router = SimpleRouter()
router.register("people", views.PersonViewSet, basename="api-person")
router.register("organizations", views.OrganizationViewSet, basename="api-organization")
router.register("posts", views.PostViewSet, basename="api-post")
router.register("tenures", views.TenureViewSet, basename="api-tenure")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("auth/token/", obtain_auth_token, name="api-token"),
    path("roster/import/", views.RosterImportView.as_view(), name="api-roster-import"),
    path("people/<int:pk>/veto/", ethics.PersonVetoView.as_view(), name="api-person-veto"),
    path("veto/blocked/", ethics.BlockedListView.as_view(), name="api-veto-blocked"),
    *router.urls,
]
