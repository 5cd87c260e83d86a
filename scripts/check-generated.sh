#!/usr/bin/env bash
# Regenerates completions/, docs/man/, docs/keys.schema.json, the store schema and README's environment table and fails if that changed anything in the tree.
set -euo pipefail
cd "$(dirname "$0")/.."
# Inside a throwaway PostgreSQL cluster, so the PostgreSQL schema description is regenerated too.
bash scripts/pg-session.sh cargo run --quiet --example generate >/dev/null
if ! git diff --exit-code --stat -- completions docs/man docs/keys.schema.json src/store/schema_current.txt src/store/pg_schema_current.txt src/store/pg_schema_v6.txt README.md || [ -n "$(git status --porcelain -- completions docs/man docs/keys.schema.json src/store/schema_current.txt src/store/pg_schema_current.txt src/store/pg_schema_v6.txt README.md)" ]; then
  git status --short -- completions docs/man docs/keys.schema.json src/store/schema_current.txt src/store/pg_schema_current.txt src/store/pg_schema_v6.txt README.md
  echo "generated files are stale: run 'cargo run --example generate' and commit the result" >&2
  exit 1
fi
echo "generated files up to date"
