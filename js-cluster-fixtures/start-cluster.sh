#!/usr/bin/env bash
# Starts a two-node official SocketCluster cluster on 127.0.0.1: scc-state, one scc-broker, and two nodes of the
# official Node fixture server (js-client-fixtures/fixture-server.js, socketcluster-server 20.0.1) joined through
# scc-broker-client. Prints "ENDPOINTS ws://...,ws://..." once both nodes listen, then runs until stdin closes or
# Ctrl+C. Usage: js-cluster-fixtures/start-cluster.sh [STATE_PORT BROKER_PORT NODE1_PORT NODE2_PORT]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
[ -d "$here/node_modules" ] || (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
[ -d "$root/js-client-fixtures/node_modules" ] || (cd "$root/js-client-fixtures" && npm ci --no-audit --no-fund --loglevel=error)
state=${1:-17777} broker=${2:-18888} node1=${3:-18001} node2=${4:-18002}
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT INT TERM
export SCC_STATE_LOG_LEVEL=1 SCC_STATE_SERVER_STARTUP_DELAY=0 SCC_STATE_SERVER_SCALE_OUT_DELAY=0 SCC_STATE_SERVER_SCALE_BACK_DELAY=0
SCC_STATE_SERVER_PORT=$state node "$here/scc-state/server.js" >&2 & pids+=($!)
sleep 1
SCC_STATE_SERVER_HOST=127.0.0.1 SCC_STATE_SERVER_PORT=$state SCC_BROKER_SERVER_PORT=$broker SCC_BROKER_SERVER_LOG_LEVEL=1 \
  node "$here/node_modules/scc-broker/server.js" >&2 & pids+=($!)
sleep 1
for port in $node1 $node2; do
  SCC_STATE_SERVER_HOST=127.0.0.1 SCC_STATE_SERVER_PORT=$state SCC_BROKER_CLIENT_MODULE="$here/node_modules/scc-broker-client" \
    node "$root/js-client-fixtures/fixture-server.js" --port "$port" < <(tail -f /dev/null) >/dev/null & pids+=($!)
done
sleep 2
echo "ENDPOINTS ws://127.0.0.1:$node1/socketcluster/,ws://127.0.0.1:$node2/socketcluster/"
# Until stdin closes (or a signal).
cat >/dev/null || true
