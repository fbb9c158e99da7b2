"""The operand layout of a float-activation UNIDIRECTIONAL_SEQUENCE_LSTM (float and hybrid
tests): which of the 24 inputs a variant has, in the schema's order, the absent ones -1."""

from __future__ import annotations

from collections.abc import Callable

Factory = Callable[..., int]     # (name, shape[, bound]) -> tensor index


def lstm_operands(variant: str, n_in: int, n_cell: int, n_out: int, weight: Factory,
                  const: Factory) -> tuple[list[int], list[int]]:
    """(inputs 1-17: input weights, recurrent weights, peepholes, gate biases, projection
    weights and bias; inputs 20-23: layer-norm coefficients) for `variant`, whose name says
    cifg / peephole / projection / projection-nobias / layernorm. `weight` makes the
    matrices and peepholes (float or int8), `const` the float biases and coefficients; they
    are called in this order, so a seeded generator draws the same values for any caller."""
    cifg, peephole = "cifg" in variant, "peephole" in variant
    projection = "projection" in variant
    gates = "ifco"

    def absent(g: str) -> bool:
        return cifg and g == "i"

    wx = [-1 if absent(g) else weight(f"wx_{g}", [n_cell, n_in]) for g in gates]
    wh = [-1 if absent(g) else weight(f"wh_{g}", [n_cell, n_out]) for g in gates]
    wc = [weight(f"wc_{g}", [n_cell]) if peephole and not absent(g) else -1 for g in "ifo"]
    bias = [-1 if absent(g) else const(f"b_{g}", [n_cell]) for g in gates]
    pw = weight("proj_w", [n_out, n_cell]) if projection else -1
    pb = const("proj_b", [n_out]) if variant.endswith("projection") else -1
    ln = [const(f"ln_{g}", [n_cell], 1.5) if "layernorm" in variant and not absent(g)
          else -1 for g in gates]
    return [*wx, *wh, *wc, *bias, pw, pb], ln
