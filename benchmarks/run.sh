#!/usr/bin/env bash
# Runs the speed benchmarks (never part of the test suite: tests assert correctness, not time).
#   1. CMake + Ninja Release build of liblithos in build-bench/ (cmake/ninja from PyPI into
#      .tools/venv when missing, as scripts/test does)
#   2. benchmarks/ecm_step_benchmark.c, compiled as strict C99 (-Wall -Wextra -Werror -pedantic):
#      ns per lithos_model_step, per lithos_model_run step, and per step of a straight C loop
#   2b. benchmarks/ssb_step_benchmark.c: ns per step of SSB-SPM and SSB-P2D (C API)
#   3b. benchmarks/pybamm_ssb_benchmark.py: SSB-SPM/P2D against PyBaMM's SPM and DFN
#   3. benchmarks/pybamm_ecm_benchmark.py: the same ECM against PyBaMM's Thevenin model
#      (PyBaMM in .tools/pybamm-venv, installed on first use)
# Environment: LITHOS_BENCH_BUILD_DIR (default build-bench), LITHOS_BENCH_CMAKE_ARGS (extra
# configure arguments, e.g. -DCMAKE_Swift_COMPILATION_MODE=wholemodule), CC (default cc),
# LITHOS_BENCH_STEPS (default 1000000).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
TOOLS=$ROOT/.tools
BUILD=${LITHOS_BENCH_BUILD_DIR:-$ROOT/build-bench}
CC=${CC:-cc}

step() { printf '\n==> %s\n' "$*"; }

cmake_ok() {
  command -v cmake >/dev/null 2>&1 || return 1
  local v; v=$(cmake --version | head -1 | sed 's/[^0-9.]*\([0-9.]*\).*/\1/')
  [ "$(printf '%s\n3.29\n' "$v" | sort -V | head -1)" = "3.29" ]
}
if ! cmake_ok || ! command -v ninja >/dev/null 2>&1; then
  if [ ! -x "$TOOLS/venv/bin/cmake" ] || [ ! -x "$TOOLS/venv/bin/ninja" ]; then
    step "installing cmake and ninja from PyPI into $TOOLS/venv"
    python3 -m venv "$TOOLS/venv"
    "$TOOLS/venv/bin/pip" install --quiet --disable-pip-version-check "cmake>=3.29" ninja
  fi
  export PATH="$TOOLS/venv/bin:$PATH"
fi

step "cmake Release build of liblithos ($BUILD)"
# shellcheck disable=SC2086
cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release ${LITHOS_BENCH_CMAKE_ARGS:-} >/dev/null
cmake --build "$BUILD" --target lithos
grep -q -- '-wmo' "$BUILD/build.ninja" && mode=wholemodule || mode=incremental
echo "Swift compilation mode of this build: $mode"

step "C benchmark: lithos_model_step / lithos_model_run / straight C loop"
mkdir -p "$BUILD/benchmarks"
"$CC" -std=c99 -Wall -Wextra -Werror -pedantic -O2 -I "$ROOT/Include" \
  "$ROOT/benchmarks/ecm_step_benchmark.c" -o "$BUILD/benchmarks/ecm_step_benchmark" \
  -L "$BUILD" -llithos -Wl,-rpath,"$BUILD" -lm
"$BUILD/benchmarks/ecm_step_benchmark" "$ROOT/validation/pybamm/ecm_example_2rc.json" "${LITHOS_BENCH_STEPS:-1000000}"

step "C benchmark: SSB-SPM / SSB-P2D ns per step (default meshes)"
"$CC" -std=c99 -Wall -Wextra -Werror -pedantic -O2 -I "$ROOT/Include" \
  "$ROOT/benchmarks/ssb_step_benchmark.c" -o "$BUILD/benchmarks/ssb_step_benchmark" \
  -L "$BUILD" -llithos -Wl,-rpath,"$BUILD" -lm
"$BUILD/benchmarks/ssb_step_benchmark" "$ROOT/examples/cells/default.json" "${LITHOS_BENCH_SSB_STEPS:-100000}"

step "C benchmark: packs in real time (96s1p SSB-SPM and ECM, with and without per-cell EKFs, 1 kHz loop jitter)"
"$CC" -std=c99 -Wall -Wextra -Werror -pedantic -O2 -I "$ROOT/Include" \
  "$ROOT/benchmarks/pack_benchmark.c" -o "$BUILD/benchmarks/pack_benchmark" \
  -L "$BUILD" -llithos -Wl,-rpath,"$BUILD" -lm
"$BUILD/benchmarks/pack_benchmark" "$ROOT/examples/cells/default.json" "${LITHOS_BENCH_PACK_CELLS:-96}" "${LITHOS_BENCH_PACK_JITTER_S:-5}"

step "Python benchmark: Lithos (ctypes) vs PyBaMM Thevenin"
python3 "$ROOT/benchmarks/pybamm_ecm_benchmark.py" "$BUILD/liblithos.so"

step "Python benchmark: Lithos SSB-SPM/P2D (ctypes) vs PyBaMM SPM/DFN stepped one step at a time"
python3 "$ROOT/benchmarks/pybamm_ssb_benchmark.py" "$BUILD/liblithos.so"

step "Estimator benchmark: Lithos EKF/UKF (ctypes) vs filterpy"
if [ ! -x "$TOOLS/filterpy-venv/bin/python" ]; then
  python3 -m venv --system-site-packages "$TOOLS/filterpy-venv"
  "$TOOLS/filterpy-venv/bin/pip" install --quiet --disable-pip-version-check filterpy
fi
"$TOOLS/filterpy-venv/bin/python" "$ROOT/benchmarks/estimator_benchmark.py" "$BUILD/liblithos.so"

step "EIS fit benchmark: Lithos fit_eis (ctypes) vs impedance.py"
if [ ! -x "$TOOLS/eis-venv/bin/python" ] || ! "$TOOLS/eis-venv/bin/python" -c "import impedance.models.circuits" 2>/dev/null; then
  python3 -m venv --system-site-packages "$TOOLS/eis-venv"
  "$TOOLS/eis-venv/bin/pip" install --quiet --disable-pip-version-check impedance pandas matplotlib altair
fi
LITHOS_LIBRARY="$BUILD/liblithos.so" "$TOOLS/eis-venv/bin/python" "$ROOT/benchmarks/eis_fit_benchmark.py"
