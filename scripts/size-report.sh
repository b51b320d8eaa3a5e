#!/bin/sh
# Print an image's footprint from SeaBIOS's layout summary and fail when the
# Xen image does not fit hvmloader's window.
# Usage: scripts/size-report.sh VARIANT BUILDLOG IMAGE
set -eu
variant=$1 log=$2 image=$3

field() { sed -n "s/^$1: *\([0-9]*\).*/\1/p" "$log" | tail -1; }
total=$(stat -c %s "$image")
low16=$(field "16bit size")
low32seg=$(field "32bit segmented size")
low32flat=$(field "32bit flat size")
lowmem=$(field "Lowmem size")
init=$(field "32bit flat init size")
runtime=$((low16 + low32seg + low32flat))
romused=$(sed -n 's/^Total size: \([0-9]*\).*/\1/p' "$log")

printf '  %-5s %s: %d bytes (ROM content %d), runtime below 1 MiB %d (16bit %d + 32seg %d + 32flat %d) + lowmem %d, runtime-high (permanent, relocated init) %d\n' \
    "$variant" "$image" "$total" "$romused" "$runtime" "$low16" "$low32seg" "$low32flat" "$lowmem" "$init"

if [ "$variant" = xen ] && [ "$total" -gt 131072 ]; then
    echo "ERROR: $image is $total bytes; hvmloader places SeaBIOS at 0xE0000, so it must be at most 131072" >&2
    exit 1
fi
