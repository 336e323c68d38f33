"""A short hierarchy of errors; the edges (CLI, Streamlit) translate them into user messages."""


class KbError(Exception):
    """Base class of every error raised on purpose by mairie-rag."""


class ConfigError(KbError):
    """A setting is missing or invalid; the message names the variable to set."""


class SourceError(KbError):
    """A source file cannot be read or indexed; the message names the file and the fix."""

    def __init__(self, path: str, reason: str, *, fix: str = "") -> None:
        self.path = path
        self.reason = reason
        self.fix = fix
        message = f"{path} : {reason}"
        if fix:
            message += f" ({fix})"
        super().__init__(message)


class StoreError(KbError):
    """The store cannot be opened or is inconsistent."""


class AnswerError(KbError):
    """An answer could not be generated (LLM server down, timeout ...)."""
