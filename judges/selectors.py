"""Read-side queries: predictions, and items in the plain form the judge code takes."""

from __future__ import annotations

from collections.abc import Iterable

from annotator.models import Item
from judges.judging import CandidateText, ItemInput
from judges.models import Prediction


def item_inputs(item_ids: Iterable[int]) -> list[ItemInput]:
    """The items with their candidates in source order, by id (no ORM objects escape)."""
    items = Item.objects.filter(pk__in=list(item_ids)).prefetch_related("candidates")
    return [
        ItemInput(
            id=item.pk,
            prompt=item.prompt,
            candidates=[
                CandidateText(key=c.key, text=c.text)
                for c in sorted(item.candidates.all(), key=lambda c: c.position)
            ],
            rubric=list(item.rubric or []),
        )
        for item in sorted(items, key=lambda i: i.pk)
    ]


def predictions_latest(
    *, item_ids: Iterable[int], include_failed: bool = False
) -> dict[int, list[Prediction]]:
    """Per item, each judge's most recent prediction for each question.

    Failed predictions are left out unless ``include_failed`` (then a newer failure shows
    instead of an older success, as it should in the item browser).

    An item has a handful of predictions per run, so picking the newest in Python is cheaper
    and more portable than a window query.
    """
    ids = list(item_ids)
    latest: dict[tuple[int, int, str], Prediction] = {}
    rows = Prediction.objects.filter(item_id__in=ids).select_related("judge").order_by("run_id")
    if not include_failed:
        rows = rows.filter(error="")
    for prediction in rows:
        latest[prediction.item_id, prediction.judge_id, prediction.question_id] = prediction
    out: dict[int, list[Prediction]] = {pk: [] for pk in ids}
    for (item_id, _, _), prediction in sorted(latest.items()):
        out[item_id].append(prediction)
    return out
