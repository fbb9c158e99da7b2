"""Per-operator tests: our kernels on the host runner vs TensorFlow Lite."""
