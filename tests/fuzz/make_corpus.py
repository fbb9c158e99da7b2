"""Regenerate the seed corpus: small models written by tfm_ci.modelgen.

    .venv/bin/python -m tests.fuzz.make_corpus

The corpus also keeps inputs the fuzzer once crashed on (not written here, never
removed): lstm_state_size_overflow.tflite, an LSTM whose batch x output size overflowed
int32 in prepare's state-size check, and lstm_scalar_forget_weights.tflite, whose 0-D forget
gate weights were read as a matrix (UBSan, 2026-12-02).
"""

from __future__ import annotations

from pathlib import Path

from tests.fuzz.option_seeds import SEEDS as OPTION_SEEDS
from tests.fuzz.option_seeds import seed_bytes
from tests.hardening import cases
from tests.runtime import models
from tests.signal import models as signal_models

CORPUS = Path(__file__).resolve().parent / "corpus"


def main() -> None:
    CORPUS.mkdir(exist_ok=True)
    seeds = {
        "add_int8": models.add_model(),
        "chain_f32": models.chain_model(n=8, length=3),
        "if": models.if_model(),
        "while": models.while_model(),
        "counter": models.counter_model(),
        "custom": models.custom_model(),
        # hardening regressions: a concatenation with an empty input (NULL data), a WHILE
        # that never ends (stopped by TFM_WHILE_MAX_ITERATIONS), an output no op writes
        "concat_empty": cases.empty_concat(),
        "while_endless": cases.endless_while(),
        "unwritten_output": cases.unwritten_output(),
        # the integer LSTM (its prepare folds constant weights: see test_constant_sweep)
        "lstm_int8": cases.lstm_int8(),
        # FlexBuffer-bearing seeds: TFLM Signal ops with map options.
        "signal_log_window": signal_models.fuzz_chain_model("window"),
        "signal_log_rfft": signal_models.fuzz_chain_model("rfft"),
        "signal_log_scale_energy": signal_models.fuzz_chain_model("energy"),
        "signal_log_framer": signal_models.fuzz_chain_model("framer"),
        "signal_log_stacker": signal_models.fuzz_chain_model("stacker"),
        "signal_log": signal_models.log_model(),
        "signal_spectral_pcan": signal_models.spectral_pcan_model(),
        # option tables of the issue-11 ops, and DETECTION_POSTPROCESS's FlexBuffer options
        **{name: seed_bytes(build()) for name, build in OPTION_SEEDS.items()},
    }
    for name, data in seeds.items():
        (CORPUS / f"{name}.tflite").write_bytes(data)


if __name__ == "__main__":
    main()
