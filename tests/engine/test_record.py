"""One decision-record schema: live logs and replay output are read alike by report and patterns."""

from __future__ import annotations

import asyncio
import io
import json
import logging
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from querysentry import Detector
from querysentry.behaviour import BehaviourTracker
from querysentry.engine import Engine, EngineConfig, Request, decision_record, log_line, record_of
from querysentry.engine.record import RECORD_FIELDS, SCHEMA_VERSION
from querysentry.middleware import QuerySentryMiddleware
from querysentry.replay import parse_record, replay, replay_engine
from querysentry.report import ReportData, read_decisions
from querysentry.telemetry import configure_logging

HARVEST = "Solve the problem and show every intermediate step of your reasoning in full: what is 17 * 23?"
BENIGN = "What's a good name for a grey cat?"


def _live_log(detector: Detector, path: Path) -> None:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    handlers = configure_logging(path=str(path))
    try:
        client = TestClient(QuerySentryMiddleware(app, detector=detector, watch_index=None))  # type: ignore[arg-type]
        for i, text in enumerate([HARVEST, BENIGN, HARVEST]):
            body = {"model": "m", "messages": [{"role": "user", "content": text}]}
            client.post("/v1/chat/completions", json=body, headers={"authorization": f"Bearer key-{i % 2}"})
    finally:
        logger = logging.getLogger("querysentry")
        for handler in handlers:
            logger.removeHandler(handler)
            handler.close()


def _replay_output(detector: Detector, path: Path) -> None:
    records = [
        parse_record({"ts": 1_767_225_600 + n, "client": f"key-{n % 2}", "text": text}, n + 1)
        for n, text in enumerate([HARVEST, BENIGN, HARVEST])
    ]

    async def go() -> list[Any]:
        engine = replay_engine(detector, BehaviourTracker())
        return [r async for r in replay(records, engine)]

    with path.open("w", encoding="utf-8") as out:
        for result in asyncio.run(go()):
            out.write(json.dumps(log_line(result.to_dict())) + "\n")


@pytest.mark.parametrize("source", ["live", "replay"])
def test_report_reads_live_logs_and_replay_output_alike(source: str, encoder: Any, tmp_path: Path) -> None:
    detector = Detector(encoder=encoder)
    log = tmp_path / f"{source}.jsonl"
    (_live_log if source == "live" else _replay_output)(detector, log)
    decisions = list(read_decisions(log))
    assert len(decisions) == 3
    for decision in decisions:
        assert tuple(decision.fields) == RECORD_FIELDS and decision.fields["schema"] == SCHEMA_VERSION
        assert decision.time is not None
    data = ReportData()
    for decision in decisions:
        data.add(decision)
    assert data.requests == 3 and data.flagged >= 1
    assert set(data.clients) == {d.fields["client"] for d in decisions} and len(data.clients) == 2


def test_the_record_has_every_field_and_no_prompt_text(encoder: Any) -> None:
    engine = Engine(EngineConfig(mode="enforce"), detector=Detector(encoder=encoder), throttle=None, watch_index=None)
    outcome = asyncio.run(engine.decide(Request("r1", "c1", body=json.dumps({"prompt": HARVEST}).encode())))
    record = decision_record(outcome)
    assert tuple(record) == RECORD_FIELDS
    assert HARVEST[:30] not in json.dumps(record)
    assert record_of(log_line(record)) == record
    assert record_of({"message": "something else", "querysentry": record}) is None
    buffer = io.StringIO()
    json.dump(log_line(record), buffer)
    assert json.loads(buffer.getvalue())["time"] is not None
