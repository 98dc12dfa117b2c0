"""Security prompts in plain language (DESIGN.md "Security prompts in plain language").

- :mod:`client.security.reasons`: the risk vocabulary the payment API speaks;
- :mod:`client.security.catalog`: the prompts at run time (the kiosk imports only these two);
- :mod:`client.security.lint`: the house-style rules the catalog is checked against;
- :mod:`client.security.cli`: ``python -m client.security --check``.
"""
