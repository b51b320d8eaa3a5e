"""Boot tests: the pvboot banner, and Linux booting off each disk controller."""

import os
import re

from harness import TestFailure, qpath, sercon_args

MARKER = r'^PVBOOT-LINUX-MARKER\r?$'


def boot_disk(ctx, devices, bios=None, machine='pc'):
    """Boot assets/disk.img (attached as drive 'd' by DEVICES) to the marker
    line printed by the guest, then expect the guest to power off."""
    disk = os.path.join(ctx.assets, 'disk.img')
    drive = f'file={qpath(disk)},format=raw,if=none,id=d,snapshot=on'
    with ctx.Qemu(ctx.name, bios=bios or ctx.bios, machine=machine,
                  args=['-drive', drive, *devices]) as vm:
        vm.wait_for(MARKER, timeout=90)
        vm.wait_exit(timeout=30)


def test_banner(ctx):
    """The pvboot banner precedes SeaBIOS's on debugcon and on the screen."""
    with ctx.Qemu(ctx.name, bios=ctx.bios, args=sercon_args(), timeout=30) as vm:
        for source, banner in (('debug', r'^pvboot \S+'), ('serial', r'pvboot \S+')):
            seabios = vm.wait_for(r'SeaBIOS \(version', source)
            if not re.search(banner, vm.log(source)[:seabios.start()], re.M):
                raise TestFailure(f'no /{banner}/ banner before "SeaBIOS (version" '
                                  f'in {source}.log')


def test_disk_ide(ctx):
    boot_disk(ctx, ['-device', 'ide-hd,drive=d,bus=ide.0'])


def test_disk_ahci(ctx):
    boot_disk(ctx, ['-device', 'ide-hd,drive=d,bus=ide.0'], machine='q35')


def test_disk_virtio_blk(ctx):
    boot_disk(ctx, ['-device', 'virtio-blk-pci,drive=d'])


def test_disk_virtio_scsi(ctx):
    boot_disk(ctx, ['-device', 'virtio-scsi-pci,id=scsi',
                    '-device', 'scsi-hd,drive=d,bus=scsi.0'])


def test_xen_image_ide(ctx):
    boot_disk(ctx, ['-device', 'ide-hd,drive=d,bus=ide.0'], bios=ctx.xen_bios)
