"""Fixtures of the opt kernel tests: the arm-dsp suite's registry and object cache."""

from tests.kernels_arm.conftest import cache_dir, registry

__all__ = ["cache_dir", "registry"]
