"""Errors a user can fix. Every adapter renders them as one short, clear message."""

from __future__ import annotations

__all__ = [
    "BriefNotFoundError",
    "DuplicateBriefError",
    "EmptyBriefError",
    "FileTooLargeError",
    "InvalidQuestionError",
    "NearDuplicateError",
    "PermissionDeniedError",
    "StoreUnavailableError",
    "UnreadableFileError",
    "UnsupportedTypeError",
    "UserError",
]


class UserError(Exception):
    """Base class: the message is shown to the user as is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UnsupportedTypeError(UserError):
    pass


class FileTooLargeError(UserError):
    pass


class EmptyBriefError(UserError):
    pass


class UnreadableFileError(UserError):
    """Broken, encrypted or binary content that cannot be read as a brief."""


class DuplicateBriefError(UserError):
    def __init__(self, message: str, existing_id: int) -> None:
        super().__init__(message)
        self.existing_id = existing_id


class NearDuplicateError(UserError):
    def __init__(self, message: str, similar_id: int, similarity: float) -> None:
        super().__init__(message)
        self.similar_id = similar_id
        self.similarity = similarity


class BriefNotFoundError(UserError):
    pass


class InvalidQuestionError(UserError):
    pass


class PermissionDeniedError(UserError):
    pass


class StoreUnavailableError(UserError):
    """The database cannot be reached; commands fail fast with this message."""
