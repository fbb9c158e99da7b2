*** Settings ***
Documentation     The fleet: every available model on every built-in board, one suite per board
...               (pabot runs the suites in parallel). Shared models are skipped, with the
...               reason, when ../shared/models (or $TFM_SHARED_MODELS) is absent.
