#!/bin/sh
# Seeds the fuzz corpora (fuzz/corpus/<target>/, git-ignored) from the
# repository's fixtures and examples. Run from anywhere; safe to re-run.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
corpus="$root/fuzz/corpus"
mkdir -p "$corpus/policy" "$corpus/fast_path" "$corpus/custom_rule" "$corpus/config"

# policy and fast_path: every fixture and example policy, whole.
n=0
for f in $(find "$root/tests/fixtures" "$root/policies" -name '*.policy' | sort); do
    n=$((n + 1))
    cp "$f" "$corpus/policy/seed-$n.policy"
    cp "$f" "$corpus/fast_path/seed-$n.policy"
done

# custom_rule: the body of every `rule "..." { ... }` block (the target
# wraps its input in a rule block itself), from fixtures and the docs.
find "$root/tests/fixtures" "$root/policies" -name '*.policy' | sort >"$corpus/.files"
echo "$root/docs/language.md" >>"$corpus/.files"
echo "$root/README.md" >>"$corpus/.files"
awk -v out="$corpus/custom_rule/seed-" '
    /^rule "[^"]*" *\{ *$/ { inside = 1; n++; file = out n; next }
    /^rule "[^"]*" *\{.*\} *$/ {
        n++; line = $0; sub(/^rule "[^"]*" *\{/, "", line); sub(/\} *$/, "", line)
        print line > (out n); close(out n); next
    }
    inside && /^\}/ { inside = 0; close(file); next }
    inside { print > file }
' $(cat "$corpus/.files")
rm -f "$corpus/.files"

# config: a few configurations of every shape the parser reads.
cat >"$corpus/config/full.yaml" <<'YAML'
extends: ../shared/supportlint.yaml
fail_on: warning
rules:
  practice: info
  K005: off
  occupancy-burnout: error
  phone-only: warning
norms:
  max_occupancy: 80%
  max_concurrency: 2
  max_approval_share: 25%
  typical_handle_time:
    email: 8m
  handle_time_floor:
    thorough:
      chat: 12m
YAML
printf 'rules:\n  kpi: warning\n' >"$corpus/config/levels.yaml"
printf 'rules:\n  K01: off\n  kpi: sometimes\nfail_on: always\nnorm:\n  x: 1\n' >"$corpus/config/errors.yaml"
printf 'norms:\n  max_occupancy: 6m\n  max_concurrency: 99999999999\n' >"$corpus/config/bad-values.yaml"
printf '# nothing yet\n' >"$corpus/config/empty.yaml"
printf '{rules: {K001: off, staffing: error}, fail_on: never}\n' >"$corpus/config/flow.yaml"

for target in policy custom_rule config; do
    echo "$target: $(ls "$corpus/$target" | wc -l) seeds"
done
