"""Batch planning and the out-of-memory retry, on plain data."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator

import pytest

from judges.engines.base import InputError
from judges.engines.batching import (
    CPU_POLICY,
    CUDA_POLICY,
    BatchPolicy,
    batch_policy,
    plan_batches,
    run_planned,
    run_with_oom_halving,
    shrink_after_oom,
)

SMALL = BatchPolicy(token_budget=100, max_batch_size=4, call_cost_tokens=10)


def cost(lengths: list[int], batches: list[list[int]], policy: BatchPolicy) -> int:
    return sum(len(b) * max(lengths[i] for i in b) + policy.call_cost_tokens for b in batches)


def allowed(lengths: list[int], batch: list[int], policy: BatchPolicy) -> bool:
    longest = max(lengths[i] for i in batch)
    return len(batch) == 1 or (
        len(batch) <= policy.max_batch_size and len(batch) * longest <= policy.token_budget
    )


def set_partitions(items: list[int]) -> Iterator[list[list[int]]]:
    if not items:
        yield []
        return
    first, rest = items[0], items[1:]
    for partition in set_partitions(rest):
        yield [[first], *partition]
        for k in range(len(partition)):
            yield [*partition[:k], [first, *partition[k]], *partition[k + 1 :]]


def assert_valid_plan(lengths: list[int], batches: list[list[int]], policy: BatchPolicy) -> None:
    assert sorted(i for batch in batches for i in batch) == list(range(len(lengths)))
    assert all(allowed(lengths, batch, policy) for batch in batches)


@pytest.mark.parametrize(
    ("lengths", "expected"),
    [
        # One call instead of three: 3·10 + 10 < 3·(10 + 10).
        ([10, 10, 10], [[0, 1, 2]]),
        # Padding 10 to 40 costs more than a call: 2·40 + 10 > (10 + 10) + (40 + 10).
        ([10, 40], [[1], [0]]),
        # Padding 38 to 40 costs less than a call: 2·40 + 10 < (38 + 10) + (40 + 10).
        ([40, 38], [[1, 0]]),
        # Over the budget together (2·60 > 100): alone, whatever a call costs.
        ([60, 60], [[1], [0]]),
        # An input over the budget still runs, alone; longest batch first.
        ([5, 500, 5], [[1], [0, 2]]),
    ],
)
def test_hand_worked_plans(lengths: list[int], expected: list[list[int]]) -> None:
    assert plan_batches(lengths, SMALL) == expected


def test_batch_size_is_capped() -> None:
    batches = plan_batches([1] * 9, SMALL)

    assert sorted(len(b) for b in batches) == [1, 4, 4]


@pytest.mark.parametrize("seed", range(40))
def test_plan_costs_no_more_than_any_grouping(seed: int) -> None:
    rng = random.Random(seed)
    lengths = [rng.randint(1, 60) for _ in range(rng.randint(1, 7))]
    policy = BatchPolicy(
        token_budget=rng.choice([50, 100, 400]),
        max_batch_size=rng.randint(1, 5),
        call_cost_tokens=rng.choice([0, 5, 30]),
    )

    plan = plan_batches(lengths, policy)

    assert_valid_plan(lengths, plan, policy)
    cheapest = min(
        cost(lengths, p, policy)
        for p in set_partitions(list(range(len(lengths))))
        if all(allowed(lengths, b, policy) for b in p)
    )
    assert cost(lengths, plan, policy) == cheapest


@pytest.mark.parametrize("policy", [SMALL, CPU_POLICY, CUDA_POLICY])
def test_random_lengths_give_valid_plans(policy: BatchPolicy) -> None:
    rng = random.Random(7)
    for _ in range(100):
        lengths = [rng.choice([rng.randint(0, 40), rng.randint(1, 3000)]) for _ in range(80)]

        assert_valid_plan(lengths, plan_batches(lengths, policy), policy)


def test_on_a_cpu_short_inputs_share_calls_and_long_ones_run_alone() -> None:
    lengths = [30, 31, 33, 29, 30, 32, 400, 650, 900]

    batches = plan_batches(lengths, CPU_POLICY)

    assert batches == [[8], [7], [6], [3, 0, 4, 1, 5, 2]]


def test_no_inputs_no_batches() -> None:
    assert plan_batches([], CPU_POLICY) == []


def test_negative_length_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        plan_batches([3, -1], CPU_POLICY)


def test_policy_follows_the_device() -> None:
    assert batch_policy("cpu") == CPU_POLICY
    assert batch_policy("cuda") == CUDA_POLICY
    assert CUDA_POLICY.token_budget > CPU_POLICY.token_budget


def oom_above(limit: int, calls: list[list[int]]) -> Callable[[list[int]], list[int]]:
    """A batch runner that runs out of memory above ``limit`` inputs, logging its calls."""

    def run(batch: list[int]) -> list[int]:
        calls.append(batch)
        if len(batch) > limit:
            raise RuntimeError("CUDA out of memory. Tried to allocate 2.00 GiB")
        return [index * 10 for index in batch]

    return run


def test_a_batch_that_runs_out_of_memory_is_halved_until_it_fits() -> None:
    calls: list[list[int]] = []
    failed: list[list[int]] = []

    results = run_with_oom_halving([5, 6, 7, 8, 9], oom_above(2, calls), on_oom=failed.append)

    assert results == [50, 60, 70, 80, 90]
    assert failed == [[5, 6, 7, 8, 9], [7, 8, 9]]
    assert calls == [[5, 6, 7, 8, 9], [5, 6], [7, 8, 9], [7], [8, 9]]


def test_an_input_that_never_fits_gets_an_input_error_and_the_rest_results() -> None:
    def run(batch: list[int]) -> list[int]:
        if 2 in batch:
            raise RuntimeError("out of memory")
        return batch

    results = run_with_oom_halving([1, 2, 3], run)

    assert results[0] == 1
    assert isinstance(results[1], InputError)
    assert "memory" in results[1].message
    assert results[2] == 3


def test_other_errors_are_not_retried() -> None:
    calls: list[list[int]] = []

    def run(batch: list[int]) -> list[int]:
        calls.append(batch)
        raise RuntimeError("shape mismatch")

    with pytest.raises(RuntimeError, match="shape mismatch"):
        run_with_oom_halving([1, 2], run)
    assert calls == [[1, 2]]


def test_shrink_after_oom_halves_the_failed_batch_size() -> None:
    policy = BatchPolicy(token_budget=10_000, max_batch_size=64, call_cost_tokens=10)

    assert shrink_after_oom(policy, [100, 400, 300]).token_budget == 600
    assert shrink_after_oom(policy, [1]).token_budget == 1


def test_run_planned_maps_results_to_input_indices() -> None:
    lengths = {3: 10, 8: 12, 1: 500, 4: 11}
    seen: list[list[int]] = []

    def run(batch: list[int]) -> list[str]:
        seen.append(batch)
        return [f"r{index}" for index in batch]

    results = run_planned(lengths, SMALL, run)

    assert results == {3: "r3", 8: "r8", 1: "r1", 4: "r4"}
    assert seen == [[1], [3, 4, 8]]
