#!/usr/bin/env bash
# The test command of the README: installs the tools the tests need (clang's BPF target, NuGet packages), builds
# the solution, runs every test project and ends with one line "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")"

# clang with the BPF target compiles bpf/*.bpf.c for the kernel and VM tests.
if [ ! -x /usr/lib/llvm-14/bin/clang ] && ! command -v clang >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clang-14 llvm-14 >/dev/null) \
      || echo "test.sh: could not install clang-14; BPF object tests will skip" >&2
  fi
fi

# libbpf.so.1 lets the kernel driver load the scenario program into the live kernel (its tests skip without it).
if ! ldconfig -p 2>/dev/null | grep -q 'libbpf.so.1'; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libbpf1 >/dev/null) \
      || echo "test.sh: could not install libbpf1; live-kernel tests will skip" >&2
  fi
fi

# Chromium (headless) renders the explain pictures and the run report in the browser tests (they skip without it).
if ! command -v chromium >/dev/null 2>&1 && [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
      || echo "test.sh: could not install chromium; browser tests will skip" >&2
  fi
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
out=.ci/out
rm -rf "$out"; mkdir -p "$out"

dotnet build SockActors.sln -c Release -nologo -v q 2>&1 | tail -n 20
if [ "${PIPESTATUS[0]}" -ne 0 ]; then echo "0 passed, 1 failed"; exit 1; fi

dotnet test SockActors.sln -c Release --no-build -nologo \
  --logger "trx;LogFilePrefix=t" --results-directory "$out" -- RunConfiguration.DisableParallelization=false 2>&1 | tee "$out/test.log"
rc=${PIPESTATUS[0]}

# Sum the counters of every TRX file into the plain closing line CI reads.
python3 - "$out" <<'PY' || true
import glob, re, sys
p = f = s = 0
for path in glob.glob(sys.argv[1] + "/*.trx"):
    t = open(path, encoding="utf-8").read()
    m = re.search(r'<Counters [^>]*>', t)
    if not m: continue
    c = dict(re.findall(r'(\w+)="(\d+)"', m.group(0)))
    p += int(c.get("passed", 0)); f += int(c.get("failed", 0)) + int(c.get("error", 0)) + int(c.get("timeout", 0))
    s += int(c.get("notExecuted", 0))
print(f"{p} passed, {f} failed, {s} skipped")
PY
exit $rc
