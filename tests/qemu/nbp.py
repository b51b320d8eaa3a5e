# Shared part of the system tests that network-boot one of tests/payload's
# test NBPs (test_undi.py, test_tftp_api.py, test_pxe_pm.py): build the
# payloads, serve the NBP over QEMU user networking to pvboot's own
# virtio-net driver, wait for its "<PREFIX>: PASS" line (failing at once on
# "<PREFIX>: FAIL ...") and for pvboot's message that the NBP returned.
#
# Copyright (C) 2026  The pvboot authors
#
# This file may be distributed under the terms of the GNU LGPLv3 license.

"""Boot a test NBP from tests/payload and wait for its PASS line."""

import os
import re
import shutil
import subprocess

from harness import TestFailure, qpath, sercon_args

# pvboot's message once the NBP has returned with a far return and AX = 0.
RETURNED = r'Network bootstrap program returned \(AX=0000\)'


def build_payload(ctx, name):
    """make -C tests/payload; return the path of the NBP NAME."""
    make = subprocess.run(['make', '-C', os.path.join(ctx.repo, 'tests', 'payload')],
                          cwd=ctx.repo, stdin=subprocess.DEVNULL,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if make.returncode:
        out = make.stdout.decode(errors='replace').rstrip().splitlines()
        raise TestFailure('make -C tests/payload failed:\n' + '\n'.join(out[-20:]))
    return os.path.join(ctx.repo, 'build', 'payload', name)


def run_nbp(ctx, name, prefix, files=None, timeout=60, tail=15, check=None):
    """DHCP + TFTP of tests/payload's NBP NAME (e.g. 'undi_test.0') by
    pvboot's own virtio-net driver (no option ROM), with FILES ({name:
    bytes}) next to it on the TFTP server.  Wait for "PREFIX: PASS" (a
    "PREFIX: FAIL ..." line fails at once, with the NBP's last TAIL lines),
    call CHECK with the NBP's lines if given, then wait for the NBP's far
    return with AX = 0.  Returns the NBP's lines."""
    nbp = build_payload(ctx, name)
    # ctx.Qemu empties build/test-logs/NAME, so the TFTP root lives in it
    # and QEMU logs one level down.
    top = ctx.logdir(ctx.name)
    tftp = os.path.join(top, 'tftp')
    os.makedirs(tftp)
    shutil.copy(nbp, tftp)
    for fname, data in (files or {}).items():
        with open(os.path.join(tftp, fname), 'wb') as f:
            f.write(data)
    netdev = f'user,id=n0,restrict=on,tftp={qpath(tftp)},bootfile={name}'
    args = [*sercon_args(), '-netdev', netdev,
            '-device', 'virtio-net-pci,netdev=n0,romfile=,bootindex=1']
    tag = f'{prefix}:'

    def nbp_lines(vm):
        """The NBP's own output lines so far."""
        return [line.rstrip() for line in vm.log().splitlines() if tag in line]

    with ctx.Qemu(f'{ctx.name}/vm', bios=ctx.bios, args=args, timeout=timeout) as vm:
        try:
            result = vm.wait_for(rf'{re.escape(tag)} (PASS|FAIL.*)').group(1).rstrip()
        except TestFailure as e:
            # QEMU ended (e.g. a triple fault under -no-reboot) or time ran
            # out; show how far the NBP got.
            raise TestFailure(f'{e}\nNBP output:\n' + '\n'.join(nbp_lines(vm)[-tail:])) from None
        lines = nbp_lines(vm)
        if result != 'PASS':
            raise TestFailure(f'{result}\nNBP output:\n' + '\n'.join(lines[-tail:]))
        if check:
            check(lines)
        vm.wait_for(RETURNED, source='debug', timeout=15)
    return lines
