"""Decides corpus cases in-process with OSProfiler's WsgiMiddleware, without a socket.

Usage: osprofiler_direct.py HMAC_KEYS < cases.json

A case may carry its own "hmac_keys" (comma-separated), used instead of HMAC_KEYS.

For header values HTTP/1.1 cannot carry (CR, LF, NUL). Each case's headers are put into a WSGI
environ as Python's wsgiref server does (HTTP_X_TRACE_INFO, a repeated header comma-joined), the
request goes through WsgiMiddleware around the same app as osprofiler_server.py, and the app's
answer is printed: one JSON object per case, in order, as a JSON list.
"""

import json
import sys

import webob
from osprofiler import web

import osprofiler_server


def environ_headers(headers):
    env = {}
    for name, value in headers:
        key = "HTTP_" + name.replace("-", "_").upper()
        env[key] = env[key] + "," + value if key in env else value
    return env


def main():
    default = web.WsgiMiddleware(osprofiler_server.app, hmac_keys=sys.argv[1], enabled=True)
    out = []
    for case in json.load(sys.stdin):
        wrapped = default
        if "hmac_keys" in case:  # a case may bring its own server-side keys
            wrapped = web.WsgiMiddleware(osprofiler_server.app, hmac_keys=case["hmac_keys"],
                                         enabled=True)
        request = webob.Request.blank("/probe", environ_headers(case["headers"]))
        try:
            response = request.get_response(wrapped)
            answer = json.loads(response.body) if response.status_int == 200 else {}
            answer["status"] = response.status_int
        except Exception as e:  # what a WSGI server would answer with a 500
            answer = {"status": 500, "error": type(e).__name__}
        out.append(answer)
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
