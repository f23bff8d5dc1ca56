"""Writes one trace with OSProfiler's own profiler and notifier (its Redis or MongoDB driver).

Usage: osprofiler_write.py CONNECTION_STRING BASE_ID PARENT_ID SERVICE

The trace: a "wsgi" root with two "db" children that start in the same millisecond more often than
not, an "rpc" child that raises (recorded as an error), and a nested "function" span. With
filter_error_trace, the drivers also index the trace as an error trace. Prints the ids as JSON.
"""
import json
import sys
import types

from osprofiler import notifier, profiler

conn, base_id, parent_id, service = sys.argv[1:5]
# what oslo.config's [profiler] filter_error_trace = True gives the drivers
conf = {"profiler": types.SimpleNamespace(filter_error_trace=True)}
notifier.set(notifier.create(conn, project="Zaqar", service=service, host="node-py", conf=conf))
profiler.init("interop-key", base_id=base_id, parent_id=parent_id)
ids = {}
with profiler.Trace("wsgi", info={"request": {"path": "/v2/queues/q1/messages", "query": "",
                                              "method": "POST", "scheme": "http"}}):
    ids["wsgi"] = profiler.get().get_id()
    for n in (1, 2):
        with profiler.Trace("db", info={"db": {"statement": "SELECT %d" % n, "params": {}}}):
            pass
    try:
        with profiler.Trace("rpc", info={"function": {"name": "zaqar.claim"}}):
            with profiler.Trace("function", info={"function": {"name": "inner"}}):
                pass
            raise KeyError("nope")
    except KeyError:
        pass
print(json.dumps(ids))
