"""Benchmark: the local judge engines against naive ways of running the same models.

Run (no Django, no downloads)::

    .venv/bin/python bench/judge_throughput.py [--quick] [--layers 4] [--repeats 5] [--threads 2] \
        [--parse-tokens 8 32]

It builds two models with random weights in a temporary folder, each with Qwen3-0.6B's layer
shape (hidden 1024, 16 query heads of 128, 8 key/value heads, MLP 3072, tied embeddings) but
``--layers`` of its 28 layers (4; 2 with ``--quick``), so the whole run takes minutes on a
2-core CPU, and a vocabulary cut in the same proportion (151,936 x layers / 28; see
``vocabulary``): a reward model (sequence classification, one head) and a causal LM used as an
A/B/tie judge. Prompts and candidates are random words of the tests' tiny tokenizer (one token
each), in three mixes of lengths: short (30-120 tokens), long (500-1,000), mixed (30-1,000,
log-uniform).

For each mix, every method runs once on two inputs to warm up, then ``--repeats`` times in
turn (so that a machine busy with other work slows all of them alike), and rates come from the
median time (the least time is reported too):

* ``engine``: ``RewardEngine.rewards`` / ``LlmEngine.choice_probs``;
* ``one_per_call``: one unpadded input per forward call, in input order (the LM projects only
  the last position onto the vocabulary, as the engine does);
* ``padded_batches_8``: batches of 8 in input order, padded to the longest with an attention
  mask, as ``tokenizer(texts, padding=True)`` gives;
* LM only, ``generate_then_parse_N``: ``LlmEngine.generate`` of N greedy tokens (in the
  engine's batches, with a KV cache: the best case for this approach), then a regular
  expression looks for the verdict; ``generate_one_at_a_time_then_parse_N``: the same, one
  prompt per call, as a simple script does it. A trained judge answering
  "A" stops after a token or two; one asked to explain first needs dozens or hundreds. The
  defaults, N = 8, 32 and 128, cover a bare verdict, a sentence, and a short explanation
  before the verdict (as MT-Bench-style judge prompts ask for).

All start from the conversations (the same chat-template rendering and tokenization).

Useful work per input of T tokens is counted as 2·P·T + 2·L·T²·d (the decoder layers' P
weights once per token; causal attention's two T x T x d products, halved, in each of L
layers, d = query heads x head size), plus 2·hidden·vocabulary for the LM's one projected
position. Pad tokens and generated tokens count as no useful work. FLOP/s is that over the
wall time, also as a fraction of a plain matmul of the model's MLP shape (1024 rows) timed in
turn with the methods. On CUDA the models run in bfloat16 and so does the reference matmul.

It prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import torch
from transformers import (
    AutoTokenizer,
    Qwen3Config,
    Qwen3ForCausalLM,
    Qwen3ForSequenceClassification,
)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from judges.engines.base import Conversation  # noqa: E402
from judges.engines.llm import LlmEngine  # noqa: E402
from judges.engines.loading import LoadedModel, ModelSpec  # noqa: E402
from judges.engines.reward import RewardEngine  # noqa: E402
from tests.judges.tiny_models import build_tokenizer  # noqa: E402

CHOICES = ["A", "B", "tie"]
VERDICT = re.compile(r"\b(A|B|tie)\b")
SHAPE = {
    "hidden_size": 1024,
    "intermediate_size": 3072,
    "num_attention_heads": 16,
    "num_key_value_heads": 8,
    "head_dim": 128,
}
FULL_DEPTH, FULL_VOCABULARY = 28, 151_936
# A way of scoring some of a mix's inputs (given by index).
Method = Callable[[list[int]], object]


def vocabulary(layers: int) -> int:
    """Qwen3-0.6B's vocabulary scaled by the share of its layers kept.

    Generating a token reads every weight, the output projection included; keeping its real
    share of the weights keeps the cost of a generated token, relative to a prompt token, as in
    the full model. With the full vocabulary and 4 layers, generation would look 2.6x dearer.
    """
    return round(FULL_VOCABULARY * layers / FULL_DEPTH)


def build_models(folder: Path, layers: int) -> tuple[Path, Path]:
    """Save a reward model and a causal LM of the benchmark's shape, with the tiny tokenizer."""
    paths = []
    for name, cls in (("reward", Qwen3ForSequenceClassification), ("llm", Qwen3ForCausalLM)):
        path = folder / name
        tokenizer = build_tokenizer(path)
        # The longest benchmark input is about 1,000 tokens.
        tokenizer.model_max_length = 4096
        tokenizer.save_pretrained(path)
        config = Qwen3Config(
            hidden_size=SHAPE["hidden_size"],
            intermediate_size=SHAPE["intermediate_size"],
            num_attention_heads=SHAPE["num_attention_heads"],
            num_key_value_heads=SHAPE["num_key_value_heads"],
            head_dim=SHAPE["head_dim"],
            vocab_size=vocabulary(layers),
            num_hidden_layers=layers,
            max_position_embeddings=4096,
            tie_word_embeddings=True,
            pad_token_id=tokenizer.pad_token_id,
            eos_token_id=tokenizer.eos_token_id,
        )
        config.num_labels = 1
        torch.manual_seed(0)
        cls(config).save_pretrained(path)
        paths.append(path)
    return paths[0], paths[1]


