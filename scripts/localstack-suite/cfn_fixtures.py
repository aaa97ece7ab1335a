"""CloudFormation helpers for LocalStack's CloudFormation API tests
(tests/aws/services/cloudformation/api), on top of conftest.py here.

Load it after conftest: `-p conftest -p cfn_fixtures`. It adds

* the fixtures those tests take besides `deploy_cfn_template`:
  `is_change_set_created_and_available`, `is_change_set_finished`,
  `is_stack_created`, `is_stack_updated`, `is_stack_deleted`,
  `cleanup_stacks`, `cleanup_changesets`, `capture_per_resource_events`;
* the helpers they import: `tests.aws.services.cloudformation.conftest`
  (`skip_if_v1_provider`, `skip_if_v2_provider`, `skipped_v2_items`,
  `skip_if_legacy_engine`: which LocalStack provider runs is no concern
  of another endpoint, so nothing is skipped), `localstack.utils.files`
  and `localstack.utils.common` (`load_file`),
  `localstack.testing.aws.cloudformation_utils` (`load_template_raw`,
  `load_template_file`, `render_template`),
  `localstack.aws.api.cloudformation.Capability` and
  `localstack.services.cloudformation.v2.utils.is_v2_engine` (False).

None of LocalStack's code is used: these are written from what the tests
expect of them.
"""

import contextlib
import os
import sys
import types

import pytest


def _identity_decorator(*args, **kwargs):
    if len(args) == 1 and callable(args[0]) and not kwargs:
        return args[0]
    return lambda fn: fn


def _skipped_v2_items(*items):
    return []


def load_file(path, default=None, mode="r"):
    if not os.path.exists(path):
        return default
    with open(path, mode) as f:
        return f.read()


def load_template_raw(path):
    if not os.path.isabs(path):
        # the tests pass names relative to tests/aws/templates
        here = os.path.join(os.getcwd(), "tests", "aws", "templates", path)
        path = here if os.path.exists(here) else path
    return load_file(path)


def render_template(template_body, **template_vars):
    import jinja2

    return jinja2.Template(template_body).render(**template_vars)


def load_template_file(path, **template_vars):
    return render_template(load_template_raw(path), **template_vars)


class Capability:
    CAPABILITY_IAM = "CAPABILITY_IAM"
    CAPABILITY_NAMED_IAM = "CAPABILITY_NAMED_IAM"
    CAPABILITY_AUTO_EXPAND = "CAPABILITY_AUTO_EXPAND"


_MODULES = {
    "tests.aws.services.cloudformation.conftest": {
        "skip_if_v1_provider": _identity_decorator,
        "skip_if_v2_provider": _identity_decorator,
        "skip_if_legacy_engine": _identity_decorator,
        "skipped_v2_items": _skipped_v2_items,
    },
    "localstack.utils.files": {"load_file": load_file},
    "localstack.utils.common": {"load_file": load_file},
    "localstack.testing.aws.cloudformation_utils": {
        "load_template_raw": load_template_raw,
        "load_template_file": load_template_file,
        "render_template": render_template,
    },
    "localstack.aws.api.cloudformation": {"Capability": Capability},
    # which LocalStack engine runs is no concern of another endpoint: the
    # tests' variants for LocalStack's legacy engine are the fuller ones
    "localstack.services.cloudformation.v2.utils": {"is_v2_engine": lambda: False},
}


def _install():
    # conftest's import hook serves localstack.*: add the names there.
    for finder in sys.meta_path:
        contents = getattr(finder, "contents", None)
        if isinstance(contents, dict) and hasattr(finder, "roots"):
            for name, attrs in _MODULES.items():
                if name.split(".")[0] in finder.roots:
                    contents.setdefault(name, {}).update(attrs)
    name = "tests.aws.services.cloudformation.conftest"
    if name not in sys.modules:
        mod = types.ModuleType(name)
        mod.__dict__.update(_MODULES[name])
        sys.modules[name] = mod


_install()


def _status(cfn, **kw):
    with contextlib.suppress(Exception):
        return cfn.describe_stacks(**kw)["Stacks"][0]["StackStatus"]
    return None


@pytest.fixture
def is_change_set_created_and_available(aws_client):
    def check(change_set_id):
        def ready(*_):
            d = aws_client.cloudformation.describe_change_set(ChangeSetName=change_set_id)
            return d["Status"] == "CREATE_COMPLETE" and d["ExecutionStatus"] == "AVAILABLE"

        return ready

    return check


@pytest.fixture
def is_change_set_failed_and_unavailable(aws_client):
    def check(change_set_id):
        def failed(*_):
            d = aws_client.cloudformation.describe_change_set(ChangeSetName=change_set_id)
            return d["Status"] == "FAILED" and d["ExecutionStatus"] == "UNAVAILABLE"

        return failed

    return check


