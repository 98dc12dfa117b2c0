"""The research side of the kiosk: the researcher's console and the event tap on the kiosk."""
