#!/bin/sh
# Fetch the pinned SeaBIOS release as Debian's source package, verify it and
# unpack a pristine tree.  Usage: scripts/fetch-seabios.sh BUILDDIR
# Prints the path of the pristine tree on stdout.
set -eu

SEABIOS_VERSION=1.16.2
ORIG=seabios_${SEABIOS_VERSION}.orig.tar.gz
# sha256 of the upstream tarball inside Debian's source package (any -N revision)
ORIG_SHA256=efa8d529442ad168056f94ac6666b1b3543c62ff7af6d9e020561f4d0e32f959

build=${1:?usage: fetch-seabios.sh BUILDDIR}
dl=$build/dl
tree=$build/seabios-$SEABIOS_VERSION
here=$(cd "$(dirname "$0")" && pwd)

msg() { echo "  FETCH   $*" >&2; }
die() { echo "fetch-seabios: $*" >&2; exit 1; }

if [ -f "$tree/.pvboot-verified" ]; then
    echo "$tree"
    exit 0
fi

mkdir -p "$dl"
if [ ! -f "$dl/$ORIG" ]; then
    if ! apt-cache showsrc seabios 2>/dev/null | grep -q "$ORIG"; then
        msg "no deb-src entry offers seabios; enabling source entries"
        "$here/enable-deb-src.sh" || die "cannot enable deb-src entries (see above)"
    fi
    msg "apt-get source --download-only seabios"
    (cd "$dl" && apt-get source -qq --download-only seabios >/dev/null 2>&1) \
        || die "apt-get source seabios failed; run it by hand in $dl to see why"
    [ -f "$dl/$ORIG" ] || die "apt did not deliver $ORIG (Debian moved past SeaBIOS $SEABIOS_VERSION?)"
fi

sum=$(sha256sum "$dl/$ORIG" | cut -d' ' -f1)
[ "$sum" = "$ORIG_SHA256" ] || die "$dl/$ORIG: sha256 $sum, expected $ORIG_SHA256"
msg "verified $ORIG"

rm -rf "$tree" "$tree.tmp"
mkdir -p "$tree.tmp"
tar -xzf "$dl/$ORIG" -C "$tree.tmp" --strip-components=1
touch "$tree.tmp/.pvboot-verified"
mv "$tree.tmp" "$tree"
echo "$tree"
