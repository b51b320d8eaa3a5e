"""libFuzzer runs of the src/net parsers (targets in tests/fuzz/fuzz_*.c).

One test per fuzzer: build them all (make -C tests/fuzz, once per run),
write the seeds of mkcorpus.py, then fuzz for FUZZ_SECONDS seconds (default
20).  A crash, hang, leak or sanitizer report fails the test; the input is
left in build/fuzz/run/<fuzzer>/artifacts/ and the output in
build/test-logs/fuzz/test_fuzz/<fuzzer>/fuzz.log.
"""

import os
import shutil
import subprocess
import sys
import threading

from harness import REPO, TestFailure, TestSkip

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(REPO, 'build', 'fuzz')
TARGETS = ('fuzz_dhcp_parse', 'fuzz_tftp_parse', 'fuzz_net_rx')
TAIL = 40

_build_lock = threading.Lock()
_build_error = None     # None: not built yet; '': built


def _tail(text):
    return '\n'.join(text.rstrip().splitlines()[-TAIL:])


def _build():
    """Build the fuzzers once; later calls report the first outcome."""
    global _build_error
    with _build_lock:
        if _build_error is None:
            if not shutil.which('clang'):
                _build_error = 'skip'
            else:
                proc = subprocess.run(['make', '-C', HERE], cwd=REPO,
                                      stdin=subprocess.DEVNULL,
                                      stdout=subprocess.PIPE,
                                      stderr=subprocess.STDOUT)
                _build_error = (f'make -C tests/fuzz failed:\n'
                                f'{_tail(proc.stdout.decode(errors="replace"))}'
                                if proc.returncode else '')
    if _build_error == 'skip':
        raise TestSkip('clang not installed (scripts/deps.sh installs it)')
    if _build_error:
        raise TestFailure(_build_error)


def _seconds():
    value = os.environ.get('FUZZ_SECONDS', '20')
    try:
        seconds = int(value)
    except ValueError:
        raise TestFailure(f'FUZZ_SECONDS={value!r} is not a whole number') from None
    if seconds < 1:
        raise TestFailure('FUZZ_SECONDS must be at least 1')
    return seconds


def _fuzz(target):
    def test(ctx):
        seconds = _seconds()
        _build()
        work = os.path.join(OUT, 'run', target)
        shutil.rmtree(work, ignore_errors=True)
        corpus = os.path.join(work, 'corpus')
        artifacts = os.path.join(work, 'artifacts')
        for path in (corpus, artifacts):
            os.makedirs(path)
        subprocess.run([sys.executable, os.path.join(HERE, 'mkcorpus.py'),
                        os.path.join(work, 'seeds')], check=True)
        # libFuzzer adds new inputs to the first directory only.
        cmd = [os.path.join(OUT, target), f'-max_total_time={seconds}',
               '-timeout=10', '-rss_limit_mb=2048', '-print_final_stats=1',
               f'-artifact_prefix={artifacts}/', corpus,
               os.path.join(work, 'seeds', target)]
        try:
            proc = subprocess.run(cmd, cwd=REPO, stdin=subprocess.DEVNULL,
                                  stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT,
                                  timeout=seconds + 120)
        except subprocess.TimeoutExpired:
            raise TestFailure(f'{target} did not stop after {seconds}s') from None
        output = proc.stdout.decode(errors='replace')
        with open(os.path.join(ctx.logdir(ctx.name), 'fuzz.log'), 'w') as f:
            f.write(output)
        if proc.returncode:
            raise TestFailure(f'{target} exited with status {proc.returncode}; '
                              f'inputs in {os.path.relpath(artifacts, REPO)}; '
                              f'output tail:\n{_tail(output)}')
    return test


def tests():
    return [(target, _fuzz(target)) for target in TARGETS]
