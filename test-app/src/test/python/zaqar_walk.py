"""Walks python-zaqarclient's v2 API against a Zaqar v2 service, one JSON line per step.

Usage:
  zaqar_walk.py --url URL --prefix P --pool NAME=URI --pool NAME=URI
                --subscriber URL --signed-url-key KEY

Every step prints {"step": name, "ok": bool, "result": ...}. ok is true when the step did what
Zaqar v2 does (an error step: when the call raised zaqarclient's error for the expected status).
Results are made comparable across runs: message and claim ids are replaced by the names the
walk gave them ({m1}, {c1}, ...), ages and times by their JSON type ("<int>", "<str>").

The first --pool is where the walk's queues go (weight 100); the second starts with weight 0,
is patched, lent to a flavor and deleted. Everything goes through the real zaqarclient: its
Client, Queue, Claim, Subscription, Pool and Flavor objects, and for requests the client never
sends on its own (malformed bodies, a missing Client-ID, a name it refuses locally) its own
request and transport objects with one field changed.
"""

import argparse
import hashlib
import hmac
import json
import sys
import traceback

from zaqarclient.queues.v2 import client as zclient
from zaqarclient.queues.v2 import core
from zaqarclient.transport import errors as zerrors
from zaqarclient.common import http as zhttp

ALIASES = {}
LAST = {}
RESULTS = []


def alias(value, name):
    ALIASES[value] = "{" + name + "}"
    return value


