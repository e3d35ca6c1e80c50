"""The traffic generator's scenarios and phrasing banks (see ``benchmarks/traffic.py``).

Everything here is written for this benchmark: campaigns as an attacker's pipeline would phrase
them, and honest traffic as students, apps, heavy users and evaluation customers send it.
"""

from benchmarks.traffic_scenarios.scenarios import DEFAULT_SCALE, SCENARIOS, Scenario, generate

__all__ = ["DEFAULT_SCALE", "SCENARIOS", "Scenario", "generate"]
