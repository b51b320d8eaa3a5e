"""Network boot tests: pvboot's own virtio-net driver, DHCP/TFTP client and
PXE API boot pxelinux.0 from the lab (tests/lab/lab.py: dnsmasq in a private
network namespace) or from QEMU user networking, to the Linux marker.

The NICs carry no option ROM (romfile=), so only pvboot's native driver can
boot them. With PVBOOT_PXE_ANCHOR=1 the same tests run against QEMU's own
default BIOS and iPXE option ROM instead (checks that name pvboot's messages
are left out) -- a way to check the lab itself.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile

import harness
from harness import TestFailure, qpath, sercon_args

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                'lab'))
import lab as labmod  # noqa: E402

MARKER = r'^PVBOOT-LINUX-MARKER\r?$'
# Lines after which the marker will not come: fail at once, not at the timeout.
HOPELESS = r'No bootable device|Kernel panic|PXE-E\w\w|Network bootstrap program returned'
PAD = r'^pad\.bin: 67108864 bytes\r?$'
BOOT_TIMEOUT = 120
BIG_TIMEOUT = 240          # 64 MiB over TFTP under TCG, and its unpacking
ANCHOR = os.environ.get('PVBOOT_PXE_ANCHOR') == '1'

LAB_MAC = '52:54:00:77:00:01'
DEAD_MAC = '52:54:00:77:00:02'


def ns_qemu(ctx, prefix, **kwargs):
    """ctx.Qemu(ctx.name, **kwargs) started under the command PREFIX."""
    return ctx.Qemu(ctx.name, prefix=prefix, **kwargs)


# --- helpers -----------------------------------------------------------------------

def bios(ctx):
    """The BIOS under test: pvboot, or QEMU's default one in anchor mode."""
    if ANCHOR:
        path = labmod.qemu_defaults()['bios']
        if not path or not os.path.isfile(path):
            raise TestFailure("cannot find QEMU's default BIOS image")
        return path
    return ctx.bios


def romfile():
    """romfile= for the NICs: none for pvboot, QEMU's default for the anchor."""
    return None if ANCHOR else ''


def nic(lab, mac, bootindex, tap=0):
    return lab.qemu_args(mac=mac, bootindex=bootindex, nic=tap, romfile=romfile())


def log_tail(text, lines=15):
    return '\n'.join(text.rstrip().splitlines()[-lines:]) or '(empty)'


def with_lab_log(lab, err):
    """ERR (a TestFailure) with the tail of the lab's dnsmasq log added."""
    return TestFailure(f'{err}\n--- last lines of the lab dnsmasq log ---\n'
                       f'{log_tail(lab.log())}')


def mac_regex(mac):
    """Regex for MAC printed with ':' or '-' separators, any case."""
    return '[:-]'.join(re.escape(b) for b in mac.split(':'))


def booting_lines(text):
    """MACs of pvboot's "Booting from network (virtio-net MAC)..." lines."""
    return [m.group(1).lower().replace('-', ':') for m in
            re.finditer(r'Booting from network \(virtio-net ([0-9A-Fa-f:-]{17})\)', text)]


def expect_native_boot(vm, mac):
    """pvboot's first network boot used the NIC with MAC."""
    if ANCHOR:
        return
    macs = booting_lines(vm.log())
    if not macs:
        raise TestFailure('no "Booting from network (virtio-net MAC)..." line in serial.log')
    if macs[0] != mac.lower():
        raise TestFailure(f'network boot started on {macs[0]}, expected {mac} '
                          f'(all attempts: {", ".join(macs)})')


def wait_marker(vm):
    """Wait for the marker line; fail early on a line saying it won't come."""
    m = vm.wait_for(rf'{MARKER}|{HOPELESS}')
    if not re.fullmatch(MARKER, m.group(), re.M):
        raise TestFailure(f'{m.group().strip()!r} in serial.log instead of the marker')
    return m


def boot_lab(ctx, lab, devices, timeout=BOOT_TIMEOUT, then=None):
    """Boot with DEVICES inside LAB to the marker, run THEN(vm), and expect
    the guest to power off."""
    with ns_qemu(ctx, lab.prefix, bios=bios(ctx), args=[*sercon_args(), *devices],
                 timeout=timeout) as vm:
        try:
            wait_marker(vm)
            if then:
                then(vm)
            vm.wait_exit(timeout=30)
        except TestFailure as e:
            raise with_lab_log(lab, e) from None


