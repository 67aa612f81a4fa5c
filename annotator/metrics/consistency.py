"""How consistent one person is with themselves: cyclic preferences and repeated answers.

Both statistics take one row per vote or annotation and work on whole arrays: grouping is done
by sorting and ``numpy.unique``, and triads are counted with sparse matrix products, so neither
loops over votes, groups or triads in Python.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import sparse

from annotator.metrics.estimates import DEFAULT_RESAMPLES, Estimate, FloatArray, bootstrap_sums

IntArray = npt.NDArray[np.int64]

MISSING = -1


def _ids(values: npt.ArrayLike, name: str) -> IntArray:
    array = np.asarray(values)
    if array.ndim != 1:
        raise ValueError(f"{name} must be a 1-D array.")
    if array.size and not np.issubdtype(array.dtype, np.integer):
        raise ValueError(f"{name} must hold integers.")
    return array.astype(np.int64)


def _aligned(**arrays: npt.ArrayLike) -> dict[str, IntArray]:
    checked = {name: _ids(values, name) for name, values in arrays.items()}
    if len({array.size for array in checked.values()}) > 1:
        sizes = ", ".join(f"{name}={array.size}" for name, array in checked.items())
        raise ValueError(f"Inputs must be aligned 1-D arrays of the same length ({sizes}).")
    return checked


# --- intransitive triads --------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class TriadCounts:
    """Triads (three candidates with all three pairs strictly decided) and the cyclic ones.

    ``groups`` are the sorted unique group ids of the input, ``triads`` and ``cyclic`` the counts
    per group (aligned with ``groups``); ``total_triads`` and ``total_cyclic`` their sums.
    """

    groups: IntArray
    triads: IntArray
    cyclic: IntArray
    total_triads: int
    total_cyclic: int

    @property
    def cyclic_share(self) -> float:
        """Share of triads that are cyclic; ``nan`` when there is no triad."""
        if self.total_triads == 0:
            return math.nan
        return self.total_cyclic / self.total_triads


def intransitive_triads(
    group: IntArray, a: IntArray, b: IntArray, outcome: IntArray
) -> TriadCounts:
    """Count, per group, the fully compared triads and the cyclic (intransitive) ones.

    Rows are one annotator's pairwise votes: ``group`` (e.g. one id per annotator x prompt),
    candidates ``a`` and ``b`` (integer ids, distinct within a row; the same id in two groups is
    two different candidates) and ``outcome`` (1 = a preferred, -1 = b preferred, 0 = tie).
    When a pair is voted more than once in a group, the latest vote (last in array order) counts,
    so a later tie undoes an earlier preference. Only strict votes make the edges of the group's
    preference graph; a triad is three candidates whose three pairs all have an edge, and it is
    cyclic when the edges go round (A > B, B > C, C > A).

    For a complete strict tournament on ``n`` candidates with win counts ``s_i`` this equals the
    classic count of Kendall & Babington Smith (1940): ``C(n, 3) - sum_i C(s_i, 2)`` cyclic
    triads. Votes are often incomplete, so the count here is direct instead: with ``D`` the
    0/1 "beats" matrix of a group and ``U = D + D^T``, a node lies on ``diag(D^3)`` directed
    3-cycles and ``diag(U^3) / 2`` triangles, so a group has ``trace(D^3) / 3`` cyclic triads
    and ``trace(U^3) / 6`` triads. All groups form one block-diagonal sparse matrix, which keeps
    memory proportional to the number of votes whatever the group sizes.

    No votes, or groups with fewer than three candidates, give zero counts (never an error).
    """
    rows = _aligned(group=group, a=a, b=b, outcome=outcome)
    groups_in, first, second, result = rows["group"], rows["a"], rows["b"], rows["outcome"]
    if result.size and (result.min() < -1 or result.max() > 1):
        raise ValueError("outcome must be 1 (a preferred), -1 (b preferred) or 0 (tie).")
    if np.any(first == second):
        raise ValueError("A vote must compare two different candidates (a == b found).")

    groups, group_index = np.unique(groups_in, return_inverse=True)
    n_groups = groups.size
    empty = np.zeros(n_groups, dtype=np.int64)
    if result.size == 0:
        return TriadCounts(groups.astype(np.int64), empty, empty.copy(), 0, 0)

    # One node per (group, candidate): candidate ids are only unique within a group.
    candidates, candidate_index = np.unique(np.concatenate([first, second]), return_inverse=True)
    node_key = np.tile(group_index, 2) * candidates.size + candidate_index
    node_keys, node = np.unique(node_key, return_inverse=True)
    node_group = node_keys // candidates.size
    node_a, node_b = node[: result.size], node[result.size :]

    # Orient every vote on the unordered pair (low node, high node) so repeats line up.
    low, high = np.minimum(node_a, node_b), np.maximum(node_a, node_b)
    low_won = np.where(node_a == low, result, -result)
    order = np.lexsort((np.arange(result.size), high, low))
    low, high, low_won = low[order], high[order], low_won[order]
    last = np.ones(low.size, dtype=bool)
    last[:-1] = (low[1:] != low[:-1]) | (high[1:] != high[:-1])
    strict = last & (low_won != 0)
    low, high, low_won = low[strict], high[strict], low_won[strict]

    n_nodes = node_keys.size
    winner = np.where(low_won > 0, low, high)
    loser = np.where(low_won > 0, high, low)
    beats = sparse.csr_array(
        (np.ones(winner.size, dtype=np.int64), (winner, loser)), shape=(n_nodes, n_nodes)
    )
    undirected = beats + beats.T
    cycles_at_node = _closed_walks_of_three(beats)
    triangles_at_node = _closed_walks_of_three(undirected)
    cyclic = np.bincount(node_group, weights=cycles_at_node, minlength=n_groups)
    triads = np.bincount(node_group, weights=triangles_at_node, minlength=n_groups)
    # Each cyclic triad is a 3-cycle at each of its 3 nodes; each triangle is 2 walks at 3 nodes.
    cyclic_counts = np.rint(cyclic / 3).astype(np.int64)
    triad_counts = np.rint(triads / 6).astype(np.int64)
    return TriadCounts(
        groups=groups.astype(np.int64),
        triads=triad_counts,
        cyclic=cyclic_counts,
        total_triads=int(triad_counts.sum()),
        total_cyclic=int(cyclic_counts.sum()),
    )


def _closed_walks_of_three(matrix: sparse.csr_array) -> FloatArray:
    """``diag(M^3)`` of a sparse square matrix without forming ``M^3``."""
    # diag(M^3)_i = sum_j (M^2)_ij * M_ji: the elementwise product with M^T keeps only closed walks.
    closed = (matrix @ matrix).multiply(matrix.T)
    return np.asarray(closed.sum(axis=1), dtype=np.float64).ravel()


# --- self-agreement -------------------------------------------------------------------------


def _repeat_pairs(
    unit: IntArray, coder: IntArray, value: IntArray
) -> tuple[IntArray, FloatArray, FloatArray]:
    """Per (coder, unit) answered at least twice: its coder, agreeing pairs and all pairs.

    Groups come sorted by coder, then unit; missing values (-1) are dropped first.
    """
    rows = _aligned(unit=unit, coder=coder, value=value)
    units, coders, values = rows["unit"], rows["coder"], rows["value"]
    if values.size and values.min() < MISSING:
        raise ValueError("value holds codes below -1; use -1 for a missing answer.")
    answered = values != MISSING
    units, coders, values = units[answered], coders[answered], values[answered]
    if values.size == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0), np.zeros(0)

    coder_ids, coder_index = np.unique(coders, return_inverse=True)
    unit_ids, unit_index = np.unique(units, return_inverse=True)
    # Factorise in two steps so the combined keys stay far from int64 overflow.
    pair_keys, cell = np.unique(coder_index * unit_ids.size + unit_index, return_inverse=True)
    value_ids, value_index = np.unique(values, return_inverse=True)
    answer_keys, answer_count = np.unique(cell * value_ids.size + value_index, return_counts=True)
    answers = np.bincount(cell, minlength=pair_keys.size).astype(np.float64)
    same = answer_count.astype(np.float64)
    agreeing = np.bincount(
        answer_keys // value_ids.size, weights=same * (same - 1) / 2, minlength=pair_keys.size
    ).astype(np.float64)
    pairs = answers * (answers - 1) / 2
    repeated = answers >= 2
    cell_coder = coder_ids[pair_keys // unit_ids.size].astype(np.int64)
    return cell_coder[repeated], agreeing[repeated], pairs[repeated]


def _pooled_share(
    agreeing: FloatArray, pairs: FloatArray, *, n_resamples: int, confidence: float, seed: int
) -> Estimate:
    def share(sums: FloatArray) -> FloatArray:
        out = np.full(sums.shape[0], np.nan)
        np.divide(sums[:, 0], sums[:, 1], out=out, where=sums[:, 1] != 0)
        return out

    return bootstrap_sums(
        np.column_stack([agreeing, pairs]),
        share,
        n_resamples=n_resamples,
        confidence=confidence,
        seed=seed,
    )


def self_agreement(
    unit: IntArray,
    coder: IntArray,
    value: IntArray,
    *,
    n_resamples: int = DEFAULT_RESAMPLES,
    confidence: float = 0.95,
    seed: int = 0,
) -> Estimate:
    """Test-retest agreement: share of agreeing pairs among answers a coder gave twice or more.

    Rows are annotations: the ``unit`` answered, the ``coder`` who answered and the category code
    ``value`` (-1 = no answer, left out). For each (coder, unit) answered ``m >= 2`` times with
    ``m_c`` answers in category ``c``, ``sum_c C(m_c, 2)`` of its ``C(m, 2)`` pairs of answers
    agree; the value pools these over all such groups (pairwise percent agreement, the observed
    agreement of Fleiss' kappa applied to a coder's repeats). Exact agreement only: codes are not
    treated as ordered.

    Percentile bootstrap over (coder, unit) groups, ordered by coder, then unit; ``n`` is the
    number of such groups. ``nan`` when nobody answered anything twice.
    """
    _, agreeing, pairs = _repeat_pairs(unit, coder, value)
    return _pooled_share(agreeing, pairs, n_resamples=n_resamples, confidence=confidence, seed=seed)


def self_agreement_by_coder(
    unit: IntArray,
    coder: IntArray,
    value: IntArray,
    *,
    n_resamples: int = DEFAULT_RESAMPLES,
    confidence: float = 0.95,
    seed: int = 0,
) -> dict[int, Estimate]:
    """:func:`self_agreement` of each coder who answered some unit twice, keyed by coder id.

    Each coder's interval is a bootstrap over that coder's repeated units (in unit order), with
    the same ``seed``. Coders without any repeated unit are absent from the result.
    """
    cell_coder, agreeing, pairs = _repeat_pairs(unit, coder, value)
    # Groups are sorted by coder, so each coder's groups are one contiguous slice.
    coder_ids, starts = np.unique(cell_coder, return_index=True)
    ends = np.append(starts[1:], cell_coder.size)[: starts.size]
    return {
        int(coder_id): _pooled_share(
            agreeing[start:end],
            pairs[start:end],
            n_resamples=n_resamples,
            confidence=confidence,
            seed=seed,
        )
        for coder_id, start, end in zip(coder_ids, starts, ends, strict=True)
    }
