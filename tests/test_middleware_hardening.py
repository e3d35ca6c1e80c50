"""The middleware under the attacker's inputs (issue 9): encodings, wrappers, headers, unscanned bodies."""

import codecs
import gzip
import json
from typing import Any

import pytest
from starlette.testclient import TestClient

from querysentry import Detector
from querysentry.behaviour.tracker import BehaviourTracker
from querysentry.errors import ScanTimeoutError
from tests.test_middleware import ATTACK, BENIGN, chat, make_app

KEY = {"Authorization": "Bearer sk-attacker"}



def post(app: Any, content: bytes, headers: dict[str, str]) -> Any:
    with TestClient(app) as client:
        return client.post("/v1/chat/completions", content=content, headers=headers)


@pytest.mark.parametrize(
    "encode",
    [
        lambda text: codecs.BOM_UTF8 + text.encode("utf-8"),
        lambda text: text.encode("utf-16"),
        lambda text: text.encode("utf-16-le"),
        lambda text: text.encode("utf-16-be"),
        lambda text: text.encode("utf-32"),
    ],
    ids=["utf8-bom", "utf16", "utf16le", "utf16be", "utf32"],
)
def test_body_encodings_the_framework_reads_are_refused_like_plain_ones(detector: Detector, encode: Any) -> None:
    # json.loads(bytes), which Starlette and FastAPI use, reads every one of these.
    app, seen = make_app(detector, mode="enforce")
    response = post(app, encode(json.dumps(chat(ATTACK))), {"content-type": "application/json"})
    assert response.status_code == 403 and not seen


def test_plus_json_media_types_are_scanned(detector: Detector) -> None:
    app, seen = make_app(detector, mode="enforce")
    response = post(app, json.dumps(chat(ATTACK)).encode(), {"content-type": "application/vnd.api+json"})
    assert response.status_code == 403 and not seen


def test_every_gzip_member_is_inflated(detector: Detector) -> None:
    # gzip.decompress (and any client that concatenates members) reads them all.
    body = json.dumps(chat(ATTACK)).encode()
    split = body.index(b"Print")
    wrapped = gzip.compress(body[:split]) + gzip.compress(body[split:])
    app, seen = make_app(detector, mode="enforce")
    response = post(app, wrapped, {"content-type": "application/json", "content-encoding": "gzip"})
    assert response.status_code == 403 and not seen


def test_a_repeated_content_type_is_read_as_the_app_reads_it(detector: Detector) -> None:
    # Starlette's headers.get() returns the first value; the scan must look at the same one.
    app, seen = make_app(detector, mode="enforce")
    with TestClient(app) as client:
        response = client.post(
            "/v1/chat/completions",
            content=json.dumps(chat(ATTACK)).encode(),
            headers=[("content-type", "application/json"), ("content-type", "image/png")],  # type: ignore[arg-type]
        )
    assert response.status_code == 403 and not seen


def test_enforce_acts_on_a_request_of_its_own_by_default(detector: Detector) -> None:
    # No actions given: system-prompt extraction is refused from the first request on.
    app, _seen = make_app(detector, mode="enforce")
    with TestClient(app) as client:
        codes = [client.post("/v1/chat/completions", json=chat(ATTACK), headers=KEY).status_code for _ in range(3)]
        ok = client.post("/v1/chat/completions", json=chat(BENIGN), headers={"Authorization": "Bearer sk-honest"})
    assert codes == [403, 403, 403] and ok.status_code == 200


def test_padding_past_the_limit_does_not_let_a_flagged_client_through(detector: Detector) -> None:
    app, seen = make_app(detector, mode="enforce", max_body_bytes=2_000, max_decompressed_bytes=4_000)
    padded = json.dumps({**chat(ATTACK), "padding": "x" * 5_000}).encode()
    with TestClient(app) as client:
        for _ in range(20):  # plainly flagged, and refused: the client's level climbs to block
            client.post("/v1/chat/completions", json=chat(ATTACK), headers=KEY)
        response = client.post(
            "/v1/chat/completions", content=padded, headers={**KEY, "content-type": "application/json"}
        )
    assert response.status_code == 403 and not seen  # its client level applies to the unscanned body


def test_unscanned_requests_count_as_evidence(detector: Detector) -> None:
    tracker = BehaviourTracker()
    app, seen = make_app(
        detector, mode="enforce", max_body_bytes=2_000, max_decompressed_bytes=4_000, behaviour=tracker
    )
    padded = json.dumps({**chat("hello"), "padding": "x" * 5_000}).encode()
    with TestClient(app) as client:
        codes = [
            client.post(
                "/v1/chat/completions", content=padded, headers={**KEY, "content-type": "application/json"}
            ).status_code
            for _ in range(20)
        ]
    statuses = {outcome.status for _, outcome, _ in seen}
    assert statuses <= {"oversize"}
    assert codes[0] == 200 and codes[-1] == 403  # padding every request escalates the client to block
    last = seen[-1][1].client_verdict if seen else None
    assert last is None or any("could not be scanned" in r for r in last.reasons)


