"""The demo district (示范区): deterministic sample data for a local demonstration.

`generator` builds the district as plain data (no database); `loader` writes it in one transaction.
"""