def norm(obj, key=None):
    """Ids to their walk names, volatile numbers and times to their types."""
    if key in ("age", "created", "expires", "seconds") and obj is not None:
        return "<%s>" % type(obj).__name__
    if isinstance(obj, dict):
        return {k: norm(v, k) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [norm(v) for v in obj]
    if isinstance(obj, str):
        for value, name in sorted(ALIASES.items(), key=lambda kv: -len(kv[0])):
            obj = obj.replace(value, name)
        return obj
    return obj


# Observe (never change) what the client's HTTP session answers, to report error bodies.
_request = zhttp.Client.request


def _recording_request(self, *args, **kwargs):
    resp = _request(self, *args, **kwargs)
    LAST["status"] = resp.status_code
    LAST["text"] = resp.text
    LAST["headers"] = dict(resp.headers)
    return resp


zhttp.Client.request = _recording_request


def error_result(exc):
    body = {}
    try:
        body = json.loads(LAST.get("text") or "{}")
    except ValueError:
        body = {"text": LAST.get("text")}
    return {
        "error": type(exc).__name__,
        "status": LAST.get("status"),
        "title": body.get("title"),
        "description": body.get("description"),
    }


def step(name, fn, error=None):
    """Runs one step. error: the zaqarclient error class the step must raise."""
    try:
        result = fn()
        ok = error is None
    except zerrors.TransportError as exc:
        result = error_result(exc)
        ok = error is not None and isinstance(exc, error)
    except Exception as exc:  # a failed step is reported, the walk goes on
        result = {"exception": type(exc).__name__, "message": str(exc),
                  "trace": traceback.format_exc().splitlines()[-3:]}
        ok = False
    line = {"step": name, "ok": ok, "result": norm(result)}
    RESULTS.append(line)
    print(json.dumps(line, sort_keys=True), flush=True)
    return result


def message_id(m):
    # zaqarclient's v2 Message has `id`; the v1 Message a claim's get builds has `_id`.
    return m.id if hasattr(m, "id") else m._id


def messages_of(iterable):
    return [{"id": message_id(m), "body": m.body, "ttl": m.ttl, "href": m.href,
             "claim_id": m.claim_id} for m in iterable]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True)
    ap.add_argument("--prefix", default="walk")
    ap.add_argument("--project", default="walk-project")
    ap.add_argument("--pool", action="append", required=True)
    ap.add_argument("--subscriber", required=True)
    ap.add_argument("--signed-url-key")
    args = ap.parse_args()
    (main_pool, main_uri), (spare_pool, spare_uri) = [
        p.split("=", 1) for p in args.pool[:2]]
    p = args.prefix

    def new_client(uuid):
        return zclient.Client(args.url, version=2, conf={
            "auth_opts": {"backend": "noauth",
                          "options": {"os_project_id": args.project}},
            "client_uuid": uuid})

    # Two clients, as two processes would be: A posts, B consumes.
    a = new_client("2b1e5a1c-6f0e-4d6b-9d61-0c9d1a5e7a01")
    b = new_client("2b1e5a1c-6f0e-4d6b-9d61-0c9d1a5e7a02")

    # ---- the service
    step("homedoc", lambda: a.homedoc())
    step("ping", lambda: a.ping())

    # ---- pools and flavors (admin API)
    step("pool-create-main", lambda: (a.pool(main_pool, weight=100, uri=main_uri),
                                      "created")[1])
    step("pool-create-spare", lambda: (a.pool(spare_pool, weight=0, uri=spare_uri,
                                              options={"note": "spare"}), "created")[1])
    spare = a.pool(spare_pool, auto_create=False)
    step("health", lambda: health(a, main_pool, spare_pool))
    step("pool-get", lambda: without(spare.get(), "uri"))
    step("pool-update", lambda: (spare.update({"weight": 5}),
                                 without(spare.get(), "uri"))[1])
    step("pool-list", lambda: sorted((x.name, x.weight) for x in a.pools()
                                     if x.name in (main_pool, spare_pool)))
    step("pool-list-detailed", lambda: sorted(
        (x.name, x.options) for x in a.pools(detailed=True)
        if x.name in (main_pool, spare_pool)))
    flavor = p + "-gold"
    step("flavor-create", lambda: (a.flavor(flavor, pool_list=[spare_pool]), "created")[1])
    step("flavor-get", lambda: a.flavor(flavor, auto_create=False).get())
    step("flavor-pool-assigned", lambda: spare.get()["flavor"])
    step("flavor-update", lambda: (a.flavor(flavor, auto_create=False).update(
        {"pool_list": [spare_pool]}), a.flavor(flavor, auto_create=False).get())[1])
    step("flavor-list", lambda: [(x.name, x.pool_list) for x in a.flavors()
                                 if x.name == flavor])
    step("flavor-delete", lambda: (a.flavor(flavor, auto_create=False).delete(),
                                   spare.get()["flavor"])[1])
    step("flavor-get-deleted", lambda: a.flavor(flavor, auto_create=False).get(),
         error=zerrors.ResourceNotFound)

    # ---- queues
    qname = p + "-orders"
    q = a.queue(qname)  # zaqarclient v2 never PUTs: the first post creates the queue
    # A queue that was never created answers with the default metadata (Zaqar's pooling).
    step("queue-get-before-first-post", lambda: a.queue(qname).metadata(force_reload=True))
    ids = []
    step("message-post-creates-queue", lambda: post_and_alias(q, [
        {"body": {"event": "order-created", "n": 1}, "ttl": 600},
        {"body": {"event": "order-paid", "n": 2}, "ttl": 900}], ids))
    step("queue-listed-after-post", lambda: [x.name for x in a.queues()[0]
                                             if x.name == qname])
    step("queue-metadata-defaults", lambda: q.metadata(force_reload=True))
    step("queue-metadata-patch", lambda: a.queue(qname).metadata(
        new_meta={"team": "billing", "_default_message_ttl": 1200}))
    step("queue-metadata-after-patch", lambda: a.queue(qname).metadata(force_reload=True))
    step("queue-metadata-patch-remove", lambda: a.queue(qname).metadata(
        new_meta={"_default_message_ttl": 1200}))
    step("queue-metadata-patch-raw-ops", lambda: core.queue_update(
        *tr(a), qname,
        metadata=[{"op": "add", "path": "/metadata/tier", "value": 2},
                  {"op": "replace", "path": "/metadata/tier", "value": 3}]))
    step("queue-metadata-replace-missing", lambda: core.queue_update(
        *tr(a), qname,
        metadata=[{"op": "replace", "path": "/metadata/nothing", "value": 1}]),
        error=zerrors.ConflictError)
    step("queue-stats", lambda: q.stats)
    step("error-patch-unknown-op", lambda: core.queue_update(
        *tr(a), qname, metadata=[{"op": "move", "path": "/metadata/team"}]),
        error=zerrors.MalformedRequest)
    step("error-patch-path-root", lambda: core.queue_update(
        *tr(a), qname, metadata=[{"op": "add", "path": "/meta/team", "value": 1}]),
        error=zerrors.MalformedRequest)
    put_q = p + "-put"
    step("queue-create-put", lambda: (core.queue_create(*tr(a), put_q,
                                                        metadata={"owner": "ops"}),
                                      a.queue(put_q).metadata(force_reload=True))[1])
    step("queue-create-put-again", lambda: (core.queue_create(*tr(a), put_q,
                                                              metadata={"owner": "x"}),
                                            a.queue(put_q).metadata(force_reload=True))[1])
    step("queue-list-paged", lambda: queues_paged(a, p))
    step("queue-list-detailed-with-count", lambda: queues_detailed(a, qname))

    # ---- messages
    step("message-list-own-without-echo", lambda: messages_of(q.messages()))
    step("message-list-own-with-echo", lambda: messages_of(q.messages(echo=True)))
    qb = b.queue(qname)
    step("message-list-other-client", lambda: messages_of(qb.messages()))
    step("message-get", lambda: msg(qb.message(ids[1])))
    step("message-get-many", lambda: messages_of(qb.messages(ids[0], ids[1])))
    step("message-list-limit", lambda: messages_of(qb.messages(limit=1)))

    # ---- claims
    claim1 = step("claim-create", lambda: claim_view(qb.claim(ttl=300, grace=60, limit=1)))
    c1 = qb.claim(id=ALIASES_REV("c1"))
    step("claim-get", lambda: claim_get(c1))
    step("message-list-hides-claimed", lambda: messages_of(qb.messages()))
    step("message-list-include-claimed", lambda: messages_of(qb.messages(include_claimed=True)))
    step("claim-create-second", lambda: claim_view(qb.claim(ttl=120, grace=60, limit=5),
                                                   name="c2"))
    step("claim-create-none-left", lambda: claim_view(qb.claim(ttl=120, grace=60),
                                                      name="c3"))
    step("queue-stats-claimed", lambda: q.stats)
    # A claim that outlives the message (ttl 600) by more than a second, so that the message's
    # life is extended to the claim's end plus grace (780 s) whatever second the post fell in:
    # Zaqar compares whole seconds.
    step("claim-update", lambda: (c1.update(ttl=660, grace=120), claim_get(c1))[1])
    step("message-delete-claimed-without-claim", lambda: core.message_delete(
        *tr(b), qname, ids[0]),
        error=zerrors.ForbiddenError)
    step("message-delete-with-claim", lambda: delete_claimed(qb, c1))
    step("message-get-deleted", lambda: qb.message(ids[0]), error=zerrors.ResourceNotFound)
    c2 = qb.claim(id=ALIASES_REV("c2"))
    step("claim-release", lambda: (c2.delete(), messages_of(qb.messages()))[1])
    step("claim-get-released", lambda: claim_get(c2), error=zerrors.ResourceNotFound)
    step("claim-update-released", lambda: c2.update(ttl=120),
         error=zerrors.ResourceNotFound)
    step("message-delete-with-released-claim", lambda: core.message_delete(
        *tr(b), qname, ids[1], claim_id=ALIASES_REV("c2")), error=zerrors.MalformedRequest)

    # ---- bulk delete and pop
    more_ids = []
    step("message-post-more", lambda: post_and_alias(q, [
        {"body": "three", "ttl": 300}, {"body": "four", "ttl": 300},
        {"body": "five", "ttl": 300}], more_ids, first=3))
    step("message-delete-many", lambda: (q.delete_messages(more_ids[0], ids[1]),
                                         messages_of(q.messages(echo=True)))[1])
    step("error-pop-too-many", lambda: q.pop(50), error=zerrors.MalformedRequest)
    step("message-pop", lambda: [{"id": message_id(m), "body": m.body, "ttl": m.ttl,
                                  "claim_id": m.claim_id if m.href else None}
                                 for m in q.pop(1)])
    step("message-list-after-pop", lambda: messages_of(q.messages(echo=True)))

    # ---- subscriptions
    sub_ids = []
    step("subscription-create", lambda: subscription_view(aliased(b.subscription(
        qname, subscriber=args.subscriber, ttl=3600, options={"note": "walk"}), sub_ids, "s1")))
    sub_id = sub_ids[0] if sub_ids else None
    step("subscription-get", lambda: subscription_view(
        b.subscription(qname, id=sub_id, auto_create=True)))
    step("subscription-update", lambda: (
        b.subscription(qname, id=sub_id, auto_create=False).update({"ttl": 7200}),
        subscription_view(b.subscription(qname, id=sub_id)))[1])
    step("subscription-list", lambda: [subscription_view(s) for s in b.subscriptions(qname)])
    # Zaqar answers a subscription that exists and is not confirmed with its id (and sends the
    # confirmation again); a confirmed one would be a 409.
    step("message-post-notifies", lambda: post_and_alias(q, [
        {"body": {"event": "order-shipped", "n": 6}, "ttl": 300}], [], first=6))
    step("subscription-create-again-unconfirmed", lambda: subscription_view(b.subscription(
        qname, subscriber=args.subscriber, ttl=3600)))

    # ---- share (pre-signed URLs), then a client that has only the signature
    signed = {}
    step("queue-share", lambda: share(q, args, signed))
    step("error-share-path", lambda: q.signed_url(paths=["queues"]),
         error=zerrors.MalformedRequest)
    step("signed-url-list-messages", lambda: messages_of(
        signed_client(args, signed).queue(qname).messages(echo=True)))
    step("signed-url-other-path", lambda: list(signed_client(args, signed).subscriptions(qname)),
         error=zerrors.ResourceNotFound)

    # ---- purge and delete
    step("error-purge-type", lambda: q.purge(resource_types=["claims"]),
         error=zerrors.MalformedRequest)
    step("queue-purge-messages", lambda: (q.purge(resource_types=["messages"]),
                                          messages_of(q.messages(echo=True)),
                                          len(list(b.subscriptions(qname))))[1:])
    step("subscription-delete", lambda: (
        b.subscription(qname, id=sub_id, auto_create=False).delete(),
        [s.id for s in b.subscriptions(qname)])[1])
    step("subscription-get-deleted", lambda: b.subscription(qname, id=sub_id),
         error=zerrors.ResourceNotFound)
    step("queue-purge-all", lambda: (q.post({"body": "six"}), q.purge(),
                                     messages_of(q.messages(echo=True)))[2])
    step("queue-delete", lambda: (q.delete(), [x.name for x in a.queues()[0]
                                               if x.name == qname])[1])
    step("pool-delete", lambda: (spare.delete(), sorted(
        x.name for x in a.pools() if x.name in (main_pool, spare_pool)))[1])

    # ---- refused requests
    bad = p + "-bad"
    step("error-malformed-json", lambda: raw_send(
        a, "message_post", {"queue_name": bad}, content='{"messages": ['),
        error=zerrors.MalformedRequest)
    step("error-message-too-large", lambda: a.queue(bad).post(
        {"body": "x" * 262144, "ttl": 300}), error=zerrors.MalformedRequest)
    step("error-message-ttl", lambda: a.queue(bad).post({"body": 1, "ttl": 5}),
         error=zerrors.MalformedRequest)
    step("error-no-messages", lambda: raw_send(
        a, "message_post", {"queue_name": bad}, content='{"bodies": []}'),
        error=zerrors.MalformedRequest)
    step("error-claim-without-ttl", lambda: a.queue(bad).claim(limit=1),
         error=zerrors.MalformedRequest)
    step("error-claim-ttl", lambda: a.queue(bad).claim(ttl=5, grace=60),
         error=zerrors.MalformedRequest)
    step("error-claim-limit", lambda: a.queue(bad).claim(ttl=60, grace=60, limit=100),
         error=zerrors.MalformedRequest)
    step("error-queue-name", lambda: raw_send(
        a, "message_list", {"queue_name": "bad$name"}), error=zerrors.MalformedRequest)
    step("error-missing-client-id", lambda: raw_send(
        a, "message_list", {"queue_name": bad}, drop_header="Client-ID"),
        error=zerrors.MalformedRequest)
    step("error-subscriber-scheme", lambda: subscription_view(b.subscription(
        bad, subscriber="ftp://example.org/x", ttl=3600)), error=zerrors.MalformedRequest)
    step("error-unknown-queue-patch", lambda: core.queue_update(
        *tr(a), p + "-ghost",
        metadata=[{"op": "add", "path": "/metadata/x", "value": 1}]),
        error=zerrors.ResourceNotFound)
    step("error-unknown-queue-message", lambda: a.queue(p + "-ghost").message(ids[0]),
         error=zerrors.ResourceNotFound)
    step("error-unknown-claim", lambda: claim_get(
        a.queue(bad).claim(id="0123456789abcdef01234567")), error=zerrors.ResourceNotFound)
    step("error-unknown-pool", lambda: a.pool(p + "-nopool", auto_create=False).get(),
         error=zerrors.ResourceNotFound)
    ghost = p + "-ghost"
    step("unknown-queue-delete", lambda: a.queue(ghost).delete())
    step("unknown-queue-message-delete", lambda: core.message_delete(*tr(a), ghost, ids[0]))
    step("unknown-queue-claim-is-empty", lambda: claim_view(
        a.queue(ghost).claim(ttl=60, grace=60), name="c-ghost"))
    step("unknown-queue-subscriptions", lambda: [s.id for s in a.subscriptions(ghost)])
    lazy = p + "-lazy"
    step("subscription-create-creates-queue", lambda: (b.subscription(
        lazy, subscriber=args.subscriber, ttl=600), [x.name for x in a.queues(limit=20)[0]
                                                     if x.name == lazy])[1])
    step("unknown-queue-list-is-empty", lambda: messages_of(a.queue(p + "-ghost").messages()))
    step("unknown-queue-stats-are-zero", lambda: a.queue(p + "-ghost").stats)

    passed = sum(1 for r in RESULTS if r["ok"])
    print(json.dumps({"summary": {"steps": len(RESULTS), "passed": passed}}), flush=True)
    return 0


