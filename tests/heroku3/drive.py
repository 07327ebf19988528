#!/usr/bin/env python3
"""Drive the heroku3 Python client (PyPI heroku3==5.2.1) against a Heroku Platform API server.

Usage:
    python3 drive_heroku3.py http://127.0.0.1:5000 [--api-key KEY] [--wrong-key-refused]

Needs: pip install heroku3==5.2.1 six   (heroku3 5.2.1 imports `six` but does not declare it).

Meant for `runbook sim serve`, whose seeded apps are lazona-connector-staging and
lazona-connector-production (web x2 + worker x1, releases v38..v42, config vars, add-ons
papertrail/sentry/scout). Prints one line per check, `PASS name` or `FAIL name: reason`, then
`N passed, N failed`; exits 1 on any failure.

Pointing heroku3 at another server: heroku3 5.2.1 has no public option for the base URL.
`heroku3.from_key(key)` builds `Heroku(session)` (which copies the module global
`heroku3.api.HEROKU_URL` into `self._heroku_url`) and at once calls GET /account/rate-limits, so
overriding `_heroku_url` after `from_key` is too late for that first call. The two workable ways:
  1. set `heroku3.api.HEROKU_URL = url` before `heroku3.from_key(key)` (used here), or
  2. `h = heroku3.api.Heroku(session=requests.Session()); h._heroku_url = url; h.authenticate(key)`.

The checks mutate lazona-connector-staging (scale, config vars, maintenance, domain, add-on,
collaborator, log drain, buildpacks, ACM, a build, a rollback, a release, a rename) and put back
what they change where heroku3 can; production is only read. Calls heroku3 makes that the
official schema does not have (POST/DELETE /account/keys, PUT /account/password,
PUT /account/app-transfers, POST /apps/{app}/features/{f}, POST /account/features/{f}) and the
OAuth helpers that crash inside heroku3 itself are left out.
"""

import argparse
import contextlib
import datetime
import io
import os
import re
import sys
import tarfile
import tempfile
import threading
import uuid

import requests
from requests.adapters import HTTPAdapter
from requests.exceptions import HTTPError

import heroku3
import heroku3.api
import heroku3.models.app
import heroku3.rendezvous
from heroku3.models.configvars import ConfigVars
from heroku3.models.dyno import Dyno
from heroku3.models.formation import Formation
from heroku3.models.release import Release
from heroku3.structures import KeyedListResource

STAGING = "lazona-connector-staging"
PRODUCTION = "lazona-connector-production"
APPS = (STAGING, PRODUCTION)
SEEDED_PLANS = {"papertrail:choklad", "sentry:f1", "scout:chair"}
SEEDED_SERVICES = {"papertrail", "sentry", "scout"}
CHECK_DEADLINE = 90.0  # seconds one check may take before it is failed as hung
HTTP_TIMEOUT = 30.0  # heroku3 sets no timeout of its own
LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\dT\S+ [\w.-]+\[[^\]]+\]: ")
PROBE = "heroku3-probe-" + uuid.uuid4().hex[:6]

passed = 0
failed = 0
ctx = {}


class TimeoutAdapter(HTTPAdapter):
    """heroku3 calls session.request without a timeout; give every call one."""

    def send(self, request, **kwargs):
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = HTTP_TIMEOUT
        return super().send(request, **kwargs)


def reason_of(error):
    if isinstance(error, HTTPError) and getattr(error, "response", None) is not None:
        r = error.response
        body = r.content[:200].decode("utf-8", "replace") if r.content else ""
        text = "HTTP %s %s %s: %s" % (r.status_code, r.request.method if r.request else "?",
                                      r.url, body)
    else:
        text = "%s: %s" % (type(error).__name__, error)
    return " ".join(text.split())[:400]


