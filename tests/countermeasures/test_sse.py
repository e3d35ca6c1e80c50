import pytest

from querysentry.countermeasures.sse import Dropped, Passthrough, SSEEvent, SSEParser


def _all(parser: SSEParser, data: bytes, step: int) -> list[object]:
    items: list[object] = []
    for start in range(0, len(data), step):
        items += parser.feed(data[start : start + step])
    return items + parser.close()


def _raws(items: list[object]) -> list[bytes]:
    return [item.raw for item in items if isinstance(item, SSEEvent | Passthrough)]


@pytest.mark.parametrize("newline", [b"\n", b"\r\n", b"\r"])
@pytest.mark.parametrize("step", [1, 2, 3, 5, 64])
def test_events_are_cut_at_blank_lines_whatever_the_line_ends_and_chunking(newline: bytes, step: int) -> None:
    events = [
        b"event: a" + newline + b'data: {"n": 1}' + newline + newline,
        b": a comment" + newline + b"data: two" + newline + b"data: lines" + newline + newline,
        b"data: [DONE]" + newline + newline,
    ]
    items = _all(SSEParser(), b"".join(events), step)
    assert _raws(items) == events
    assert [item.data for item in items if isinstance(item, SSEEvent)] == [b'{"n": 1}', b"two\nlines", b"[DONE]"]


def test_a_cr_at_the_end_of_a_chunk_waits_for_its_lf() -> None:
    parser = SSEParser()
    assert parser.feed(b"data: x\r\n\r") == []  # "\r\n\r" could still become "\r\n\r\n"
    items = parser.feed(b"\ndata: y\r\n\r\n")
    assert _raws(items) == [b"data: x\r\n\r\n", b"data: y\r\n\r\n"]


def test_what_remains_at_close_is_one_last_event_without_its_blank_line() -> None:
    parser = SSEParser()
    assert parser.feed(b"data: a\n\ndata: b") != []
    (last,) = parser.close()
    assert isinstance(last, SSEEvent)
    assert (last.raw, last.data) == (b"data: b", b"b")


def test_an_oversized_event_is_cut_and_the_stream_goes_on() -> None:
    parser = SSEParser(max_event_bytes=64, oversize="cut")
    big = b"data: " + b"x" * 500 + b"\n\n"
    items = _all(parser, big + b"data: after\n\n", 7)
    assert _raws(items) == [b"data: after\n\n"]
    assert sum(item.size for item in items if isinstance(item, Dropped)) == len(big)


def test_an_oversized_event_passes_unparsed_in_pass_mode() -> None:
    parser = SSEParser(max_event_bytes=64, oversize="pass")
    big = b"data: " + b"x" * 500 + b"\r\n\r\n"
    items = _all(parser, big + b"data: after\n\n", 5)
    assert b"".join(item.raw for item in items if isinstance(item, Passthrough)) == big
    assert [item.raw for item in items if isinstance(item, SSEEvent)] == [b"data: after\n\n"]


@pytest.mark.parametrize("oversize", ["pass", "cut"])
def test_the_parser_never_holds_more_than_its_bound(oversize: str) -> None:
    parser = SSEParser(max_event_bytes=100, oversize=oversize)  # type: ignore[arg-type]
    most = 0
    for _ in range(1000):  # an upstream that never ends its event
        parser.feed(b"data: " + b"y" * 37)
        most = max(most, parser.buffered)
    assert most <= 100 + 3


def test_a_boundary_split_across_chunks_ends_an_oversized_event() -> None:
    parser = SSEParser(max_event_bytes=32, oversize="cut")
    parser.feed(b"data: " + b"z" * 40 + b"\r")
    parser.feed(b"\n\r")
    assert _raws(parser.feed(b"\ndata: ok\n\n")) == [b"data: ok\n\n"]


def test_with_data_keeps_the_other_lines_and_the_line_ends() -> None:
    event = SSEEvent(b'event: delta\r\nid: 7\r\ndata: {"a":\r\ndata: 1}\r\n\r\n')
    assert event.data == b'{"a":\n1}'
    assert event.with_data('{"a":2}') == b'event: delta\r\nid: 7\r\ndata: {"a":2}\r\n\r\n'


def test_with_data_of_an_event_cut_by_the_end_of_the_stream_adds_no_blank_line() -> None:
    assert SSEEvent(b"data: old").with_data("new") == b"data: new"


def test_data_without_a_space_and_a_bom_are_read_as_the_standard_says() -> None:
    assert SSEEvent(b"\xef\xbb\xbfdata:x\n\n").data == b"x"
    assert SSEEvent(b"data\n\n").data == b""
    assert SSEEvent(b": only a comment\n\n").data is None


def test_cost_is_linear_in_bytes_fed_one_at_a_time() -> None:
    # Each feed searches from a few bytes before its new data, not from the start of the event.
    parser = SSEParser()
    searched = 0
    original = parser._cut

    def counting(items: list[object], *, closing: bool) -> None:
        nonlocal searched
        searched += len(parser._buffer) - max(0, parser._searched - 3)
        original(items, closing=closing)  # type: ignore[arg-type]

    parser._cut = counting  # type: ignore[method-assign]
    data = b"data: " + b"q" * 20_000 + b"\n\n"
    for byte in range(len(data)):
        parser.feed(data[byte : byte + 1])
    assert searched <= 4 * len(data)