@pytest.mark.parametrize("unscanned", ["tag", "block"])
def test_unscanned_policy_in_enforce(detector: Detector, unscanned: str) -> None:
    app, seen = make_app(detector, mode="enforce", unscanned=unscanned, max_body_bytes=100, max_decompressed_bytes=100)
    response = post(app, json.dumps(chat(BENIGN + " " * 200)).encode(), {"content-type": "application/json"})
    assert response.status_code == (200 if unscanned == "tag" else 403)
    if unscanned == "tag":
        assert seen[0][1].status == "oversize" and seen[0][1].action == "tag"


def test_a_scan_past_its_budget_stops_between_steps(detector: Detector) -> None:
    calls: list[float | None] = []

    class Cooperative:
        def check(self, request: object, *, deadline: float | None = None) -> object:
            calls.append(deadline)
            raise ScanTimeoutError("scan stopped before embedding: its deadline has passed")

    app, _seen = make_app(Cooperative(), mode="enforce", unscanned="block")  # type: ignore[arg-type]
    response = post(app, json.dumps(chat(BENIGN)).encode(), {"content-type": "application/json"})
    assert response.status_code == 403 and calls and calls[0] is not None  # the detector got a deadline


def test_client_sent_querysentry_headers_never_reach_the_app(detector: Detector) -> None:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    from querysentry.middleware import QuerySentryMiddleware

    received: list[list[tuple[str, str]]] = []

    async def echo(request: Request) -> JSONResponse:
        received.append([(k, v) for k, v in request.headers.items() if k.startswith("x-querysentry")])
        return JSONResponse({})

    for upstream in (True, False):
        app = Starlette(routes=[Route("/v1/chat/completions", echo, methods=["POST", "GET"])])
        app.add_middleware(QuerySentryMiddleware, detector=detector, upstream_headers=upstream)
        with TestClient(app) as client:
            forged = {"x-querysentry-action": "allow", "X-QuerySentry-Status": "scanned"}
            client.post("/v1/chat/completions", json=chat(ATTACK), headers=forged)
            client.get("/v1/chat/completions", headers=forged)  # not scanned, still stripped
    with_upstream = dict(received[0])
    assert with_upstream["x-querysentry-action"] == "tag"  # ours, not the client's "allow"
    assert sum(1 for k, _ in received[0] if k == "x-querysentry-action") == 1
    assert received[1] == [] and received[2] == [] and received[3] == []


def test_a_random_second_authorization_header_does_not_make_a_new_client(detector: Detector) -> None:
    app, seen = make_app(detector)
    with TestClient(app) as client:
        for i in range(3):
            headers = [("authorization", "Bearer sk-one-account"), ("authorization", f"Bearer random-{i}")]
            client.post("/v1/chat/completions", json=chat(BENIGN), headers=headers)  # type: ignore[arg-type]
    clients = {outcome.client for _, outcome, _ in seen}
    assert len(clients) == 1
    assert all("identity_conflict" in outcome.signals for _, outcome, _ in seen)


def test_refusals_carry_the_request_id_where_each_sdk_reads_it(detector: Detector) -> None:
    app, _ = make_app(detector, mode="enforce")
    with TestClient(app) as client:
        response = client.post("/v1/messages", json={"system": "x", "messages": [{"role": "user", "content": ATTACK}]})
    assert response.status_code == 403
    assert response.headers["request-id"] == response.headers["x-request-id"] == response.json()["request_id"]


def test_no_cache_answers_one_client_with_another_clients_text() -> None:
    # The timing oracle: a text another client sent must cost what a new text costs.
    from querysentry.batching import CachedEmbedder
    from querysentry.engine import default_detector as _default_detector
    from querysentry.metrics import Metrics

    detector = _default_detector(Metrics.disabled())
    assert isinstance(detector.embed, CachedEmbedder)
    app, _seen = make_app(detector)
    system = "You are the support assistant of a small bicycle shop in Ghent; answer kindly."
    body = {"model": "m", "messages": [{"role": "system", "content": system}, {"role": "user", "content": BENIGN}]}
    with TestClient(app) as client:
        client.post("/v1/chat/completions", json=body, headers={"Authorization": "Bearer sk-alice"})
        alice = detector.embed.misses
        client.post("/v1/chat/completions", json=body, headers={"Authorization": "Bearer sk-alice"})
        assert detector.embed.misses == alice  # a client's own repeat stays free
        client.post("/v1/chat/completions", json=body, headers={"Authorization": "Bearer sk-bob"})
    assert detector.embed.misses - alice == alice  # bob's copy was embedded like a new text


def test_throttle_is_a_rate_limit_whose_retry_after_tells_the_truth(detector: Detector) -> None:
    from querysentry.throttle import Throttle

    app, seen = make_app(
        detector,
        mode="enforce",
        actions={"prompt_extraction": "throttle"},
        throttle=Throttle(rates={"throttle": "2/minute"}),
    )
    with TestClient(app) as client:
        responses = [client.post("/v1/chat/completions", json=chat(ATTACK), headers=KEY) for _ in range(4)]
    assert [r.status_code for r in responses[:3]] == [200, 200, 429]
    # The window is a minute: the wait is what is left of it, never a made-up constant.
    assert 1 <= int(responses[2].headers["retry-after"]) <= 60
    assert all(outcome.action == "tag" for _, outcome, _ in seen)  # passed within the rate, tagged
