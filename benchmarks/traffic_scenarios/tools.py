"""Tool definitions (OpenAI ``tools`` format) and agent tasks, for agent apps and tool-trace harvesting.

An honest agent app sends its tools and its user's task, and on later turns the assistant's tool
calls and the tools' results; a harvesting campaign sends the same shapes plus an instruction to
write out the whole trajectory. Both draw on these definitions and tasks.
"""

from __future__ import annotations

import json
import random
from typing import Any

from benchmarks.traffic_scenarios.fills import CITIES, NAMES
from benchmarks.traffic_scenarios.grammar import expand

__all__ = ["TOOLS", "agent_task", "prior_tool_turns", "tool_set"]


def _tool(name: str, description: str, properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
    return {
        "type": "function",
        "function": {
            "name": name,
            "description": description,
            "parameters": {"type": "object", "properties": properties, "required": required},
        },
    }


_S = {"type": "string"}
_N = {"type": "number"}
_I = {"type": "integer"}

TOOLS: dict[str, dict[str, Any]] = {
    t["function"]["name"]: t
    for t in [
        _tool(
            "search_flights",
            "Search flights between two airports on a date.",
            {"origin": _S, "destination": _S, "date": _S, "max_price": _N},
            ["origin", "destination", "date"],
        ),
        _tool(
            "book_flight",
            "Book a flight by its offer id for a passenger.",
            {"offer_id": _S, "passenger_name": _S},
            ["offer_id", "passenger_name"],
        ),
        _tool("get_weather", "Current weather and forecast for a city.", {"city": _S, "days": _I}, ["city"]),
        _tool("web_search", "Search the web and return the top results.", {"query": _S, "num_results": _I}, ["query"]),
        _tool("run_sql", "Run a read-only SQL query against the analytics warehouse.", {"query": _S}, ["query"]),
        _tool("send_email", "Send an email.", {"to": _S, "subject": _S, "body": _S}, ["to", "subject", "body"]),
        _tool("read_file", "Read a text file from the workspace.", {"path": _S}, ["path"]),
        _tool("write_file", "Write a text file in the workspace.", {"path": _S, "content": _S}, ["path", "content"]),
        _tool(
            "create_event",
            "Create a calendar event.",
            {"title": _S, "start": _S, "end": _S, "attendees": {"type": "array", "items": _S}},
            ["title", "start"],
        ),
        _tool("get_stock_price", "Latest price of a stock ticker.", {"ticker": _S}, ["ticker"]),
        _tool(
            "convert_currency",
            "Convert an amount between currencies.",
            {"amount": _N, "from": _S, "to": _S},
            ["amount", "from", "to"],
        ),
        _tool("lookup_customer", "Find a customer record by id or email.", {"customer": _S}, ["customer"]),
        _tool(
            "create_ticket",
            "Open a support ticket.",
            {"customer_id": _S, "summary": _S, "priority": {"type": "string", "enum": ["low", "normal", "high"]}},
            ["customer_id", "summary"],
        ),
        _tool("run_python", "Execute Python code in a sandbox and return stdout.", {"code": _S}, ["code"]),
        _tool("http_get", "Fetch a URL and return the body.", {"url": _S}, ["url"]),
    ]
}

_TASK_TOOLS = [
    (
        "Find flights from ⟦city⟧ to ⟦city⟧ on ⟦date⟧ under ⟦#200-900⟧ dollars and book the cheapest one for ⟦name⟧.",
        ["search_flights", "book_flight", "send_email"],
    ),
    (
        "What's the weather in ⟦city⟧ this weekend? If it's dry, put a picnic on my calendar for Saturday noon.",
        ["get_weather", "create_event"],
    ),
    (
        "Look up customer ⟦#10000-99999⟧, check whether their last order shipped, and open a ⟦high|normal⟧ priority "
        "ticket if it did not.",
        ["lookup_customer", "create_ticket", "send_email"],
    ),
    (
        "Pull last ⟦week's|month's|quarter's⟧ revenue by region from the warehouse and tell me which region grew most.",
        ["run_sql", "run_python"],
    ),
    (
        "Convert ⟦#100-5000⟧ ⟦EUR|GBP|USD⟧ to ⟦JPY|CHF|BRL⟧ and email the result to ⟦name⟧.",
        ["convert_currency", "send_email"],
    ),
    (
        "Read notes/⟦meeting|todo|ideas⟧.md and write a cleaned-up summary to notes/summary.md.",
        ["read_file", "write_file"],
    ),
    (
        "Search the web for ⟦the latest Python release|reviews of the Commuter 3 e-bike|opening hours of the city "
        "museum⟧ and give me a two-line answer.",
        ["web_search", "http_get"],
    ),
    (
        "What did ⟦AAPL|MSFT|NVDA|TSLA⟧ close at today, and how much is ⟦#5-200⟧ shares worth in euros?",
        ["get_stock_price", "convert_currency"],
    ),
    (
        "Schedule a ⟦30|45|60⟧-minute review with ⟦name⟧ and ⟦name⟧ next ⟦Tuesday|Thursday⟧ afternoon.",
        ["create_event", "send_email"],
    ),
    (
        "Compute the ⟦mean|median|standard deviation⟧ of the numbers in data/⟦scores|latency|prices⟧.csv.",
        ["read_file", "run_python"],
    ),
]
_DATES = ["2026-02-14", "2026-03-02", "next Friday", "the 21st", "tomorrow"]
_BANK = {"city": CITIES, "name": NAMES, "date": _DATES}


def agent_task(rng: random.Random) -> tuple[str, list[str]]:
    """(task text, names of the tools it needs)."""
    template, names = rng.choice(_TASK_TOOLS)
    return expand(template, rng, _BANK), list(names)


def tool_set(rng: random.Random, needed: list[str], extra: int = 3) -> list[dict[str, Any]]:
    """The tools array an app would send: what the task needs plus a few others, in the app's order."""
    others = [n for n in TOOLS if n not in needed]
    names = needed + rng.sample(others, min(extra, len(others)))
    return [TOOLS[n] for n in sorted(names)]


def _arguments(name: str, rng: random.Random) -> dict[str, Any]:
    city = rng.choice(CITIES)
    samples: dict[str, dict[str, Any]] = {
        "search_flights": {
            "origin": city[:3].upper(),
            "destination": rng.choice(CITIES)[:3].upper(),
            "date": "2026-02-14",
        },
        "get_weather": {"city": city, "days": rng.randint(1, 5)},
        "run_sql": {"query": "SELECT region, SUM(amount) FROM sales GROUP BY region"},
        "lookup_customer": {"customer": str(rng.randint(10000, 99999))},
        "convert_currency": {"amount": rng.randint(100, 5000), "from": "EUR", "to": "JPY"},
        "read_file": {"path": rng.choice(["notes/meeting.md", "data/scores.csv", "README.md"])},
        "web_search": {"query": rng.choice(["python release", "museum hours", "e-bike review"])},
        "get_stock_price": {"ticker": rng.choice(["AAPL", "MSFT", "NVDA"])},
    }
    return samples.get(name, {"input": "ok"})


def _result(name: str, rng: random.Random) -> dict[str, Any]:
    results: dict[str, dict[str, Any]] = {
        "search_flights": {
            "offers": [
                {"id": f"OF{rng.randint(100, 999)}", "price": rng.randint(120, 900)} for _ in range(rng.randint(1, 3))
            ]
        },
        "get_weather": {"forecast": [{"day": d, "rain_mm": rng.randint(0, 12)} for d in ("Sat", "Sun")]},
        "run_sql": {"rows": [["north", rng.randint(1000, 9000)], ["south", rng.randint(1000, 9000)]]},
        "lookup_customer": {
            "id": str(rng.randint(10000, 99999)),
            "last_order": {"status": rng.choice(["shipped", "pending"])},
        },
        "convert_currency": {"rate": round(rng.uniform(150, 170), 2)},
        "read_file": {"content": "- ship onboarding\n- fix pool alert\n- hire bookkeeper"},
        "web_search": {"results": [{"title": "Result", "url": "https://example.org/a"}]},
        "get_stock_price": {"price": round(rng.uniform(90, 600), 2)},
    }
    return results.get(name, {"ok": True})


def prior_tool_turns(rng: random.Random, task: str, needed: list[str]) -> list[dict[str, Any]]:
    """An agent loop's history after one step: the user's task, the assistant's call, the tool's result."""
    name = needed[0]
    call_id = f"call_{rng.getrandbits(48):012x}"
    return [
        {"role": "user", "content": task},
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {
                    "id": call_id,
                    "type": "function",
                    "function": {"name": name, "arguments": json.dumps(_arguments(name, rng))},
                }
            ],
        },
        {"role": "tool", "tool_call_id": call_id, "content": json.dumps(_result(name, rng))},
    ]
