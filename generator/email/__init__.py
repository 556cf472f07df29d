"""The email edition: a week's briefing as a message readers can read in any mail client.

- ``compose``: pure composition over assembled data (``compose``, ``email_html``, ``email_text``);
- ``links``, ``plaintext``: editor Markdown with absolute links; text at 72 columns with ``[n]`` references;
- ``settings``: addresses and SMTP server from ``mkdocs.yml`` and the command line;
- ``send``: SMTP delivery, the edge;
- the command itself, ``briefing email``, is ``generator.cli.email``.

This package is ``generator.email``; inside it, ``import email`` is still the
standard library's (imports are absolute). Nothing is re-exported here: a
``compose`` function in this namespace would hide the ``compose`` module.
Import from the module that holds a name (``from generator.email.compose import compose``).
"""
