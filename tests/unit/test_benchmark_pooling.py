"""benchmarks/booking.py pools a server's alternating turns into one set of figures."""

from __future__ import annotations

from benchmarks.booking import Load, pooled


def _turn(requests: int, seconds: float, latency_us: range) -> Load:
    """A turn whose latencies are spread evenly over `latency_us` (1,000 quantiles)."""
    span = latency_us.stop - latency_us.start
    quantiles = tuple(latency_us.start + span * (i + 1) // 1000 for i in range(1000))
    return Load(
        sent=requests,
        created=requests,
        other=0,
        seconds=seconds,
        p50_ms=quantiles[499] / 1000,
        p99_ms=quantiles[989] / 1000,
        socket_errors=0,
        timeouts=0,
        unexpected="",
        quantiles=quantiles,
    )


def test_one_turn_is_itself() -> None:
    turn = _turn(1000, 10.0, range(1_000, 3_000))
    alone = pooled([turn])
    assert alone.rate == turn.rate
    assert alone.p50_ms == turn.p50_ms
    assert alone.p99_ms == turn.p99_ms


def test_turns_are_weighted_by_their_requests() -> None:
    fast = _turn(3000, 10.0, range(1_000, 2_000))  # 1-2 ms
    slow = _turn(1000, 10.0, range(10_000, 20_000))  # 10-20 ms
    both = pooled([fast, slow])
    assert both.created == 4000
    assert both.rate == 200.0  # 4,000 answers in 20 s
    # Three requests in four took 1-2 ms: the median is among them, at two thirds of the way.
    assert 1.6 <= both.p50_ms <= 1.7
    # The slowest 1% are the slow turn's slowest 4%: about 19.6 ms.
    assert 19.5 <= both.p99_ms <= 19.7
