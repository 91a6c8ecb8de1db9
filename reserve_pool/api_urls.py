"""Routes of the reserve-pool API under /api/reserve-pool/ (see `reserve_pool.api`)."""

from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("entries", api.ReserveEntryViewSet, basename="api-reserve-entry")

urlpatterns = router.urls
