"""Element-wise application of scalar C calls to floats, sequences and numpy arrays."""

from __future__ import annotations

import numbers
from typing import Any, Callable, List


def _is_numpy_array(x: Any) -> bool:
    return type(x).__module__ == "numpy" and hasattr(x, "shape") and hasattr(x, "dtype")


def _is_sequence(x: Any) -> bool:
    if isinstance(x, (str, bytes)) or isinstance(x, numbers.Number):
        return False
    return hasattr(x, "__iter__")


def apply(function: Callable[..., float], *args: Any) -> Any:
    """Calls ``function(*floats)`` element-wise.

    * all arguments scalar → a float;
    * any argument a numpy array (or numpy scalar) → a numpy float64 array, arguments broadcast
      together as numpy does;
    * otherwise any argument a sequence (list, tuple, range, …) → a list of floats; the sequence
      arguments must have equal lengths and scalar arguments are repeated.
    """
    if any(_is_numpy_array(a) for a in args):
        import numpy as np

        arrays = np.broadcast_arrays(*[np.asarray(a, dtype=float) for a in args])
        out = np.empty(arrays[0].shape, dtype=float)
        flat_inputs = [a.ravel() for a in arrays]
        flat_out = out.reshape(-1)
        for i in range(flat_out.size):
            flat_out[i] = function(*(float(a[i]) for a in flat_inputs))
        return out if out.ndim else float(out)
    if any(_is_sequence(a) for a in args):
        columns: List[List[float]] = []
        length = None
        for a in args:
            if _is_sequence(a):
                values = [float(v) for v in a]
                if length is not None and len(values) != length:
                    raise ValueError(f"sequence arguments have different lengths ({length} and {len(values)})")
                length = len(values)
                columns.append(values)
            else:
                columns.append([])  # placeholder, filled below
        assert length is not None
        for k, a in enumerate(args):
            if not _is_sequence(a):
                columns[k] = [float(a)] * length
        return [function(*row) for row in zip(*columns)]
    return function(*(float(a) for a in args))
