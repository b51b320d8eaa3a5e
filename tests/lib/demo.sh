#!/bin/sh
# "make run": boot out/bios.bin in QEMU (TCG) from the generated demo disk
# (syslinux + Debian cloud kernel + busybox initramfs) with the guest's
# serial console on this terminal; returns when the guest powers off.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
assets=$top/build/test-assets
"$top/tests/lib/mkassets.sh" "$assets"
accel=tcg
[ "${PVBOOT_KVM:-}" = 1 ] && [ -w /dev/kvm ] && accel=kvm
printf '\370\003' > "$assets/sercon-port.bin"   # 0x03f8, little-endian
echo "  RUN     qemu-system-x86_64 -bios out/bios.bin (accel $accel); the guest powers off by itself"
exec qemu-system-x86_64 -nodefaults -machine pc -accel "$accel" -m 512 \
    -bios "$top/out/bios.bin" -display none -vga none -no-reboot \
    -fw_cfg name=etc/sercon-port,file="$assets/sercon-port.bin" \
    -drive file="$assets/disk.img",format=raw,if=ide,snapshot=on \
    -serial stdio 2>&1 | grep -v 'externally provided fw_cfg item names'