def check(name, fn):
    """Run one check (in a thread, with a deadline); print PASS/FAIL; return fn's result or None.

    heroku3 prints warnings of its own (chunked responses, non-list answers): they are captured so
    the output stays one line per check.
    """
    global passed, failed
    box = {}

    def body():
        try:
            box["value"] = fn()
        except BaseException as error:  # noqa: BLE001 - any failure is the check's failure
            box["error"] = error

    captured = io.StringIO()
    with contextlib.redirect_stdout(captured):
        worker = threading.Thread(target=body, daemon=True)
        worker.start()
        worker.join(CHECK_DEADLINE)
    if worker.is_alive():
        failed += 1
        print("FAIL %s: no answer within %.0f s" % (name, CHECK_DEADLINE), flush=True)
        return None
    if "error" in box:
        failed += 1
        print("FAIL %s: %s" % (name, reason_of(box["error"])), flush=True)
        return None
    passed += 1
    print("PASS %s" % name, flush=True)
    return box.get("value", True)


def expect(condition, message):
    if not condition:
        raise AssertionError(message)


def expect_http_error(fn, status):
    try:
        fn()
    except HTTPError as error:
        got = error.response.status_code if error.response is not None else None
        expect(got == status, "expected HTTP %s, got %s (%s)" % (status, got, error))
        return error
    raise AssertionError("expected HTTP %s, the call succeeded" % status)


def is_datetime(value):
    return isinstance(value, datetime.datetime)


def app_of(name):
    return ctx["h"].app(name)


def staging():
    return app_of(STAGING)


def find_dyno(dynos, name):
    # heroku3's DynoListResource keys dynos by id only: dynos["web.1"] raises KeyError.
    for dyno in dynos:
        if dyno.name == name:
            return dyno
    raise AssertionError("no dyno %s among %s" % (name, [d.name for d in dynos]))


# --------------------------------------------------------------------------- connection, account

def c_from_key(url, key):
    heroku3.api.HEROKU_URL = url
    session = requests.Session()
    session.mount("http://", TimeoutAdapter())
    session.mount("https://", TimeoutAdapter())
    h = heroku3.from_key(key, session=session)
    expect(h._heroku_url == url, "base URL not taken: %s" % h._heroku_url)
    # authenticate() calls GET /account/rate-limits with HTTP Basic ("", key); a non-2xx
    # answer only leaves _api_key_verified False.
    expect(h.is_authenticated is True, "GET /account/rate-limits with Basic auth was not 2xx")
    ctx["h"] = h
    return h


def c_wrong_key(url):
    h = heroku3.api.Heroku(session=requests.Session())
    h._heroku_url = url
    expect(h.authenticate("heroku3-wrong-key-" + uuid.uuid4().hex) is False,
           "a wrong key was accepted")


def c_rate_limit():
    h = ctx["h"]
    limit = h.rate_limit
    expect(limit.remaining is not None, "rate-limit body has no `remaining`")
    expect(int(limit.remaining) >= 0, "remaining %r" % limit.remaining)
    remaining = h.ratelimit_remaining()  # from the RateLimit-Remaining response header
    expect(isinstance(remaining, int) and remaining >= 0, "RateLimit-Remaining %r" % remaining)
    expect(h.last_request_id, "no Request-Id response header")


def c_account():
    account = ctx["h"].account()
    expect(account.email and "@" in account.email, "email %r" % account.email)
    expect(account.id, "no id")
    expect(account.created_at is None or is_datetime(account.created_at), "created_at")
    expect(isinstance(account.verified, bool) or account.verified is None, "verified")


def c_account_features():
    h = ctx["h"]
    features = h.features()
    expect(isinstance(features, KeyedListResource), "not a list")
    for feature in features:
        expect(feature.name and feature.id, "feature without name/id")
        expect(isinstance(feature.enabled, bool), "%s.enabled %r" % (feature.name, feature.enabled))
    if len(features):
        first = features[0]
        # PATCH /account/features/{name} {"enabled": true|0}: set it to what it already is.
        account = h.account()
        same = (account.enable_feature(first.name) if first.enabled
                else account.disable_feature(first.name))
        expect(same.name == first.name and same.enabled == first.enabled, "update answered %r/%r"
               % (same.name, same.enabled))


