"""Committee-meeting packs (上会材料): a cover, a table of contents and each candidate's stored documents.

Models live in `models.py` (registered through `dossiers.models`), the pure PDF assembly in `assembly.py`,
writes in `services.py`, reads in `selectors.py`.
"""
