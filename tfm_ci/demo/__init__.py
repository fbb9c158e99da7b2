"""Demo models written by our own ModelBuilder (no external files): see tfm_ci.demo_models."""
