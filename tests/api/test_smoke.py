import httpx


def test_health_and_openapi(http: httpx.Client) -> None:
    assert http.get("/health").json()["status"] == "ok"
    paths = http.get("/openapi.json").json()["paths"]
    assert "/v1/payments" in paths