def check_sent(lab, *files):
    """dnsmasq logged sending each of FILES (names relative to the root)."""
    missing = [f for f in files if lab.sent(f) is None]
    if missing:
        raise with_lab_log(lab, TestFailure(
            f'dnsmasq never finished sending {", ".join(missing)}'))


# --- tests ---------------------------------------------------------------------------

def test_pxelinux_virtio(ctx):
    """pxelinux.0 over virtio-net (no option ROM) boots Linux with initrd.img."""
    with labmod.Lab(ctx.name) as lab:
        boot_lab(ctx, lab, nic(lab, LAB_MAC, 1),
                 then=lambda vm: expect_native_boot(vm, LAB_MAC))
        check_sent(lab, 'pxelinux.0', 'vmlinuz', 'initrd.img')


def test_pxelinux_64m_initrd(ctx):
    """The same with the 64 MiB initrd: every byte arrives (pad.bin size)."""
    with labmod.Lab(ctx.name, initrd='initrd-64m.img') as lab:
        def check(vm):
            expect_native_boot(vm, LAB_MAC)
            if not re.search(PAD, vm.log(), re.M):
                raise TestFailure('the guest did not print "pad.bin: 67108864 bytes" '
                                  'before the marker: the initrd arrived incomplete')
        boot_lab(ctx, lab, nic(lab, LAB_MAC, 1), timeout=BIG_TIMEOUT, then=check)
        check_sent(lab, 'initrd-64m.img')


def test_wrong_bootfile_falls_through(ctx):
    """DHCP names a boot file the server lacks: pvboot says why the TFTP
    download failed, gives up on the network and boots the disk next."""
    disk = os.path.join(ctx.assets, 'disk.img')
    drive = f'file={qpath(disk)},format=raw,if=none,id=d,snapshot=on'
    with labmod.Lab(ctx.name, dhcp_boot='nonexistent.0') as lab:
        def check(vm):
            if not ANCHOR:
                expect_native_boot(vm, LAB_MAC)
                text = vm.log()
                marker = re.search(MARKER, text, re.M).start()
                err = re.search(r'TFTP failed: [^\r\n]*', text)
                if not err:
                    raise TestFailure('no "TFTP failed: ..." line in serial.log')
                if not re.search(r'not found|no such file', err.group(), re.I):
                    raise TestFailure(f'the TFTP error does not say the file was not '
                                      f'found: {err.group()!r}')
                fell = text.find('Network boot failed; trying the next boot device.')
                if fell < 0:
                    raise TestFailure('no "Network boot failed; trying the next boot '
                                      'device." line in serial.log')
                if not err.start() < fell < marker:
                    raise TestFailure('the TFTP error, the fall-through message and the '
                                      'marker are out of order in serial.log')
            if not re.search(r'file \S*/nonexistent\.0 not found', lab.log()):
                raise TestFailure('dnsmasq never logged the request for nonexistent.0')
        boot_lab(ctx, lab, [*nic(lab, LAB_MAC, 1), '-drive', drive,
                            '-device', 'ide-hd,drive=d,bus=ide.0,bootindex=2'], then=check)


def test_two_nics_bootindex(ctx):
    """Two virtio-net NICs: the first (lower PCI slot, bootindex=2) is on a
    dead wire, the second (bootindex=1) on the lab. The boot uses the second."""
    with labmod.Lab(ctx.name, nics=2) as lab:
        def check(vm):
            expect_native_boot(vm, LAB_MAC)
            if not ANCHOR and DEAD_MAC in booting_lines(vm.log()):
                raise TestFailure(f'pvboot also tried the bootindex=2 NIC {DEAD_MAC} '
                                  'although the first one booted')
            if not re.search(rf'DHCPACK\(\S+\) \S+ {mac_regex(LAB_MAC)}', lab.log()):
                raise TestFailure(f'dnsmasq never acknowledged {LAB_MAC}')
        boot_lab(ctx, lab, [*nic(lab, DEAD_MAC, 2, tap=1), *nic(lab, LAB_MAC, 1, tap=0)],
                 then=check)


