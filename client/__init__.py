"""CalmPay's Qt-free core: API client, money, credentials, settings (and, later, voice,
security explanations, adaptive layout and research logging). Never imports Qt."""
