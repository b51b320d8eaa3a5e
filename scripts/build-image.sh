#!/bin/sh
# Build one pvboot image: pristine SeaBIOS tree + our src/ overlay + patches/
# + configs/<variant>.config, then SeaBIOS's own make.  With STOCK=1 build
# the same configuration without pvboot (no overlay, no patches): the size
# report compares against it.
# Usage: scripts/build-image.sh VARIANT SEABIOS_TREE WORKDIR OUTFILE
set -eu

variant=$1 seabios=$2 work=$3 outfile=$4
stock=${STOCK:-0}
top=$(cd "$(dirname "$0")/.." && pwd)
tree=$work/seabios
jobs=${JOBS:-$(nproc)}

die() { echo "build-image: $*" >&2; exit 1; }
[ -f "$seabios/src/post.c" ] || die "$seabios is not a SeaBIOS tree"
[ -f "$top/configs/$variant.config" ] || die "no configs/$variant.config"

# Assemble pristine tree + overlay + patches in a staging copy, then sync it
# into the build tree by content, so SeaBIOS's make rebuilds only what changed.
stage=$work/stage
rm -rf "$stage"
mkdir -p "$work"
cp -a "$seabios" "$stage"
if [ "$stock" = 0 ]; then
    cp -a "$top/src/." "$stage/src/"
    while read -r p; do
        case "$p" in ''|'#'*) continue ;; esac
        patch -s -p1 -d "$stage" < "$top/patches/$p" || die "patch $p does not apply"
    done < "$top/patches/series"
fi

# The version SeaBIOS reports and our banner: pvboot's git describe.
version=$(git -C "$top" describe --tags --always --dirty 2>/dev/null || echo unknown)
printf '#define PVBOOT_VERSION "%s"\n' "$version" > "$stage/src/pvboot_version.h"

cp "$top/configs/$variant.config" "$stage/.config.pvboot"
mkdir -p "$tree"
rsync -rlp --checksum --delete --exclude=/out/ --exclude=/.config \
    --exclude=/.config.old --exclude=/.config.from "$stage/" "$tree/"
rm -rf "$stage"
# Expand the fragment only when it changed: a rewritten .config rebuilds all.
if ! cmp -s "$tree/.config.pvboot" "$tree/.config.from" 2>/dev/null; then
    cp "$tree/.config.pvboot" "$tree/.config"
    make -s -C "$tree" olddefconfig >/dev/null
    cp "$tree/.config.pvboot" "$tree/.config.from"
fi
make -C "$tree" -j"$jobs" EXTRAVERSION="-pvboot-$version" > "$work/build.log" 2>&1 \
    || { tail -40 "$work/build.log"; die "SeaBIOS make failed for $variant (log: $work/build.log)"; }

mkdir -p "$(dirname "$outfile")"
cp "$tree/out/bios.bin" "$outfile"
# SeaBIOS prints its layout summary only when it relinks: keep the last one.
! grep -q '^Total size:' "$work/build.log" || cp "$work/build.log" "$work/layout.log"
[ "$stock" = 0 ] || exit 0
STOCK=1 "$0" "$variant" "$seabios" "$work-stock" "$work-stock/bios.bin"
"$top/scripts/size-report.py" "$variant" "$work/layout.log" "$outfile" \
    "$work-stock/layout.log"
