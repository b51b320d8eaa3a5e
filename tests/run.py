#!/usr/bin/env python3
"""pvboot test runner.

Unit tests are the test_* executables that `make -C tests/unit` leaves in
build/unit/ (named unit/<binary>; pass iff exit status 0). System tests are
the test_* functions of tests/<group>/test_*.py modules (named
<group>/<module>/<function>), called with a Context; a module may also define
tests() returning extra (name, callable) pairs.

Environment: PVBOOT_BIOS / PVBOOT_XEN_BIOS override the BIOS images under
test, PVBOOT_KVM=1 uses KVM when /dev/kvm is usable.
"""

import argparse
import concurrent.futures
import glob
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import time
import traceback

TESTS = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, TESTS)

import harness  # noqa: E402
from harness import REPO, TestFailure, TestSkip  # noqa: E402

ASSETS = os.path.join(REPO, 'build', 'test-assets')
UNIT_BIN = os.path.join(REPO, 'build', 'unit')
UNIT_TIMEOUT = 300
TAIL = 25


class Context:
    """What a system test receives: paths under test and harness helpers."""

    def __init__(self, name):
        self.name = name
        self.repo = REPO
        self.bios = os.path.abspath(os.environ.get('PVBOOT_BIOS') or
                                    os.path.join(REPO, 'out', 'bios.bin'))
        self.xen_bios = os.path.abspath(os.environ.get('PVBOOT_XEN_BIOS') or
                                        os.path.join(REPO, 'out', 'xen', 'bios.bin'))
        self.assets = ASSETS
        self.Qemu = harness.Qemu
        self.logdir = harness.logdir


def tail(text, lines=TAIL):
    """Last LINES lines of TEXT with control characters made visible."""
    text = re.sub(r'[\x00-\x08\x0b-\x1f\x7f]',
                  lambda m: f'\\x{ord(m.group()):02x}', text.replace('\r', ''))
    return '\n'.join(text.rstrip().splitlines()[-lines:])


def failing(message):
    """A test that fails with MESSAGE (reports setup errors as test results)."""
    def test(ctx):
        raise TestFailure(message)
    return test


def unit_test(path):
    """A test running the unit-test binary PATH."""
    def test(ctx):
        try:
            proc = subprocess.run([path], cwd=REPO, stdin=subprocess.DEVNULL,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                  timeout=UNIT_TIMEOUT)
        except subprocess.TimeoutExpired as e:
            raise TestFailure(f'killed after {UNIT_TIMEOUT}s; output tail:\n'
                              f'{tail((e.output or b"").decode(errors="replace"))}') from None
        if proc.returncode:
            raise TestFailure(f'exit status {proc.returncode}; output tail:\n'
                              f'{tail(proc.stdout.decode(errors="replace"))}')
    return test


def discover_unit():
    """Build the unit tests and return (name, callable) pairs for them."""
    if not os.path.isfile(os.path.join(TESTS, 'unit', 'Makefile')):
        return []
    make = subprocess.run(['make', '-C', os.path.join(TESTS, 'unit')], cwd=REPO,
                          stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT)
    if make.returncode:
        return [('unit/make', failing(f'make -C tests/unit failed; output tail:\n'
                                      f'{tail(make.stdout.decode(errors="replace"))}'))]
    tests = []
    for entry in sorted(os.listdir(UNIT_BIN)) if os.path.isdir(UNIT_BIN) else []:
        path = os.path.join(UNIT_BIN, entry)
        if entry.startswith('test_') and os.path.isfile(path) and os.access(path, os.X_OK):
            tests.append((f'unit/{entry}', unit_test(path)))
    return tests


def discover_system():
    """Import tests/*/test_*.py and return (name, callable) pairs."""
    tests = []
    for path in sorted(glob.glob(os.path.join(TESTS, '*', 'test_*.py'))):
        group = os.path.basename(os.path.dirname(path))
        prefix = f'{group}/{os.path.basename(path)[:-3]}'
        try:
            spec = importlib.util.spec_from_file_location(prefix.replace('/', '_'), path)
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            found = [(attr, fn) for attr, fn in vars(module).items()
                     if attr.startswith('test_') and callable(fn)
                     and getattr(fn, '__module__', None) == module.__name__]
            found += list(module.tests()) if hasattr(module, 'tests') else []
        except Exception:
            tests.append((prefix, failing(f'cannot load {os.path.relpath(path, REPO)}:\n'
                                          f'{traceback.format_exc().rstrip()}')))
            continue
        tests += [(f'{prefix}/{name}', fn) for name, fn in found]
    return tests


