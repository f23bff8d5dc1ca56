"""The header corpus: X-Trace-Info / X-Trace-HMAC variants made with OSProfiler's own APIs.

Usage: corpus.py KEY SECOND_KEY

Prints a JSON list of cases on stdout. Each case:

  {"name": ..., "transport": "http" | "direct",
   "headers": [[name, value], ...],   # in order; a name may repeat
   "sent_ids": [...]}                  # every id text the case's payload carries

Values hold only characters U+0000..U+00FF; over HTTP they are sent as those bytes (ISO-8859-1),
which is how Python's http.server reads them back. "direct" cases hold characters that HTTP/1.1
cannot carry in a header (CR, LF, NUL): they are decided in-process (osprofiler_direct.py) instead
of over a socket.

Every well-formed pair comes from osprofiler._utils.signed_pack or osprofiler.web.get_trace_id_headers;
mutations re-sign the mutated text with osprofiler._utils.generate_hmac, exactly as a client holding
the key would. Nothing here decides anything: the decisions come from WsgiMiddleware.
"""

import base64
import json
import sys

from osprofiler import _utils
from osprofiler import profiler
from osprofiler import web

BASE = "4e3e0ec6-2938-40b1-8504-09eb1d4b0dee"
PARENT = "1c089ea8-28fe-4f3d-8c00-f6daa2bc32f1"
INFO = web.X_TRACE_INFO
HMAC = web.X_TRACE_HMAC


