"""Network lab for pvboot system tests and benchmarks (Python 3 stdlib only).

A Lab is a private network namespace holding one or more tap devices, a
dnsmasq serving DHCP + TFTP on the first tap, a generated TFTP root (pxelinux
and a Linux kernel + initrd from the test assets) and, optionally, a small
HTTP server for the same root. QEMU runs *inside* the namespace (see wrap())
and attaches to the taps, so no guest traffic can leave the namespace.

    with Lab('qemu/test_pxe/x') as lab:
        cmd = lab.wrap(['qemu-system-x86_64', ..., *lab.qemu_args(mac=..., bootindex=1)])

Everything the lab creates (namespace, processes, temporary directory) is
removed on exit, also after an exception or Ctrl-C. A lab left behind by a
killed process (its namespace is named pvb-<pid>-<n>) is removed by the next
Lab whose process finds <pid> gone.

Needs root, iproute2 (`ip netns`, `ip tuntap`), dnsmasq and pxelinux /
syslinux-common; where that is missing the Lab raises harness.TestSkip.
"""

import atexit
import itertools
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

LAB_DIR = os.path.dirname(os.path.abspath(__file__))
TESTS = os.path.dirname(LAB_DIR)
if TESTS not in sys.path:
    sys.path.insert(0, TESTS)

import harness  # noqa: E402
from harness import REPO, TestFailure, TestSkip  # noqa: E402

ASSETS = os.path.join(REPO, 'build', 'test-assets')

# Address plan inside every lab namespace (namespaces are private, so every
# lab can use the same one).
SUBNET = '192.168.77'
SERVER_IP = f'{SUBNET}.1'
DHCP_RANGE = f'{SUBNET}.100,{SUBNET}.199,255.255.255.0,1h'
# Unique-local IPv6 prefix announced by router advertisements (ipv6_ra=True).
RA_PREFIX = 'fd70:7662:6f6f:77'

# Where Debian's pxelinux and syslinux-common put their files.
PXELINUX_DIRS = ('/usr/lib/PXELINUX', '/usr/lib/syslinux')
MODULE_DIRS = ('/usr/lib/syslinux/modules/bios', '/usr/share/syslinux')
# pxelinux.cfg/default below only needs ldlinux.c32 (pxelinux.0 and
# lpxelinux.0 of syslinux 6 both load it first); the libraries are there so a
# test can add a menu or chain module without touching the lab.
MODULES = ('ldlinux.c32', 'libcom32.c32', 'libutil.c32')

KERNEL_APPEND = 'console=ttyS0,115200 quiet loglevel=3 panic=-1'
NS_PREFIX = 'pvb-'
TMP_PREFIX = 'pvb-lab-'

_counter = itertools.count()
_counter_lock = threading.Lock()
_open_labs = set()


def find_file(name, dirs):
    """First DIRS/NAME that exists, else None."""
    for d in dirs:
        path = os.path.join(d, name)
        if os.path.isfile(path):
            return path
    return None


def which(prog):
    """Path of PROG, also looking in the sbin directories."""
    path = os.environ.get('PATH', '') + ':/usr/sbin:/sbin'
    return shutil.which(prog, path=path)


def pxelinux_cfg(initrd='initrd.img', append=''):
    """The pxelinux.cfg/default the lab serves: boot vmlinuz + INITRD at once,
    console on ttyS0 (and pxelinux's own output on serial 0 too)."""
    extra = f' {append}' if append else ''
    return ('SERIAL 0 115200\n'
            'DEFAULT linux\n'
            'PROMPT 0\n'
            'TIMEOUT 0\n'
            'LABEL linux\n'
            '  KERNEL vmlinuz\n'
            f'  APPEND initrd={initrd} {KERNEL_APPEND}{extra}\n')


