#!/usr/bin/env bash
# Benchmark `harden check` on a synthetic monorepo (see README, "Performance").
# Usage: bench/run.sh [SERVICES]   (default 2000 services, about 20,000 files)
set -euo pipefail
cd "$(dirname "$0")/.."
services="${1:-2000}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cargo build --release --quiet
python3 bench/generate.py "$work/repo" --services "$services"
# The settings scenario of issue 3: 50,000 .py files of which a few dozen are Django settings.
python3 bench/generate.py "$work/py" --services "$services" --python-files 25
bin="$PWD/target/release/harden"

for profile in baseline strict; do
  "$bin" check "$work/repo" --profile "$profile" --format json --output "$work/out.json" || true
  if command -v hyperfine >/dev/null 2>&1; then
    hyperfine --warmup 2 --runs 10 -i "$bin check $work/repo --profile $profile --format json --output $work/out.json"
  else
    start=$(date +%s.%N)
    for _ in 1 2 3 4 5; do "$bin" check "$work/repo" --profile "$profile" --format json --output "$work/out.json" || true; done
    end=$(date +%s.%N)
    echo "profile $profile: mean $(echo "($end - $start) / 5" | bc -l | cut -c1-6) s over 5 runs"
  fi
  /usr/bin/time -f "profile $profile: peak RSS %M KiB, wall %e s" "$bin" check "$work/repo" --profile "$profile" --format json --output "$work/out.json" || true
done
/usr/bin/time -f "50,000 .py files, baseline: peak RSS %M KiB, wall %e s" "$bin" check "$work/py" --format json --output "$work/out.json" || true

# Issue 13: the ratio to a ripgrep pass over the same trees (median of 5 alternating runs),
# plain and as git checkouts, and the 200,000-file tree (median of 3). vs_rg.py says how to
# install ripgrep when it is missing.
python3 bench/generate_django.py "$work/django"
python3 bench/generate_django.py "$work/django-git" --git
python3 bench/generate.py "$work/repo-git" --services "$services" --git
python3 bench/generate.py "$work/big" --services "$services" --python-files 95
for tree in django django-git repo repo-git; do
  python3 bench/vs_rg.py "$work/$tree" --harden "$bin"
done
python3 bench/vs_rg.py "$work/big" --harden "$bin" --runs 3
