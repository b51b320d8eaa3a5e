"""QEMU harness for pvboot system tests (Python 3 standard library only)."""

import os
import re
import shlex
import shutil
import subprocess
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LOGROOT = os.path.join(REPO, 'build', 'test-logs')
QEMU = 'qemu-system-x86_64'


class TestFailure(Exception):
    """The test failed; the message says why."""


class TestSkip(Exception):
    """The test cannot run here; the message says why."""


def logdir(name):
    """Return build/test-logs/NAME, emptied (created if needed)."""
    path = os.path.join(LOGROOT, name)
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    return path


def qpath(path):
    """Escape PATH for use as a value inside a QEMU option string."""
    return path.replace(',', ',,')


def accel():
    """'kvm' when PVBOOT_KVM=1 and /dev/kvm is usable, else 'tcg'."""
    if os.environ.get('PVBOOT_KVM') == '1' and os.access('/dev/kvm', os.R_OK | os.W_OK):
        return 'kvm'
    return 'tcg'


def sercon_args(port=0x3f8):
    """QEMU args making SeaBIOS mirror its screen console onto serial PORT.

    SeaBIOS reads fw_cfg file etc/sercon-port as a little-endian integer.
    """
    path = os.path.join(LOGROOT, f'sercon-port-{port:x}.bin')
    os.makedirs(LOGROOT, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=LOGROOT)
    with os.fdopen(fd, 'wb') as f:
        f.write(port.to_bytes(2, 'little'))
    os.replace(tmp, path)
    return ['-vga', 'none', '-fw_cfg', f'name=etc/sercon-port,file={qpath(path)}']


class Qemu:
    """A running QEMU guest whose serial port and debugcon (port 0x402) are
    logged to build/test-logs/NAME/{serial,debug}.log. Use as a context
    manager so QEMU is always killed afterwards."""

    def __init__(self, name, bios, args=(), memory=512, timeout=60, machine='pc',
                 prefix=()):
        if not os.path.isfile(bios):
            raise TestFailure(f'BIOS image {bios} does not exist (build it first, '
                              'or point PVBOOT_BIOS / PVBOOT_XEN_BIOS at one)')
        if not shutil.which(QEMU):
            raise TestFailure(f'{QEMU} not found: install qemu-system-x86')
        self.name = name
        self.timeout = timeout
        self.logdir = logdir(name)
        self.logs = {src: os.path.join(self.logdir, f'{src}.log') for src in ('serial', 'debug')}
        self.cmd = [QEMU, '-nodefaults', '-machine', machine, '-accel', accel(),
                    '-m', str(memory), '-bios', bios, '-display', 'none', '-no-reboot',
                    '-chardev', f'file,id=dbg,path={qpath(self.logs["debug"])}',
                    '-device', 'isa-debugcon,iobase=0x402,chardev=dbg',
                    '-chardev', f'file,id=ser,path={qpath(self.logs["serial"])}',
                    '-serial', 'chardev:ser', *args]
        with open(os.path.join(self.logdir, 'cmdline'), 'w') as f:
            f.write(shlex.join([*prefix, *self.cmd]) + '\n')
        self.qemu_log = os.path.join(self.logdir, 'qemu.log')
        with open(self.qemu_log, 'wb') as out:
            self.proc = subprocess.Popen([*prefix, *self.cmd], stdin=subprocess.DEVNULL,
                                         stdout=out, stderr=subprocess.STDOUT)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        """Stop QEMU if it is still running."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def log(self, source='serial'):
        """Current contents of the 'serial' or 'debug' log."""
        try:
            with open(self.logs[source], 'rb') as f:
                return f.read().decode('utf-8', 'replace')
        except FileNotFoundError:
            return ''

    def _exited(self, what):
        """TestFailure for QEMU having exited before WHAT, with its output."""
        with open(self.qemu_log, 'rb') as f:
            output = f.read().decode('utf-8', 'replace').strip()
        msg = f'QEMU exited with status {self.proc.returncode} before {what}'
        return TestFailure(f'{msg}; its output:\n{output}' if output else msg)

    def wait_for(self, pattern, source='serial', timeout=None):
        """Wait until regex PATTERN (multiline mode) matches the SOURCE log and
        return the match; raise TestFailure if QEMU exits or time runs out."""
        regex = re.compile(pattern, re.M)
        timeout = self.timeout if timeout is None else timeout
        deadline = time.monotonic() + timeout
        while True:
            exited = self.proc.poll() is not None
            match = regex.search(self.log(source))
            if match:
                return match
            if exited:
                raise self._exited(f'/{pattern}/ appeared in {source}.log')
            if time.monotonic() > deadline:
                raise TestFailure(f'timed out after {timeout}s waiting for /{pattern}/ '
                                  f'in {source}.log')
            time.sleep(0.1)

    def wait_exit(self, timeout=None):
        """Wait for QEMU to exit (e.g. guest power-off) and return its status."""
        timeout = self.timeout if timeout is None else timeout
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise TestFailure(f'QEMU still running {timeout}s later; '
                              'expected the guest to power off') from None