def make_tftp_root(root, initrd='initrd.img', files=None, append='', assets=None):
    """Fill directory ROOT (created) with pxelinux.0, lpxelinux.0, ldlinux.c32
    and libraries, vmlinuz, INITRD (test assets) and pxelinux.cfg/default,
    then apply FILES ({relative path: source path | bytes | None}).
    Usable without root, e.g. as the tftp= directory of QEMU user networking."""
    assets = assets or ASSETS
    os.makedirs(os.path.join(root, 'pxelinux.cfg'), exist_ok=True)
    want = {}
    for nbp in ('pxelinux.0', 'lpxelinux.0'):
        path = find_file(nbp, PXELINUX_DIRS)
        if not path:
            raise TestSkip(f'{nbp} not found: install pxelinux')
        want[nbp] = path
    for mod in MODULES:
        path = find_file(mod, MODULE_DIRS)
        if not path:
            raise TestSkip(f'{mod} not found: install syslinux-common')
        want[mod] = path
    for asset in ('vmlinuz', initrd):
        path = os.path.join(assets, asset)
        if not os.path.isfile(path):
            raise TestFailure(f'test asset {path} missing (run tests/lib/mkassets.sh)')
        want[asset] = path
    want['pxelinux.cfg/default'] = pxelinux_cfg(initrd, append).encode()
    want.update(files or {})
    root = os.path.abspath(root)
    for rel, src in want.items():
        dest = os.path.normpath(os.path.join(root, rel))
        if not dest.startswith(root + os.sep):
            raise ValueError(f'TFTP file {rel!r} lies outside the root')
        if src is None:
            continue
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        if isinstance(src, bytes):
            with open(dest, 'wb') as f:
                f.write(src)
        else:
            shutil.copyfile(src, dest)
        os.chmod(dest, 0o644)
    for dirpath, dirs, _ in os.walk(root):
        for d in dirs:
            os.chmod(os.path.join(dirpath, d), 0o755)
    os.chmod(root, 0o755)
    return root


def qemu_defaults(machine='pc', qemu=harness.QEMU):
    """What QEMU itself would use for MACHINE: {'bios': path, 'virtio_net_rom':
    path} (the file names QEMU reports, resolved in its firmware directories).
    Asks a stopped QEMU (-S, no host network) over QMP; None values when it
    cannot tell."""
    import json
    req = ('{"execute":"qmp_capabilities"}\n'
           '{"execute":"human-monitor-command","arguments":{"command-line":"info roms"}}\n'
           '{"execute":"qom-get","arguments":{"path":"/machine/peripheral/nic0",'
           '"property":"romfile"}}\n'
           '{"execute":"quit"}\n')
    cmd = [qemu, '-S', '-nodefaults', '-machine', machine, '-accel', 'tcg',
           '-display', 'none', '-netdev', 'hubport,id=x,hubid=0',
           '-device', 'virtio-net-pci,netdev=x,id=nic0', '-qmp', 'stdio']
    try:
        proc = subprocess.run(cmd, input=req.encode(), stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, timeout=30)
        dirs = subprocess.run([qemu, '-L', 'help'], stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                              timeout=30).stdout.decode().split()
    except (OSError, subprocess.TimeoutExpired):
        return {'bios': None, 'virtio_net_rom': None}
    names = {'bios': None, 'virtio_net_rom': None}
    for line in proc.stdout.decode(errors='replace').splitlines():
        try:
            ret = json.loads(line).get('return')
        except ValueError:
            continue
        if isinstance(ret, str) and ret.endswith('.rom') and '\n' not in ret:
            names['virtio_net_rom'] = ret
        elif isinstance(ret, str):
            m = re.search(r'^addr=0*fff\S* size=\S+ mem=rom name="([^"]+)"', ret, re.M)
            if m:
                names['bios'] = m.group(1)
    return {key: (find_file(name, [os.path.normpath(d) for d in dirs]) or name) if name
            else None for key, name in names.items()}


def _run(cmd, what):
    """Run CMD (a list); raise TestFailure with its output if it fails."""
    proc = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT)
    if proc.returncode:
        raise TestFailure(f'{what}: `{" ".join(cmd)}` exited with status '
                          f'{proc.returncode}: {proc.stdout.decode(errors="replace").strip()}')
    return proc.stdout.decode(errors='replace')


