"""Running a fuzz target: for real under atheris (libFuzzer), or briefly in-process.

The contract every target checks (X12-RULES §4.2): any input yields findings or raises a
:class:`~claimhouse.errors.ClaimhouseError`; anything else escaping is a crash. Hangs are
bounded by libFuzzer's ``-timeout`` (per input) and memory by ``-rss_limit_mb``; in the
pytest replay (:func:`replay`) by a per-input alarm.
"""

from __future__ import annotations

import contextlib
import random
import signal
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from claimhouse.errors import ClaimhouseError

Target = Callable[[bytes], None]

ROOT = Path(__file__).resolve().parents[2]
WORK = ROOT / "build" / "fuzz"


def guarded(fn: Callable[[bytes], object]) -> Target:
    """``fn`` with the contract applied: a ClaimhouseError is an accepted outcome."""
    def one_input(data: bytes) -> None:
        with contextlib.suppress(ClaimhouseError):
            fn(data)
    one_input.__name__ = getattr(fn, "__name__", "one_input")
    return one_input


class Hang(Exception):
    """An input ran longer than the per-input limit."""


def _alarm(signum: int, frame: object) -> None:
    raise Hang("input exceeded its time limit")


def run_bounded(target: Target, data: bytes, seconds: float) -> None:
    """Run one input under a wall-clock limit (main thread only: uses SIGALRM)."""
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        target(data)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


# -- a small structure-aware mutator for the in-process replay -----------------------------
_VALUES = [b"", b"-1", b"-99999999999999.99", b"1E+999999", b"NaN", b"Infinity", b"1O0",
           b"20230231", b"99999999", b"0", b"ABC", b"\xc3\xa9", b"\x00", b"\xef\xbb\xbf",
           b"999999999999999999999999", b"1" * 300, b"0.0000000000001", b"-0", b"1.2.3",
           b"RD8", b"D8", b"20231301-20230101", b"22", b"HL", b"ISA", b"::::"]
_SEGMENTS = [b"ISA", b"IEA*1*000000001", b"GS", b"GE*1*1", b"ST*835*0001", b"SE*1*0001",
             b"HL*1**20*1", b"HL*9*7*23*0", b"CLP*X*22*-5*abc", b"SVC*HC:99213*1e9*",
             b"CAS*CO*45*-1", b"PLB*X*20231231*WO:1*-1", b"LX*1", b"CLM*1*1O0",
             b"AK2*837*0001", b"IK3*NM1*1**8", b"IK4*1:1*66*6", b"TA1*1*1*1*R*001",
             b"STC*A3:21", b"TRN*2*X", b"BPR*I*-1*C", b"DTM*405*20230231", b"LS*1", b"LE*1"]


def _delims(data: bytes) -> tuple[int, int]:
    if data.startswith(b"ISA") and len(data) > 105:
        return data[3], data[105]
    return ord("*"), ord("~")


