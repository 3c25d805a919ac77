"""Coded exceptions: every error the library raises has a code, a message and a hint.

Library code raises these; only the edges (CLI, web) turn them into a message and an exit
code. The catalogue below is the single place where codes live (spaCy's ``errors.py`` habit).
"""

from __future__ import annotations


class QuellenlageError(Exception):
    """Base of every error quellenlage raises on purpose."""

    code = "Q000"
    exit_code = 1
    hint = ""

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        self.message = message
        if hint is not None:
            self.hint = hint
        super().__init__(self.one_line())

    def one_line(self) -> str:
        text = f"[{self.code}] {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text

    def to_dict(self) -> dict:
        return {"code": self.code, "message": self.message, "hint": self.hint}


class InputError(QuellenlageError):
    """The input cannot be analysed as it is (empty, binary, too large, no text)."""

    code = "Q100"
    exit_code = 3


class EmptyInputError(InputError):
    code = "Q101"
    hint = "give a file or text with at least one word"


class BinaryInputError(InputError):
    code = "Q102"
    hint = "quellenlage reads plain text and HTML; convert PDFs or office files to text first"


class InputTooLargeError(InputError):
    code = "Q103"
    hint = "split the document, or raise the limit with --max-chars"


class NoTextInHtmlError(InputError):
    code = "Q104"
    hint = "the page has no main text; save the article text itself, or pass --format of the raw page"


class InputNotFoundError(InputError):
    code = "Q105"
    hint = "check the path"


class UnsupportedLanguageError(QuellenlageError):
    code = "Q200"
    exit_code = 4


class FetchError(QuellenlageError):
    """A URL could not be fetched (network, status, type, size, or a forbidden address)."""

    code = "Q300"
    exit_code = 5


class ForbiddenAddressError(FetchError):
    code = "Q301"
    hint = "quellenlage does not fetch loopback or private addresses unless --allow-private is given"


class ConfigurationError(QuellenlageError):
    """A pipeline, backend or option is set up wrongly."""

    code = "Q400"
    exit_code = 2


class MissingExtraError(ConfigurationError):
    code = "Q401"


class PipelineOrderError(ConfigurationError):
    code = "Q402"


class ModelError(QuellenlageError):
    """A shipped model file is missing or unreadable."""

    code = "Q500"
    exit_code = 6


class DataError(QuellenlageError):
    """An evaluation/training data folder is missing or malformed."""

    code = "Q600"
    exit_code = 7


class StoreError(QuellenlageError):
    code = "Q700"
    exit_code = 8


# Exit codes, documented in the README: 0 ok, 1 unexpected, 2 usage/configuration,
# 3 bad input, 4 unsupported language, 5 fetch failed, 6 model, 7 data, 8 store.
EXIT_CODES = {
    0: "success",
    1: "unexpected internal error",
    2: "usage or configuration error",
    3: "input cannot be analysed (empty, binary, too large, no text)",
    4: "unsupported language",
    5: "URL could not be fetched",
    6: "shipped model missing or unreadable",
    7: "data folder missing or malformed",
    8: "store error",
}
