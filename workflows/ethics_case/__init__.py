"""The teacher-ethics violation case (违反职业道德行为处理), a viewflow process: DOMAIN §6, regulations.md §5."""
