import pytest

from querysentry.identity import ClientIdentity, hash_secret


def scope(headers: dict[str, str] | None = None, client: tuple[str, int] | None = ("203.0.113.9", 5555)) -> dict:
    return {
        "type": "http",
        "headers": [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()],
        "client": client,
    }


def test_bearer_and_x_api_key_are_hashed_never_raw() -> None:
    identity = ClientIdentity(salt=b"s3cret")
    key = identity(scope({"Authorization": "Bearer sk-live-123"}))
    assert key == f"key:{hash_secret('sk-live-123', b's3cret')}" and "sk-live" not in key
    assert identity(scope({"x-api-key": "sk-live-123"})) == key  # same caller, either header
    assert identity.key_for_api_key("sk-live-123") == key
    assert ClientIdentity(salt=b"other")(scope({"x-api-key": "sk-live-123"})) != key


def test_without_a_key_the_peer_address_is_used() -> None:
    assert ClientIdentity()(scope()) == "ip:203.0.113.9"
    assert ClientIdentity()(scope(client=None)) == "ip:unknown"
    assert ClientIdentity()(scope({"Authorization": "Basic abc"})) == "ip:203.0.113.9"


def test_forwarded_for_is_ignored_from_untrusted_peers() -> None:
    # A client may claim anything; without a trusted proxy the header is the attacker's words.
    forged = scope({"X-Forwarded-For": "1.2.3.4"})
    assert ClientIdentity()(forged) == "ip:203.0.113.9"
    assert ClientIdentity(trusted_proxies=["10.0.0.0/8"])(forged) == "ip:203.0.113.9"


@pytest.mark.parametrize(
    ("forwarded", "expected"),
    [
        ("198.51.100.7", "ip:198.51.100.7"),
        ("6.6.6.6, 198.51.100.7", "ip:198.51.100.7"),  # left-most entry is client-written: ignored
        ("198.51.100.7, 10.0.0.5", "ip:198.51.100.7"),  # a second trusted hop is skipped
        ("not-an-ip", "ip:10.0.0.2"),
        ("", "ip:10.0.0.2"),
    ],
)
def test_trusted_proxy_chain(forwarded: str, expected: str) -> None:
    identity = ClientIdentity(trusted_proxies=["10.0.0.0/8"])
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    assert identity(scope(headers, client=("10.0.0.2", 443))) == expected
