"""The staff console: a window for the branch's floor staff, beside the kiosks (``python -m ui.staff``
or ``python main.py --staff``). Qt only; what it does at the bank is client.staff's."""
