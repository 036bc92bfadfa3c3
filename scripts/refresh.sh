#!/usr/bin/env bash
# make refresh: fetch the listing page; when the dataset it gives differs from the committed hankkeet/, replace
# hankkeet/ and print what changed as markdown, ready to be a pull request's body.
#
#   HANKKEET_URL  the page to fetch; default: the Ministry of Finance's page of the incentive scheme (below)
#   HANKKEET      the hankkeet command; default: .venv/bin/hankkeet, as make installs it
#
# Steps: hankkeet fetch (a new dated snapshot in data/raw/ when the page changed), extract of the newest snapshot
# into data/out/, dataset of it into a temporary folder, diff --format markdown against hankkeet/.
# Exit status: 0 the dataset is unchanged; 1 it changed: hankkeet/ replaced, refresh-summary.md written and
# printed; any other status (2 from hankkeet) an error, with hankkeet/ as it was and no refresh-summary.md.
set -euo pipefail
cd "$(dirname "$0")/.."

url="${HANKKEET_URL:-https://vm.fi/kuntien-digitalisaation-kannustinjarjestelma}"
hankkeet="${HANKKEET:-.venv/bin/hankkeet}"
raw=data/raw
summary=refresh-summary.md

rm -f "$summary"  # only a run that finds changes leaves one, so a caller can tell a change from an error
"$hankkeet" fetch "$url" --into "$raw"

# The newest snapshot, always named: with no INPUT, extract and dataset would read every data/raw/*.txt, and the
# original listing is one of them. The names sort by date.
newest=""
for snapshot in "$raw"/[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9].txt; do
    if [[ -f $snapshot ]]; then newest=$snapshot; fi
done
if [[ -z $newest ]]; then
    echo "Error: no snapshot YYYY-MM-DD.txt in $raw/" >&2
    exit 2
fi

"$hankkeet" extract "$newest" --out data/out -q
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$hankkeet" dataset "$newest" --into "$work/hankkeet" -q
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
