# System test of the UNDI API: pvboot network-boots tests/payload's
# undi_test.0 over QEMU user networking, and that NBP drives the PXE/UNDI
# API directly (issue 4), printing "UNDI-TEST: PASS" or "UNDI-TEST: FAIL".
#
# Copyright (C) 2026  The pvboot authors
#
# This file may be distributed under the terms of the GNU LGPLv3 license.

"""UNDI API test: a real-mode NBP that calls pvboot's PXE/UNDI API itself."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import nbp  # noqa: E402


def test_undi_api(ctx):
    """DHCP + TFTP of undi_test.0 by pvboot's own virtio-net driver (no
    option ROM), then every check of the NBP (tests/payload/undi_test.S)."""
    nbp.run_nbp(ctx, 'undi_test.0', 'UNDI-TEST', timeout=60)
