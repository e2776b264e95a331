"""Exceptions raised by the ``lithos`` package.

Every failing C call (any ``lithos_status`` other than ``LITHOS_OK``) becomes a
:class:`LithosError` carrying the status code, its name and the message the library stored in
``lithos_last_error_message()``. Each status has its own subclass, and the subclasses also derive
from the matching built-in exception (``ValueError``, ``LookupError``, ``MemoryError`` …), so both
``except lithos.LithosNotFoundError`` and ``except LookupError`` work.
"""

from __future__ import annotations

import enum
from typing import Dict, Optional, Type, Union


class Status(enum.IntEnum):
    """The C ``lithos_status`` codes (values are stable across library versions)."""

    OK = 0
    NULL_ARGUMENT = 1
    INVALID_ARGUMENT = 2
    OUT_OF_RANGE = 3
    PARSE = 4
    CONFIG = 5
    NOT_FOUND = 6
    BUFFER_TOO_SMALL = 7
    STRUCT_SIZE = 8
    NOT_SUPPORTED = 9
    OUT_OF_MEMORY = 10
    INTERNAL = 11
    #: Not an error: a model step was taken but the cell crossed one of its limits.
    LIMIT_REACHED = 100

    @property
    def c_name(self) -> str:
        """The C enumerator name, e.g. ``"LITHOS_ERROR_PARSE"``."""
        if self is Status.OK:
            return "LITHOS_OK"
        if self is Status.LIMIT_REACHED:
            return "LITHOS_LIMIT_REACHED"
        return "LITHOS_ERROR_" + self.name


#: Status used by errors that happen before any C call can be made (the shared library could not
#: be found or loaded). Not a C status code.
LIBRARY_NOT_LOADED = -1


class LithosError(Exception):
    """A failure reported by the Lithos library (or detected before calling it).

    Attributes:
        status: the C ``lithos_status`` code as an int (a :class:`Status` when it is a known code;
            ``-1`` when the shared library could not be loaded).
        status_name: the C enumerator name, e.g. ``"LITHOS_ERROR_NOT_FOUND"``.
        message: the human-readable explanation from ``lithos_last_error_message()`` (what went
            wrong and how to fix it).
    """

    def __init__(self, message: str, status: int = int(Status.INTERNAL),
                 status_name: Optional[str] = None) -> None:
        super().__init__(message)
        try:
            self.status: int = Status(status)
        except ValueError:
            self.status = int(status)
        if status_name is None:
            status_name = (self.status.c_name if isinstance(self.status, Status)
                           else "LITHOS_LIBRARY_NOT_LOADED" if status == LIBRARY_NOT_LOADED
                           else "unknown lithos_status")
        self.status_name: str = status_name
        self.message: str = message

    def __str__(self) -> str:
        return f"{self.message} [{self.status_name}]" if self.message else self.status_name

    def __reduce__(self):  # keep pickling (multiprocessing) working with the extra arguments
        return (type(self), (self.message, int(self.status), self.status_name))


class LithosLibraryNotFoundError(LithosError, OSError):
    """The shared library ``liblithos.so`` could not be found or loaded (status ``-1``)."""


class LithosNullArgumentError(LithosError, ValueError):
    """``LITHOS_ERROR_NULL_ARGUMENT``: a required pointer was NULL (e.g. a closed handle)."""


class LithosInvalidArgumentError(LithosError, ValueError):
    """``LITHOS_ERROR_INVALID_ARGUMENT``: NaN, infinity, or a value of the wrong kind."""


class LithosOutOfRangeError(LithosError, ValueError):
    """``LITHOS_ERROR_OUT_OF_RANGE``: a finite value outside its physical/valid range."""


class LithosParseError(LithosError, ValueError):
    """``LITHOS_ERROR_PARSE``: malformed JSON (the message gives line and column)."""


class LithosConfigError(LithosError, ValueError):
    """``LITHOS_ERROR_CONFIG``: well-formed JSON that does not describe a valid object."""


class LithosNotFoundError(LithosError, LookupError):
    """``LITHOS_ERROR_NOT_FOUND``: unknown material, property or index."""


class LithosBufferTooSmallError(LithosError):
    """``LITHOS_ERROR_BUFFER_TOO_SMALL``: an output buffer was too small (a bug in the binding)."""


class LithosStructSizeError(LithosError):
    """``LITHOS_ERROR_STRUCT_SIZE``: struct_size too small (binding older than the library)."""


class LithosNotSupportedError(LithosError, ValueError):
    """``LITHOS_ERROR_NOT_SUPPORTED``: the operation does not apply to this object."""


class LithosOutOfMemoryError(LithosError, MemoryError):
    """``LITHOS_ERROR_OUT_OF_MEMORY``: an allocation failed."""


class LithosInternalError(LithosError):
    """``LITHOS_ERROR_INTERNAL``: a bug in Lithos; please report it with the message."""


_BY_STATUS: Dict[int, Type[LithosError]] = {
    Status.NULL_ARGUMENT: LithosNullArgumentError,
    Status.INVALID_ARGUMENT: LithosInvalidArgumentError,
    Status.OUT_OF_RANGE: LithosOutOfRangeError,
    Status.PARSE: LithosParseError,
    Status.CONFIG: LithosConfigError,
    Status.NOT_FOUND: LithosNotFoundError,
    Status.BUFFER_TOO_SMALL: LithosBufferTooSmallError,
    Status.STRUCT_SIZE: LithosStructSizeError,
    Status.NOT_SUPPORTED: LithosNotSupportedError,
    Status.OUT_OF_MEMORY: LithosOutOfMemoryError,
    Status.INTERNAL: LithosInternalError,
    LIBRARY_NOT_LOADED: LithosLibraryNotFoundError,
}


def error_for(status: Union[int, Status], message: str,
              status_name: Optional[str] = None) -> LithosError:
    """The :class:`LithosError` subclass instance for ``status`` (``LithosError`` if unknown)."""
    cls = _BY_STATUS.get(int(status), LithosError)
    return cls(message, int(status), status_name)
