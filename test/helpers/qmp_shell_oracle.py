# qmp-shell's own reading of lines, for the differential test: QEMU's qmp_shell.py
# (from ../shared/qemu/python-qmp/vX.Y.Z, put on sys.path by the caller, never copied)
# builds each line as it would before sending it. No socket is opened.
# stdin: a JSON array of lines. stdout: a JSON array with one answer per line:
#   ["none"]                 nothing sent (empty line, transaction action collected)
#   ["send", TAGGED]         the message it would send, as a tagged tree (below)
#   ["error", MESSAGE]       qmp-shell refuses the line (QMPShellError)
#   ["crash", EXCEPTION]     qmp-shell itself fails on the line (any other exception)
#   ["unsendable", WHAT]     built, but json.dumps cannot send it
# TAGGED: ["i", "123"] int, ["f", "1.5"] float repr, ["s", str], ["b", bool], ["n"],
# ["a", [items]], ["o", [[key, TAGGED], ...]] (keys as json.dumps writes them).
import json
import sys

from qemu.qmp.qmp_shell import QMPShell, QMPShellError


class Unsendable(Exception):
    pass


class Oracle(QMPShell):
    def __init__(self):  # pylint: disable=super-init-not-called
        self._transmode = False
        self._actions = []
        self.verbose = False

    def __del__(self):
        pass


def key(k):
    if isinstance(k, str):
        return k
    if k is True:
        return 'true'
    if k is False:
        return 'false'
    if k is None:
        return 'null'
    if isinstance(k, int):
        return str(int(k))
    if isinstance(k, float):
        return repr(k)
    raise Unsendable(type(k).__name__)


def tag(v):
    if isinstance(v, bool):
        return ['b', v]
    if isinstance(v, int):
        return ['i', str(v)]
    if isinstance(v, float):
        return ['f', repr(v)]
    if isinstance(v, str):
        return ['s', v]
    if v is None:
        return ['n']
    if isinstance(v, (list, tuple)):
        return ['a', [tag(x) for x in v]]
    if isinstance(v, dict):
        return ['o', [[key(k), tag(x)] for k, x in v.items()]]
    raise Unsendable(type(v).__name__)


def main():
    sys.setrecursionlimit(1000)
    shell = Oracle()
    out = []
    for line in json.load(sys.stdin):
        try:
            cmd = shell._build_cmd(line)  # pylint: disable=protected-access
        except QMPShellError as err:
            out.append(['error', str(err)])
            continue
        except Exception as err:  # pylint: disable=broad-except
            out.append(['crash', type(err).__name__])
            continue
        if cmd is None:
            out.append(['none'])
            continue
        try:
            out.append(['send', tag(cmd)])
        except Unsendable as err:
            out.append(['unsendable', str(err)])
        except RecursionError:
            out.append(['crash', 'RecursionError'])
    json.dump(out, sys.stdout)


main()
