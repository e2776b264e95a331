"""The life cycle shared by every Python object that owns a C handle (CellDesign, Model,
Experiment, Estimator): close() frees it once, `with` closes it, the garbage collector closes
it, and any use after close raises LithosNullArgumentError without calling C."""

from __future__ import annotations

import ctypes

from . import _library as _L
from ._errors import Status, error_for


class OwnedHandle:
    """Base class: subclasses set ``_destroy`` (the C destroy function's name), ``_noun`` (for
    messages) and store their handle in ``self._handle``."""

    _destroy: str = ""
    _noun: str = "object"
    _handle = None

    def close(self) -> None:
        """Frees the C object. Idempotent; afterwards every method raises
        :class:`LithosNullArgumentError`."""
        handle, self._handle = getattr(self, "_handle", None), None
        if handle is not None and handle.value:
            getattr(_L.lib(), self._destroy)(handle)

    @property
    def closed(self) -> bool:
        """True once :meth:`close` has been called."""
        return self._handle is None

    def __enter__(self):
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # interpreter shutdown: the library may already be gone
            pass

    def _live(self, what: str) -> ctypes.c_void_p:
        if self._handle is None:
            raise error_for(Status.NULL_ARGUMENT,
                            f"{type(self).__name__}.{what}: the {self._noun} has been closed")
        return self._handle
