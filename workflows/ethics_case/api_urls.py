"""Routes of the ethics-case API under /api/ethics-cases/."""

from rest_framework.routers import SimpleRouter

from .api import EthicsCaseViewSet

router = SimpleRouter()
router.register("", EthicsCaseViewSet, basename="api-ethics-case")

urlpatterns = router.urls