def log_tails(name):
    """Tails of the serial/debug logs a test left under build/test-logs/NAME."""
    out = []
    for dirpath, _, files in sorted(os.walk(os.path.join(harness.LOGROOT, name))):
        for log in ('serial.log', 'debug.log'):
            if log in files:
                path = os.path.join(dirpath, log)
                with open(path, 'rb') as f:
                    text = tail(f.read().decode('utf-8', 'replace'))
                out.append(f'--- last {TAIL} lines of {os.path.relpath(path, REPO)} ---\n'
                           f'{text or "(empty)"}')
    return out


def run_test(name, fn):
    """Run one test; return (status, seconds, detail)."""
    start = time.monotonic()
    shutil.rmtree(os.path.join(harness.LOGROOT, name), ignore_errors=True)
    try:
        fn(Context(name))
        return 'PASS', time.monotonic() - start, ''
    except TestSkip as e:
        return 'SKIP', time.monotonic() - start, str(e)
    except TestFailure as e:
        detail = str(e)
    except Exception:
        detail = traceback.format_exc().rstrip()
    return 'FAIL', time.monotonic() - start, '\n'.join([detail, *log_tails(name)])


def main():
    ap = argparse.ArgumentParser(description='Run the pvboot unit and system tests.')
    ap.add_argument('-j', type=int, metavar='N', default=min(os.cpu_count() or 1, 2),
                    help='run N tests in parallel (default: CPUs, at most 2)')
    ap.add_argument('-k', metavar='PATTERN',
                    help='only run tests whose name matches the regex PATTERN')
    ap.add_argument('--list', action='store_true', help='list the selected tests and exit')
    args = ap.parse_args()
    if args.j < 1:
        ap.error('-j must be at least 1')

    unit = discover_unit()
    system = discover_system()
    if args.k:
        try:
            pattern = re.compile(args.k)
        except re.error as e:
            ap.error(f'bad -k pattern: {e}')
        unit = [t for t in unit if pattern.search(t[0])]
        system = [t for t in system if pattern.search(t[0])]
    if args.list:
        print('\n'.join(name for name, _ in unit + system))
        return 0

    counts = {'PASS': 0, 'FAIL': 0, 'SKIP': 0}
    if system:
        mkassets = subprocess.run([os.path.join(TESTS, 'lib', 'mkassets.sh'), ASSETS],
                                  stdin=subprocess.DEVNULL)
        if mkassets.returncode:
            print(f'FAIL assets: tests/lib/mkassets.sh exited with status '
                  f'{mkassets.returncode}; {len(system)} system tests not run', flush=True)
            counts['FAIL'] += 1
            system = []

    pool = concurrent.futures.ThreadPoolExecutor(args.j)
    futures = {pool.submit(run_test, name, fn): name for name, fn in unit + system}
    try:
        for future in concurrent.futures.as_completed(futures):
            name = futures[future]
            status, secs, detail = future.result()
            counts[status] += 1
            if status == 'PASS':
                print(f'PASS {name} ({secs:.1f}s)', flush=True)
            elif status == 'SKIP':
                print(f'SKIP {name}: {detail}', flush=True)
            else:
                print(f'FAIL {name}', flush=True)
                print('\n'.join('    ' + line for line in detail.splitlines()), flush=True)
    except KeyboardInterrupt:
        print('interrupted; waiting for running tests to stop', file=sys.stderr)
        pool.shutdown(cancel_futures=True)
        return 130
    pool.shutdown()

    summary = f'{counts["PASS"]} passed, {counts["FAIL"]} failed'
    if counts['SKIP']:
        summary += f', {counts["SKIP"]} skipped'
    print(summary)
    return 1 if counts['FAIL'] else 0


if __name__ == '__main__':
    sys.exit(main())
