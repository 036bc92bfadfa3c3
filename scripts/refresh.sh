#!/usr/bin/env bash
# make refresh: fetch the listing page; when the dataset it gives differs from the committed hankkeet/, replace
# hankkeet/ and print what changed as markdown, ready to be a pull request's body.
#
#   HANKKEET_URL           the page to fetch; default: the Ministry of Finance's page of the incentive scheme (below)
#   HANKKEET               the hankkeet command; default: .venv/bin/hankkeet, as make installs it
#   HANKKEET_ALLOW_SHRINK  1: replace hankkeet/ even when the new listing has fewer than half its projects
#
# Steps: hankkeet fetch (a new dated snapshot in data/raw/ when the page changed), dataset of the newest snapshot
# SNAPSHOTS.csv names into a temporary folder, a check that it has at least half the projects of hankkeet/,
# extract of the snapshot into data/out/, diff --format markdown against hankkeet/.
# Exit status: 0 the dataset is unchanged; 1 it changed (or hankkeet/ did not exist): hankkeet/ written,
# refresh-summary.md written and printed; any other status (2 from hankkeet, or 2 when the new listing has fewer
# than half the projects of hankkeet/) an error, with hankkeet/ as it was and no refresh-summary.md.
set -euo pipefail
cd "$(dirname "$0")/.."

url="${HANKKEET_URL:-https://vm.fi/kuntien-digitalisaation-kannustinjarjestelma}"
hankkeet="${HANKKEET:-.venv/bin/hankkeet}"
raw=data/raw
summary=refresh-summary.md

rm -f "$summary"  # only a run that finds changes leaves one, so a caller can tell a change from an error
"$hankkeet" fetch "$url" --into "$raw"

# The newest snapshot SNAPSHOTS.csv names (the latest date of its lines; fetch writes only real dates there and
# refuses future ones), rather than the newest file name that looks like a date. Always named: with no INPUT,
# extract and dataset would read every data/raw/*.txt, and the original listing is one of them. Its .txt is read,
# as fetch rendered it (with the charset of the HTTP header) and as extract and dataset read it with no INPUT.
day="$(tail -n +2 "$raw/SNAPSHOTS.csv" 2>/dev/null | cut -d, -f1 \
    | grep -E '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$' | sort | tail -n 1 || true)"
newest="$raw/$day.txt"
if [[ -z $day || ! -f $newest ]]; then
    echo "Error: no snapshot in $raw/SNAPSHOTS.csv, or its $raw/YYYY-MM-DD.txt is missing" >&2
    exit 2
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$hankkeet" dataset "$newest" --into "$work/hankkeet" -q

projects() { find "$1" -maxdepth 1 -name '*.yaml' -type f | wc -l | tr -d ' '; }
if [[ ! -d hankkeet ]]; then  # the first run: nothing to compare with
    "$hankkeet" extract "$newest" --out data/out -q
    "$hankkeet" dataset "$newest" --into hankkeet -q
    printf '## hankkeet/ created\n\n**%s projects from %s**\n' "$(projects hankkeet)" "$newest" > "$summary"
    cat "$summary"
    exit 1
fi
new="$(projects "$work/hankkeet")"
old="$(projects hankkeet)"
if (( new * 2 < old )) && [[ ${HANKKEET_ALLOW_SHRINK:-} != 1 ]]; then
    echo "Error: refusing to replace hankkeet/: the new listing has $new projects, the committed dataset $old;" \
        "check the page (HANKKEET_ALLOW_SHRINK=1 to accept)" >&2
    exit 2
fi

"$hankkeet" extract "$newest" --out data/out -q
status=0
"$hankkeet" diff --format markdown hankkeet "$work/hankkeet" > "$work/summary.md" || status=$?
case $status in
    0) echo "hankkeet/ is up to date with $newest" >&2; exit 0 ;;
    1) ;;
    *) exit "$status" ;;
esac
"$hankkeet" dataset "$newest" --into hankkeet -q
cp "$work/summary.md" "$summary"
cat "$summary"
exit 1
