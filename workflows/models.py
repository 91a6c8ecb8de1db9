"""Models of the workflows app live with their flow; importing them here registers them with Django."""

from .ethics_case.models import EthicsCase, EthicsCaseEvidence

__all__ = ["EthicsCase", "EthicsCaseEvidence"]
