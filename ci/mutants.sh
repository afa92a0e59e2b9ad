#!/usr/bin/env bash
# Mutation testing of the driver code (the simulator excluded): which changes to the driver do the tests miss?
# Not part of .ci/run (hundreds of mutants, each a rebuild: tens of minutes to hours per crate on two cores).
#
#   bash ci/mutants.sh <crate> [more cargo-mutants options]     e.g. bash ci/mutants.sh pca9685 --shard 1/4
#
# Installs cargo-mutants if missing. The report lands in target/mutants/<crate>/mutants.out: caught.txt,
# missed.txt (the surviving mutants, to be judged one by one), timeout.txt, unviable.txt. The score printed at the end
# is caught / (caught + missed + timeout); unviable mutants (those that do not compile) do not count.
# Doctests are left out (each is its own compile; the README examples are not where the logic is tested).
set -euo pipefail
# proptest cases per property: enough to catch a mutant, far fewer than CI runs
export PROPTEST_CASES=${PROPTEST_CASES:-32}
cd "$(dirname "$0")/.."
crate=${1:?usage: bash ci/mutants.sh <crate> [cargo-mutants options]}
shift
command -v cargo-mutants >/dev/null || cargo install --locked cargo-mutants
out=target/mutants/$crate
mkdir -p "$out"
status=0
cargo mutants --package "$crate" --all-features --exclude "$crate/src/sim.rs" --exclude "$crate/src/sim/*" --exclude "$crate/examples/*" \
  --output "$out" --profile mutants --timeout-multiplier 3 --minimum-test-timeout 60 "$@" -- --lib --tests || status=$?
# cargo-mutants exits 2 when a mutant survived and 3 on a timeout: the score below is the result; other codes are errors
case $status in 0 | 2 | 3) ;; *) exit "$status" ;; esac
count() { local n=0; [ -f "$out/mutants.out/$1.txt" ] && n=$(grep -c . "$out/mutants.out/$1.txt" || true); echo "${n:-0}"; }
caught=$(count caught) missed=$(count missed) timeout=$(count timeout) unviable=$(count unviable)
total=$((caught + missed + timeout))
echo "$crate: caught $caught, missed $missed, timeout $timeout, unviable $unviable"
if [ "$total" -gt 0 ]; then
  echo "$crate: mutation score $((100 * caught / total)) % (target 90 %); survivors in $out/mutants.out/missed.txt"
fi