def mutate(data: bytes, rnd: random.Random, others: list[bytes]) -> bytes:
    """One to three random mutations, byte-level or X12-aware."""
    out = bytearray(data)
    for _ in range(rnd.randint(1, 3)):
        elem, term = _delims(bytes(out))
        op = rnd.randrange(11)
        n = len(out)
        if op == 0 and n:  # flip a byte
            out[rnd.randrange(n)] = rnd.randrange(256)
        elif op == 1:  # insert bytes
            pos = rnd.randint(0, n)
            out[pos:pos] = bytes(rnd.randrange(256) for _ in range(rnd.randint(1, 8)))
        elif op == 2 and n:  # delete a range
            a = rnd.randrange(n)
            del out[a:a + rnd.randint(1, 64)]
        elif op == 3 and n:  # truncate
            del out[rnd.randrange(n):]
        elif op == 4 and n:  # duplicate a range
            a = rnd.randrange(n)
            chunk = out[a:a + rnd.randint(1, 400)]
            pos = rnd.randint(0, len(out))
            out[pos:pos] = chunk * rnd.randint(1, 4)
        elif op == 5 and others:  # splice with another seed
            other = rnd.choice(others)
            a = rnd.randint(0, n)
            b = rnd.randint(0, len(other))
            out = bytearray(out[:a] + other[b:])
        elif op == 6:  # replace one element of one segment with a hostile value
            segs = bytes(out).split(bytes([term]))
            if segs:
                i = rnd.randrange(len(segs))
                els = segs[i].split(bytes([elem]))
                els[rnd.randrange(len(els))] = rnd.choice(_VALUES)
                segs[i] = bytes([elem]).join(els)
                out = bytearray(bytes([term]).join(segs))
        elif op == 7:  # drop, duplicate or move a segment
            segs = bytes(out).split(bytes([term]))
            if len(segs) > 1:
                i, j = rnd.randrange(len(segs)), rnd.randrange(len(segs))
                seg = segs[i]
                choice = rnd.randrange(3)
                if choice == 0:
                    del segs[i]
                elif choice == 1:
                    segs.insert(j, seg)
                else:
                    del segs[i]
                    segs.insert(j, seg)
                out = bytearray(bytes([term]).join(segs))
        elif op == 8:  # insert a hostile segment
            segs = bytes(out).split(bytes([term]))
            seg = rnd.choice(_SEGMENTS).replace(b"*", bytes([elem]))
            segs.insert(rnd.randint(0, len(segs)), seg)
            out = bytearray(bytes([term]).join(segs))
        elif op == 9 and n:  # swap one delimiter occurrence for another
            positions = [i for i, c in enumerate(out) if c in (elem, term)]
            if positions:
                out[rnd.choice(positions)] = rnd.choice(b"*~|:^\n\r>!")
        elif op == 10 and n:  # line ends: CRLF after terminators, or a lone CR
            out = bytearray(bytes(out).replace(bytes([term]), bytes([term]) + rnd.choice(
                [b"\r\n", b"\n", b"\r", b"\r\r\n"])))
    return bytes(out)


def replay_inputs(seeds: Iterable[bytes], count: int, seed: int = 8) -> Iterator[bytes]:
    """The seeds, then ``count`` mutations of them (deterministic for a given ``seed``)."""
    pool = [s for s in seeds]
    yield from pool
    if not pool:
        return
    rnd = random.Random(seed)
    for _ in range(count):
        yield mutate(rnd.choice(pool), rnd, pool)


# -- atheris -------------------------------------------------------------------------------
def main(name: str, target: Target, seeds: Callable[[], Iterable[bytes]]) -> None:
    """``python -m tests.fuzz.fuzz_<name> [libFuzzer flags]``: writes the seeds into
    build/fuzz/<name>/seeds, keeps the evolving corpus in build/fuzz/<name>/corpus and
    crashes in build/fuzz/<name>/crash-*."""
    import atheris

    work = WORK / name
    seed_dir = work / "seeds"
    corpus = work / "corpus"
    seed_dir.mkdir(parents=True, exist_ok=True)
    corpus.mkdir(parents=True, exist_ok=True)
    from tests.fuzz._seeds import crash_inputs

    for i, data in enumerate([*seeds(), *(p.read_bytes() for p in crash_inputs(name))]):
        (seed_dir / f"seed-{i:04d}").write_bytes(data)
    args = [sys.argv[0], *sys.argv[1:]]
    if not any(a.startswith("-timeout=") for a in args):
        args.append("-timeout=20")
    if not any(a.startswith("-rss_limit_mb=") for a in args):
        args.append("-rss_limit_mb=1536")
    if not any(a.startswith("-max_len=") for a in args):
        args.append("-max_len=65536")
    args += [f"-artifact_prefix={work}/", str(corpus), str(seed_dir)]
    atheris.instrument_all()
    atheris.Setup(args, target)
    atheris.Fuzz()
