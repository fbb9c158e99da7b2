"""tfm-ci test suite (a package so test helpers import as ``tests.ops.harness``)."""
