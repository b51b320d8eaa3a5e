#!/bin/sh
# Generate the system-test assets (kernel, initramfs images, bootable disk)
# from Debian packages into OUTDIR. Results are cached: nothing is rebuilt
# while OUTDIR/stamp matches the kernel (name, size) and this script's checksum.
#
#   usage: tests/lib/mkassets.sh OUTDIR
#
# Needs: linux-image-cloud-amd64, busybox-static, cpio, fdisk, dosfstools,
#        mtools, syslinux, syslinux-common.
set -eu

die() { echo "mkassets: $*" >&2; exit 1; }

[ $# -eq 1 ] || die "usage: $0 OUTDIR"
out=$1

kernel=$(printf '%s\n' /boot/vmlinuz-*-cloud-amd64 | sort -V | tail -n 1)
[ -f "$kernel" ] || die "no /boot/vmlinuz-*-cloud-amd64 found: install linux-image-cloud-amd64"
if [ ! -x /bin/busybox ] || ldd /bin/busybox >/dev/null 2>&1; then
    die "/bin/busybox is missing or not statically linked: install busybox-static"
fi
mbr=/usr/lib/syslinux/mbr/mbr.bin
[ -f "$mbr" ] || die "$mbr not found: install syslinux-common"
for tool in cpio gzip sfdisk mkfs.fat mmd mcopy syslinux; do
    command -v "$tool" >/dev/null || die "required tool '$tool' not found"
done

key="$(basename "$kernel") $(stat -c %s "$kernel") $(sha256sum "$0" | cut -d' ' -f1)"
cached=yes
for f in stamp vmlinuz initrd.img initrd-64m.img disk.img; do
    [ -f "$out/$f" ] || cached=no
done
[ $cached = yes ] && [ "$(cat "$out/stamp")" = "$key" ] && exit 0

mkdir -p "$out"
rm -f "$out/stamp"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pvboot-assets.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
export MTOOLS_SKIP_CHECK=1

# newc cpio of the directory $1 (all files owned by root) on stdout
mkcpio() { (cd "$1" && find . -mindepth 1 | LC_ALL=C sort | cpio --quiet -o -H newc --owner=0:0); }

# --- kernel ------------------------------------------------------------------
cp "$kernel" "$tmp/vmlinuz"
mv "$tmp/vmlinuz" "$out/vmlinuz"
echo "  ASSET   $out/vmlinuz (from $kernel)"

# --- initramfs ---------------------------------------------------------------
root=$tmp/root
mkdir -p "$root/bin" "$root/dev" "$root/proc" "$root/sys"
cp /bin/busybox "$root/bin/busybox"
for applet in sh mount cat echo wc sync poweroff; do
    ln -s busybox "$root/bin/$applet"
done
cat >"$root/init" <<'EOF'
#!/bin/sh
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
exec >/dev/console 2>&1 </dev/console
echo "cmdline: $(cat /proc/cmdline)"
[ -f /pad.bin ] && echo "pad.bin: $(wc -c </pad.bin) bytes"
echo PVBOOT-LINUX-MARKER
sync
poweroff -f
EOF
chmod 755 "$root/init"
mkcpio "$root" | gzip -9n >"$tmp/initrd.img"
mv "$tmp/initrd.img" "$out/initrd.img"
echo "  ASSET   $out/initrd.img"

# Same initramfs plus an uncompressed archive holding 64 MiB of random data.
# The gzip part is zero-padded to a 512-byte boundary so the second archive
# starts aligned (the kernel skips zero bytes between archives).
pad=$tmp/pad
mkdir "$pad"
head -c 64M /dev/urandom >"$pad/pad.bin"
{
    cat "$out/initrd.img"
    head -c $(( (512 - $(stat -c %s "$out/initrd.img") % 512) % 512 )) /dev/zero
    mkcpio "$pad"
} >"$tmp/initrd-64m.img"
mv "$tmp/initrd-64m.img" "$out/initrd-64m.img"
echo "  ASSET   $out/initrd-64m.img"

# --- bootable disk: MBR + one bootable FAT16 partition at 1 MiB, SYSLINUX ----
disk=$tmp/disk.img
part_start=2048                        # sectors
part_size=$(( 63 * 1024 * 2 ))         # sectors (63 MiB)
truncate -s 64M "$disk"
echo "start=$part_start, size=$part_size, type=6, bootable" | sfdisk --quiet "$disk"
mkfs.fat -F 16 -n PVBOOT -h $part_start --offset=$part_start "$disk" $(( part_size / 2 )) >/dev/null
img="$disk@@$(( part_start * 512 ))"
mmd -i "$img" ::/syslinux
cat >"$tmp/syslinux.cfg" <<'EOF'
SERIAL 0 115200
DEFAULT linux
PROMPT 0
TIMEOUT 0
LABEL linux
  KERNEL /vmlinuz
  APPEND initrd=/initrd.img console=ttyS0,115200 panic=-1 quiet loglevel=3
EOF
mcopy -i "$img" "$tmp/syslinux.cfg" ::/syslinux/syslinux.cfg
mcopy -i "$img" "$out/vmlinuz" ::/vmlinuz
mcopy -i "$img" "$out/initrd.img" ::/initrd.img
syslinux --install --offset $(( part_start * 512 )) --directory /syslinux "$disk"
dd if="$mbr" of="$disk" bs=440 count=1 conv=notrunc status=none
mv "$disk" "$out/disk.img"
echo "  ASSET   $out/disk.img"

echo "$key" >"$out/stamp"
