"""The roster (花名册): an Excel exchange format for the registry's people, in and out.

`columns` says what each column holds, `template` lays out the workbook, `importer` reads one back (all or
nothing, scoped to the user), `exporter` writes people out in the same layout.
"""
