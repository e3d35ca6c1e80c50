"""Client network identity: User-Agent strings and source addresses, as a front proxy would pass them.

Honest users keep one address (sometimes two) and their own SDK version; apps call from their
server; rings share one automation User-Agent and rotate through proxy pools; single-use keys
each come from a different residential proxy. Popular SDK versions are shared by honest users
too, so a User-Agent alone links nobody.
"""

from __future__ import annotations

import random

__all__ = ["browser_user_agent", "datacenter_ip", "proxy_pool", "residential_ip", "sdk_user_agent"]

# First two octets of address blocks that look like consumer ISPs and like hosting providers.
_RESIDENTIAL = [
    (24, 0),
    (67, 160),
    (73, 0),
    (81, 100),
    (86, 0),
    (92, 40),
    (98, 200),
    (109, 150),
    (176, 20),
    (178, 80),
    (188, 120),
    (189, 30),
    (201, 10),
    (2, 50),
    (31, 200),
    (49, 36),
    (112, 140),
    (121, 160),
]
_DATACENTER = [(45, 83), (104, 131), (185, 220), (193, 32), (5, 188), (51, 15), (139, 59), (159, 89)]


def _ip(rng: random.Random, blocks: list[tuple[int, int]]) -> str:
    first, second = rng.choice(blocks)
    return f"{first}.{second + rng.randrange(0, 30)}.{rng.randrange(0, 256)}.{rng.randrange(1, 255)}"


def residential_ip(rng: random.Random) -> str:
    return _ip(rng, _RESIDENTIAL)


def datacenter_ip(rng: random.Random) -> str:
    return _ip(rng, _DATACENTER)


def proxy_pool(rng: random.Random, size: int, residential: bool) -> list[str]:
    """A campaign's rotating proxies: a few /24 networks (datacenter) or addresses everywhere (residential)."""
    if residential:
        return [residential_ip(rng) for _ in range(size)]
    nets = [datacenter_ip(rng).rsplit(".", 1)[0] for _ in range(max(1, size // 50))]
    return [f"{rng.choice(nets)}.{rng.randrange(1, 255)}" for _ in range(size)]


def sdk_user_agent(rng: random.Random) -> str:
    """One of the common client libraries, at a version many people happen to run."""
    family = rng.random()
    if family < 0.35:
        return f"OpenAI/Python 1.{rng.randint(40, 62)}.{rng.randint(0, 4)}"
    if family < 0.55:
        return f"Anthropic/Python 0.{rng.randint(34, 46)}.{rng.randint(0, 2)}"
    if family < 0.70:
        return f"OpenAI/JS 4.{rng.randint(60, 80)}.{rng.randint(0, 3)}"
    if family < 0.80:
        return f"python-requests/2.3{rng.randint(0, 2)}.{rng.randint(0, 3)}"
    if family < 0.88:
        return f"axios/1.{rng.randint(6, 7)}.{rng.randint(0, 9)}"
    if family < 0.94:
        return f"python-httpx/0.2{rng.randint(5, 8)}.{rng.randint(0, 2)}"
    return f"curl/8.{rng.randint(0, 11)}.{rng.randint(0, 1)}"


def browser_user_agent(rng: random.Random) -> str:
    os_part = rng.choice(
        [
            "Windows NT 10.0; Win64; x64",
            "Macintosh; Intel Mac OS X 10_15_7",
            "X11; Linux x86_64",
            "iPhone; CPU iPhone OS 18_2 like Mac OS X",
            "Linux; Android 14; Pixel 8",
        ]
    )
    return f"Mozilla/5.0 ({os_part}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{rng.randint(128, 134)}.0.0.0"
