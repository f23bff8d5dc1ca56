"""OSProfiler's own WsgiMiddleware around a tiny WSGI app, on a free loopback port.

Usage: osprofiler_server.py HMAC_KEYS

Prints "port N" on stdout once it listens, then serves until stdin is closed. Every request is
answered 200 with JSON saying what OSProfiler decided, read back from osprofiler.profiler.get()
inside the traced request:

  {"traced": false}
  {"traced": true, "base_id": ..., "parent_id": ..., "hmac_key": ...,
   "outgoing": {"X-Trace-Info": ..., "X-Trace-HMAC": ...}}

base_id and parent_id are the ids as OSProfiler holds them: a string as it is, any other JSON
value as json.dumps() writes it (with its Python type beside it). parent_id is the parent of the
"wsgi" span, i.e. what the request carried (or base_id when it carried none); outgoing is what
osprofiler.web.get_trace_id_headers() gives for a call made from inside the request.
"""

import json
import sys
import threading
from wsgiref import simple_server

from osprofiler import profiler
from osprofiler import web


def _text(value):
    if isinstance(value, str):
        return value
    # OSProfiler has decided already; a deeply nested id (it accepts ~978 levels) needs more
    # recursion to be written out than the default limit leaves.
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 10000))
    try:
        return json.dumps(value)
    except Exception as e:
        return "<json.dumps failed: %s>" % type(e).__name__
    finally:
        sys.setrecursionlimit(limit)


def app(environ, start_response):
    p = profiler.get()
    if p is None:
        body = {"traced": False}
    else:
        base, parent = p.get_base_id(), p.get_parent_id()
        body = {
            "traced": True,
            "base_id": _text(base),
            "base_id_type": type(base).__name__,
            "parent_id": _text(parent),
            "parent_id_type": type(parent).__name__,
            "hmac_key": p.hmac_key,
        }
        try:  # what a call to another service would carry (osprofiler.web's own helper)
            out = web.get_trace_id_headers()
            body["outgoing"] = {k: v.decode("ascii") if isinstance(v, bytes) else v
                                for k, v in out.items()}
        except Exception as e:
            body["outgoing_error"] = type(e).__name__
    data = json.dumps(body).encode("ascii")
    start_response("200 OK", [("Content-Type", "application/json"),
                              ("Content-Length", str(len(data)))])
    return [data]


class QuietHandler(simple_server.WSGIRequestHandler):
    def log_message(self, *args):
        pass


def main():
    keys = sys.argv[1]
    wrapped = web.WsgiMiddleware(app, hmac_keys=keys, enabled=True)
    server = simple_server.make_server("127.0.0.1", 0, wrapped, handler_class=QuietHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print("port %d" % server.server_address[1], flush=True)
    sys.stdin.read()  # the test closes stdin (or exits) to stop the server
    server.shutdown()


if __name__ == "__main__":
    main()