def c_keys():
    keys = ctx["h"].keys()
    expect(isinstance(keys, KeyedListResource), "not a list")
    for key in keys:
        expect(key.id and key.fingerprint, "key without id/fingerprint")
    same = ctx["h"].account().keys()
    expect(len(same) == len(keys), "account.keys() and h.keys() differ")


def c_invoices():
    invoices = ctx["h"].invoices()
    expect(isinstance(invoices, KeyedListResource), "not a list")
    for invoice in invoices:
        expect(isinstance(invoice.number, int), "invoice number %r" % invoice.number)


def c_addon_services():
    h = ctx["h"]
    services = h.addon_services()
    names = {s.name for s in services}
    expect(SEEDED_SERVICES <= names, "services %s lack %s" % (sorted(names), SEEDED_SERVICES))
    sentry = h.addon_services("sentry")
    expect(sentry.name == "sentry" and sentry.id, "GET /addon-services/sentry -> %r" % sentry.name)


# --------------------------------------------------------------------------- apps

def c_apps_list():
    apps = ctx["h"].apps()  # Range: id ..; ; follows 206 + Next-Range until a 200
    names = [a.name for a in apps]
    ids = [a.id for a in apps]
    expect(set(APPS) <= set(names), "apps %s lack the seeded two" % names)
    expect(len(ids) == len(set(ids)), "an app came twice (paging repeated a page): %s" % names)
    expect(apps[STAGING].name == STAGING, "apps()[name] lookup")
    expect(ids == sorted(ids), "default order is not by id ascending")


def c_apps_limit():
    apps = ctx["h"].apps(limit=1)  # Range: id ..; max=1;
    expect(len(apps) == 1, "Range max=1 gave %d apps" % len(apps))


def c_apps_order():
    h = ctx["h"]
    ascending = [a.name for a in h.apps(order_by="name")]  # Range: name ..; ;
    expect(ascending == sorted(ascending), "order_by=name: %s" % ascending)
    descending = [a.name for a in h.apps(order_by="name", sort="desc")]  # name ..; order=desc;
    expect(descending == sorted(descending, reverse=True), "order=desc: %s" % descending)


def c_app_info(name):
    app = app_of(name)
    expect(app.name == name, "name %r" % app.name)
    expect(re.match(r"^[0-9a-f-]{36}$", app.id or ""), "id %r is not a uuid" % app.id)
    expect(app.stack is not None and app.stack.name, "stack object with a name")
    expect(app.region is not None and app.region.name, "region object with a name")
    expect(app.owner is not None and "@" in (app.owner.email or ""), "owner.email")
    expect(is_datetime(app.created_at) and is_datetime(app.updated_at), "created/updated_at")
    expect(app.maintenance is False, "maintenance %r" % app.maintenance)
    expect(app.web_url and app.git_url, "web_url/git_url")
    by_id = ctx["h"].app(app.id)
    expect(by_id.name == name, "GET /apps/{id} -> %r" % by_id.name)
    expect(app.info.id == app.id, "app.info")


def c_app_not_found():
    expect_http_error(lambda: ctx["h"].app("heroku3-no-such-app"), 404)


def c_maintenance():
    app = staging()
    on = app.enable_maintenance_mode()  # PATCH /apps/{id} {"maintenance": true}
    expect(on.maintenance is True, "after enable: %r" % on.maintenance)
    off = app.disable_maintenance_mode()  # PATCH /apps/{id} {"maintenance": 0}  (an integer!)
    expect(off.maintenance is False, "after disable: %r" % off.maintenance)
    expect(staging().maintenance is False, "GET after disable")


def c_create_delete_app():
    h = ctx["h"]
    # heroku3's default stack is "cedar"; a stack the schema's examples know is sent instead.
    app = h.create_app(name=PROBE, stack_id_or_name="heroku-24", region_id_or_name="eu")
    expect(app.name == PROBE and app.id, "created %r" % app.name)
    expect(h.app(PROBE).id == app.id, "GET the new app")
    expect(app.delete() is True, "DELETE /apps/{id}")
    expect_http_error(lambda: h.app(PROBE), 404)


