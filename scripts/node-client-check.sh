#!/usr/bin/env bash
# Checks that the official Omnimessage Node client works against `smsctl gateway serve`:
# installs messente_api from npm under target/node-client, then runs the Rust test that drives
# tests/node_client/check.js (with NODE_CLIENT_DIR set, a missing install fails the test).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=target/node-client
mkdir -p "$dir"
if [ ! -f "$dir/package.json" ]; then
  printf '{"name": "smsctl-node-client-check", "private": true}\n' >"$dir/package.json"
fi
npm install --prefix "$dir" --no-audit --no-fund --silent "messente_api@1.5.0"
node -e 'console.log("messente_api", require(process.argv[1] + "/package.json").version)' "$PWD/$dir/node_modules/messente_api"
NODE_CLIENT_DIR="$PWD/$dir/node_modules" cargo test --test it gateway::official_node_client -- --nocapture
