"""Sign-out ends the session it was given, never the next customer's (real mock API over HTTP)."""

from __future__ import annotations

import threading

import httpx
import pytest

from client import errors
from client.api import PaymentApi
from client.credentials import CredentialStore, ensure_registered
from mock_api.server import EmbeddedServer
from tests.demo import LIU_YANG, WANG_FANG


class HeldSignOut(httpx.HTTPTransport):
    """Real HTTP, except that sign-out requests wait at a gate the test opens: a sign-out as slow
    as the test needs, without sleeping."""

    def __init__(self) -> None:
        super().__init__()
        self.reached = threading.Event()
        self.gate = threading.Event()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "DELETE" and request.url.path == "/v1/sessions/current":
            self.reached.set()
            self.gate.wait(10)
        return super().handle_request(request)


def still_valid(server: EmbeddedServer, token: str) -> bool:
    with httpx.Client(base_url=server.url, timeout=10) as http:
        return http.get("/v1/customers/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_a_slow_sign_out_overlapping_the_next_sign_in_keeps_the_next_customers_token(
    api_server: EmbeddedServer,
) -> None:
    transport = HeldSignOut()
    api = PaymentApi(api_server.url, transport=transport, backoff_seconds=0.01)
    try:
        ensure_registered(api, CredentialStore(api_server.url), "test kiosk")
        first = api.sign_in(WANG_FANG.number, WANG_FANG.pin)
        signing_out = threading.Thread(target=api.sign_out, args=(first.token,))
        signing_out.start()
        assert transport.reached.wait(10)  # the first customer's sign-out is on its way, and slow
        second = api.sign_in(LIU_YANG.number, LIU_YANG.pin)  # the next customer signs in meanwhile
        transport.gate.set()
        signing_out.join(10)
        assert not signing_out.is_alive()
        assert api.signed_in  # the slow sign-out did not wipe the next customer's token
        assert api.me().id == second.customer.id
        assert not still_valid(api_server, first.token)  # and it did end the first session
        assert still_valid(api_server, second.token)
    finally:
        transport.gate.set()
        api.close()


def test_a_late_expired_answer_for_a_past_session_keeps_the_current_token(api: PaymentApi) -> None:
    first = api.sign_in(WANG_FANG.number, WANG_FANG.pin)
    api.sign_out(first.token)
    second = api.sign_in(LIU_YANG.number, LIU_YANG.pin)
    with pytest.raises(errors.SessionExpired):
        api.request("GET", "/v1/customers/me", token=first.token)
    assert api.signed_in and api.me().id == second.customer.id


def test_sign_out_without_a_token_ends_the_current_session(api: PaymentApi, api_server: EmbeddedServer) -> None:
    session = api.sign_in(WANG_FANG.number, WANG_FANG.pin)
    api.sign_out()
    assert not api.signed_in
    assert not still_valid(api_server, session.token)
