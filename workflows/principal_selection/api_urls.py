from rest_framework.routers import DefaultRouter

from .api import CaseViewSet

router = DefaultRouter()
router.register("cases", CaseViewSet, basename="principal-selection-case")

urlpatterns = router.urls
