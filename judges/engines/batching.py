"""Plan forward-pass batches from token lengths; retry a batch in halves when memory runs out.

Plain Python over plain data (no torch), so the planning can be tested and tuned alone.

A batch is padded to its longest input, and every pad token is computed like a real one. What
batching buys is the fixed cost of a forward call (kernel launches, Python, and on a CPU the
poor efficiency of thin matrix products), which the planner counts as ``call_cost_tokens``
extra tokens per call. It then finds the grouping with the least estimated cost,
``sum(batch size x longest input + call_cost_tokens)``, among groupings within the budget.

Why the numbers differ per device (measured with the models of ``bench/judge_throughput.py``):

* On a CPU a forward call costs about as much as 50 more tokens, and past a few hundred tokens
  in a call the matrix units are as busy as they get (more only strains the caches). So short
  inputs of similar length share calls, while a long input runs alone unless a neighbour is
  within a few dozen tokens of it. Padding inputs of mixed lengths to the longest (a fixed
  batch size in input order) is slower than either.
* On a GPU a small call leaves most of the chip idle: the call cost is in the thousands of
  tokens, so batches grow until the token budget (memory) stops them.

Batches are lists of indices into the input list, so results can be put back in input order.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TypeVar

from judges.engines.base import InputError

R = TypeVar("R")


@dataclass(frozen=True)
class BatchPolicy:
    """Limits on one forward call, and what a call costs beyond its tokens."""

    # Batch size x longest input in the batch (the padded tensor's size) at most this; a single
    # input longer than the budget still runs, alone.
    token_budget: int
    max_batch_size: int
    # The fixed cost of one forward call, in tokens' worth of compute.
    call_cost_tokens: int


# Measured on a 2-core CPU with a Qwen3-0.6B-shaped model: a fit of forward time against
# tokens gave about 40-50 tokens per call; among call costs 0-512 and budgets 512-2048, 48 and
# 512 were fastest on short and on mixed inputs (no batching at all: 15-40% slower).
CPU_POLICY = BatchPolicy(token_budget=512, max_batch_size=64, call_cost_tokens=48)
# A starting point for a GPU; the engines halve a batch that runs out of memory and lower the
# budget for the batches after it.
CUDA_POLICY = BatchPolicy(token_budget=32_768, max_batch_size=256, call_cost_tokens=2048)


def batch_policy(device_type: str) -> BatchPolicy:
    """The policy for a torch device type (``"cpu"``, ``"cuda"``)."""
    return CUDA_POLICY if device_type == "cuda" else CPU_POLICY


def plan_batches(lengths: Sequence[int], policy: BatchPolicy) -> list[list[int]]:
    """Group input indices into the batches of least estimated cost within ``policy``'s limits.

    In an optimal grouping each batch is a run of neighbours in length order (swapping a long
    input of a short batch with a short input of a long batch never costs more), so a dynamic
    programme over the sorted lengths finds it in O(inputs x max_batch_size). Batches come back
    longest first: on a GPU the biggest batch, the likeliest to run out of memory, runs first,
    before any work is spent on the others.
    """
    if any(length < 0 for length in lengths):
        raise ValueError("Token lengths cannot be negative.")
    order = sorted(range(len(lengths)), key=lambda index: lengths[index])
    ordered = [lengths[index] for index in order]
    # best[j]: least cost of the j shortest inputs; size[j]: the size of its last batch.
    best = [0] * (len(ordered) + 1)
    size = [0] * (len(ordered) + 1)
    for end in range(1, len(ordered) + 1):
        longest = ordered[end - 1]
        best[end] = best[end - 1] + longest + policy.call_cost_tokens
        size[end] = 1
        for count in range(2, min(policy.max_batch_size, end) + 1):
            if count * longest > policy.token_budget:
                break
            cost = best[end - count] + count * longest + policy.call_cost_tokens
            if cost < best[end]:
                best[end], size[end] = cost, count
    batches: list[list[int]] = []
    end = len(ordered)
    while end > 0:
        batches.append(order[end - size[end] : end])
        end -= size[end]
    return batches


def shrink_after_oom(policy: BatchPolicy, lengths: Sequence[int]) -> BatchPolicy:
    """``policy`` with a token budget under half of a batch that ran out of memory.

    The halving retry rescues the failed batch; this keeps the batches planned after it from
    failing the same way, each at the cost of a failed forward pass.
    """
    failed_tokens = len(lengths) * max(lengths, default=1)
    return replace(policy, token_budget=max(1, min(policy.token_budget, failed_tokens // 2)))


def is_out_of_memory(error: BaseException) -> bool:
    """``torch.cuda.OutOfMemoryError`` is a RuntimeError; so are allocator failures of kernels
    that report memory exhaustion only in the message."""
    return isinstance(error, RuntimeError) and "out of memory" in str(error).lower()


def run_with_oom_halving(
    batch: list[int],
    run: Callable[[list[int]], list[R]],
    *,
    on_oom: Callable[[list[int]], None] | None = None,
) -> list[R | InputError]:
    """``run(batch)``, or, when it runs out of memory, each half of it in turn, recursively.

    A single input that still does not fit gets an ``InputError``; the rest of the batch still
    gets results. ``on_oom(batch)`` is called after each failure with the failed batch,
    before the retry (to free cached memory, or to lower the engine's token budget). Results come
    back in ``batch``'s order.
    """
    try:
        return list(run(batch))
    except RuntimeError as error:
        if not is_out_of_memory(error):
            raise
    # The retries run outside the except block: until it ends, the traceback holds the failed
    # call's frames and, with them, its tensors.
    if on_oom is not None:
        on_oom(batch)
    if len(batch) == 1:
        return [InputError("Out of memory even alone; shorten this input or use a larger device.")]
    middle = len(batch) // 2
    return [
        *run_with_oom_halving(batch[:middle], run, on_oom=on_oom),
        *run_with_oom_halving(batch[middle:], run, on_oom=on_oom),
    ]


def run_planned(
    lengths: Mapping[int, int],
    policy: BatchPolicy,
    run: Callable[[list[int]], list[R]],
    *,
    on_oom: Callable[[list[int]], None] | None = None,
) -> dict[int, R | InputError]:
    """Plan batches over ``lengths`` (input index → token length) and run each, with halving.

    ``run`` receives input indices (the keys of ``lengths``) and returns one result per index,
    in that order. The answer maps each input index to its result.
    """
    keys = list(lengths)
    results: dict[int, R | InputError] = {}
    for planned in plan_batches([lengths[key] for key in keys], policy):
        batch = [keys[position] for position in planned]
        outcome = run_with_oom_halving(batch, run, on_oom=on_oom)
        results.update(zip(batch, outcome, strict=True))
    return results
