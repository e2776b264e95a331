#!/usr/bin/env bash
# Install Lithos from a build tree into a scratch prefix and use it the two ways a downstream
# project would: CMake find_package(Lithos) → Lithos::lithos, and pkg-config. Both consumers
# are built as strict C99 and run. Also checks that the installed liblithos.so does not depend
# on a Swift runtime (it links the runtime statically).
#
#   run.sh <lithos-build-dir> <scratch-dir>
#
# Optional environment: LITHOS_CMAKE (cmake executable), LITHOS_CMAKE_GENERATOR and
# LITHOS_MAKE_PROGRAM (generator for the consumer build), CC (C compiler).
set -euo pipefail

die() { echo "run.sh: FAILED: $*" >&2; exit 1; }

[[ $# -eq 2 ]] || die "usage: run.sh <lithos-build-dir> <scratch-dir>"
build_dir=$(cd "$1" && pwd) || die "no build directory $1"
mkdir -p "$2"
scratch=$(cd "$2" && pwd)
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cmake_exe=${LITHOS_CMAKE:-cmake}
cc_exe=${CC:-cc}
prefix=$scratch/prefix

rm -rf "$prefix" "$scratch/build-cmake" "$scratch/consumer-pkgconfig"

echo "== cmake --install $build_dir --prefix $prefix"
"$cmake_exe" --install "$build_dir" --prefix "$prefix" || die "cmake --install"

# GNUInstallDirs may pick lib, lib64 or lib/<multiarch>.
libdir=
for candidate in "$prefix"/lib "$prefix"/lib64 "$prefix"/lib/*-linux-gnu*; do
    if [[ -e $candidate/liblithos.so ]]; then libdir=$candidate; break; fi
done
[[ -n $libdir ]] || die "liblithos.so not installed under $prefix/lib or $prefix/lib64"
[[ -f $prefix/include/lithos.h ]] || die "lithos.h not installed in $prefix/include"
[[ -f $libdir/liblithos.a ]] || die "liblithos.a not installed in $libdir"
[[ -f $libdir/pkgconfig/lithos.pc ]] || die "lithos.pc not installed in $libdir/pkgconfig"
[[ -f $libdir/cmake/Lithos/LithosConfig.cmake ]] || die "LithosConfig.cmake not installed in $libdir/cmake/Lithos"
echo "   libdir: $libdir"

echo "== self-contained: ldd $libdir/liblithos.so"
ldd_out=$(ldd "$libdir/liblithos.so") || die "ldd failed"
echo "$ldd_out"
if grep -Eq 'libswift|libFoundation|libdispatch|libBlocksRuntime' <<<"$ldd_out"; then
    die "liblithos.so depends on a Swift runtime library (it must link it statically)"
fi
if grep -q 'not found' <<<"$ldd_out"; then die "liblithos.so has unresolved dependencies"; fi

if command -v nm >/dev/null 2>&1; then
    echo "== exported symbols"
    foreign=$(nm -D --defined-only "$libdir/liblithos.so" | awk 'NF >= 3 && $2 ~ /^[TDBRVWiu]$/ {print $3}' \
        | grep -v '^lithos_' || true)
    [[ -z $foreign ]] || die "liblithos.so exports symbols outside lithos_*: $(head -5 <<<"$foreign" | tr '\n' ' ')"
    echo "   only lithos_* exported"
fi

echo "== consumer via find_package(Lithos)"
gen_args=()
if [[ -n ${LITHOS_CMAKE_GENERATOR:-} ]]; then gen_args+=(-G "$LITHOS_CMAKE_GENERATOR"); fi
if [[ -n ${LITHOS_MAKE_PROGRAM:-} ]]; then gen_args+=("-DCMAKE_MAKE_PROGRAM=$LITHOS_MAKE_PROGRAM"); fi
# find_package searches <prefix>/lib64 only on platforms that use lib64 (not on Debian/Ubuntu,
# where GNUInstallDirs never picks it); point at the package directly in that case.
if [[ $libdir == "$prefix/lib64" ]]; then gen_args+=("-DLithos_DIR=$libdir/cmake/Lithos"); fi
"$cmake_exe" -S "$here" -B "$scratch/build-cmake" ${gen_args[@]+"${gen_args[@]}"} \
    -DCMAKE_C_COMPILER="$cc_exe" -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_BUILD_TYPE=Release \
    || die "configuring the consumer with find_package(Lithos)"
"$cmake_exe" --build "$scratch/build-cmake" || die "building the consumer with find_package(Lithos)"
"$scratch/build-cmake/consumer" || die "the find_package consumer failed"

echo "== consumer via pkg-config"
pkgconfig=$(command -v pkg-config || command -v pkgconf || true)
if [[ -z $pkgconfig ]]; then
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
        apt-get install -y pkg-config >/dev/null || die "apt-get install pkg-config"
        pkgconfig=$(command -v pkg-config) || die "pkg-config still missing after apt-get install"
    else
        die "neither pkg-config nor pkgconf is installed (install the pkg-config package)"
    fi
fi
flags=$(PKG_CONFIG_PATH="$libdir/pkgconfig" "$pkgconfig" --cflags --libs lithos) \
    || die "$pkgconfig --cflags --libs lithos"
echo "   $pkgconfig --cflags --libs lithos: $flags"
# lithos.pc must describe the prefix it was installed into (cmake --install --prefix relocates).
for flag in $flags; do
    case $flag in
        -I*|-L*)
            dir=${flag:2}
            [[ -d $dir ]] && [[ $(cd "$dir" && pwd -P) == "$(cd "$prefix" && pwd -P)"* ]] \
                || die "lithos.pc points outside the install prefix ($flag; prefix $prefix): it must not hard-code the configure-time CMAKE_INSTALL_PREFIX (use \${pcfiledir})" ;;
    esac
done
# shellcheck disable=SC2086  # the flags are meant to split
"$cc_exe" -std=c99 -Wall -Wextra -Werror -pedantic "$here/consumer.c" $flags -Wl,-rpath,"$libdir" \
    -o "$scratch/consumer-pkgconfig" || die "building the consumer with pkg-config flags"
"$scratch/consumer-pkgconfig" || die "the pkg-config consumer failed"

echo "== consumer_install: OK"