def c_rename():
    app = staging()
    renamed = app.rename("lazona-connector-stg-h3")  # PATCH /apps/{id} {"name": ...}
    try:
        expect(renamed.name == "lazona-connector-stg-h3", "renamed to %r" % renamed.name)
        expect(renamed.id == app.id, "rename changed the id")
        expect(ctx["h"].app("lazona-connector-stg-h3").id == app.id, "GET by the new name")
    finally:
        back = ctx["h"].app(app.id).rename(STAGING)
    expect(back.name == STAGING, "renamed back to %r" % back.name)


# --------------------------------------------------------------------------- config vars

def c_config_read(name):
    config = app_of(name).config()
    expect(isinstance(config, ConfigVars), "not ConfigVars")
    data = config.to_dict()
    for key in ("DATABASE_URL", "SECRET_KEY", "SENTRY_DSN", "SCOUT_NAME"):
        expect(key in config, "no %s in %s" % (key, sorted(data)))
    expect(config["SCOUT_NAME"] == name, "SCOUT_NAME %r" % config["SCOUT_NAME"])
    expect(all(isinstance(v, str) for v in data.values()), "a value is not a string")


def c_config_write():
    h = ctx["h"]
    app = staging()
    config = app.config()
    config["HEROKU3_PROBE"] = "one"  # PATCH /apps/{name}/config-vars {"HEROKU3_PROBE": "one"}
    expect(config["HEROKU3_PROBE"] == "one" and "DATABASE_URL" in config,
           "PATCH must answer the whole set")
    config.update({"HEROKU3_PROBE": "two", "HEROKU3_PROBE_B": "b"})
    expect(app.config()["HEROKU3_PROBE"] == "two", "GET after update")
    whole = app.update_config({"HEROKU3_PROBE_B": "c"})  # PATCH /apps/{id}/config-vars
    expect(whole["HEROKU3_PROBE_B"] == "c" and "SECRET_KEY" in whole, "update_config answer")
    whole = h.update_appconfig(STAGING, {"HEROKU3_PROBE_B": None})
    expect("HEROKU3_PROBE_B" not in whole, "null did not remove the var")
    del config["HEROKU3_PROBE"]  # heroku3 asserts the key is gone from the answer
    expect("HEROKU3_PROBE" not in app.config(), "GET after delete")


def c_config_invalid():
    error = expect_http_error(lambda: staging().update_config({"not a name": "x"}), 422)
    expect('"id"' in str(error) or "id" in error.response.text, "422 body is not Heroku's error")


# --------------------------------------------------------------------------- formation, dynos

def c_formation_read(name):
    formation = app_of(name).process_formation()
    types = {f.type: f for f in formation}
    expect({"web", "worker"} <= set(types), "types %s" % sorted(types))
    for f in formation:
        expect(isinstance(f.quantity, int) and f.command and f.size and f.id, "formation %s"
               % f.type)
    expect(formation["web"].type == "web", "formation['web'] lookup by type")


def c_scale():
    app = staging()
    before = app.process_formation()["worker"].quantity
    up = app.scale_formation_process("worker", before + 1)  # PATCH /apps/{id}/formation/worker
    expect(isinstance(up, Formation) and up.quantity == before + 1, "scaled to %r" % up.quantity)
    back = app.process_formation()["worker"].scale(before)  # Formation.update -> same PATCH
    expect(back.quantity == before, "scaled back to %r" % back.quantity)


def c_batch_scale():
    app = staging()
    q = app.process_formation()["worker"].quantity
    result = app.batch_scale_formation_processes({"worker": q})  # PATCH /apps/{id}/formation
    expect(any(f.type == "worker" and f.quantity == q for f in result), "batch answer")


def c_resize():
    app = staging()
    worker = app.process_formation()["worker"]
    before = worker.size
    bigger = "standard-2X" if before.lower() != "standard-2x" else "standard-1X"
    # PATCH /apps/{id}/formation/worker {"size": ...}; heroku3 feeds the single object to
    # _process_items, which prints a warning and handles it as one item.
    resized = app.resize_formation_process("worker", bigger)
    expect(getattr(resized, "size", None) == bigger, "resized to %r" % getattr(resized, "size", None))
    batch = app.batch_resize_formation_processes({"worker": before})
    expect(any(f.type == "worker" and f.size == before for f in batch), "batch resize back")


