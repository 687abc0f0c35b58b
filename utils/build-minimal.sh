#!/usr/bin/env bash
# Builds tg's minimal configuration (TG_MINIMAL; docs/Backends.md, "Minimal
# configuration and running on a GPU machine") in <out dir> (default
# ./build-minimal) and installs it as a self-contained folder <out dir>/dist:
#   bin/tg-run                 RUNPATH $ORIGIN/../lib
#   lib/libTG*.so              tg's libraries, LLVM Support inside libTGSupport
#   lib/libtg-backend-*.so     the plugins built (nv once plugins/nv exists)
#   examples/ benchmarks/kernels/gpu/ utils/{check-minimal.sh,nv-bench.py}
# Copy dist to the GPU machine and run dist/utils/check-minimal.sh there.
#
# Here it checks that nothing in dist needs libLLVM, libclang or libz3
# (readelf), prints the newest glibc and libstdc++ symbol versions dist needs
# (the target's must be at least these), and runs `tg-run --list-devices`
# from dist under `env -i` with LLVM, clang and Z3 hidden (a private mount
# namespace where /usr/lib/llvm-* is empty and those libraries read as empty
# files; where unshare is not permitted, under `env -i` alone).
#
# Environment: CC/CXX (default clang-19/clang++-19 when present, else
# gcc/g++), TG_JOBS (default 2).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=$(realpath -m "${1:-$root/build-minimal}")
dist=$out/dist

if [ -z "${CXX:-}" ]; then
  if command -v clang++-19 >/dev/null; then
    CC=clang-19 CXX=clang++-19
  else
    CC=gcc CXX=g++
  fi
fi
: "${CC:=cc}"

cmake -G Ninja -S "$root" -B "$out" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_C_COMPILER="$CC" -DCMAKE_CXX_COMPILER="$CXX" -DTG_MINIMAL=ON
ninja -C "$out" -j "${TG_JOBS:-2}"

rm -rf "$dist"
mkdir -p "$dist/bin" "$dist/lib" "$dist/benchmarks/kernels" "$dist/utils"
cp "$out/bin/tg-run" "$dist/bin/"
cp "$out"/lib/*.so "$dist/lib/"
cp -r "$root/examples" "$dist/"
cp -r "$root/benchmarks/kernels/gpu" "$dist/benchmarks/kernels/"
cp "$root/utils/check-minimal.sh" "$root/utils/nv-bench.py" "$dist/utils/"

# What the binaries need from the system.
status=0
newest() { grep -o "$1[0-9.]*" | sort -Vu | tail -1; }
glibc=""
for f in "$dist"/bin/* "$dist"/lib/*.so; do
  needed=$(readelf -d "$f" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
  if grep -E '^lib(LLVM|clang|z3)' <<<"$needed"; then
    echo "error: ${f#"$dist"/} needs the library above" >&2
    status=1
  fi
  runpath=$(readelf -d "$f" | sed -n 's/.*(R\(UN\)\{0,1\}PATH).*\[\(.*\)\]/\2/p')
  if grep -q llvm <<<"$runpath"; then
    echo "error: ${f#"$dist"/} searches $runpath" >&2
    status=1
  fi
  glibc+=$(objdump -T "$f" | grep -o 'GLIBC\(XX\)\{0,1\}_[0-9.]*' || true)$'\n'
done
echo "dist needs at most $(newest GLIBC_ <<<"$glibc") and" \
  "$(newest GLIBCXX_ <<<"$glibc") (libstdc++) from the system"
echo "system libraries dist needs:" $(for f in "$dist"/bin/* "$dist"/lib/*.so; do
  readelf -d "$f" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'
done | grep -v '^lib\(TG\|tg-\)' | sort -u)

# Run it from dist with LLVM, clang and Z3 out of reach.
smoke="'$dist/bin/tg-run' --list-devices"
hide='for d in /usr/lib/llvm-*; do mount -t tmpfs none "$d"; done
for f in $(readlink -f /usr/lib/*/libLLVM* /usr/lib/*/libclang* \
                        /usr/lib/*/libz3* 2>/dev/null | sort -u); do
  mount --bind /dev/null "$f"
done'
if unshare -m true 2>/dev/null; then
  echo "== $smoke (env -i; LLVM, clang and Z3 hidden)"
  env -i PATH=/usr/bin:/bin unshare -m sh -c "$hide
$smoke" || status=1
else
  echo "== $smoke (env -i; unshare not permitted, LLVM not hidden)"
  env -i "$dist/bin/tg-run" --list-devices || status=1
fi
if ldd "$dist/bin/tg-run" "$dist"/lib/*.so | grep -E 'llvm|LLVM|z3|clang|not found'; then
  echo "error: ldd resolves the libraries above" >&2
  status=1
fi

echo "dist: $dist ($(du -sh "$dist" | cut -f1))"
exit $status
