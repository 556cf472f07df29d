"""The MkDocs (and ProperDocs) adapter: writes the core's ``Site`` into an MkDocs build.

Everything here uses MkDocs' plugin API; the core (the rest of ``generator``)
never imports MkDocs.
"""