@pytest.fixture
def is_change_set_finished(aws_client):
    def check(change_set_id, stack_name=None):
        def finished(*_):
            kw = {"ChangeSetName": change_set_id}
            if stack_name:
                kw["StackName"] = stack_name
            d = aws_client.cloudformation.describe_change_set(**kw)
            return d["ExecutionStatus"] in ("EXECUTE_COMPLETE", "EXECUTE_FAILED", "OBSOLETE")

        return finished

    return check


def _stack_in(aws_client, statuses):
    def check(stack_id):
        def done(*_):
            return _status(aws_client.cloudformation, StackName=stack_id) in statuses

        return done

    return check


@pytest.fixture
def is_stack_created(aws_client):
    return _stack_in(aws_client, ("CREATE_COMPLETE",))


@pytest.fixture
def is_stack_updated(aws_client):
    return _stack_in(aws_client, ("UPDATE_COMPLETE",))


@pytest.fixture
def is_stack_deleted(aws_client):
    return _stack_in(aws_client, ("DELETE_COMPLETE",))


@pytest.fixture
def cleanup_stacks(aws_client):
    def cleanup(stacks):
        for s in stacks if isinstance(stacks, (list, tuple)) else [stacks]:
            with contextlib.suppress(Exception):
                aws_client.cloudformation.delete_stack(StackName=s)

    return cleanup


@pytest.fixture
def cleanup_changesets(aws_client):
    def cleanup(changesets):
        for cs in changesets if isinstance(changesets, (list, tuple)) else [changesets]:
            with contextlib.suppress(Exception):
                aws_client.cloudformation.delete_change_set(ChangeSetName=cs)

    return cleanup


@pytest.fixture
def capture_per_resource_events(aws_client):
    """{logical id, or "Stack" for the stack itself: [events]} as LocalStack's
    fixture of that name returns them (its engine tests' snapshots record
    this shape): each event reduced to its logical and physical id, type,
    status and timestamp, oldest first, a repeated status of one resource
    in a row kept once, and UPDATE_COMPLETE_CLEANUP_IN_PROGRESS left out."""

    def capture(stack_name):
        events = aws_client.cloudformation.describe_stack_events(StackName=stack_name)["StackEvents"]
        per_resource = {}
        # DescribeStackEvents lists the newest first: oldest first, so that
        # events of one timestamp keep their order in the sort below
        for e in reversed(events):
            if e.get("ResourceStatus") == "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS":
                continue
            logical_id = e.get("LogicalResourceId")
            if not logical_id:
                continue
            name = "Stack" if logical_id == e.get("StackName") else logical_id
            per_resource.setdefault(name, []).append(
                {
                    "PhysicalResourceId": e.get("PhysicalResourceId"),
                    "LogicalResourceId": logical_id,
                    "ResourceType": e.get("ResourceType"),
                    "ResourceStatus": e.get("ResourceStatus"),
                    "Timestamp": e.get("Timestamp"),
                }
            )
        out = {}
        for name, evs in per_resource.items():
            evs.sort(key=lambda e: e["Timestamp"])
            kept, last = [], None
            for e in evs:
                key = (e["LogicalResourceId"], e["ResourceStatus"], e["ResourceType"])
                if key != last:
                    kept.append(e)
                last = key
            out[name] = kept
        return out

    return capture


# --------------------------------------------------------------------------
# Two normalisations of LocalStack's snapshot library the CloudFormation
# snapshots rely on (they belong in conftest.py; this is a no-op once it
# does them): dates read "datetime" ("timestamp" under a Timestamp key),
# and the keys of each matched response are visited in sorted order (the
# matches in their order), so that "<resource:1>" goes to the first
# reference in that order (ChangeSetId before StackId).


def _patch_conftest():
    import datetime

    conftest = sys.modules.get("conftest")
    if conftest is None or getattr(conftest, "_cfn_patched", False):
        return
    transformed = conftest.SnapshotSession.transformed

    def relabel(obj, key=None):
        if isinstance(obj, dict):
            return {k: relabel(obj[k], k) for k in sorted(obj)}
        if isinstance(obj, (list, tuple)):
            return [relabel(v, key) for v in obj]
        if isinstance(obj, (datetime.datetime, datetime.date)):
            return "timestamp" if key in ("Timestamp", "LastUpdatedTimestamp") else "datetime"
        return obj

    def patched(self):
        saved = self.observed
        # the matches in their order, the keys of each response sorted
        self.observed = {k: relabel(v, k) for k, v in saved.items()}
        try:
            return transformed(self)
        finally:
            self.observed = saved

    conftest.SnapshotSession.transformed = patched
    conftest._cfn_patched = True


_patch_conftest()
