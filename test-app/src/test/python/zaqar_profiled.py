"""A profiled python-zaqarclient session: one OSProfiler trace around a few client calls.

Usage: zaqar_profiled.py --url URL --hmac-key KEY --queue NAME

zaqarclient's HTTP transport adds OSProfiler's X-Trace-Info / X-Trace-HMAC headers to every
request once a profiler is initialised (osprofiler.profiler.init); each call runs inside its
own OSProfiler span, so the service's spans of that call must hang below that span. Prints one
JSON line: {"base_id", "calls": [{"call", "span_id", "requests": [[method, path], ...]}]}; a
call made outside any span has span_id null (its requests' parent is the trace's base).
"""

import argparse
import json
import sys
from urllib.parse import urlsplit

from osprofiler import profiler
from zaqarclient.common import http as zhttp
from zaqarclient.queues.v2 import client as zclient

REQUESTS = []
_request = zhttp.Client.request


def _recording_request(self, method, url=None, *args, **kwargs):
    # Observe only: which requests the client sent, and under which OSProfiler span.
    REQUESTS.append((method, urlsplit(url).path))
    return _request(self, method, url, *args, **kwargs)


zhttp.Client.request = _recording_request


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True)
    ap.add_argument("--hmac-key", required=True)
    ap.add_argument("--queue", required=True)
    args = ap.parse_args()

    profiler.init(args.hmac_key)
    base_id = profiler.get().get_base_id()
    c = zclient.Client(args.url, version=2, conf={
        "auth_opts": {"backend": "noauth", "options": {"os_project_id": "profiled"}}})
    q = c.queue(args.queue)
    calls = []

    def call(name, fn, traced=True):
        del REQUESTS[:]
        if traced:
            with profiler.Trace(name, info={"zaqar": name}):
                span_id = profiler.get().get_id()
                fn()
        else:
            span_id = None
            fn()
        calls.append({"call": name, "span_id": span_id,
                      "requests": [list(r) for r in REQUESTS]})

    call("post", lambda: q.post([{"body": {"profiled": 1}, "ttl": 300},
                                 {"body": {"profiled": 2}, "ttl": 300}]))
    call("list", lambda: list(q.messages(echo=True)))
    call("metadata", lambda: q.metadata(new_meta={"profiled": True}))
    call("claim", lambda: [m.delete() for m in q.claim(ttl=60, grace=60, limit=1)])
    call("stats", lambda: q.stats, traced=False)
    print(json.dumps({"base_id": base_id, "calls": calls}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