# ---- helpers


def tr(c):
    """(transport, request), the order zaqarclient's core functions take."""
    req, trans = c._request_and_transport()
    return trans, req


def ALIASES_REV(name):
    for value, n in ALIASES.items():
        if n == "{" + name + "}":
            return value
    return None


def without(d, *keys):
    return {k: v for k, v in d.items() if k not in keys}


def msg(m):
    return {"id": message_id(m), "body": m.body, "ttl": m.ttl, "href": m.href}


def aliased(subscription, ids, name):
    ids.append(alias(subscription.id, name))
    return subscription


def health(c, main_pool, spare_pool):
    h = c.health()
    pools = {}
    for name in (main_pool, spare_pool):
        p = h.get(name, {})
        ops = p.get("operation_status", {})
        pools[name] = {"storage_reachable": p.get("storage_reachable"),
                       "operations": sorted(ops),
                       "all_succeeded": all(o.get("succeeded") for o in ops.values())}
    return {"catalog_reachable": h.get("catalog_reachable"), "pools": pools}


def queues_detailed(c, qname):
    it, count = c.queues(detailed=True, with_count=True)
    mine = [(x.name, x._metadata) for x in it if x.name == qname]
    return {"queues": mine, "count_is_int": isinstance(count, int) and count >= 1}


