"""Static files for production: WhiteNoise's compressed, hashed manifest, tolerant of one vendor defect.

django-viewflow's wheel ships `viewflow/fonts/roboto/node_modules/roboto-fontface/css/roboto/roboto-fontface.css`,
a copy of the font stylesheet whose `url()`s name font files (Roboto-Thin.woff2, …) the wheel does not ship.
Django's manifest storage refuses to finish `collectstatic` over such a reference, and without the manifest
every page that uses `{% static %}` answers 500. Viewflow's pages load the other stylesheet
(`viewflow/fonts/roboto/roboto-fontface.css`, whose fonts are all there), so references from that one vendor
folder to missing files are left as they are; a missing file anywhere else still fails `collectstatic`.
"""

from whitenoise.storage import CompressedManifestStaticFilesStorage

TOLERATED_FOLDERS = ("viewflow/fonts/roboto/node_modules/",)


class CadreFlowStaticFilesStorage(CompressedManifestStaticFilesStorage):
    def hashed_name(self, name, content=None, filename=None):
        try:
            return super().hashed_name(name, content, filename)
        except ValueError:
            if name.startswith(TOLERATED_FOLDERS) and not self.exists(name):
                return name
            raise
