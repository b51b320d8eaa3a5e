#!/bin/sh
# Install, idempotently and quietly, every Debian package that building,
# "make run" and the tests need.  Costs one dpkg-query when all is present.
set -eu

PACKAGES="make gcc gcc-multilib patch rsync git python3 acpica-tools
 qemu-system-x86 qemu-utils iproute2 dnsmasq-base tgt
 pxelinux syslinux syslinux-common ipxe grub-pc-bin
 linux-image-cloud-amd64 busybox-static cpio mtools dosfstools fdisk
 libcmocka-dev clang"

installed=$(dpkg-query -W -f '${db:Status-Abbrev} ${Package}\n' $PACKAGES 2>/dev/null \
            | awk '$1 == "ii" { print $2 }')
missing=
for p in $PACKAGES; do
    echo "$installed" | grep -qx "$p" || missing="$missing $p"
done
[ -n "$missing" ] || exit 0

echo "  DEPS    installing:" $missing
sudo=
[ "$(id -u)" = 0 ] || sudo=sudo
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
