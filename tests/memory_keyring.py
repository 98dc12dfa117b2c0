"""A keyring that lives in a dict, so tests never read or write the real one (the plugin's: programs a
test starts load it by this name through ``PYTHON_KEYRING_BACKEND``, tests/conftest.py)."""

from calmpay.testing.memory_keyring import MemoryKeyring

__all__ = ["MemoryKeyring"]