def c_dynos_read(name):
    dynos = app_of(name).dynos()
    names = sorted(d.name for d in dynos)
    expect({"web.1", "web.2", "worker.1"} <= set(names), "dynos %s" % names)
    web = dynos["web"]  # DynoListResource filters by process type
    expect(len(web) >= 2 and all(d.type == "web" for d in web), "dynos['web']")
    for d in dynos:
        expect(isinstance(d, Dyno) and d.id and d.state and d.command and d.size, d.name)
        expect(d.release is not None and isinstance(d.release.version, int), "%s.release" % d.name)
        expect(is_datetime(d.created_at), "%s.created_at" % d.name)


def c_dyno_restart():
    app = staging()
    web1 = find_dyno(app.dynos(), "web.1")
    expect(web1.restart() is True, "DELETE /apps/{id}/dynos/web.1")
    expect(app.kill_dyno("worker.1") is True, "app.kill_dyno")
    after = find_dyno(app.dynos(), "web.1")
    expect(after.state in ("starting", "restarting", "up"), "web.1 state %r" % after.state)


def c_app_restart():
    app = staging()
    count = len([d for d in app.dynos() if d.type != "run"])
    expect(app.restart() is app, "app.restart() returns the app")
    expect(len([d for d in app.dynos() if d.type != "run"]) == count, "formation dynos came back")


def c_run_detached():
    dyno = staging().run_command_detached("echo heroku3-detached")  # POST /apps/{name}/dynos
    expect(isinstance(dyno, Dyno) and (dyno.name or "").startswith("run."), "dyno %r"
           % getattr(dyno, "name", None))
    expect(dyno.command == "echo heroku3-detached", "command %r" % dyno.command)
    expect(not dyno.attach_url, "a detached dyno has no attach_url")


def patch_rendezvous(url):
    """heroku3 pins its own bundled CA file for rendezvous TLS; trust the simulator's certificate."""
    answer = requests.get(url + "/__sim/rendezvous-certificate.pem", timeout=HTTP_TIMEOUT)
    answer.raise_for_status()
    handle, path = tempfile.mkstemp(suffix=".pem")
    with os.fdopen(handle, "w") as out:
        out.write(answer.text)
    original = heroku3.rendezvous.Rendezvous

    class SimRendezvous(original):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.cert = path

    heroku3.api.Rendezvous = SimRendezvous
    heroku3.models.app.Rendezvous = SimRendezvous


def c_run_attached(url):
    patch_rendezvous(url)
    output, dyno = ctx["h"].run_command_on_app(STAGING, "echo heroku3-attached", attach=True,
                                               printout=False, timeout_secs=20)
    expect(dyno.attach_url and dyno.attach_url.startswith("rendezvous://"), "attach_url %r"
           % dyno.attach_url)
    expect("heroku3-attached" in output, "output %r" % output[:200])


# --------------------------------------------------------------------------- releases, slugs, builds

def c_releases_read(name):
    releases = app_of(name).releases()  # Range: version ..; ;
    versions = [r.version for r in releases]
    expect({38, 39, 40, 41, 42} <= set(versions), "versions %s" % versions)
    expect(versions == sorted(versions), "not oldest first: %s" % versions)
    expect(releases[-1].current is True, "the newest is not current")
    for r in releases:
        expect(isinstance(r, Release) and r.id and r.description and r.status, "v%s" % r.version)
        expect(r.user is not None and "@" in (r.user.email or ""), "v%s.user" % r.version)
        expect(is_datetime(r.created_at), "v%s.created_at" % r.version)


def c_releases_page():
    page = staging().releases(order_by="version", sort="desc", limit=2)  # version ..; order=desc,max=2;
    versions = [r.version for r in page]
    expect(len(versions) == 2 and versions[0] > versions[1], "page %s" % versions)


