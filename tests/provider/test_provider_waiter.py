"""Waiting as data: acceptors, the backoff schedule, progress, the deadline and its hook."""

from __future__ import annotations

import pytest

from alicloud_imagebuilder_provider.errors import ApiError, ErrorKind, WaitTimeout
from alicloud_imagebuilder_provider.waiter import (Acceptor, Backoff, Deadline, Schedule,
                                                   WaiterSpec, wait)

SPEC = WaiterSpec("the thing", (Acceptor("success", ("DONE",), "Status"),
                                Acceptor("failure", ("BROKEN",), "Status"),
                                Acceptor("failure", (None,))),
                  progress=("Status",), hint="Try later.")


class FakeTime:
    """A clock that only moves when the waiter sleeps."""

    def __init__(self) -> None:
        self.now, self.sleeps = 0.0, []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


DOUBLING = Backoff(1.0, 8.0, factor=2.0, jitter=0.0)


def run(observations, *, seconds=100.0, backoff=DOUBLING):
    time, seen, cancelled = FakeTime(), [], []
    feed = iter(observations)
    outcome = wait(SPEC, lambda: next(feed), backoff=backoff,
                   deadline=Deadline(seconds, clock=time.clock),
                   on_progress=seen.append, on_timeout=cancelled.append, sleep=time.sleep)
    return outcome, time, seen, cancelled


def test_success_after_polls_on_a_growing_schedule():
    outcome, time, seen, _ = run([{"Status": "A"}, {"Status": "A"}, {"Status": "B"},
                                  {"Status": "B"}, {"Status": "B"}, {"Status": "DONE"}])
    assert outcome.state == "success" and outcome.value == {"Status": "DONE"}
    assert time.sleeps == [1.0, 2.0, 4.0, 8.0, 8.0]
    assert [s["Status"] for s in seen] == ["A", "B", "DONE"]  # changes only


def test_failure_acceptors_end_the_wait():
    assert run([{"Status": "BROKEN"}])[0].state == "failure"
    assert run([{"Status": "A"}, None])[0].state == "failure"


def test_timeout_calls_the_cancellation_hook_then_raises():
    observations = [{"Status": "A"}] * 20
    with pytest.raises(WaitTimeout) as failure:
        run(observations, seconds=5.0)
    assert failure.value.last == {"Status": "A"}
    assert "the thing" in str(failure.value) and "Try later." in str(failure.value)


def test_the_hook_runs_once_on_timeout():
    time, cancelled = FakeTime(), []
    with pytest.raises(WaitTimeout):
        wait(SPEC, lambda: {"Status": "A"}, backoff=Backoff(1.0, 1.0),
             deadline=Deadline(3.0, clock=time.clock), on_timeout=cancelled.append,
             sleep=time.sleep)
    assert cancelled == [{"Status": "A"}]
    assert sum(time.sleeps) <= 3.0 + 1e-9  # never sleeps past the deadline


def test_jitter_varies_pauses_within_bounds():
    delays = Backoff(10.0, 10.0, jitter=0.2).delays()
    pauses = {next(delays) for _ in range(50)}
    assert len(pauses) > 1 and all(8.0 <= p <= 12.0 for p in pauses)



def test_a_schedule_continues_from_one_wait_to_the_next():
    schedule = Schedule(Backoff(1.0, 8.0, factor=2.0, jitter=0.0))
    _, first, _, _ = run([{"Status": "A"}, {"Status": "A"}, {"Status": "DONE"}], backoff=schedule)
    _, second, _, _ = run([{"Status": "A"}, {"Status": "DONE"}], backoff=schedule)
    assert (first.sleeps, second.sleeps) == ([1.0, 2.0], [4.0])


def test_an_error_acceptor_ends_the_wait_and_the_outcome_names_the_acceptor():
    gone = Acceptor("failure", (ErrorKind.NOT_FOUND,), matcher="error")
    spec = WaiterSpec("the thing", (Acceptor("success", ("DONE",), "Status"), gone))
    time = FakeTime()
    answers = iter([{"Status": "A"}, ApiError(ErrorKind.NOT_FOUND, "Describe", "X.NotFound", "")])

    def poll():
        answer = next(answers)
        if isinstance(answer, ApiError):
            raise answer
        return answer

    outcome = wait(spec, poll, backoff=Backoff(1.0, 1.0, jitter=0.0),
                   deadline=Deadline(10.0, clock=time.clock), sleep=time.sleep)
    assert outcome.state == "failure" and outcome.acceptor is gone
    assert outcome.value.code == "X.NotFound"
    assert run([{"Status": "DONE"}])[0].acceptor is SPEC.acceptors[0]


def test_an_error_no_acceptor_expects_still_fails_the_wait():
    spec = WaiterSpec("the thing", (Acceptor("failure", ("Other.Code",), matcher="error"),))

    def poll():
        raise ApiError(ErrorKind.INVALID, "Describe", "Bad.Request", "bad")

    with pytest.raises(ApiError):
        wait(spec, poll, backoff=Backoff(1.0, 1.0), deadline=Deadline(10.0))
