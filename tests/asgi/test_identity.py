import pytest

from querysentry.asgi.identity import SALT_ENV, ClientIdentity, hash_secret, identity_conflict


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


def raw_scope(pairs: list[tuple[str, str]], client: tuple[str, int] = ("203.0.113.9", 5555)) -> dict:
    return {"type": "http", "headers": [(k.lower().encode(), v.encode()) for k, v in pairs], "client": client}


def test_repeated_authorization_keys_on_the_first_as_the_app_reads_it() -> None:
    # Starlette's request.headers.get() returns the first value: an account adding a random
    # second header per request must stay one client.
    identity = ClientIdentity(salt=b"s")
    one = identity(raw_scope([("Authorization", "Bearer sk-real"), ("Authorization", "Bearer rnd-1")]))
    two = identity(raw_scope([("Authorization", "Bearer sk-real"), ("Authorization", "Bearer rnd-2")]))
    assert one == two == identity.key_for_api_key("sk-real")


def test_identity_conflict_is_reported() -> None:
    assert identity_conflict(raw_scope([("Authorization", "Bearer a"), ("authorization", "Bearer b")]))
    assert identity_conflict(raw_scope([("x-api-key", "a"), ("X-Api-Key", "b")]))
    assert not identity_conflict(raw_scope([("Authorization", "Bearer a"), ("Authorization", "Bearer a")]))
    assert not identity_conflict(raw_scope([("Authorization", "Bearer a"), ("x-api-key", "b")]))


def test_repeated_forwarded_for_headers_are_one_list() -> None:
    identity = ClientIdentity(trusted_proxies=["10.0.0.0/8"])
    pairs = [("X-Forwarded-For", "6.6.6.6"), ("X-Forwarded-For", "198.51.100.7")]
    assert identity(raw_scope(pairs, client=("10.0.0.2", 443))) == "ip:198.51.100.7"


def test_default_salt_is_never_a_public_constant(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.delenv(SALT_ENV, raising=False)
    first, second = ClientIdentity(), ClientIdentity()
    key = first.key_for_api_key("sk-live-123")
    # A dictionary attack needs the salt: the old public default b"querysentry" must not be it.
    assert key != f"key:{hash_secret('sk-live-123', b'querysentry')}"
    assert key != second.key_for_api_key("sk-live-123")  # random per instance without configuration
    assert "no client-key salt configured" in caplog.text


def test_salt_from_the_environment_is_shared(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SALT_ENV, "deployment-secret")
    key = ClientIdentity().key_for_api_key("sk-live-123")
    assert key == ClientIdentity().key_for_api_key("sk-live-123")
    assert key == f"key:{hash_secret('sk-live-123', b'deployment-secret')}"
    with pytest.raises(ValueError, match="empty"):
        ClientIdentity(salt=b"")