def c_rollback():
    app = staging()
    releases = app.releases()
    newest = releases[-1].version
    target = releases[-2]
    result = app.rollback(target.id)  # POST /apps/{name}/releases {"release": id}
    expect(result.version == newest + 1, "rollback made v%s, expected v%s"
           % (result.version, newest + 1))
    expect("v%s" % target.version in (result.description or ""), "description %r"
           % result.description)
    expect(result.current is True, "the rollback release is not current")


def c_slug_and_release():
    app = staging()
    current = app.releases()[-1]
    expect(current.slug is not None and current.slug.id, "current release has no slug.id")
    slug = app.slug(current.slug.id)  # GET /apps/{name}/slugs/{id}
    expect(slug.id == current.slug.id, "slug %r" % slug.id)
    made = app.create_release(slug.id)  # POST /apps/{name}/releases {"slug": id}
    expect(made.version == current.version + 1, "create_release made v%s" % made.version)
    expect(made.slug is not None and made.slug.id == slug.id, "release slug")


def tarball():
    data = io.BytesIO()
    with tarfile.open(fileobj=data, mode="w:gz") as tar:
        for name, text in (("Procfile", "web: gunicorn config.wsgi\n"),
                           ("requirements.txt", "django\n")):
            blob = text.encode()
            info = tarfile.TarInfo(name)
            info.size = len(blob)
            tar.addfile(info, io.BytesIO(blob))
    return data.getvalue()


def c_build():
    h = ctx["h"]
    app = staging()
    # heroku3 has no sources API: POST /sources through its own transport (auth, headers).
    source = h._resource_deserialize(
        h._http_resource("POST", ("sources",)).content.decode("utf-8"))["source_blob"]
    requests.put(source["put_url"], data=tarball(), timeout=HTTP_TIMEOUT).raise_for_status()
    build = app.create_build(source["get_url"], version="heroku3-" + PROBE)
    expect(build.id and build.status in ("pending", "succeeded"), "status %r" % build.status)
    expect(build.output_stream_url, "no output_stream_url")
    listed = app.builds()  # GET /apps/{name}/builds
    expect(build.id in [b.id for b in listed], "the build is not in the list")
    output = build.get(timeout=30)  # plain GET of output_stream_url, no auth
    expect(output.strip(), "empty build output")


# --------------------------------------------------------------------------- add-ons

def c_addons_read(name):
    h = ctx["h"]
    addons = app_of(name).addons()
    plans = {a.plan.name for a in addons if a.plan is not None}
    expect(SEEDED_PLANS <= plans, "plans %s" % sorted(plans))
    for addon in addons:
        expect(addon.id and addon.name and addon.plan.id, "add-on %r" % addon.name)
        repr(addon)  # heroku3's repr reads plan.name
    expect(len(h.addons(name)) == len(addons), "h.addons(name) differs")


def c_addon_lifecycle():
    app = staging()
    addon = app.install_addon("heroku-redis:mini", attachment_name="HEROKU3_PROBE_REDIS")
    expect(addon.id and addon.plan is not None and addon.plan.name == "heroku-redis:mini",
           "installed %r" % (addon.plan and addon.plan.name))
    upgraded = addon.upgrade("heroku-redis:premium-0")  # PATCH /apps/{id}/addons/{id}
    expect(upgraded.plan.name == "heroku-redis:premium-0", "upgraded to %r"
           % upgraded.plan.name)
    removed = app.remove_addon(addon.id)  # DELETE, heroku3 parses the body as an add-on
    expect(removed.id == addon.id, "DELETE answered %r" % removed.id)
    expect(addon.id not in [a.id for a in app.addons()], "still listed after DELETE")


# --------------------------------------------------------------------------- collaborators, features

