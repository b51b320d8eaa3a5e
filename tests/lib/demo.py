#!/usr/bin/env python3
"""`make run`: PXE-boot Linux with out/bios.bin in QEMU (TCG).

QEMU's user networking (restrict=on: nothing leaves QEMU) serves DHCP and
TFTP from a generated root (pxelinux.0, the Debian cloud kernel, a busybox
initramfs).  pvboot's own virtio-net driver, DHCP/TFTP client and PXE API
boot pxelinux.0, which loads Linux; its init prints a marker and powers off.
The guest's serial console (with SeaBIOS's screen mirrored to it) is this
terminal; the demo returns when the guest powers off.
"""

import os
import subprocess
import sys

TESTS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, TESTS)
sys.path.insert(0, os.path.join(TESTS, 'lab'))

import harness  # noqa: E402
import lab  # noqa: E402

DEMO = os.path.join(harness.REPO, 'build', 'demo')


def main():
    assets = os.path.join(harness.REPO, 'build', 'test-assets')
    subprocess.run([os.path.join(TESTS, 'lib', 'mkassets.sh'), assets], check=True)
    root = lab.make_tftp_root(os.path.join(DEMO, 'tftp'), assets=assets)
    accel = harness.accel()
    cmd = [harness.QEMU, '-nodefaults', '-machine', 'pc', '-accel', accel,
           '-m', '512', '-bios', os.path.join(harness.REPO, 'out', 'bios.bin'),
           '-display', 'none', '-no-reboot', *harness.sercon_args(),
           '-netdev', f'user,id=n0,restrict=on,tftp={harness.qpath(root)},'
                      'bootfile=pxelinux.0',
           '-device', 'virtio-net-pci,netdev=n0,bootindex=1',
           '-serial', 'stdio']
    print(f'  RUN     qemu-system-x86_64 -bios out/bios.bin (accel {accel}), '
          'PXE boot over virtio-net; the guest powers off by itself', flush=True)
    qemu = subprocess.run(cmd, stderr=subprocess.PIPE, text=True)
    for line in qemu.stderr.splitlines():
        if 'externally provided fw_cfg item names' not in line:
            print(line, file=sys.stderr)
    return qemu.returncode


if __name__ == '__main__':
    sys.exit(main())
