"""The real mock API for tests: its clock starts at a fixed, ordinary moment, never at the real time.

A test's outcome must not depend on the hour it runs (CI runs at any hour): at 00:30 in Beijing
every payment would be "unusual_time". Tests about time move the clock themselves, from this moment.
The bank's test harness is the plugin's (calmpay.testing.bank), which testers outside use too.
"""

from calmpay.testing.bank import as_new, bank_server

__all__ = ["as_new", "bank_server"]
