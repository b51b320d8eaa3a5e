# System test of the !PXE API for 16-bit protected-mode callers (PXE 2.1):
# pvboot network-boots tests/payload's pm_test.0 over QEMU user networking;
# that NBP builds a GDT with the UNDI segments, writes the selectors into
# !PXE, switches to 16-bit protected mode and calls the API there with
# selector:offset pointers (UNDI_GET_INFORMATION, GET_CACHED_INFO,
# UNDI_OPEN/TRANSMIT/ISR/CLOSE, a bad opcode), then returns to real mode and
# prints "PM-TEST: PASS" or "PM-TEST: FAIL <step>: <reason>".
#
# Copyright (C) 2026  The pvboot authors
#
# This file may be distributed under the terms of the GNU LGPLv3 license.

"""!PXE API test: an NBP that calls pvboot from 16-bit protected mode."""

import os
import shutil
import subprocess

from harness import TestFailure, qpath, sercon_args

NBP = 'pm_test.0'
RESULT = r'PM-TEST: (PASS|FAIL.*)'
# pvboot's message once the NBP has returned with a far return and AX = 0.
RETURNED = r'Network bootstrap program returned \(AX=0000\)'


def build_payload(ctx):
    """make -C tests/payload; return the path of the NBP."""
    make = subprocess.run(['make', '-C', os.path.join(ctx.repo, 'tests', 'payload')],
                          cwd=ctx.repo, stdin=subprocess.DEVNULL,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if make.returncode:
        out = make.stdout.decode(errors='replace').rstrip().splitlines()
        raise TestFailure('make -C tests/payload failed:\n' + '\n'.join(out[-20:]))
    return os.path.join(ctx.repo, 'build', 'payload', NBP)


def nbp_lines(vm):
    """The NBP's own output lines so far."""
    return [line for line in vm.log().splitlines() if 'PM-TEST:' in line]


def test_pxe_pm(ctx):
    """DHCP + TFTP of pm_test.0 by pvboot's own virtio-net driver (no
    option ROM), then every check of the NBP (tests/payload/pm_test.S)."""
    nbp = build_payload(ctx)
    # ctx.Qemu empties build/test-logs/NAME, so the TFTP root lives in it
    # and QEMU logs one level down.
    top = ctx.logdir(ctx.name)
    tftp = os.path.join(top, 'tftp')
    os.makedirs(tftp)
    shutil.copy(nbp, tftp)
    netdev = f'user,id=n0,restrict=on,tftp={qpath(tftp)},bootfile={NBP}'
    args = [*sercon_args(), '-netdev', netdev,
            '-device', 'virtio-net-pci,netdev=n0,romfile=,bootindex=1']
    with ctx.Qemu(f'{ctx.name}/vm', bios=ctx.bios, args=args, timeout=60) as vm:
        try:
            result = vm.wait_for(RESULT).group(1).rstrip()
        except TestFailure as e:
            # A triple fault ends QEMU (-no-reboot); show how far it got.
            raise TestFailure(f'{e}\nNBP output:\n' + '\n'.join(nbp_lines(vm)[-15:])) from None
        if result != 'PASS':
            raise TestFailure(f'{result}\nNBP output:\n' + '\n'.join(nbp_lines(vm)[-15:]))
        vm.wait_for(RETURNED, source='debug', timeout=15)
