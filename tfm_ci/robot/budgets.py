"""Keywords that check a job's sizes and costs against budgets and limits."""

from __future__ import annotations

from robot.api import logger
from robot.api.deco import keyword

from tfm_ci import budgets
from tfm_ci.job import JobRecord
from tfm_ci.robot.errors import TfmKeywordError
from tfm_ci.robot.state import LibraryState


def measures(rec: JobRecord) -> budgets.Measures:
    """The engine's Measures of a record (None where the job measured nothing)."""
    inst = rec.instructions or {}
    counts = inst.get("invocations") if inst.get("unit") == "instructions" else None
    return budgets.Measures(flash=rec.sizes.get("flash"), static_ram=rec.sizes.get("static_ram"),
                            arena_used=rec.sizes.get("arena_used"),
                            stack_used=rec.sizes.get("stack_used"),
                            instructions=max(counts) if counts else None)


class BudgetKeywords:
    """Budgets: the board's flash and RAM, and limits on arena, stack and instructions."""

    state: LibraryState

    def _board_check(self, kind: str, record: JobRecord | None) -> None:
        rec = self.state.record(record)
        checks = [c for c in rec.budgets if c["kind"] == kind and c["source"] == "board"]
        if not checks:
            raise TfmKeywordError(f"{rec.board}: no {kind} budget check in the record "
                                  f"({rec.status.value}: {rec.reason})")
        check = checks[0]
        if check["ok"] is not True:
            raise TfmKeywordError(check["text"])
        logger.info(check["text"])

    def _limit(self, kind: str, limit: str, record: JobRecord | None) -> None:
        """Check one user limit with the engine's own budget code and wording."""
        rec = self.state.record(record)
        try:
            lim = budgets.parse_limit(f"{kind}={limit}")
        except ValueError as exc:
            raise TfmKeywordError(str(exc)) from None
        check = budgets.check(rec.board, 0, 0, measures(rec), [lim])[-1]
        if check.ok is not True:
            raise TfmKeywordError(check.text)
        logger.info(check.text)

    @keyword("Flash Should Be Within Budget")
    def flash_should_be_within_budget(self, record: JobRecord | None = None) -> None:
        """Fail unless the image's flash fits the board's flash budget."""
        self._board_check("flash", record)

    @keyword("RAM Should Be Within Budget")
    def ram_should_be_within_budget(self, record: JobRecord | None = None) -> None:
        """Fail unless static RAM + arena used + stack used fit the board's RAM budget.

        The message is the engine's, e.g. ``RAM 201,344 B > 131,072 B on
        netduinoplus2 (static 40,960 + arena 150,112 + stack 10,272)``.
        """
        self._board_check("ram", record)

    @keyword("Budgets Should Hold")
    def budgets_should_hold(self, record: JobRecord | None = None) -> None:
        """Fail when any budget or user limit of the job was exceeded or not measured."""
        rec = self.state.record(record)
        bad = [c["text"] for c in rec.budgets if c["ok"] is not True]
        if not rec.budgets:
            raise TfmKeywordError(f"{rec.board}: no budget checks ({rec.status.value}: "
                                  f"{rec.reason})")
        if bad:
            raise TfmKeywordError("; ".join(bad))

    @keyword("Flash Should Be At Most")
    def flash_should_be_at_most(self, limit: str, record: JobRecord | None = None) -> None:
        """Fail unless the image's flash is at most `limit` (e.g. ``64KiB``)."""
        self._limit("flash", limit, record)

    @keyword("RAM Should Be At Most")
    def ram_should_be_at_most(self, limit: str, record: JobRecord | None = None) -> None:
        """Fail unless static RAM + arena used + stack used is at most `limit`."""
        self._limit("ram", limit, record)

    @keyword("Arena Should Be At Most")
    def arena_should_be_at_most(self, limit: str, record: JobRecord | None = None) -> None:
        """Fail unless the arena bytes the model used are at most `limit` (e.g. ``2KiB``)."""
        self._limit("arena", limit, record)

    @keyword("Stack Should Be At Most")
    def stack_should_be_at_most(self, limit: str, record: JobRecord | None = None) -> None:
        """Fail unless the stack high-water mark is at most `limit`."""
        self._limit("stack", limit, record)

    @keyword("Instructions Should Be At Most")
    def instructions_should_be_at_most(self, limit: str, record: JobRecord | None = None
                                       ) -> None:
        """Fail unless the costliest invocation took at most `limit` instructions (``2M``)."""
        self._limit("instructions", limit, record)

    @keyword("Instructions Per Invocation")
    def instructions_per_invocation(self, record: JobRecord | None = None) -> int:
        """Instructions of the costliest invocation (fails when not counted)."""
        rec = self.state.record(record)
        value = measures(rec).instructions
        if value is None:
            raise TfmKeywordError(f"{rec.board}: instructions not counted "
                                  f"({(rec.instructions or {}).get('source', 'none')})")
        return value
