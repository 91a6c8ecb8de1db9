"""The 干部任免审批表 exchange file (.lrmx, regulations.md §6.2): read, write, import into and export from
the registry. `schema` holds the element names and order, `reader`/`writer` the bytes, `texts` the writing
conventions of §6.4, `services` the registry side."""