def post_and_alias(q, messages, ids, first=1):
    posted = q.post(messages)
    for i, href in enumerate(posted["resources"]):
        ids.append(alias(href.rsplit("/", 1)[1], "m%d" % (first + i)))
    return posted


def queues_paged(c, prefix):
    it, _ = c.queues(limit=1)
    names = [x.name for x in it]
    return {"page": len(names), "links": [l["rel"] for l in it._links]}


def signed_client(args, signed):
    return zclient.Client(args.url, version=2, conf={
        "auth_opts": {"backend": "signed-url",
                      "options": {"signature": signed["signature"],
                                  "expires": signed["expires"],
                                  "methods": signed["methods"],
                                  "paths": signed["paths"],
                                  "os_project_id": signed["project"]}},
        "client_uuid": "2b1e5a1c-6f0e-4d6b-9d61-0c9d1a5e7a03"})


def claim_view(claim, name="c1"):
    if claim.id is not None:
        alias(claim.id, name)
    return {"id": claim.id, "messages": messages_of(claim)}


def claim_get(claim):
    claim._get()
    return {"ttl": claim._ttl, "grace": claim._grace, "age": claim._age,
            "messages": messages_of(claim._message_iter)}


def delete_claimed(qb, claim):
    claim._get()
    msgs = list(claim._message_iter)
    for m in msgs:
        m.delete()
    return [message_id(m) for m in msgs]


