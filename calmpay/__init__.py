"""CalmPay's installable extras: calmpay.testing, the pytest plugin for testers."""
