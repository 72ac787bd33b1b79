"""Quality measurement on labelled sets (answers; indicators live in briefs.indicators)."""

from briefs.evaluation.qa import QaCase, QaReport, evaluate_qa, load_qa_cases

__all__ = ["QaCase", "QaReport", "evaluate_qa", "load_qa_cases"]