def test_lpxelinux_tftp(ctx):
    """lpxelinux.0 runs its own lwIP stack on pvboot's raw UNDI API
    (OPEN/TRANSMIT/ISR) and fetches everything over TFTP with it."""
    with labmod.Lab(ctx.name, dhcp_boot='lpxelinux.0') as lab:
        boot_lab(ctx, lab, nic(lab, LAB_MAC, 1),
                 then=lambda vm: expect_native_boot(vm, LAB_MAC))
        check_sent(lab, 'lpxelinux.0', 'vmlinuz', 'initrd.img')


def test_lpxelinux_http(ctx):
    """lpxelinux.0 fetches the kernel and initrd over HTTP: TCP in lwIP on
    top of pvboot's UNDI API, from an HTTP server in the lab."""
    with labmod.Lab(ctx.name, dhcp_boot='lpxelinux.0', http=True) as lab:
        url = f'http://{lab.server_ip}'
        cfg = labmod.pxelinux_cfg(f'{url}/initrd.img').replace(
            'KERNEL vmlinuz', f'KERNEL {url}/vmlinuz')
        with open(os.path.join(lab.root, 'pxelinux.cfg', 'default'), 'w') as f:
            f.write(cfg)

        def check(vm):
            expect_native_boot(vm, LAB_MAC)
            log = lab.log('http')
            for name in ('vmlinuz', 'initrd.img'):
                if not re.search(rf'GET /{re.escape(name)} HTTP/1\.\d" 200', log):
                    raise TestFailure(f'the HTTP server never served /{name}')
        boot_lab(ctx, lab, nic(lab, LAB_MAC, 1), then=check)


def user_net_vm(ctx, root, rom_args=(), fw_cfg=()):
    """ctx.Qemu on user networking serving ROOT, the NIC with QEMU's own
    option ROM (iPXE) unless ROM_ARGS say otherwise."""
    netdev = f'user,id=n0,restrict=on,tftp={qpath(root)},bootfile=pxelinux.0'
    dev = ','.join([f'virtio-net-pci,netdev=n0,mac={LAB_MAC},bootindex=1', *rom_args])
    return ctx.Qemu(ctx.name, bios=bios(ctx), timeout=BOOT_TIMEOUT,
                    args=[*sercon_args(), *fw_cfg, '-netdev', netdev, '-device', dev])


def test_user_net(ctx):
    """QEMU user networking (slirp, restrict=on: nothing leaves QEMU) with its
    built-in DHCP/TFTP serving pxelinux.0 -- what `make run` demonstrates.
    The NIC keeps QEMU's iPXE option ROM: pvboot drives the NIC natively, so
    SeaBIOS never runs the ROM and iPXE offers no boot entry."""
    tmp = tempfile.mkdtemp(prefix='pvb-usernet-')
    try:
        root = labmod.make_tftp_root(os.path.join(tmp, 'tftp'), assets=ctx.assets)
        with user_net_vm(ctx, root) as vm:
            wait_marker(vm)
            expect_native_boot(vm, LAB_MAC)
            if not ANCHOR and re.search(r'iPXE', vm.log()):
                raise TestFailure("the NIC's iPXE option ROM ran although pvboot "
                                  'drives the NIC')
            vm.wait_exit(timeout=30)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def test_prefer_option_rom(ctx):
    """fw_cfg opt/org.pvboot/prefer-option-rom=1 leaves the NIC to its own
    option ROM: iPXE starts and pvboot offers no network boot of its own."""
    if ANCHOR:
        raise harness.TestSkip('pvboot-only behaviour')
    tmp = tempfile.mkdtemp(prefix='pvb-rom-')
    try:
        root = labmod.make_tftp_root(os.path.join(tmp, 'tftp'), assets=ctx.assets)
        fw_cfg = ['-fw_cfg', 'name=opt/org.pvboot/prefer-option-rom,string=1']
        with user_net_vm(ctx, root, fw_cfg=fw_cfg) as vm:
            vm.wait_for(r'iPXE', timeout=60)
            if booting_lines(vm.log()):
                raise TestFailure('pvboot booted the NIC natively although '
                                  'prefer-option-rom is set')
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def test_undionly_chain(ctx):
    """iPXE's undionly.kpxe runs on pvboot's UNDI API (SHUTDOWN and
    UNLOAD_STACK in its prefix, then STARTUP/INITIALIZE/OPEN/TRANSMIT/ISR for
    its whole life), fetches pxelinux.0 with its own stack and re-exports PXE
    to it; pxelinux then boots Linux."""
    undionly = labmod.find_file('undionly.kpxe', ['/usr/lib/ipxe'])
    if not undionly:
        raise harness.TestSkip('undionly.kpxe not found: install ipxe')
    with labmod.Lab(ctx.name, dhcp_boot='undionly.kpxe',
                    tftp_files={'undionly.kpxe': undionly},
                    dnsmasq_args=['--dhcp-userclass=set:ipxe,iPXE',
                                  '--dhcp-boot=tag:ipxe,pxelinux.0']) as lab:
        def check(vm):
            expect_native_boot(vm, LAB_MAC)
            if not re.search(r'iPXE', vm.log()):
                raise TestFailure('undionly.kpxe (iPXE) never printed its banner')
        boot_lab(ctx, lab, nic(lab, LAB_MAC, 1), then=check)
        check_sent(lab, 'undionly.kpxe', 'pxelinux.0', 'vmlinuz', 'initrd.img')


