"""Tiny models built on the spot, so engine and worker tests need no downloads.

The tokenizer is a byte-level BPE (like Qwen's and Llama 3's) trained on a generated corpus in
which the judge answers ("A", "B", "tie", "1".."10", "Yes", "No") are frequent enough to be
single tokens, both at the start of a text and after a space, so the leading-space handling of
choice scoring is exercised for real. The models are Qwen3-shaped with random weights: their
outputs mean nothing, but they go through the same code paths as a real checkpoint. (Qwen3
rather than Qwen2: transformers loads any checkpoint of model type "qwen2" with Qwen's own
pre-tokenizer, which splits numbers into digits, whatever tokenizer.json says.)
"""

from __future__ import annotations

import random
from pathlib import Path

import torch
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
from transformers import (
    AutoTokenizer,
    BertConfig,
    BertModel,
    PreTrainedTokenizerFast,
    Qwen3Config,
    Qwen3ForCausalLM,
    Qwen3ForSequenceClassification,
)

# Single tokens with and without a leading space; build_tokenizer checks it.
JUDGE_WORDS = ["A", "B", "tie", "Yes", "No", *(str(n) for n in range(1, 11))]
SPECIAL_TOKENS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
VOCAB_SIZE = 800

# Qwen's chat layout, without its tool-calling branches.
CHAT_TEMPLATE = (
    "{%- for message in messages %}"
    "{{- '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>\\n' }}"
    "{%- endfor %}"
    "{%- if add_generation_prompt %}{{- '<|im_start|>assistant\\n' }}{%- endif %}"
)

_WORDS = str.split(
    "the a an of to and in is it that for on with as was be by this are or from at which "
    "answer question response model better worse first second both neither explain because "
    "correct wrong helpful harmless honest score rate level judge compare candidate prompt "
    "user assistant system write code python function list number value return true false "
    "good bad clear short long detail example reason think step result final output please "
    "which one more less than very quite only also not but so if then when while"
)


def _corpus(lines: int, seed: int) -> list[str]:
    """English-like lines in which every judge word is common, alone and after a space."""
    rng = random.Random(seed)
    out: list[str] = []
    for i in range(lines):
        words = rng.choices(_WORDS, k=rng.randint(4, 14))
        answer = JUDGE_WORDS[i % len(JUDGE_WORDS)]
        words.insert(rng.randint(0, len(words)), answer)
        sentence = " ".join(words)
        # Also at the very start of a line: the form a choice string is encoded in.
        out.append(f"{answer}. {sentence.capitalize()}. Verdict: {answer}")
    return out


def build_tokenizer(directory: Path) -> PreTrainedTokenizerFast:
    """Train a byte-level BPE tokenizer with a chat template and save it in ``directory``."""
    model = models.BPE(unk_token=None)
    tokenizer = Tokenizer(model)
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=VOCAB_SIZE,
        min_frequency=2,
        special_tokens=SPECIAL_TOKENS,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tokenizer.train_from_iterator(_corpus(3000, seed=0), trainer=trainer)

    # transformers declares this constructor without types.
    fast = PreTrainedTokenizerFast(  # type: ignore[no-untyped-call]
        tokenizer_object=tokenizer,
        # The end-of-text token doubles as padding, as in many checkpoints: the engines must
        # not confuse a real end-of-text token inside a text with padding.
        eos_token="<|endoftext|>",
        pad_token="<|endoftext|>",
        additional_special_tokens=["<|im_start|>", "<|im_end|>"],
        model_max_length=512,
    )
    fast.chat_template = CHAT_TEMPLATE
    directory.mkdir(parents=True, exist_ok=True)
    fast.save_pretrained(directory)
    return fast


def _check_judge_words(directory: Path) -> None:
    """The saved folder, loaded the way the engines load it, keeps each judge word whole."""
    tokenizer = AutoTokenizer.from_pretrained(directory)
    for word in JUDGE_WORDS:
        for form in (word, " " + word):
            ids = tokenizer.encode(form, add_special_tokens=False)
            if len(ids) != 1:
                raise RuntimeError(f"{form!r} is not a single token in the tiny tokenizer: {ids}")


def _config(tokenizer: PreTrainedTokenizerFast, num_labels: int = 1) -> Qwen3Config:
    config = Qwen3Config(
        vocab_size=len(tokenizer),
        hidden_size=64,
        intermediate_size=128,
        num_hidden_layers=2,
        num_attention_heads=4,
        num_key_value_heads=2,
        max_position_embeddings=512,
        pad_token_id=tokenizer.pad_token_id,
        eos_token_id=tokenizer.eos_token_id,
        bos_token_id=None,
        tie_word_embeddings=False,
    )
    config.num_labels = num_labels
    return config


def _randomize(model: Qwen3ForCausalLM | Qwen3ForSequenceClassification) -> None:
    """Larger-than-default weights, so outputs differ clearly between inputs.

    With the default init (std 0.02) a model this small gives nearly the same output for every
    input, and a test that compares outputs would pass for the wrong reasons.
    """
    with torch.no_grad():
        for parameter in model.parameters():
            if parameter.dim() > 1:
                parameter.normal_(0.0, 0.15)


def build_reward_model(directory: Path, heads: int = 1, seed: int = 0) -> Path:
    """Save a tiny sequence-classification model with ``heads`` outputs (and its tokenizer)."""
    tokenizer = build_tokenizer(directory)
    torch.manual_seed(seed)
    # transformers declares the generic classification heads' constructor without types.
    model = Qwen3ForSequenceClassification(  # type: ignore[no-untyped-call]
        _config(tokenizer, num_labels=heads)
    )
    _randomize(model)
    model.save_pretrained(directory)
    _check_judge_words(directory)
    return directory


def build_causal_lm(directory: Path, seed: int = 0) -> Path:
    """Save a tiny causal LM (and its tokenizer) in ``directory``."""
    tokenizer = build_tokenizer(directory)
    torch.manual_seed(seed)
    model = Qwen3ForCausalLM(_config(tokenizer))
    _randomize(model)
    model.generation_config.pad_token_id = tokenizer.pad_token_id
    model.generation_config.eos_token_id = [
        tokenizer.convert_tokens_to_ids("<|im_end|>"),
        tokenizer.eos_token_id,
    ]
    model.save_pretrained(directory)
    _check_judge_words(directory)
    return directory


def build_encoder(directory: Path, seed: int = 0) -> Path:
    """Save a tiny BERT-shaped encoder (and its tokenizer): a stand-in for a sentence encoder.

    Its random weights still map different words to different vectors, which is all a test of
    the preference head's plumbing needs; the head's learning is tested on real embeddings too.
    """
    tokenizer = build_tokenizer(directory)
    torch.manual_seed(seed)
    config = BertConfig(
        vocab_size=len(tokenizer),
        hidden_size=48,
        intermediate_size=96,
        num_hidden_layers=2,
        num_attention_heads=4,
        max_position_embeddings=512,
        pad_token_id=tokenizer.pad_token_id,
    )
    model = BertModel(config)
    model.save_pretrained(directory)
    return directory
