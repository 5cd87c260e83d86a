#!/usr/bin/env bash
# Checks that the official Omnimessage Python client works against `smsctl gateway serve`:
# creates a venv under target/, installs messente-api from PyPI, then runs the Rust tests that
# drive tests/python_client/check.py, directly and through relay mode (they skip themselves when the
# package is not importable).
set -euo pipefail
cd "$(dirname "$0")/.."
venv=target/python-client-venv
if [ ! -x "$venv/bin/python3" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/python3" -m pip install --quiet --disable-pip-version-check "messente-api==2.7.0"
"$venv/bin/python3" -c 'import messente_api; print("messente-api", messente_api.__version__)'
PYTHON="$PWD/$venv/bin/python3" cargo test --test it gateway::official_python_client -- --nocapture
# The same client through relay mode: gateway A (team keys) forwarding to gateway B (the account).
PYTHON="$PWD/$venv/bin/python3" cargo test --test it relay::official_python_client_through_the_relay -- --nocapture