def _pid_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _ns_pids(ns):
    out = subprocess.run(['ip', 'netns', 'pids', ns], stdin=subprocess.DEVNULL,
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    return [int(p) for p in out.stdout.split() if p.isdigit()]


def _delete_ns(ns):
    """Kill what still runs in lab namespace NS (only lab processes run
    there: dnsmasq, the HTTP server, QEMU) and delete it."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        pids = _ns_pids(ns)
        for pid in pids:
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + 3
        while pids and time.monotonic() < deadline:
            pids = [p for p in pids if _pid_alive(p)]
            time.sleep(0.05)
        if not pids:
            break
    subprocess.run(['ip', 'netns', 'delete', ns], stdin=subprocess.DEVNULL,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def cleanup_stale():
    """Delete lab namespaces and temporary directories left by processes
    that no longer exist (killed before they could clean up)."""
    def stale(pid):
        return int(pid) != os.getpid() and not _pid_alive(int(pid))
    out = subprocess.run(['ip', 'netns', 'list'], stdin=subprocess.DEVNULL,
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    for line in out.stdout.decode(errors='replace').splitlines():
        m = re.match(rf'{re.escape(NS_PREFIX)}(\d+)-(\d+)\b', line)
        if m and stale(m.group(1)):
            _delete_ns(m.group(0))
    tmp = tempfile.gettempdir()
    for entry in os.listdir(tmp):
        m = re.fullmatch(rf'{re.escape(TMP_PREFIX)}(\d+)-\w+', entry)
        if m and stale(m.group(1)):
            shutil.rmtree(os.path.join(tmp, entry), ignore_errors=True)


class _LogReader(threading.Thread):
    """Copies a child's output to a file, stamping each line with the
    monotonic time it arrived (kept in .lines as (time, text))."""

    def __init__(self, stream, path):
        super().__init__(daemon=True)
        self.stream = stream
        self.path = path
        self.lines = []
        self.cond = threading.Condition()
        self.start()

    def run(self):
        with open(self.path, 'w') as out:
            for raw in iter(self.stream.readline, b''):
                now = time.monotonic()
                text = raw.decode('utf-8', 'replace').rstrip('\r\n')
                with self.cond:
                    self.lines.append((now, text))
                    self.cond.notify_all()
                out.write(text + '\n')
                out.flush()

    def wait_for(self, regex, timeout, proc=None):
        """(time, match) of the first line matching REGEX; None on timeout or
        when PROC has exited without printing it."""
        regex = re.compile(regex)
        deadline = time.monotonic() + timeout
        seen = 0
        with self.cond:
            while True:
                for t, text in self.lines[seen:]:
                    m = regex.search(text)
                    if m:
                        return t, m
                seen = len(self.lines)
                left = deadline - time.monotonic()
                if left <= 0 or (proc is not None and proc.poll() is not None
                                 and not self.is_alive()):
                    return None
                self.cond.wait(min(left, 0.2))

    def text(self):
        with self.cond:
            return '\n'.join(text for _, text in self.lines)


class Lab:
    """A network namespace with DHCP/TFTP (and optionally HTTP) for one guest.

    name       -- label for the logs; they end up in build/test-logs/NAME/
                  (or LOGDIR) as lab-dnsmasq.log / lab-http.log when the lab is
                  closed (copied then, because harness.Qemu empties that
                  directory when it starts)
    tftp_files -- extra or replaced files of the TFTP root: {relative path:
                  source file path | bytes (the content) | None (leave it out)}
    dhcp_boot  -- boot file name handed out by DHCP (dnsmasq --dhcp-boot)
    http       -- also serve the root over HTTP on SERVER_IP port 80
    initrd     -- test asset used as the initrd (served under its own name)
    nics       -- number of taps to create; only tap 0 has a server on it,
                  the others are dead wires (no DHCP, nothing answers)
    dnsmasq_args -- extra dnsmasq options, e.g. ['--dhcp-option-force=210,...']
    append     -- extra kernel command line for pxelinux.cfg/default
    ipv6_ra    -- also send IPv6 router advertisements (SLAAC only, no DHCPv6)
                  on tap 0, as most real networks do. Firmware that configures
                  IPv6 (QEMU's iPXE ROM) otherwise waits ~13 s for a router
                  before it boots; see docs/performance.md.
    """

    def __init__(self, name, tftp_files=None, dhcp_boot='pxelinux.0', http=False,
                 initrd='initrd.img', nics=1, dnsmasq_args=(), append='', assets=None,
                 ipv6_ra=True, logdir=None):
        self.name = name
        self.logdir = logdir or os.path.join(harness.LOGROOT, name)
        self.tftp_files = dict(tftp_files or {})
        self.dhcp_boot = dhcp_boot
        self.http = http
        self.initrd = initrd
        self.nics = nics
        self.dnsmasq_args = list(dnsmasq_args)
        self.append = append
        self.assets = assets or ASSETS
        self.ipv6_ra = ipv6_ra
        self.ns = None
        self.tmp = None
        self.root = None
        self.taps = [f'pvbtap{i}' for i in range(nics)]
        self.server_ip = SERVER_IP
        self.dnsmasq = None
        self.httpd = None
        self._readers = {}
        self._closed = False

    # --- setup ----------------------------------------------------------------

    def __enter__(self):
        try:
            self._check()
            self.tmp = tempfile.mkdtemp(prefix=f'{TMP_PREFIX}{os.getpid()}-')
            os.chmod(self.tmp, 0o755)
            self._make_root()
            self._make_ns()
            self._start_dnsmasq()
            if self.http:
                self._start_http()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc):
        self.close()

    def _check(self):
        if os.geteuid() != 0:
            raise TestSkip('the network lab needs root (network namespaces, taps)')
        for prog, pkg in (('ip', 'iproute2'), ('dnsmasq', 'dnsmasq-base')):
            if not which(prog):
                raise TestSkip(f'{prog} not found: install {pkg}')
        if not os.path.exists('/dev/net/tun'):
            raise TestSkip('/dev/net/tun does not exist (no tap devices here)')
        probe = subprocess.run(['ip', 'netns', 'list'], stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if probe.returncode:
            raise TestSkip(f'`ip netns` does not work here: '
                           f'{probe.stderr.decode(errors="replace").strip()}')

    def _make_root(self):
        self.root = os.path.join(self.tmp, 'tftp')
        make_tftp_root(self.root, initrd=self.initrd, files=self.tftp_files,
                       append=self.append, assets=self.assets)

    def _make_ns(self):
        cleanup_stale()
        with _counter_lock:
            n = next(_counter)
        ns = f'{NS_PREFIX}{os.getpid()}-{n}'
        probe = subprocess.run(['ip', 'netns', 'add', ns], stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if probe.returncode:
            raise TestSkip(f'cannot create a network namespace: '
                           f'{probe.stderr.decode(errors="replace").strip()}')
        self.ns = ns
        _open_labs.add(self)
        _run(self.wrap(['ip', 'link', 'set', 'lo', 'up']), 'lab setup')
        for i, tap in enumerate(self.taps):
            _run(self.wrap(['ip', 'tuntap', 'add', 'dev', tap, 'mode', 'tap']), 'lab setup')
            if i == 0:
                _run(self.wrap(['ip', 'addr', 'add', f'{SERVER_IP}/24', 'dev', tap]),
                     'lab setup')
                if self.ipv6_ra:
                    _run(self.wrap(['ip', '-6', 'addr', 'add', f'{RA_PREFIX}::1/64',
                                    'dev', tap, 'nodad']),
                         'lab setup (IPv6 for router advertisements; pass ipv6_ra=False)')
            else:
                # A dead wire must stay silent: no IPv6 link-local chatter.
                _run(self.wrap(['sysctl', '-q', '-w',
                                f'net.ipv6.conf.{tap}.disable_ipv6=1']), 'lab setup')
            _run(self.wrap(['ip', 'link', 'set', tap, 'up']), 'lab setup')

    def _spawn(self, key, cmd):
        """Start CMD inside the namespace, its output logged (timestamped)."""
        proc = subprocess.Popen(self.wrap(cmd), stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        self._readers[key] = _LogReader(proc.stdout, os.path.join(self.tmp, f'{key}.log'))
        return proc

    def _start_dnsmasq(self):
        # --no-daemon: stay in the foreground as root (no pid file, no user
        # change); --log-facility=-: log to stderr, which _LogReader stamps.
        cmd = [which('dnsmasq'), '--no-daemon', '--conf-file=/dev/null',
               '--no-resolv', '--no-hosts', '--port=0',
               f'--interface={self.taps[0]}', '--bind-interfaces',
               f'--listen-address={SERVER_IP}',
               f'--dhcp-range={DHCP_RANGE}', '--dhcp-authoritative',
               # no 3 s ICMP probe of a new address before offering it (it
               # would make a lab's first boot slower than the next ones)
               '--no-ping',
               f'--dhcp-leasefile={os.path.join(self.tmp, "leases")}',
               f'--dhcp-boot={self.dhcp_boot}',
               '--enable-tftp', f'--tftp-root={self.root}',
               '--log-dhcp', '--log-facility=-']
        if self.ipv6_ra:
            cmd += ['--enable-ra', f'--dhcp-range={RA_PREFIX}::,ra-only,64']
        cmd += self.dnsmasq_args
        self.dnsmasq = self._spawn('dnsmasq', cmd)
        if not self._readers['dnsmasq'].wait_for(r'TFTP root is', 10, self.dnsmasq):
            raise TestFailure(f'dnsmasq did not start in the lab; its log:\n'
                              f'{self._readers["dnsmasq"].text()}')

    def _start_http(self):
        cmd = [sys.executable, '-u', '-m', 'http.server', '80', '--bind', SERVER_IP,
               '--directory', self.root]
        self.httpd = self._spawn('http', cmd)
        if not self._readers['http'].wait_for(r'Serving HTTP', 10, self.httpd):
            raise TestFailure(f'the lab HTTP server did not start; its log:\n'
                              f'{self._readers["http"].text()}')

    # --- use --------------------------------------------------------------------

    def wrap(self, cmd):
        """CMD (a list) run inside the lab namespace."""
        return ['ip', 'netns', 'exec', self.ns, *cmd]

    @property
    def prefix(self):
        """Command prefix that runs a program inside the lab namespace."""
        return ['ip', 'netns', 'exec', self.ns]

    def qemu_args(self, mac=None, bootindex=None, nic=0, model='virtio-net-pci',
                  romfile=None, netdev_id=None):
        """QEMU -netdev/-device arguments attaching a MODEL NIC to tap NIC.
        romfile=None keeps QEMU's default option ROM, '' loads none."""
        nid = netdev_id or f'lab{nic}'
        dev = f'{model},netdev={nid}'
        if mac:
            dev += f',mac={mac}'
        if bootindex is not None:
            dev += f',bootindex={bootindex}'
        if romfile is not None:
            dev += f',romfile={harness.qpath(romfile)}'
        return ['-netdev', f'tap,id={nid},ifname={self.taps[nic]},script=no,downscript=no',
                '-device', dev]

    def tap_stats(self, nic=0):
        """{'rx': {...}, 'tx': {...}} packet/byte counters of tap NIC as the
        namespace sees them (rx = what the guest sent), or None."""
        import json
        out = subprocess.run(['ip', '-n', self.ns, '-s', '-j', 'link', 'show', 'dev',
                              self.taps[nic]], stdin=subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        try:
            return json.loads(out.stdout)[0]['stats64']
        except (ValueError, IndexError, KeyError):
            return None

    def log(self, which_log='dnsmasq'):
        """Text logged so far by 'dnsmasq' or 'http'."""
        reader = self._readers.get(which_log)
        return reader.text() if reader else ''

    def log_lines(self, which_log='dnsmasq'):
        """[(monotonic time, line)] logged so far by 'dnsmasq' or 'http'."""
        reader = self._readers.get(which_log)
        if not reader:
            return []
        with reader.cond:
            return list(reader.lines)

    def wait_log(self, regex, timeout, which_log='dnsmasq'):
        """(monotonic time, match) of the first REGEX line in the log, or None."""
        reader = self._readers.get(which_log)
        return reader.wait_for(regex, timeout) if reader else None

    def sent(self, filename):
        """Monotonic time dnsmasq logged finishing a TFTP send of FILENAME."""
        pat = rf'sent \S*/{re.escape(filename)} to '
        for t, text in self.log_lines():
            if re.search(pat, text):
                return t
        return None

    # --- teardown ---------------------------------------------------------------

    def close(self):
        if self._closed:
            return
        self._closed = True
        for proc in (self.httpd, self.dnsmasq):
            if proc and proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
        for reader in self._readers.values():
            reader.join(timeout=2)
        if self.ns:
            _delete_ns(self.ns)
            _open_labs.discard(self)
        if self.tmp:
            self._save_logs()
            shutil.rmtree(self.tmp, ignore_errors=True)

    def _save_logs(self):
        try:
            dest = self.logdir
            os.makedirs(dest, exist_ok=True)
            for key in self._readers:
                src = os.path.join(self.tmp, f'{key}.log')
                if os.path.isfile(src):
                    shutil.copyfile(src, os.path.join(dest, f'lab-{key}.log'))
        except OSError:
            pass


@atexit.register
def _close_all():
    for lab in list(_open_labs):
        lab.close()
