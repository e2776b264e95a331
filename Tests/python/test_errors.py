"""Every error path raises LithosError with the right status and the library's message."""

import pickle
import threading

import pytest

import lithos
from lithos import _library
from lithos._errors import Status

NAN = float("nan")

CASES = [
    ("unknown material", lambda: lithos.Material("Unobtainium"),
     Status.NOT_FOUND, lithos.LithosNotFoundError, "Unobtainium"),
    ("NaN temperature", lambda: lithos.Material("Li6PS5Cl").ionic_conductivity(NAN),
     Status.INVALID_ARGUMENT, lithos.LithosInvalidArgumentError, "nan"),
    ("infinite temperature", lambda: lithos.Material("Li6PS5Cl").ionic_conductivity(float("inf")),
     Status.INVALID_ARGUMENT, lithos.LithosInvalidArgumentError, "inf"),
    ("25 (°C by mistake) as temperature", lambda: lithos.Material("Li6PS5Cl").ionic_conductivity(25),
     Status.OUT_OF_RANGE, lithos.LithosOutOfRangeError, "25"),
    ("temperature above range", lambda: lithos.Material("NMC811").diffusivity(1000.0),
     Status.OUT_OF_RANGE, lithos.LithosOutOfRangeError, "1000"),
    ("stoichiometry 1.5", lambda: lithos.Material("NMC811").open_circuit_potential(1.5),
     Status.OUT_OF_RANGE, lithos.LithosOutOfRangeError, "1.5"),
    ("negative stoichiometry", lambda: lithos.Material("NMC811").entropic_coefficient(-0.1),
     Status.OUT_OF_RANGE, lithos.LithosOutOfRangeError, "0.1"),
    ("conductivity of a cathode", lambda: lithos.Material("NMC811").ionic_conductivity(298.15),
     Status.NOT_SUPPORTED, lithos.LithosNotSupportedError, "NMC811"),
    ("potential of an electrolyte", lambda: lithos.Material("Li6PS5Cl").open_circuit_potential(0.5),
     Status.NOT_SUPPORTED, lithos.LithosNotSupportedError, "Li6PS5Cl"),
    ("unknown property", lambda: lithos.Material("Li6PS5Cl").property("colour"),
     Status.NOT_FOUND, lithos.LithosNotFoundError, "colour"),
]


@pytest.mark.parametrize("what,call,status,cls,fragment", CASES, ids=[c[0] for c in CASES])
def test_error_path(what, call, status, cls, fragment):
    with pytest.raises(lithos.LithosError) as info:
        call()
    error = info.value
    assert type(error) is cls
    assert error.status == status and isinstance(error.status, int)
    assert error.status_name == status.c_name
    assert error.message.strip()
    assert fragment.lower() in error.message.lower()
    # the message is the C library's own (lithos_last_error_message on this thread)
    assert error.message == _library.last_error_message()
    assert error.message in str(error) and error.status_name in str(error)


def test_errors_are_also_builtin_exceptions():
    with pytest.raises(LookupError):
        lithos.Material("Unobtainium")
    with pytest.raises(ValueError):
        lithos.Material("Li6PS5Cl").ionic_conductivity(25)


def test_not_found_message_suggests_names():
    with pytest.raises(lithos.LithosNotFoundError) as info:
        lithos.Material("Li6PS5C")
    assert len(info.value.message) > 20


def test_bad_argument_types_never_reach_c():
    with pytest.raises(TypeError):
        lithos.Material(42)
    with pytest.raises(lithos.LithosInvalidArgumentError):
        lithos.Material("Li6PS5Cl\0junk")  # would be truncated to a valid name in C
    with pytest.raises((TypeError, ValueError)):
        lithos.Material("Li6PS5Cl").ionic_conductivity("hot")


def test_errors_pickle():
    with pytest.raises(lithos.LithosError) as info:
        lithos.Material("Unobtainium")
    copy = pickle.loads(pickle.dumps(info.value))
    assert type(copy) is type(info.value)
    assert (copy.status, copy.status_name, copy.message) == (
        info.value.status, info.value.status_name, info.value.message)


def test_error_messages_are_per_thread():
    results = {}
    barrier = threading.Barrier(2)

    def fail(key, call):
        barrier.wait()
        for _ in range(200):
            try:
                call()
            except lithos.LithosError as error:
                if error.message != _library.last_error_message():
                    results[key] = "message changed under us"
                    return
                results[key] = error.message

    threads = [
        threading.Thread(target=fail, args=("a", lambda: lithos.Material("Unobtainium"))),
        threading.Thread(target=fail, args=("b", lambda: lithos.Material("NMC811").open_circuit_potential(1.5))),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert "Unobtainium" in results["a"]
    assert "1.5" in results["b"]
