"""Routes of the registry API under /api/.

Decision on an interactive docs page (/api/docs/): not served. drf-spectacular's SpectacularSwaggerView and
SpectacularRedocView load their JavaScript from a CDN (jsdelivr) unless drf-spectacular[sidecar] is
installed, and it is not; a bureau intranet page must not depend on a third-party CDN, and adding the
sidecar (about 5 MB of vendored JS) is not worth a dependency. The OpenAPI 3 schema at /api/schema/ is the
contract; load it into any local Swagger UI or Redoc, or generate clients from it. It maps every endpoint and
field of the registry, so it answers logged-in users only (SPECTACULAR_SETTINGS["SERVE_PERMISSIONS"], and
here for this view): anonymous requests get 403.

The token endpoint is throttled per client address and counts failed passwords towards the login lockout
(cadres.api.auth).
"""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.routers import SimpleRouter

from . import ethics, veto_check, views
from .auth import ObtainAuthTokenView

router = SimpleRouter()
router.register("people", views.PersonViewSet, basename="api-person")
router.register("organizations", views.OrganizationViewSet, basename="api-organization")
router.register("posts", views.PostViewSet, basename="api-post")
router.register("tenures", views.TenureViewSet, basename="api-tenure")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(permission_classes=[IsAuthenticated]), name="api-schema"),
    path("auth/token/", ObtainAuthTokenView.as_view(), name="api-token"),
    path("roster/import/", views.RosterImportView.as_view(), name="api-roster-import"),
    path("people/<int:pk>/veto/", ethics.PersonVetoView.as_view(), name="api-person-veto"),
    path("veto/blocked/", ethics.BlockedListView.as_view(), name="api-veto-blocked"),
    path("veto/check/", veto_check.VetoListCheckView.as_view(), name="api-veto-check"),
    *router.urls,
]
