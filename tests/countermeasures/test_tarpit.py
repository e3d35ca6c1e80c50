import asyncio

import pytest

from querysentry.countermeasures.tarpit import Pacer, TarpitSettings


class FakeTime:
    """A clock that only moves when the pacer sleeps (or the test says the upstream took time)."""

    def __init__(self) -> None:
        self.now = 100.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def _pacer(settings: TarpitSettings) -> tuple[Pacer, FakeTime]:
    fake = FakeTime()
    return Pacer(settings, sleep=fake.sleep, clock=fake.clock), fake


def test_a_rate_holds_the_response_to_so_many_bytes_per_second() -> None:
    pacer, fake = _pacer(TarpitSettings(bytes_per_second=100, max_total_delay=60))

    async def run() -> None:
        for _ in range(10):
            await pacer.wait(50)

    asyncio.run(run())
    assert fake.sleeps == pytest.approx([0.5] * 10)
    assert fake.now - 100.0 == pytest.approx(500 / 100)


def test_time_the_upstream_took_counts_toward_the_rate() -> None:
    pacer, fake = _pacer(TarpitSettings(bytes_per_second=100))

    async def run() -> None:
        await pacer.wait(100)  # 1 s due
        fake.now += 3.0  # the model was slow anyway
        await pacer.wait(100)  # 2 s due, 4 s gone: no wait

    asyncio.run(run())
    assert fake.sleeps == pytest.approx([1.0])


def test_a_fixed_delay_per_chunk() -> None:
    pacer, fake = _pacer(TarpitSettings(delay_per_chunk=0.25))

    async def run() -> None:
        for size in (1, 1000, 5):
            await pacer.wait(size)

    asyncio.run(run())
    assert fake.sleeps == [0.25, 0.25, 0.25]


def test_the_total_delay_is_bounded() -> None:
    pacer, fake = _pacer(TarpitSettings(bytes_per_second=10, delay_per_chunk=1.0, max_total_delay=2.5))

    async def run() -> None:
        for _ in range(20):
            await pacer.wait(100)

    asyncio.run(run())
    assert sum(fake.sleeps) == pytest.approx(2.5)
    assert pacer.waits == len(fake.sleeps) == 1  # the first chunk is due 10 s: capped; the rest are free


def test_settings_are_checked() -> None:
    with pytest.raises(ValueError, match="bytes_per_second"):
        TarpitSettings(bytes_per_second=0)
    assert not TarpitSettings().active
    assert TarpitSettings(delay_per_chunk=0.1).active