def main():
    key, second = sys.argv[1], sys.argv[2]
    cases = []

    def text(v):
        return v if isinstance(v, str) else json.dumps(v)

    def ids_of(data):
        if isinstance(data, dict):
            return [text(data[k]) for k in ("base_id", "parent_id") if k in data]
        return []

    def add(name, headers, sent_ids=(), transport="http"):
        cases.append({"name": name, "transport": transport,
                      "headers": [[n, v] for n, v in headers],
                      "sent_ids": list(sent_ids)})

    def pack(data, k=key):
        info, mac = _utils.signed_pack(data, k)
        return info.decode("ascii"), mac

    def sign(info_text, k=key):
        return _utils.generate_hmac(info_text, k)

    def pair(info, mac):
        return [(INFO, info), (HMAC, mac)]

    def signed(name, data, k=key, transport="http"):
        info, mac = pack(data, k)
        add(name, pair(info, mac), ids_of(data), transport)

    def raw_json(name, json_text, sent_ids=(), encoding="utf-8", transport="http"):
        raw = json_text.encode(encoding) if isinstance(json_text, str) else json_text
        info = base64.urlsafe_b64encode(raw).decode("ascii")
        add(name, pair(info, sign(info)), sent_ids, transport)

    def mutated(name, info, sent_ids, transport="http"):
        add(name, pair(info, sign(info)), sent_ids, transport)

    # --- what real OSProfiler clients send -------------------------------------------------
    profiler.init(key, base_id=BASE, parent_id=PARENT)
    h = web.get_trace_id_headers()
    profiler.clean()
    add("get_trace_id_headers: base_id and parent_id",
        [(INFO, h[INFO].decode("ascii")), (HMAC, h[HMAC])], [BASE, PARENT])
    profiler.init(key, base_id=BASE)
    h = web.get_trace_id_headers()
    profiler.clean()
    add("get_trace_id_headers: a root, parent_id = base_id (a client with --profile)",
        [(INFO, h[INFO].decode("ascii")), (HMAC, h[HMAC])], [BASE])
    signed("signed_pack: base_id only", {"base_id": BASE})

    # --- parent_id ------------------------------------------------------------------------
    signed("parent_id null", {"base_id": BASE, "parent_id": None})
    signed("parent_id a number (7)", {"base_id": BASE, "parent_id": 7})
    signed("parent_id 0 (a falsy number)", {"base_id": BASE, "parent_id": 0})
    signed("parent_id a float (2.5)", {"base_id": BASE, "parent_id": 2.5})
    signed("parent_id a float in exponent form (1e16)", {"base_id": BASE, "parent_id": 1e16})
    signed("parent_id empty string", {"base_id": BASE, "parent_id": ""})
    signed("parent_id true", {"base_id": BASE, "parent_id": True})
    signed("parent_id false", {"base_id": BASE, "parent_id": False})
    signed("parent_id a list", {"base_id": BASE, "parent_id": [1, "a", None]})
    signed("parent_id an empty object", {"base_id": BASE, "parent_id": {}})
    signed("parent_id an object", {"base_id": BASE, "parent_id": {"span": PARENT, "n": 1.0}})
    raw_json("parent_id NaN", '{"base_id": "%s", "parent_id": NaN}' % BASE, [BASE, "NaN"])
    raw_json("parent_id -0 (an int zero)", '{"base_id": "%s", "parent_id": -0}' % BASE,
             [BASE, "0"])
    raw_json("parent_id a 4,300-digit integer (Python's int limit)",
             '{"base_id": "%s", "parent_id": %s}' % (BASE, "9" * 4300), [BASE, "9" * 4300])
    raw_json("parent_id a 4,301-digit integer (over Python's int limit)",
             '{"base_id": "%s", "parent_id": %s}' % (BASE, "9" * 4301), [BASE, "9" * 4301])
    raw_json("parent_id a leading-zero number (not JSON)",
             '{"base_id": "%s", "parent_id": 01}' % BASE, [BASE])

    # --- base_id --------------------------------------------------------------------------
    signed("base_id missing", {"parent_id": PARENT})
    signed("base_id null (OSProfiler starts a new trace)", {"base_id": None, "parent_id": PARENT})
    signed("base_id empty, no parent", {"base_id": ""})
    signed("base_id a number (42)", {"base_id": 42, "parent_id": PARENT})
    signed("base_id a lone surrogate escape", {"base_id": "\ud800", "parent_id": PARENT})
    signed("base_id non-ASCII, escaped by json.dumps", {"base_id": "caf\u00e9-\u2713",
                                                        "parent_id": PARENT})
    raw_json("base_id non-ASCII as raw UTF-8",
             json.dumps({"base_id": "caf\u00e9-\u2713", "parent_id": PARENT}, ensure_ascii=False),
             ["caf\u00e9-\u2713", PARENT])
    signed("base_id of 1,605 characters", {"base_id": "b" * 1605, "parent_id": PARENT})
    signed("base_id of 10,000 characters", {"base_id": "c" * 10000, "parent_id": PARENT})

    # --- other keys -----------------------------------------------------------------------
    signed("an extra key (sampled)", {"base_id": BASE, "parent_id": PARENT, "sampled": True})
    signed("hmac_key inside the signed object (overwritten with the key)",
           {"base_id": BASE, "parent_id": PARENT, "hmac_key": "not-the-key"})
    signed("hmac_key null inside the signed object", {"base_id": BASE, "hmac_key": None})
    raw_json("duplicate base_id: the last one counts",
             '{"base_id": "first", "base_id": "%s", "parent_id": "%s"}' % (BASE, PARENT),
             ["first", BASE, PARENT])
    raw_json("a key spelled with escapes (\\u0062ase_id)",
             '{"\\u0062ase_id": "%s", "parent_id": "%s"}' % (BASE, PARENT), [BASE, PARENT])

    # --- JSON shape -----------------------------------------------------------------------
    data = {"base_id": BASE, "parent_id": PARENT}
    raw_json("compact JSON", json.dumps(data, separators=(",", ":")), [BASE, PARENT])
    raw_json("indented JSON", json.dumps(data, indent=2), [BASE, PARENT])
    raw_json("JSON with surrounding whitespace", "\n  " + json.dumps(data) + " \t\n",
             [BASE, PARENT])
    raw_json("trailing text after the object", json.dumps(data) + " x", [BASE, PARENT])
    raw_json("trailing comma", '{"base_id": "%s",}' % BASE, [BASE])
    signed("a JSON list", [BASE, PARENT])
    signed("a JSON string", BASE)
    signed("a JSON number", 42)
    signed("JSON null", None)
    raw_json("not JSON at all", "not_a_json")
    raw_json("not UTF-8", b'{"base_id": "\xff\xfe", "parent_id": "p"}', [])
    raw_json("a UTF-8 byte order mark first", b"\xef\xbb\xbf" + json.dumps(data).encode(),
             [BASE, PARENT])
    raw_json("nested 50 deep in parent_id",
             '{"base_id": "%s", "parent_id": %s1%s}' % (BASE, "[" * 50, "]" * 50), [BASE])
    # Python's recursion limit stops json.loads; under wsgiref 978 nested arrays still decode.
    raw_json("nested 978 deep in parent_id",
             '{"base_id": "%s", "parent_id": %s1%s}' % (BASE, "[" * 978, "]" * 978), [BASE])
    raw_json("nested 979 deep in parent_id",
             '{"base_id": "%s", "parent_id": %s1%s}' % (BASE, "[" * 979, "]" * 979), [BASE])

    # --- base64 ---------------------------------------------------------------------------
    # Parents of one, two and three characters: one of them pads with "==", one with "=".
    packs = {pid: pack({"base_id": BASE, "parent_id": pid})[0] for pid in ("p", "pq", "pqr")}
    two = next(pid for pid, i in packs.items() if i.endswith("=="))
    one = next(pid for pid, i in packs.items() if i.endswith("=") and not i.endswith("=="))
    padded, one_pad = packs[two], packs[one]
    ids_p = [BASE, two]
    mutated("padding missing (==)", padded.rstrip("="), ids_p)
    mutated("padding missing (=)", one_pad.rstrip("="), [BASE, one])
    mutated("padding half missing (= of ==)", padded[:-1], ids_p)
    mutated("extra padding (====)", padded + "==", ids_p)
    mutated("text after the padding", padded + "QUJD", ids_p)
    mutated("a lone = inside the text", padded[:2] + "=" + padded[2:], ids_p)
    urlsafe, _ = pack({"base_id": "???>>>~~~", "parent_id": PARENT})
    assert "-" in urlsafe and "_" in urlsafe, urlsafe
    ids_u = ["???>>>~~~", PARENT]
    add("URL-safe alphabet with - and _ (signed_pack)",
        pair(urlsafe, sign(urlsafe)), ids_u)
    standard = urlsafe.replace("-", "+").replace("_", "/")
    mutated("standard alphabet (+ and /)", standard, ids_u)
    mutated("mixed alphabets", urlsafe.replace("-", "+", 1), ids_u)
    mutated("a blank inside the base64", padded[:10] + " " + padded[10:], ids_p)
    mutated("blanks inside the base64", padded[:4] + "  " + padded[4:20] + " " + padded[20:],
            ids_p)
    mutated("a tab inside the base64", padded[:10] + "\t" + padded[10:], ids_p)
    mutated("punctuation inside the base64 (! . , *)",
            padded[:3] + "!" + padded[3:9] + "." + padded[9:12] + "," + padded[12:] + "*", ids_p)
    mutated("a blank between the two = of the padding", padded[:-1] + " =", ids_p)
    mutated("a non-ASCII character inside the base64", padded[:10] + "\u00e9" + padded[10:],
            ids_p)
    mutated("a newline inside the base64", padded[:10] + "\n" + padded[10:], ids_p, "direct")
    mutated("CR LF inside the base64", padded[:10] + "\r\n" + padded[10:], ids_p, "direct")
    mutated("a NUL inside the base64", padded[:10] + "\x00" + padded[10:], ids_p, "direct")
    mutated("a trailing blank, signed with it", padded + " ", ids_p)

    # --- the MAC --------------------------------------------------------------------------
    info, mac = pack(data)
    ids = [BASE, PARENT]
    add("upper-case hex MAC", pair(info, mac.upper()), ids)
    add("mixed-case hex MAC", pair(info, mac[:20].upper() + mac[20:]), ids)
    add("truncated MAC (39 hex digits)", pair(info, mac[:-1]), ids)
    add("MAC with one more hex digit", pair(info, mac + "0"), ids)
    add("MAC with a non-ASCII character", pair(info, mac[:-1] + "\u00e9"), ids)
    add("MAC followed by a no-break space (0xA0)", pair(info, mac + "\u00a0"), ids)
    add("MAC wrapped in newlines and blanks", pair(info, "\n " + mac + " \n"), ids, "direct")
    add("MAC followed by a vertical tab and FS (Python whitespace)",
        pair(info, mac + "\x0b\x1c"), ids, "direct")
    add("wrong key", pair(info, sign(info, "wrong-key")), ids)
    signed("second configured key (rotation)", data, k=second)
    add("signed with the second key plus a trailing blank (another key)",
        pair(info, sign(info, second + " ")), ids)

    # --- header names and presence --------------------------------------------------------
    add("lower-case header names", [(INFO.lower(), info), (HMAC.lower(), mac)], ids)
    add("upper-case header names", [(INFO.upper(), info), (HMAC.upper(), mac)], ids)
    add("X-Trace-Info only", [(INFO, info)], ids)
    add("X-Trace-HMAC only", [(HMAC, mac)], ids)
    add("empty X-Trace-Info, MAC of the empty text", pair("", sign("")))
    add("empty X-Trace-HMAC", pair(info, ""), ids)
    add("both empty", pair("", ""))
    add("both headers twice, the same values", pair(info, mac) + pair(info, mac), ids)
    add("X-Trace-Info twice, the second garbage", [(INFO, info), (INFO, "garbage"), (HMAC, mac)],
        ids)
    add("X-Trace-HMAC twice", [(INFO, info), (HMAC, mac), (HMAC, mac)], ids)
    first, rest = info[:24], info[24:]
    add("X-Trace-Info split over two lines, signed over the comma-joined text",
        [(INFO, first), (INFO, rest), (HMAC, sign(first + "," + rest))], ids)

    json.dump(cases, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
