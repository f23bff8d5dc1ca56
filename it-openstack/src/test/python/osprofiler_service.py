"""A Python service the way an OpenStack service is traced: OSProfiler's WsgiMiddleware around a
WSGI app, its Redis notifier storing the spans, and a call to the next service carrying
osprofiler.web.get_trace_id_headers().

Usage: osprofiler_service.py CONNECTION_STRING HMAC_KEY NEXT_URL

Prints "port N" once it listens; serves until stdin is closed. Each request calls NEXT_URL with the
trace headers and answers 200 with {"next_status": <its status>, "got_categories": <the
X-Weft-Trace-Categories header it was sent, which OSProfiler ignores>, "next_categories": <the
X-Leaf-Categories header of the answer>}. With ?ask=<categories>, the call also asks a Weft service
for those categories, signed as docs/configuration.md tells a Python client to sign them.
"""
import hashlib
import hmac
import json
import sys
import threading
import urllib.parse
import urllib.request
from wsgiref import simple_server

from osprofiler import notifier, web

conn, key, next_url = sys.argv[1:4]
notifier.set(notifier.create(conn, project="Zaqar", service="zaqar-py", host="node-py", conf={}))
web.enable(key)


def app(environ, start_response):
    headers = web.get_trace_id_headers()
    ask = urllib.parse.parse_qs(environ.get("QUERY_STRING", "")).get("ask")
    if ask and headers:
        info = headers["X-Trace-Info"].decode()
        categories = ask[0]
        headers["X-Weft-Trace-Categories"] = categories
        headers["X-Weft-Trace-Categories-HMAC"] = hmac.new(
            key.encode(), (categories + "\n" + info).encode(), hashlib.sha1).hexdigest()
    request = urllib.request.Request(next_url, headers=headers)
    with urllib.request.urlopen(request, timeout=20) as r:
        status = r.status
        next_categories = r.headers.get("X-Leaf-Categories")
    body = json.dumps({"next_status": status,
                       "got_categories": environ.get("HTTP_X_WEFT_TRACE_CATEGORIES"),
                       "next_categories": next_categories}).encode()
    start_response("200 OK", [("Content-Type", "application/json"),
                              ("Content-Length", str(len(body)))])
    return [body]


class Quiet(simple_server.WSGIRequestHandler):
    def log_message(self, *args):
        pass


server = simple_server.make_server("127.0.0.1", 0, web.WsgiMiddleware(app, hmac_keys=key,
                                                                      enabled=True),
                                   handler_class=Quiet)
threading.Thread(target=server.serve_forever, daemon=True).start()
print("port %d" % server.server_port, flush=True)
sys.stdin.read()
server.shutdown()