def subscription_view(s):
    return {"id": s.id, "queue": s.queue_name, "subscriber": s.subscriber, "ttl": s.ttl,
            "options": s.options, "confirmed": s.confirmed, "age": s.age}


def share(q, args, out):
    signed = q.signed_url(paths=["messages", "claims"], methods=["GET", "POST"])
    out.update(signed)
    view = dict(signed)
    sig = view.pop("signature")
    view["signature_valid"] = sig == zaqar_signature(
        args.signed_url_key, signed["paths"], signed["methods"], signed["project"],
        signed["expires"])
    view["signature_length"] = len(sig)
    view["expires"] = "<str>"
    return view


def zaqar_signature(key, paths, methods, project, expires):
    """Zaqar's create_signed_url HMAC (zaqar/common/urls.py): sha256 over paths, methods,
    project and expiry joined by the two characters backslash and n."""
    body = (r'%(paths)s\n%(methods)s\n%(project)s\n%(expires)s' % {
        'paths': ','.join(sorted(paths)), 'methods': ','.join(sorted(methods)),
        'project': project, 'expires': expires}).encode('utf-8')
    return hmac.new(key.encode('utf-8'), body, hashlib.sha256).hexdigest()


def raw_send(c, operation, params, content=None, drop_header=None):
    """A request zaqarclient builds, with one field changed, sent by its transport."""
    req, trans = c._request_and_transport()
    req.operation = operation
    req.params.update(params)
    if content is not None:
        req.content = content
    if drop_header:
        req.headers.pop(drop_header, None)
    return trans.send(req).deserialized_content


if __name__ == "__main__":
    sys.exit(main())