GRUB_CFG = (b'serial --unit=0 --speed=115200\n'
            b'terminal_input serial\n'
            b'terminal_output serial\n'
            b'linux /vmlinuz ' + labmod.KERNEL_APPEND.encode() + b'\n'
            b'initrd /initrd.img\n'
            b'boot\n')


def grub_netdir(dest):
    """GRUB's i386-pc network boot tree (core.0 and modules) made by
    grub-mknetdir under DEST, as {path relative to DEST: file}."""
    if not shutil.which('grub-mknetdir'):
        raise harness.TestSkip('grub-mknetdir not found: install grub-pc-bin')
    subprocess.run(['grub-mknetdir', f'--net-directory={dest}', '--subdir=boot/grub',
                    '-d', '/usr/lib/grub/i386-pc'], check=True, capture_output=True)
    files = {}
    for dirpath, _, names in os.walk(dest):
        for name in names:
            path = os.path.join(dirpath, name)
            files[os.path.relpath(path, dest)] = path
    return files


def test_grub_pxe(ctx):
    """GRUB's i386-pc PXE image finds the API only through INT 1Ah 5650h,
    calls !PXE with stack arguments, reads the DHCPACK in pointer mode and
    runs its own IP stack on UNDI (pxe.md 10); it loads Linux over TFTP."""
    tmp = tempfile.mkdtemp(prefix='pvb-grub-')
    try:
        files = grub_netdir(tmp)
        files['boot/grub/grub.cfg'] = GRUB_CFG
        with labmod.Lab(ctx.name, dhcp_boot='boot/grub/i386-pc/core.0',
                        tftp_files=files) as lab:
            boot_lab(ctx, lab, nic(lab, LAB_MAC, 1),
                     then=lambda vm: expect_native_boot(vm, LAB_MAC))
            check_sent(lab, 'vmlinuz', 'initrd.img')
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def test_no_dhcp_falls_through(ctx):
    """The NIC is on a wire where nobody answers DHCP: pvboot gives up after
    its retransmissions with a clear message (no hang) and boots the disk."""
    if ANCHOR:
        raise harness.TestSkip('pvboot-only messages')
    disk = os.path.join(ctx.assets, 'disk.img')
    drive = f'file={qpath(disk)},format=raw,if=none,id=d,snapshot=on'
    with labmod.Lab(ctx.name, nics=2) as lab:
        def check(vm):
            text = vm.log()
            err = re.search(r'DHCP \(virtio-net\)\.\.\. failed: [^\r\n]+', text)
            if not err:
                raise TestFailure('no "DHCP (virtio-net)... failed: <why>" line')
            if text.find('Network boot failed; trying the next boot device.') < err.start():
                raise TestFailure('no fall-through message after the DHCP error')
        boot_lab(ctx, lab, [*nic(lab, DEAD_MAC, 1, tap=1), '-drive', drive,
                            '-device', 'ide-hd,drive=d,bus=ide.0,bootindex=2'], then=check)
