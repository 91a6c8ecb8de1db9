"""System checks: say clearly when the machine cannot print Chinese PDFs."""

from django.core import checks

from .fonts import cjk_font_families, has_noto_cjk


@checks.register(checks.Tags.compatibility)
def cjk_font_installed(app_configs, **kwargs):
    if not cjk_font_families():
        return [
            checks.Warning(
                "未找到中文（CJK）字体：生成的PDF中汉字将显示为方框。 / No CJK font found: Chinese in PDFs "
                "will print as empty boxes.",
                hint="Debian/Ubuntu: sudo apt-get install fonts-noto-cjk (make run does this).",
                id="cadres.W001",
            )
        ]
    if not has_noto_cjk():
        return [
            checks.Warning(
                "未找到 Noto CJK 字体，将使用其他中文字体，版式可能与审批表不同。 / Noto CJK not found.",
                hint="sudo apt-get install fonts-noto-cjk",
                id="cadres.W002",
            )
        ]
    return []
