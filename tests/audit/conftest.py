import pytest


@pytest.fixture(autouse=True)
def anchor_dir(settings, tmp_path):
    """Each test keeps its own anchor file: anchors outlive the database rows a test rolls back."""
    settings.AUDIT_ANCHOR_DIR = tmp_path / "anchors"
    return settings.AUDIT_ANCHOR_DIR