def c_collaborators():
    app = staging()
    listed = app.collaborators()
    expect(all(c.user is not None and "@" in (c.user.email or "") for c in listed),
           "a collaborator without user.email")
    email = PROBE + "@example.com"
    added = app.add_collaborator(email, silent=True)  # {"silent": true, "user": email}
    expect(added.user is not None and added.user.email == email, "added %r" % added.user)
    expect(email in [c.user.email for c in app.collaborators()], "not listed after POST")
    expect(app.remove_collaborator(email) is True, "DELETE by email")
    expect(email not in [c.user.email for c in app.collaborators()], "listed after DELETE")


def c_app_features():
    app = staging()
    features = app.features()
    expect(len(features) > 0, "no app features")
    for f in features:
        expect(f.name and f.id and isinstance(f.enabled, bool), "feature %r" % f.name)
    chosen = features["preboot"] if "preboot" in features else features[0]
    was = chosen.enabled
    try:
        on = app.enable_feature(chosen.name)  # PATCH /apps/{id}/features/{name} {"enabled": true}
        expect(on.enabled is True and on.name == chosen.name, "enable -> %r" % on.enabled)
        off = app.disable_feature(chosen.name)  # {"enabled": 0}  (an integer!)
        expect(off.enabled is False, "disable -> %r" % off.enabled)
    finally:
        app.update_feature(chosen.name, was)


# --------------------------------------------------------------------------- domains, ACM, SNI

def c_domains():
    app = staging()
    listed = app.domains()  # Range: domain ..; ;  (heroku3's Domain.order_by is "domain")
    expect(all(d.hostname for d in listed), "a domain without hostname")
    hostname = PROBE + ".lazona.example"
    added = app.add_domain(hostname, None)  # {"hostname": ..., "sni_endpoint": null}
    expect(added.hostname == hostname and added.kind == "custom" and added.cname,
           "added %r kind %r cname %r" % (added.hostname, added.kind, added.cname))
    expect(app.get_domain(hostname).id == added.id, "GET by hostname")
    expect(app.remove_domain(hostname) is True, "DELETE by hostname")
    expect(hostname not in [d.hostname for d in app.domains()], "listed after DELETE")


def c_acm():
    app = staging()
    expect(app.enable_acm() is True, "POST /apps/{id}/acm")
    expect(app.info.acm is True, "acm not on after enable")
    expect(app.refresh_acm() is True, "PATCH /apps/{id}/acm")
    expect(app.disable_acm() is True, "DELETE /apps/{id}/acm")
    expect(app.info.acm is False, "acm still on after disable")


def c_sni_endpoints():
    endpoints = staging().sni_endpoints()
    expect(isinstance(endpoints, KeyedListResource), "not a list")


# --------------------------------------------------------------------------- logs, drains, buildpacks

def c_get_log(name):
    text = app_of(name).get_log(lines=10, timeout=20)  # POST log-sessions {"lines": 10}, GET url
    lines = [line for line in text.splitlines() if line.strip()]
    expect(0 < len(lines) <= 10, "%d lines" % len(lines))
    expect(all(LOG_LINE.match(line) for line in lines), "not Heroku log lines: %r" % lines[:2])


def c_get_log_filtered():
    # {"dyno": "web.1", "lines": 5, "source": "app"} - heroku3 sends `dyno`, the schema `dyno_name`
    text = ctx["h"].get_app_log(STAGING, dyno="web.1", lines=5, source="app", timeout=20)
    lines = [line for line in text.splitlines() if line.strip()]
    expect(0 < len(lines) <= 5, "%d lines" % len(lines))
    expect(all(" app[web.1]: " in line for line in lines), "unfiltered: %r" % lines[:2])


def c_stream_log():
    stream = staging().stream_log(lines=1, timeout=20)  # {"tail": true, "lines": 1}
    first = next(line for line in stream if line.strip())
    expect(LOG_LINE.match(first.decode("utf-8", "replace")), "line %r" % first[:120])


def c_log_drains():
    app = staging()
    before = app.logdrains()
    url = "syslog+tls://%s.lazona.example:6514" % PROBE
    drain = app.create_logdrain(url)
    expect(drain.url == url and drain.id and drain.token, "created %r" % drain.url)
    expect(drain.id in [d.id for d in app.logdrains()], "not listed")
    removed = app.remove_logdrain(drain.id)
    expect(removed.id == drain.id, "DELETE answered %r" % removed.id)
    expect(len(app.logdrains()) == len(before), "drain count did not come back")


