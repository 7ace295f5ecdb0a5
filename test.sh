#!/usr/bin/env bash
# Runs every test of the repository on a fresh machine: installs what is missing (Debian's Chromium,
# the pinned official npm packages), then runs all test projects with coverage and prints one summary line.
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v chromium >/dev/null 2>&1 && [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
  echo "== installing Debian's chromium (browser scenarios need it)"
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null
  else sudo apt-get update -qq && sudo apt-get install -y -qq chromium >/dev/null; fi
fi

if ! command -v redis-server >/dev/null 2>&1 && [ ! -x "${SC_REDIS_SERVER:-/usr/bin/redis-server}" ]; then
  echo "== installing Debian's redis-server (the Redis broker's tests and the cluster scenarios start their own)"
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq redis-server >/dev/null
  else sudo apt-get update -qq && sudo apt-get install -y -qq redis-server >/dev/null; fi
fi

echo "== npm ci (pinned official socketcluster packages)"
(cd js-client-fixtures && npm ci --no-audit --no-fund --loglevel=error)

# Here every client driver must run: a missing browser fails its scenarios instead of skipping them.
export CONFORMANCE_REQUIRE_DRIVERS=1

results="${TEST_RESULTS_DIR:-$PWD/TestResults}"
rm -rf "$results"
mkdir -p "$results"

echo "== building"
dotnet build Conformance.sln -c Release -nologo -v q

echo "== testing"
# One project at a time: the suite's liveness scenarios measure real timeouts, and two cores shared by
# several test hosts make them flaky. Each project writes its own trx file, so no result is overwritten.
status=0
for project in $(dotnet sln Conformance.sln list | grep -E '(Tests|Specs)\.csproj$' | sort); do
  name=$(basename "$project" .csproj)
  echo "-- $name"
  dotnet test "$project" -c Release --no-build -nologo \
    --results-directory "$results/$name" \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=minimal" \
    --collect:"XPlat Code Coverage" || status=1
done

# The suite runs once more with protocol v1 against the embedded C# sample, and it is right only if it passes against
# the oracle: the official Node servers (20.0.1 in protocol v2 and v1, and the real v1 peer 14.7.2). Scenarios that do
# not apply to a target are skipped with the reason.
for run in SC_PROTOCOL=1 SC_TARGET=official SC_TARGET=official-v1 SC_TARGET=official-v14; do
  name="Conformance.Specs-${run#*=}"; [ "$run" = SC_PROTOCOL=1 ] && name=Conformance.Specs-embedded-v1
  echo "-- $name ($run)"
  extra=()
  # socketcluster-server 14.7.2 differs from the written protocol where @not-v14 scenarios check (spec/legacy-v14.md):
  # they are skipped there, so some v1 MUSTs stay untested ("L4 @ v1 unverified") by design. Its "Conformance level:
  # server" test accepts that; every other run must be complete.
  [ "$run" = SC_TARGET=official-v14 ] && extra=(SC_ALLOW_UNTESTED=1)
  # Client scenarios run against the embedded C# known-good server by default; the official runs use the official Node
  # fixture as known-good instead, so the built-in clients are judged against both known-good servers (issue 11 §2).
  [ "$run" = SC_TARGET=official ] || [ "$run" = SC_TARGET=official-v1 ] && extra+=(SC_KNOWN_GOOD=official)
  # @scripted client scenarios run against the scripted server, never the target or a known-good server: the embedded
  # v2 and v1 runs judged them already, so the official runs leave them out (out of scope there, not untested).
  # The engine's own tests (EngineTests: settings, traceability, misbehaving servers...) do not depend on the target;
  # the first run above ran them.
  filter="FullyQualifiedName!~Conformance.Specs.EngineTests"; [ "$run" = SC_PROTOCOL=1 ] || filter="$filter&Category!=scripted"
  # No coverage here: these runs add no line of reference/ to the first runs' union (measured: 3327 of 3716 lines with
  # or without them), and instrumenting costs each run its start-up and every hit.
  env "$run" "${extra[@]}" dotnet test harness/Conformance.Specs/Conformance.Specs.csproj -c Release --no-build -nologo \
    --filter "$filter" --results-directory "$results/$name" \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=minimal" || status=1
done

# The @cluster scenarios against a cluster of two C# reference sample nodes on a Redis the suite starts (three nodes
# pass too: SC_CLUSTER_NODES=3; left out to keep CI short); in every other run they are out of scope. Only the @cluster scenarios: the rest of the suite ran above.
for nodes in 2; do
  name="Conformance.Specs-cluster-$nodes"
  echo "-- $name (SC_TARGET=cluster SC_CLUSTER_NODES=$nodes)"
  SC_TARGET=cluster SC_CLUSTER_NODES=$nodes dotnet test harness/Conformance.Specs/Conformance.Specs.csproj -c Release --no-build -nologo \
    --filter "Category=cluster" \
    --results-directory "$results/$name" \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=minimal" || status=1
done

# The soak's short form (issue 14 §4; about 15 s): 40 clients for 10 s of mixed work against the embedded C# sample,
# failing when an acknowledged publication is lost or reordered, an invoke has no outcome, or the server does not
# return to its baseline. The long form: dotnet run --project harness/Conformance.Soak -- --clients 500 --seconds 300.
echo "-- soak (short form)"
dotnet harness/Conformance.Soak/bin/Release/net10.0/Conformance.Soak.dll --clients 40 --seconds 10 || status=1

# The benchmark commands (bench/README.md) in their smoke form, so they cannot rot: every scenario against both servers
# with tiny sizes (about 40 s), and the codec micro-benchmarks as an in-process dry run (about 10 s). No figure is judged.
echo "-- benchmarks (smoke)"
dotnet run -c Release --no-build --project bench/SocketCluster.Benchmarks -- --smoke >"$results/benchmark-smoke.txt" 2>&1 \
  || { status=1; tail -20 "$results/benchmark-smoke.txt"; }
dotnet run -c Release --no-build --project bench/SocketCluster.Protocol.Benchmarks -- --smoke >"$results/codec-benchmark-smoke.txt" 2>&1 \
  || { status=1; tail -20 "$results/codec-benchmark-smoke.txt"; }

python3 eng/summarize-results.py "$results"
exit $status
