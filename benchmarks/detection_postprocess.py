"""DETECTION_POSTPROCESS cost on simulated boards: instructions of the op per invoke.

    .venv/bin/python benchmarks/detection_postprocess.py [--boards B ...]

SSD-like models (UINT8 box encodings, anchors and class predictions, 90 classes +
background, TF's exporter options: max_detections 10, score threshold 0.3, IoU 0.6),
with background scores drawn low (beta(0.5, 40)) and 5% of the anchors given one class
score in [0.3, 0.95] (the objects), so few anchors pass the threshold, as in a real
detector's output. Each job is verified against TFLite (status column).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.table import Table

from tfm_ci.job import JobSpec, run_job
from tfm_ci.modelgen import ModelBuilder
from tfm_ci.modelgen.custom_ops import DetectionPostprocessOptions, detection_postprocess
from tfm_ci.plugins import make_plugin_manager
from tfm_ci.registry import Registry

ANCHORS = (100, 500, 1917)
CLASSES = 90


def model(n: int, regular: bool, seed: int = 0) -> tuple[bytes, list[np.ndarray]]:
    rng = np.random.default_rng(seed)
    opts = DetectionPostprocessOptions(max_detections=10, max_classes_per_detection=1,
                                       detections_per_class=100, use_regular_nms=regular,
                                       nms_score_threshold=0.3, nms_iou_threshold=0.6,
                                       num_classes=CLASSES)
    b = ModelBuilder()
    box = b.tensor("box", [1, n, 4], "uint8", scale=0.05, zero_point=128)
    cls = b.tensor("cls", [1, n, CLASSES + 1], "uint8", scale=1 / 256, zero_point=0)
    centers = rng.uniform(0.05, 0.95, (n, 2))
    sizes = rng.uniform(0.05, 0.5, (n, 2))
    anchors = np.round(np.concatenate([centers, sizes], axis=1) * 255).astype(np.uint8)
    anc = b.tensor("anchors", [n, 4], "uint8", data=anchors, scale=1 / 255, zero_point=0)
    outs = detection_postprocess(b, box, cls, anc, opts)
    b.inputs([box, cls])
    b.outputs(outs)
    enc = rng.integers(98, 159, (1, n, 4)).astype(np.uint8)
    scores = rng.beta(0.5, 40, (1, n, CLASSES + 1))
    hits = rng.choice(n, max(1, n // 20), replace=False)
    scores[0, hits, rng.integers(1, CLASSES + 1, hits.size)] = rng.uniform(0.3, 0.95, hits.size)
    scores = np.clip(scores * 256, 0, 255).astype(np.uint8)
    return b.build(), [enc, scores]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--boards", nargs="+", default=["mps2-an386", "riscv32-virt"])
    args = parser.parse_args(argv)
    registry = Registry.load(make_plugin_manager(load_entry_points=False))
    table = Table(title="DETECTION_POSTPROCESS, instructions per invoke (QEMU)")
    for col in ("board", "anchors", "NMS", "passing", "instructions", "arena B", "verdict"):
        table.add_column(col, justify="left" if col in ("board", "NMS", "verdict") else "right")
    with tempfile.TemporaryDirectory() as tmp:
        for board in args.boards:
            for n in ANCHORS:
                for regular in (False, True):
                    data, inputs = model(n, regular)
                    path = Path(tmp, f"dp_{n}_{regular}.tflite")
                    path.write_bytes(data)
                    rec = run_job(JobSpec(model=str(path), board=board, inputs=inputs,
                                          timeout=600, float_tolerance=0.0), registry)
                    ops = (rec.to_dict().get("instructions") or {}).get("ops") or [{}]
                    passing = int((inputs[1][0, :, 1:].max(axis=1) / 256 >= 0.3).sum())
                    table.add_row(board, str(n), "regular" if regular else "fast",
                                  str(passing), f"{ops[0].get('instructions', 0):,}",
                                  f"{rec.sizes.get('arena_used', 0) or 0:,}",
                                  rec.status.value + (f" ({rec.reason[:40]})" if rec.reason
                                                      and rec.status.value != "PASS" else ""))
    Console().print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