def c_buildpacks():
    app = staging()
    before = [b.buildpack.url for b in sorted(app.buildpacks(), key=lambda b: b.ordinal)]
    wanted = ["heroku/python", "https://github.com/heroku/heroku-buildpack-nginx"]
    try:
        expect(app.update_buildpacks(wanted) is True, "PUT buildpack-installations")
        now = [b.buildpack.url for b in sorted(app.buildpacks(), key=lambda b: b.ordinal)]
        expect(now == wanted, "buildpacks %s" % now)
    finally:
        app.update_buildpacks(before)


def c_transfers():
    expect(isinstance(staging().transfers(), KeyedListResource), "GET /account/app-transfers")


# --------------------------------------------------------------------------- main

def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", help="the server's base URL, e.g. http://127.0.0.1:5000")
    parser.add_argument("--api-key", default=os.environ.get("HEROKU_API_KEY", "heroku3-driver"))
    parser.add_argument("--wrong-key-refused", action="store_true",
                        help="the server was started with --api-key: check a wrong key fails")
    args = parser.parse_args()
    url = args.url.rstrip("/")

    if check("from_key authenticates (Basic auth, GET /account/rate-limits)",
             lambda: c_from_key(url, args.api_key)) is None:
        # Without a client nothing else can run.
        print("%d passed, %d failed" % (passed, failed))
        return 1
    if args.wrong_key_refused:
        check("wrong api key refused", lambda: c_wrong_key(url))
    check("rate_limit and RateLimit-Remaining, Request-Id", c_rate_limit)
    check("account", c_account)
    check("account features list/update", c_account_features)
    check("account keys", c_keys)
    check("account invoices", c_invoices)
    check("addon services list/info", c_addon_services)
    check("apps list (all pages)", c_apps_list)
    check("apps Range max=1", c_apps_limit)
    check("apps Range order_by=name asc/desc", c_apps_order)
    check("app not found is 404", c_app_not_found)
    for name in APPS:
        check("app info %s" % name, lambda name=name: c_app_info(name))
        check("config vars %s" % name, lambda name=name: c_config_read(name))
        check("formation %s" % name, lambda name=name: c_formation_read(name))
        check("dynos %s" % name, lambda name=name: c_dynos_read(name))
        check("releases %s" % name, lambda name=name: c_releases_read(name))
        check("addons %s" % name, lambda name=name: c_addons_read(name))
        check("log %s" % name, lambda name=name: c_get_log(name))
    check("releases Range version desc max=2", c_releases_page)
    check("log filtered by dyno and source", c_get_log_filtered)
    check("log stream (tail)", c_stream_log)
    check("sni endpoints list", c_sni_endpoints)
    check("app transfers list", c_transfers)
    check("config vars set/update/delete", c_config_write)
    check("config vars invalid name is 422", c_config_invalid)
    check("maintenance on/off", c_maintenance)
    check("scale_formation_process and Formation.scale", c_scale)
    check("batch_scale_formation_processes", c_batch_scale)
    check("resize_formation_process and batch resize", c_resize)
    check("dyno restart and kill_dyno", c_dyno_restart)
    check("app.restart", c_app_restart)
    check("run_command_detached", c_run_detached)
    check("run_command_on_app attached (rendezvous)", lambda: c_run_attached(url))
    check("rollback", c_rollback)
    check("slug info and create_release", c_slug_and_release)
    check("create_build and builds list", c_build)
    check("add-on install/upgrade/remove", c_addon_lifecycle)
    check("collaborators add/remove", c_collaborators)
    check("app features enable/disable", c_app_features)
    check("domains add/get/remove", c_domains)
    check("acm enable/refresh/disable", c_acm)
    check("log drains create/remove", c_log_drains)
    check("buildpacks update", c_buildpacks)
    check("create_app and delete", c_create_delete_app)
    check("rename and rename back", c_rename)

    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