def one_token_words(path: Path) -> list[str]:
    """Words that the tokenizer encodes as one token after a space."""
    tokenizer = AutoTokenizer.from_pretrained(path)
    words = [t[1:] for t in tokenizer.get_vocab() if t.startswith("Ġ") and t[1:].isalpha()]
    return sorted(w for w in words if len(tokenizer.encode(" " + w)) == 1)


def lengths_for(mix: str, count: int, rng: random.Random) -> list[int]:
    if mix == "short":
        return [rng.randint(30, 120) for _ in range(count)]
    if mix == "long":
        return [rng.randint(500, 1000) for _ in range(count)]
    return [round(math.exp(rng.uniform(math.log(30), math.log(1000)))) for _ in range(count)]


def reward_conversation(words: list[str], tokens: int, rng: random.Random) -> Conversation:
    question = " ".join(rng.choices(words, k=12))
    answer = " ".join(rng.choices(words, k=max(1, tokens - 30)))
    return [{"role": "user", "content": question}, {"role": "assistant", "content": answer}]


def judge_conversation(words: list[str], tokens: int, rng: random.Random) -> Conversation:
    half = max(1, (tokens - 45) // 2)
    text = (
        f"Question: {' '.join(rng.choices(words, k=8))}\nAnswer A: "
        f"{' '.join(rng.choices(words, k=half))}\nAnswer B: {' '.join(rng.choices(words, k=half))}"
        "\nWhich answer is better? Reply A, B or tie."
    )
    return [{"role": "system", "content": "You judge answers."}, {"role": "user", "content": text}]


def layer_weights(loaded: LoadedModel) -> int:
    layers = loaded.model.base_model.get_submodule("layers")
    return sum(p.numel() for p in layers.parameters() if p.dim() > 1)


def useful_flops(loaded: LoadedModel, lengths: list[int], *, lm_head: bool) -> float:
    config = loaded.model.config
    weights = layer_weights(loaded)
    attention = config.num_hidden_layers * config.num_attention_heads * config.head_dim
    head = 2 * config.hidden_size * config.vocab_size if lm_head else 0
    return float(sum(2 * weights * t + 2 * attention * t * t + head for t in lengths))


def sync(loaded: LoadedModel) -> None:
    if loaded.device.type == "cuda":
        torch.cuda.synchronize()


def matmul_reference(loaded: LoadedModel) -> tuple[Method, float]:
    """A plain matmul of the model's MLP shape (1024 rows; its dtype and device), repeated to
    take about as long as a method, and the FLOPs of one run. It takes its turn among the
    methods, so that it is measured under the same conditions."""
    rows, hidden, inner = 1024, SHAPE["hidden_size"], SHAPE["intermediate_size"]
    a = torch.randn(rows, hidden, dtype=loaded.dtype, device=loaded.device)
    b = torch.randn(hidden, inner, dtype=loaded.dtype, device=loaded.device)
    a @ b
    sync(loaded)
    started = time.perf_counter()
    a @ b
    sync(loaded)
    count = max(1, round(0.5 / max(time.perf_counter() - started, 1e-6)))

    def run(indices: list[int]) -> None:
        for _ in range(count):
            a @ b

    return run, float(2 * rows * hidden * inner * count)


def naive_methods(
    loaded: LoadedModel, conversations: list[Conversation], *, lm: bool
) -> dict[str, Method]:
    """The baselines. Like the engine, they start from conversations (same rendering)."""
    model, device = loaded.model, loaded.device
    pad = int(loaded.tokenizer.pad_token_id)
    keep = {"logits_to_keep": 1} if lm else {}

    def encode(indices: list[int]) -> list[list[int]]:
        encoded = [loaded.encode(conversations[i], add_generation_prompt=lm) for i in indices]
        return [ids for ids in encoded if isinstance(ids, list)]

    def read(logits: torch.Tensor) -> list[Any]:
        """Bring the answers to Python, as the engine does (and wait for the device)."""
        if lm:
            return torch.softmax(logits[:, -1].float(), dim=-1).max(dim=-1).values.tolist()
        return logits.float().tolist()

    def one_per_call(indices: list[int]) -> None:
        with torch.inference_mode():
            for ids in encode(indices):
                out = model(input_ids=torch.tensor([ids], device=device), use_cache=False, **keep)
                read(out.logits)

    def padded_batches_8(indices: list[int]) -> None:
        sequences = encode(indices)
        with torch.inference_mode():
            for start in range(0, len(sequences), 8):
                chunk = sequences[start : start + 8]
                width = max(map(len, chunk))
                # Left padding for the LM (the next token follows the last position), right
                # for the classifier (Hugging Face pools the last non-pad token).
                rows, masks = [], []
                for ids in chunk:
                    fill = [pad] * (width - len(ids))
                    rows.append(fill + ids if lm else ids + fill)
                    ones, zeros = [1] * len(ids), [0] * len(fill)
                    masks.append(zeros + ones if lm else ones + zeros)
                out = model(
                    input_ids=torch.tensor(rows, device=device),
                    attention_mask=torch.tensor(masks, device=device),
                    use_cache=False,
                    **keep,
                )
                read(out.logits)

    return {"one_per_call": one_per_call, "padded_batches_8": padded_batches_8}


def generate_then_parse(
    engine: LlmEngine, conversations: list[Conversation], new_tokens: int
) -> Method:
    """Verdicts read from generated text, generated in the engine's batches (its best case)."""

    def run(indices: list[int]) -> None:
        answers = engine.generate([conversations[i] for i in indices], max_new_tokens=new_tokens)
        for answer in answers:
            VERDICT.search(answer if isinstance(answer, str) else "")

    return run


def generate_one_at_a_time(
    engine: LlmEngine, conversations: list[Conversation], new_tokens: int
) -> Method:
    """The same, one prompt per ``generate`` call, as a simple script would do it."""

    def run(indices: list[int]) -> None:
        for i in indices:
            (answer,) = engine.generate([conversations[i]], max_new_tokens=new_tokens)
            VERDICT.search(answer if isinstance(answer, str) else "")

    return run


def timed(
    methods: dict[str, Method], loaded: LoadedModel, count: int, repeats: int
) -> dict[str, tuple[float, float]]:
    """Median and least seconds per method; the methods take turns so that a machine busy with
    other work slows them alike."""
    everything = list(range(count))
    for method in methods.values():
        method(everything[:2])  # warm-up: first-call allocations, lazy initialisation
    times: dict[str, list[float]] = {name: [] for name in methods}
    names = list(methods)
    for repeat in range(repeats):
        # Each repeat starts with a different method, so none always runs first or last.
        shift = repeat % len(names)
        for name in names[shift:] + names[:shift]:
            method = methods[name]
            sync(loaded)
            started = time.perf_counter()
            method(everything)
            sync(loaded)
            times[name].append(time.perf_counter() - started)
    return {name: (statistics.median(values), min(values)) for name, values in times.items()}


def report(
    timings: dict[str, tuple[float, float]], lengths: list[int], flops: float, peak: float
) -> dict[str, dict[str, float]]:
    """Rates from the median time; ``best_seconds`` is the least disturbed repeat."""
    return {
        name: {
            "seconds": round(value, 3),
            "best_seconds": round(best, 3),
            "candidates_per_s": round(len(lengths) / value, 2),
            "tokens_per_s": round(sum(lengths) / value, 1),
            "gflops_per_s": round(flops / value / 1e9, 1),
            "fraction_of_matmul": round(flops / value / peak, 3),
        }
        for name, (value, best) in timings.items()
    }


def run_mix(
    kind: str, engine: RewardEngine | LlmEngine, conversations: list[Conversation], args: Any
) -> dict[str, Any]:
    loaded = engine.loaded
    lm = isinstance(engine, LlmEngine)
    encoded = [loaded.encode(c, add_generation_prompt=lm) for c in conversations]
    lengths = [len(ids) for ids in encoded if isinstance(ids, list)]
    assert len(lengths) == len(conversations), "every benchmark input fits the model"
    calls: list[int] = []

    def run_engine(indices: list[int]) -> None:
        chosen = [conversations[i] for i in indices]
        if isinstance(engine, LlmEngine):
            engine.choice_probs(chosen, CHOICES)
        else:
            engine.rewards(chosen)
        calls.append(engine.last_stats.forward_calls)

    methods: dict[str, Method] = {"engine": run_engine}
    methods.update(naive_methods(loaded, conversations, lm=lm))
    if isinstance(engine, LlmEngine):
        for n in args.parse_tokens:
            methods[f"generate_then_parse_{n}"] = generate_then_parse(engine, conversations, n)
        first = args.parse_tokens[0]
        methods[f"generate_one_at_a_time_then_parse_{first}"] = generate_one_at_a_time(
            engine, conversations, first
        )
    methods["matmul"], matmul_flops = matmul_reference(loaded)
    timings = timed(methods, loaded, len(conversations), args.repeats)
    peak = matmul_flops / timings.pop("matmul")[0]
    seconds = {name: median for name, (median, _) in timings.items()}
    flops = useful_flops(loaded, lengths, lm_head=lm)
    results = report(timings, lengths, flops, peak)
    naive = {k: v for k, v in seconds.items() if not k.startswith(("engine", "generate"))}
    best_naive = min(naive, key=naive.__getitem__)
    least = {name: best for name, (_, best) in timings.items()}
    summary = {
        "candidates": len(lengths),
        "tokens": sum(lengths),
        "length_range": [min(lengths), max(lengths)],
        "engine_forward_calls": calls[-1],
        "matmul_gflops_per_s": round(peak / 1e9, 1),
        "methods": results,
        "best_naive": best_naive,
        # From median times, and from each method's least disturbed repeat.
        "engine_speedup_over_best_naive": [
            round(seconds[best_naive] / seconds["engine"], 2),
            round(min(least[k] for k in naive) / least["engine"], 2),
        ],
    }
    for key in (k for k in seconds if k.startswith("generate")):
        summary[f"one_pass_speedup_over_{key}"] = [
            round(seconds[key] / seconds["engine"], 2),
            round(least[key] / least["engine"], 2),
        ]
    print(json.dumps({kind: summary}), file=sys.stderr)
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="2 layers, fewer inputs")
    parser.add_argument("--layers", type=int, default=None)
    parser.add_argument("--repeats", type=int, default=None)
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--parse-tokens", type=int, nargs="+", default=None)
    args = parser.parse_args()
    layers = args.layers or (2 if args.quick else 4)
    args.repeats = args.repeats or (3 if args.quick else 5)
    args.parse_tokens = args.parse_tokens or [8, 32, 128]
    counts = {"short": 24, "long": 4, "mixed": 12}
    if args.quick:
        counts = {"short": 12, "long": 3, "mixed": 6}
    torch.set_num_threads(args.threads)
    started = time.perf_counter()
    load_before = os.getloadavg()
    out: dict[str, Any] = {
        "shape": {**SHAPE, "num_hidden_layers": layers, "vocab_size": vocabulary(layers)},
        "threads": args.threads,
        "repeats": args.repeats,
    }
    with tempfile.TemporaryDirectory() as folder:
        reward_path, llm_path = build_models(Path(folder), layers)
        words = one_token_words(reward_path)
        engines: dict[str, RewardEngine | LlmEngine] = {
            "reward": RewardEngine(ModelSpec(source=str(reward_path))),
            "llm_judge": LlmEngine(ModelSpec(source=str(llm_path))),
        }
        out["device"] = str(engines["reward"].loaded.device)
        out["dtype"] = str(engines["reward"].loaded.dtype)
        for kind, engine in engines.items():
            make = judge_conversation if kind == "llm_judge" else reward_conversation
            out[kind] = {}
            for mix, count in counts.items():
                rng = random.Random(f"{kind}-{mix}")  # noqa: S311 - test data, not secrets
                conversations = [make(words, n, rng) for n in lengths_for(mix, count, rng)]
                out[kind][mix] = run_mix(f"{kind}/{mix}", engine, conversations, args)
    out["load_average_before_after"] = [round(load_before[0], 2), round(os.getloadavg()[0], 2)]
    out["seconds"] = round(time.perf_counter() - started, 1)
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
