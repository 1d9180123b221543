# Oracle for the differential QAPI tests: runs QEMU's own QAPI frontend (the
# release whose `qapi` package folder is argv[1]; it is never copied here) over
# schema paths read one per line from stdin, and answers one JSON line each:
#   {"ok": true} or {"ok": false, "file": ..., "line": ..., "col": ..., "message": ...}
# One process serves many schemas, so Python starts once per release.
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(sys.argv[1])))
from qapi.error import QAPIError  # noqa: E402
from qapi.schema import QAPISchema  # noqa: E402


def judge(path):
    try:
        QAPISchema(path)
        return {'ok': True}
    except QAPIError as e:
        info = getattr(e, 'info', None)
        return {
            'ok': False,
            'file': getattr(info, 'fname', None),
            'line': getattr(info, 'line', None),
            'col': getattr(e, 'col', None),
            'message': getattr(e, 'msg', str(e)),
        }
    except Exception as e:  # a crash of the frontend itself (QEMU would print a traceback)
        return {'ok': False, 'crash': '%s: %s' % (type(e).__name__, e)}


for raw in sys.stdin:
    path = raw.rstrip('\n')
    if not path:
        continue
    sys.stdout.write(json.dumps(judge(path)) + '\n')
    sys.stdout.flush()
