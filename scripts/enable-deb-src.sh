#!/bin/sh
# Derive deb-src entries from the machine's existing "deb" apt sources (no
# mirror is named here: we reuse whatever the machine already points at).
set -eu

target=/etc/apt/sources.list.d/pvboot-deb-src.sources
listtarget=/etc/apt/sources.list.d/pvboot-deb-src.list
sudo=
[ "$(id -u)" = 0 ] || sudo=sudo
[ -z "$sudo" ] || command -v sudo >/dev/null || { echo "enable-deb-src: need root to edit apt sources" >&2; exit 1; }

tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT

# deb822 files: copy every stanza whose Types has "deb", as deb-src.
for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] && [ "$f" != "$target" ] || continue
    awk 'BEGIN { RS=""; ORS="\n\n" }
         /(^|\n)Types:[^\n]*(^|[ \t])deb([ \t]|\n|$)/ && !/(^|\n)Enabled: *no/ {
             sub(/(^|\n)Types:[^\n]*/, "\nTypes: deb-src"); sub(/^\n/, ""); print }' "$f" >> "$tmp"
done
if [ -s "$tmp" ]; then
    $sudo cp "$tmp" "$target"
fi

# one-line format: turn "deb ..." lines into "deb-src ...".
: > "$tmp"
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] && [ "$f" != "$listtarget" ] || continue
    sed -n 's/^[[:space:]]*deb[[:space:]]/deb-src /p' "$f" >> "$tmp"
done
if [ -s "$tmp" ]; then
    $sudo cp "$tmp" "$listtarget"
fi

[ -f "$target" ] || [ -f "$listtarget" ] || { echo "enable-deb-src: no deb entries found to derive from" >&2; exit 1; }
$sudo apt-get update -qq
