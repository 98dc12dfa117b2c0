"""Testing CalmPay: a pytest plugin (fixtures, a customer driver, a trace of screens when a test fails)."""
