"""pytest plugin that runs LocalStack's AWS tests, unchanged, against any
AWS-compatible endpoint (here `ecsnet serve`).

LocalStack's tests (github.com/localstack/localstack, tests/aws/) import
`localstack.*` helpers and use fixtures from LocalStack's own pytest plugins.
None of LocalStack's code is used here: this file provides

* fakes for the modules the tests import (`localstack.testing.pytest.markers`,
  `localstack.utils.strings.short_uid`, `localstack.utils.sync.retry`,
  `localstack_snapshot...`), registered through an import hook; any other
  `localstack.*` name imports as a placeholder that fails when used;
* the fixtures (`aws_client`, `aws_client_factory`, `region_name`,
  `secondary_region_name`, `account_id`, `cleanups`, `snapshot`,
  `ec2_create_security_group`, `deploy_cfn_template`, `s3_bucket`...);
* `snapshot`, an approximation of LocalStack's snapshot testing: `match`
  records a value; after the test, the recorded AWS responses in the test
  file's `.snapshot.json` are compared with the observed ones after the
  transformers the test registered (key_value, jsonpath, regex,
  resource_name, sorting) and the default ones (account id, region,
  partition, dates, response metadata), skipping the paths of
  `markers.snapshot.skip_snapshot_verify`.

Only tests marked `markers.aws.validated` (recorded against real AWS) run
unless `--ls-all` is given; a summary counts them at the end.

Load it with `-p conftest` and this folder on PYTHONPATH (run.sh does).
Settings: LS_ENDPOINT (default http://127.0.0.1:4566), LS_REGION
(us-east-1), LS_SECONDARY_REGION (eu-west-1), LS_RESULTS (a JSON file
for the per-test outcomes).
"""

import contextlib
import copy
import datetime
import importlib.abc
import importlib.machinery
import json
import logging
import os
import re
import sys
import time
import types
import uuid

import botocore.exceptions
import pytest

LOG = logging.getLogger("localstack-suite")

ENDPOINT = os.environ.get("LS_ENDPOINT", "http://127.0.0.1:4566")
REGION = os.environ.get("LS_REGION", "us-east-1")
SECONDARY_REGION = os.environ.get("LS_SECONDARY_REGION", "eu-west-1")
ACCESS_KEY = os.environ.get("LS_ACCESS_KEY_ID", "test")
SECRET_KEY = os.environ.get("LS_SECRET_ACCESS_KEY", "test")

# LocalStack's test markers for the AWS validation status of a test.
AWS_MARKERS = (
    "validated",
    "manual_setup_required",
    "needs_fixing",
    "only_localstack",
    "unknown",
    "only_in_docker",
)


# --------------------------------------------------------------------------
# Fake modules


class _Missing:
    """Placeholder for a LocalStack name the harness does not provide: it
    imports, and fails with a clear message when used."""

    def __init__(self, name):
        self._name = name

    def _fail(self, *a, **kw):
        raise NotImplementedError(
            f"{self._name} is LocalStack-internal; the localstack-suite harness does not provide it"
        )

    __call__ = _fail

    def __getattr__(self, attr):
        if attr.startswith("__"):
            raise AttributeError(attr)
        return _Missing(f"{self._name}.{attr}")

    def __repr__(self):
        return f"<missing {self._name}>"

    def __bool__(self):
        return False


def _optional_list(condition, items):
    return list(items) if condition else []


def _now_utc(millis=False):
    """Seconds (or milliseconds) since the epoch, as LocalStack's now_utc."""
    import time

    t = time.time()
    return int(t * 1000) if millis else t


def _short_uid():
    return str(uuid.uuid4())[0:8]


def _long_uid():
    return str(uuid.uuid4())


def _to_str(obj, encoding="utf-8", errors="strict"):
    return obj.decode(encoding, errors) if isinstance(obj, bytes) else obj


def _to_bytes(obj, encoding="utf-8", errors="strict"):
    return obj.encode(encoding, errors) if isinstance(obj, str) else obj


def _retry(function, retries=3, sleep=1.0, sleep_before=0, **kwargs):
    if sleep_before:
        time.sleep(sleep_before)
    err = None
    for i in range(retries + 1):
        try:
            return function(**kwargs)
        except Exception as e:  # noqa: BLE001 - retry on anything, as LocalStack's does
            err = e
            if i < retries:
                time.sleep(sleep)
    raise err


class _ShortCircuitWaitException(Exception):
    """localstack.utils.sync.ShortCircuitWaitException: raised by a condition
    wait_until polls, it ends the wait at once (wait_until answers False)."""


def _wait_until(fn, wait=1.0, max_retries=10, strategy="exponential", _retries=0, _max_wait=240):
    for i in range(max_retries + 1):
        try:
            if fn():
                return True
        except _ShortCircuitWaitException:
            return False
        time.sleep(min(wait * (2**i if strategy == "exponential" else 1), _max_wait))
    return False


def _poll_condition(condition, timeout=None, interval=0.5):
    end = None if timeout is None else time.time() + timeout
    while not condition():
        if end is not None and time.time() > end:
            return False
        time.sleep(interval)
    return True


class _MarkerGroup:
    """markers.aws.validated & co.: pytest marks with an aws_ prefix."""

    def __init__(self, prefix):
        self._prefix = prefix

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(pytest.mark, f"{self._prefix}{name}")


class _SnapshotMarkers:
    @staticmethod
    def skip_snapshot_verify(_func=None, paths=None, condition=None):
        mark = pytest.mark.skip_snapshot_verify(paths=paths, condition=condition)
        return mark(_func) if callable(_func) else mark

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(pytest.mark, f"snapshot_{name}")


class _Markers:
    aws = _MarkerGroup("aws_")
    snapshot = _SnapshotMarkers()

    def __getattr__(self, name):
        # markers.skip_offline, markers.requires_in_process, markers.acceptance_test, ...
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(pytest.mark, f"ls_{name}")


class _IdManager:
    @contextlib.contextmanager
    def custom_id(self, *a, **kw):
        yield


class _Identifier:
    def __init__(self, *a, **kw):
        self.args, self.kwargs = a, kw


def _generate_ssl_cert(target_file=None, overwrite=False, random=False, return_content=False, serial_number=None):
    """A self-signed certificate as LocalStack's generate_ssl_cert makes it
    (the subject, SANs, usages and serial its recordings show: C=AU,
    ST=Some-State, L=Some-Locality, O=LocalStack Org, OU=Testing,
    CN=localhost; digital signature, non-repudiation, key encipherment, TLS
    web server authentication; serial 1001). Writes TARGET.crt and TARGET.key; answers (pem, cert file, key
    file), or the PEM text with return_content."""
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "AU"),
            x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, "Some-State"),
            x509.NameAttribute(NameOID.LOCALITY_NAME, "Some-Locality"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "LocalStack Org"),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "Testing"),
            x509.NameAttribute(NameOID.COMMON_NAME, "localhost"),
        ]
    )
    now = datetime.datetime.now(datetime.timezone.utc)
    sans = ["localhost", "localhost.localstack.cloud", "localhost.localstack.cloudIP:127.0.0.1", "test.localhost.atlassian.io"]
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(serial_number or 1001)
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=730))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in sans]), critical=False)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True, content_commitment=True, key_encipherment=True, data_encipherment=False,
                key_agreement=False, key_cert_sign=False, crl_sign=False, encipher_only=False, decipher_only=False,
            ),
            critical=False,
        )
        .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_pem = cert.public_bytes(serialization.Encoding.PEM)
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()
    )
    if return_content or not target_file:
        return (key_pem + cert_pem).decode()
    base = target_file[:-4] if target_file.endswith(".pem") else target_file
    cert_file, key_file = f"{base}.crt", f"{base}.key"
    with open(cert_file, "wb") as f:
        f.write(cert_pem)
    with open(key_file, "wb") as f:
        f.write(key_pem)
    with open(f"{base}.pem", "wb") as f:
        f.write(key_pem + cert_pem)
    return f"{base}.pem", cert_file, key_file


def _partition_of(region):
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    return "aws"


class _LocalStackHost:
    """localstack.config.LOCALSTACK_HOST: LocalStack's own address, which
    tests write into S3 URLs; the aws_client rewrites such URLs into AWS's
    S3 names (_aws_s3_urls)."""

    host = "localhost.localstack.cloud"
    port = 4566

    def host_and_port(self):
        return f"{self.host}:{self.port}"


def _upload_file_to_bucket(s3_client, bucket_name, file_path, file_name=None):
    # localstack.utils.testutil.upload_file_to_bucket, with the URL it
    # gives against AWS (the endpoint reads AWS's S3 URLs from its own S3)
    key = file_name or f"file-{_short_uid()}"
    s3_client.upload_file(file_path, Bucket=bucket_name, Key=key)
    return {"Bucket": bucket_name, "Key": key, "Url": f"https://{bucket_name}.s3.amazonaws.com/{key}"}


# S3 URLs naming LocalStack's endpoint (virtual-hosted or path style), as
# LocalStack's tests write them when not against AWS.
_LS_S3_VHOST = re.compile(r"^https?://([^/]+)\.s3\.(?:localhost\.localstack\.cloud|localhost|127\.0\.0\.1)(?::\d+)?/")
_LS_S3_PATH = re.compile(r"^https?://(?:localhost\.localstack\.cloud|localhost|127\.0\.0\.1)(?::\d+)?/")


def _aws_s3_url(value):
    """The AWS S3 URL for an S3 URL naming LocalStack's endpoint."""
    if not isinstance(value, str):
        return value
    m = _LS_S3_VHOST.match(value)
    if m:
        return f"https://{m.group(1)}.s3.amazonaws.com/" + value[m.end():]
    m = _LS_S3_PATH.match(value)
    if m:
        return "https://s3.amazonaws.com/" + value[m.end():]
    return value


def _aws_s3_urls(params, **kwargs):
    """botocore before-parameter-build hook of CloudFormation clients:
    rewrites TemplateURL, the stack policy URLs and parameter values that
    name LocalStack's S3
    endpoint into AWS's S3 names, which ecsnet reads from its own S3."""
    for key in ("TemplateURL", "StackPolicyURL", "StackPolicyDuringUpdateURL"):
        if key in params:
            params[key] = _aws_s3_url(params[key])
    for p in params.get("Parameters") or []:
        if isinstance(p, dict) and "ParameterValue" in p:
            p["ParameterValue"] = _aws_s3_url(p["ParameterValue"])


# Tests whose AWS path (`is_aws_cloud()` true) differs from the emulator
# path only by a step a person takes while the test waits at `input()`:
# for these the harness takes the AWS path and plays the person
# (`_operator_input`). test_certificate_for_subdomain_wildcard asks the
# person to add ACM's validation CNAME to the domain's DNS and waits for
# ISSUED; its recording shows PENDING_VALIDATION before that and ISSUED
# after, as ecsnet answers. Elsewhere `is_aws_cloud()` is false.
PERSON_STEP_TESTS = ("acm/test_acm.py::TestACM::test_certificate_for_subdomain_wildcard",)

_CURRENT_TEST = {"nodeid": ""}  # the node id of the test running now


def _is_aws_cloud():
    return _CURRENT_TEST["nodeid"].endswith(PERSON_STEP_TESTS)


# "... add the following CNAME entry ...: NAME = VALUE" (test_acm.py's prompt).
_CNAME_PROMPT = re.compile(r"CNAME entry.*:\s*(\S+)\s*=\s*(\S+)\s*$", re.S)


def _operator_input(prompt=""):
    """The person's step of a PERSON_STEP_TESTS test: the CNAME record the
    prompt names is written into a public Route 53 hosted zone of the
    account for the validated domain (the record name less its first
    label; made when missing), as the person adds it to the domain's DNS
    when the test runs against AWS. Any other prompt has no one to answer."""
    m = _CNAME_PROMPT.search(prompt or "")
    if not m:
        raise RuntimeError(f"no person to answer the prompt: {prompt!r}")
    name, value = m.group(1).rstrip(".") + ".", m.group(2)
    zone_name = name.split(".", 1)[1]
    r53 = _boto_session().client("route53", region_name=REGION, endpoint_url=ENDPOINT)
    zones = [z["Id"] for z in r53.list_hosted_zones()["HostedZones"] if z["Name"] == zone_name]
    if zones:
        zone = zones[0]
    else:
        zone = r53.create_hosted_zone(Name=zone_name, CallerReference="ls-suite-" + _short_uid())["HostedZone"]["Id"]
    r53.change_resource_record_sets(
        HostedZoneId=zone,
        ChangeBatch={"Changes": [{"Action": "UPSERT", "ResourceRecordSet": {
            "Name": name, "Type": "CNAME", "TTL": 300, "ResourceRecords": [{"Value": value}]}}]},
    )
    return ""


def _module_contents():
    """{module name: {attribute: value}} for the fakes with real behaviour."""
    markers = _Markers()
    return {
        "localstack.constants": {
            "TEST_AWS_REGION_NAME": REGION,
            "SECONDARY_TEST_AWS_REGION_NAME": SECONDARY_REGION,
            "AWS_REGION_US_EAST_1": "us-east-1",
            "TEST_AWS_ACCESS_KEY_ID": ACCESS_KEY,
            "TEST_AWS_SECRET_ACCESS_KEY": SECRET_KEY,
            "TAG_KEY_CUSTOM_ID": "_custom_id_",
            "APPLICATION_JSON": "application/json",
            "APPLICATION_AMZ_JSON_1_1": "application/x-amz-json-1.1",
            "LOCALHOST": "localhost",
            "LOCALHOST_HOSTNAME": "localhost.localstack.cloud",
        },
        "localstack.testing.config": {
            "TEST_AWS_REGION_NAME": REGION,
            "SECONDARY_TEST_AWS_REGION_NAME": SECONDARY_REGION,
            "TEST_AWS_ACCESS_KEY_ID": ACCESS_KEY,
            "TEST_AWS_SECRET_ACCESS_KEY": SECRET_KEY,
            "TEST_AWS_ACCOUNT_ID": "000000000000",
        },
        "localstack.utils.common": {
            "now_utc": _now_utc,
            "short_uid": _short_uid,
            "long_uid": _long_uid,
            "to_str": _to_str,
            "to_bytes": _to_bytes,
            "retry": _retry,
            "wait_until": _wait_until,
            "poll_condition": _poll_condition,
        },
        "localstack.testing.pytest": {"markers": markers},
        "localstack.testing.pytest.markers": {
            "aws": markers.aws,
            "snapshot": markers.snapshot,
        },
        "localstack.testing.aws.util": {"is_aws_cloud": _is_aws_cloud},
        "localstack.utils.strings": {
            "short_uid": _short_uid,
            "long_uid": _long_uid,
            "to_str": _to_str,
            "to_bytes": _to_bytes,
        },
        "localstack.utils.sync": {
            "retry": _retry,
            "wait_until": _wait_until,
            "poll_condition": _poll_condition,
            "ShortCircuitWaitException": _ShortCircuitWaitException,
        },
        "localstack.utils.id_generator": {"localstack_id_manager": _IdManager()},
        "localstack.utils.collections": {"optional_list": _optional_list},
        "localstack.utils.crypto": {"generate_ssl_cert": _generate_ssl_cert},
        "localstack.utils.aws.arns": {
            # arn:<partition>:logs:<region>:<account>:log-group:<name>:* as LocalStack builds it
            "log_group_arn": lambda group_name, account_id, region_name: (
                f"arn:{_partition_of(region_name)}:logs:{region_name}:{account_id}:log-group:{group_name}:*"
            ),
        },
        "localstack.testing.pytest.fixtures": {"StackDeployError": StackDeployError},
        "localstack.utils.testutil": {"upload_file_to_bucket": _upload_file_to_bucket},
        "localstack.config": {"LOCALSTACK_HOST": _LocalStackHost()},
        "localstack.services.ec2.patches": {
            "SecurityGroupIdentifier": _Identifier,
            "VpcIdentifier": _Identifier,
        },
        "localstack_snapshot.pytest.snapshot": {"is_aws": lambda: False},
        "localstack_snapshot.snapshots.transformer": {
            "SortingTransformer": SortingTransformer,
            "RegexTransformer": RegexTransformer,
            "KeyValueBasedTransformer": KeyValueBasedTransformer,
            "JsonpathTransformer": JsonpathTransformer,
            "GenericTransformer": GenericTransformer,
            "TransformContext": TransformContext,
        },
        "localstack.testing.snapshots.transformer_utility": {
            "TransformerUtility": TransformerUtility,
            # an ARN's parts as groups: partition, service, region, account,
            # resource (the partition may already read <partition> here: the
            # harness's default replacements run first)
            "PATTERN_ARN": r"arn:(aws[a-z-]*|<partition>)?:([a-zA-Z0-9._-]+)?:([^:]*)?:(\d{12})?:(.*)",
        },
    }


class _FakeModule(types.ModuleType):
    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        full = f"{self.__name__}.{name}"
        if full in _FakeFinder.known:
            # `from localstack.utils.aws import arns`: the fake submodule
            return importlib.import_module(full)
        return _Missing(full)


class _FakeFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Imports `localstack` and `localstack_snapshot` (and everything under
    them) as fake packages: the names in _module_contents, placeholders for
    the rest."""

    roots = ("localstack", "localstack_snapshot")

    known = set()  # the module names _module_contents fills

    def __init__(self):
        self.contents = _module_contents()
        _FakeFinder.known = set(self.contents)

    def find_spec(self, fullname, path=None, target=None):
        if fullname.split(".")[0] not in self.roots:
            return None
        return importlib.machinery.ModuleSpec(fullname, self, is_package=True)

    def create_module(self, spec):
        mod = _FakeModule(spec.name)
        mod.__path__ = []
        return mod

    def exec_module(self, module):
        for k, v in self.contents.get(module.__name__, {}).items():
            setattr(module, k, v)


# --------------------------------------------------------------------------
# Snapshots


class TransformContext:
    def __init__(self, aliases=None):
        self.serialized = []  # functions str -> str, applied to the JSON text in order
        self.refs = {}  # (name, value) -> "<name:n>"
        self.counts = {}
        self.aliases = aliases or {}  # reference name -> the name a recording's tool used
        self.recorded_text = ""  # the recording as JSON text (_OnlyIfRecorded)

    def reference(self, name, value):
        name = self.aliases.get(name, name)
        key = (name, value)
        if key not in self.refs:
            # one value gets one reference, whatever transformer found it first
            for (n, v), ref in self.refs.items():
                if v == value:
                    return ref
            self.counts[name] = self.counts.get(name, 0) + 1
            ref = f"<{name}:{self.counts[name]}>"
            self.refs[key] = ref
            needle = json.dumps(value)[1:-1]
            self.serialized.append(lambda s, needle=needle, ref=ref: s.replace(needle, ref))
        return self.refs[key]


def _kebab(key):
    return re.sub(r"(?<!^)(?=[A-Z])", "-", key).lower()


def _walk(obj, fn):
    """fn(dict, key, value) for every dict entry, depth first, in order."""
    if isinstance(obj, dict):
        for k in list(obj.keys()):
            fn(obj, k, obj[k])
            _walk(obj.get(k), fn)
    elif isinstance(obj, list):
        for v in obj:
            _walk(v, fn)


class KeyValueBasedTransformer:
    """fn(key, value) -> the part of value to replace, or None."""

    def __init__(self, fn, replacement, replace_reference=True):
        self.fn, self.replacement, self.reference = fn, replacement, replace_reference

    def transform(self, data, ctx):
        def visit(d, k, v):
            if isinstance(v, dict):
                return
            if isinstance(v, list):
                # as localstack-snapshot: fn sees a list too (test_cloudwatch's
                # AlarmActions transformer names the one action in it); only a
                # string it returns is a reference
                try:
                    found = self.fn(k, v)
                except (TypeError, AttributeError, KeyError, IndexError):
                    return
                if isinstance(found, str) and found and not _is_placeholder(found) and self.reference:
                    ctx.reference(self.replacement, found)
                return
            found = self.fn(k, v)
            if found is None or not isinstance(found, str) or not found or _is_placeholder(found):
                return
            if self.reference:
                ctx.reference(self.replacement, found)
            else:
                # as localstack-snapshot: the replacement as given
                # (key_value("UrlSuffix", "<url-suffix>", reference_replacement=False))
                d[k] = v.replace(found, self.replacement)

        _walk(data, visit)
        return data


_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _is_placeholder(s):
    return s.startswith("<") and s.endswith(">")


class _Route53Ids:
    """route53_api()'s ids: NameServers -> "<name-server>", /change/ID ->
    /change/<change-id>, a hosted zone id -> <zone-id:N>."""

    _ZONE = re.compile(r"/hostedzone/([A-Z0-9]+)")
    _CHANGE = re.compile(r"/change/([A-Za-z0-9_]+)")

    def transform(self, data, ctx):
        def visit(d, k, v):
            if k == "NameServers" and isinstance(v, list):
                d[k] = "<name-server>"
                return
            if not isinstance(v, str) or _is_placeholder(v):
                return
            if k == "HostedZoneId" and re.fullmatch(r"[A-Z0-9]+", v):
                ctx.reference("zone-id", v)
            for m in self._ZONE.finditer(v):
                ctx.reference("zone-id", m.group(1))
            if self._CHANGE.search(v):
                d[k] = self._CHANGE.sub("/change/<change-id>", v)

        _walk(data, visit)
        return data


class JsonpathTransformer:
    def __init__(self, jsonpath, replacement, replace_reference=True):
        self.path, self.replacement, self.reference = jsonpath, replacement, replace_reference

    def transform(self, data, ctx):
        for parent, key in _jsonpath_find(data, self.path):
            v = parent[key]
            if not isinstance(v, str) or _is_placeholder(v):
                continue
            if self.reference:
                ctx.reference(self.replacement, v)
            else:
                parent[key] = self.replacement
        return data


class RegexTransformer:
    def __init__(self, regex, replacement=""):
        self.regex = regex if isinstance(regex, re.Pattern) else re.compile(re.escape(regex) if not _looks_regex(regex) else regex)
        self.replacement = replacement

    def transform(self, data, ctx):
        ctx.serialized.append(lambda s: self.regex.sub(self.replacement, s))
        return data


def _looks_regex(s):
    # LocalStack passes both literal values (ids, names) and patterns to regex().
    return bool(re.search(r"[\\^$*+?()\[\]{}|]", s))


class SortingTransformer:
    def __init__(self, key, sorting_fn=None):
        self.key, self.fn = key, sorting_fn

    def transform(self, data, ctx):
        def visit(d, k, v):
            if k == self.key and isinstance(v, list):
                d[k] = sorted(v, key=self.fn) if self.fn else sorted(v)

        _walk(data, visit)
        return data


class GenericTransformer:
    def __init__(self, fn):
        self.fn = fn

    def transform(self, data, ctx):
        return self.fn(data)


class _Noop:
    def __init__(self, name):
        self.name = name

    def transform(self, data, ctx):
        return data


_ARN = re.compile(r"^arn:(aws[a-zA-Z-]*)?:([^:]*):([^:]*):([^:]*):(.*)$")


def _resource_name_fn(key, value):
    if not isinstance(value, str):
        return None
    m = _ARN.match(value)
    if not m:
        return None
    res = m.group(5)
    if _is_placeholder(res):
        return None
    if ":changeSet/" in value:
        return value.split(":changeSet/")[-1]
    if "/" in res:
        return res.split("/")[-1]
    if ":" in res:
        return res.split(":")[-1]
    return res


class _OnlyIfRecorded:
    """A transformer applied only when the recording shows its placeholder:
    LocalStack's cloudformation_api() did not always replace
    PhysicalResourceId (test_ec2_resource_provider, 2024-04, keeps the ids)."""

    def __init__(self, inner, placeholder):
        self.inner, self.placeholder = inner, placeholder

    def transform(self, data, ctx):
        if self.placeholder not in ctx.recorded_text:
            return data
        return self.inner.transform(data, ctx)


class TransformerUtility:
    """snapshot.transform: the helpers LocalStack's tests call, approximated."""

    @staticmethod
    def key_value(key, value_replacement=None, reference_replacement=True):
        return KeyValueBasedTransformer(
            lambda k, v: v if k == key else None,
            value_replacement or _kebab(key),
            reference_replacement,
        )

    @staticmethod
    def jsonpath(jsonpath, value_replacement, reference_replacement=True):
        return JsonpathTransformer(jsonpath, value_replacement, reference_replacement)

    @staticmethod
    def regex(regex, replacement):
        return RegexTransformer(regex, replacement)

    @staticmethod
    def resource_name(replacement_name="resource"):
        return KeyValueBasedTransformer(_resource_name_fn, replacement_name)

    @staticmethod
    def key_value_regex(key, value_regex, replacement):
        rx = re.compile(value_regex)
        return KeyValueBasedTransformer(
            lambda k, v: (rx.search(v).group(0) if isinstance(v, str) and k == key and rx.search(v) else None),
            replacement,
        )

    @staticmethod
    def cloudformation_api():
        t = TransformerUtility
        return [
            t.resource_name(),
            t.key_value("ChangeSetName"),
            t.key_value("ChangeSetId"),
            t.key_value("StackName"),
            t.key_value("StackId"),
            _OnlyIfRecorded(t.key_value("PhysicalResourceId"), "<physical-resource-id:"),
            t.key_value("ClientRequestToken"),
        ]

    @staticmethod
    def iam_api():
        t = TransformerUtility
        return [
            t.key_value("UserName"),
            t.key_value("UserId"),
            t.key_value("RoleId"),
            t.key_value("RoleName"),
            t.key_value("PolicyName"),
            t.key_value("PolicyId"),
            t.key_value("GroupName"),
            # the recordings of 2026 (test_iam_instance_profiles) show these
            # replaced too: <instance-profile-name:N>, <instance-profile-id:N>
            t.key_value("InstanceProfileName"),
            t.key_value("InstanceProfileId"),
            # and a page's marker: <marker:N> (test_iam_roles, 2026)
            t.key_value("Marker"),
        ]

    @staticmethod
    def route53_api():
        # approximated from what the Route 53 recordings show: a zone's id
        # <zone-id:N> (alone and in /hostedzone/ paths), its name
        # <zone_name:N>, the change's id "<change-id>" and its status
        # <status:N>, <caller-reference:N>, the name servers "<name-server>"
        t = TransformerUtility
        return [
            _Route53Ids(),
            t.key_value("Status"),
            t.key_value("CallerReference"),
            KeyValueBasedTransformer(
                lambda k, v: v if k == "Name" and isinstance(v, str) and v.endswith(".") else None,
                "zone_name",
            ),
        ]

    @staticmethod
    def cloudwatch_api():
        # approximated from what the CloudWatch recordings show:
        # <alarm-name:N>, <namespace:N>
        t = TransformerUtility
        return [
            t.key_value("AlarmName"),
            t.key_value("Namespace"),
        ]

    @staticmethod
    def logs_api():
        # approximated from what the CloudWatch Logs recordings show:
        # <log-group-name:N>, <log-stream-name:N>, "<next_token>" as given
        t = TransformerUtility
        return [
            t.key_value("logGroupName"),
            t.key_value("logStreamName"),
            t.key_value("nextToken", "<next_token>", reference_replacement=False),
        ]

    def __getattr__(self, name):
        # A service-specific helper (sqs_api(), lambda_api(), ...) the harness
        # does not know: a transformer that changes nothing.
        if name.startswith("__"):
            raise AttributeError(name)
        LOG.warning("snapshot.transform.%s is not approximated; no-op", name)
        return lambda *a, **kw: _Noop(name)


_TBLEN = re.compile(r" tblen=\d+>$")


def _without_tblen(value):
    """A recorded pytest.raises ends in its traceback's length (tblen=N),
    which counts botocore's own frames and so its version, not AWS: left out
    on both sides."""
    if isinstance(value, str):
        return _TBLEN.sub(">", value) if value.startswith("<ExceptionInfo ") else value
    if isinstance(value, dict):
        return {k: _without_tblen(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_without_tblen(v) for v in value]
    return value


# jsonpath-ng also reads `a.[*]` as `a[*]` (LocalStack's route53 record set tests write it).
_STEP = re.compile(r"(\.\.|\.)([A-Za-z0-9_\-:$@]+|\*)|\.?\[(\d+|\*)\]|\['([^']+)'\]")


def _jsonpath_steps(path):
    if not path.startswith("$"):
        raise ValueError(f"unsupported jsonpath {path!r}")
    steps, pos = [], 1
    while pos < len(path):
        m = _STEP.match(path, pos)
        if not m:
            raise ValueError(f"unsupported jsonpath {path!r} at {path[pos:]!r}")
        if m.group(1):
            steps.append(("desc" if m.group(1) == ".." else "child", m.group(2)))
        elif m.group(3):
            steps.append(("index", m.group(3)))
        else:
            steps.append(("child", m.group(4)))
        pos = m.end()
    return steps


def _descendants(value):
    yield value
    if isinstance(value, dict):
        for v in value.values():
            yield from _descendants(v)
    elif isinstance(value, list):
        for v in value:
            yield from _descendants(v)


def _children(value, name):
    if isinstance(value, dict):
        if name == "*":
            return [(value, k) for k in value]
        return [(value, name)] if name in value else []
    if isinstance(value, list) and name == "*":
        return [(value, i) for i in range(len(value))]
    return []


def _jsonpath_find(data, path):
    """[(parent, key)] of the nodes a jsonpath (a subset: $, .a, ..a, [n], [*], .[*], .*) selects."""
    nodes = [(None, None)]

    def value(n):
        parent, key = n
        return data if parent is None else parent[key]

    for kind, arg in _jsonpath_steps(path):
        out = []
        for n in nodes:
            v = value(n)
            if kind == "child":
                out.extend(_children(v, arg))
            elif kind == "desc":
                for d in _descendants(v):
                    out.extend(_children(d, arg))
            elif isinstance(v, list):
                out.extend([(v, i) for i in range(len(v))] if arg == "*" else ([(v, int(arg))] if int(arg) < len(v) else []))
            elif arg == "*" and v not in (None, "", {}):
                out.append(n)  # jsonpath-ng: [*] of a dict or scalar is the value itself
        seen, nodes = set(), []
        for p, k in out:
            if (id(p), k) not in seen:
                seen.add((id(p), k))
                nodes.append((p, k))
    return [n for n in nodes if n[0] is not None]


def _delete_paths(data, paths):
    for path in paths:
        found = _jsonpath_find(data, path)
        # delete list items from the back so indexes stay valid
        for parent, key in sorted(found, key=lambda n: n[1] if isinstance(n[1], int) else -1, reverse=True):
            try:
                del parent[key]
            except (KeyError, IndexError, TypeError):
                pass


def _json_object(text):
    try:
        v = json.loads(text)
    except ValueError:
        return None
    return v if isinstance(v, dict) else None


_EPOCH_KEY = re.compile(r"(Time|Timestamp|[tT]imestamp)$")


def _normalize(obj):
    """The observed value as JSON-like data, with LocalStack's default
    normalisations: datetimes, response metadata."""
    if isinstance(obj, dict):
        out = {}
        for k, v in obj.items():
            if k == "ResponseMetadata" and isinstance(v, dict):
                out[k] = {"HTTPHeaders": {}, "HTTPStatusCode": v.get("HTTPStatusCode")}
            elif isinstance(v, str) and v.startswith("{") and _json_object(v) is not None:
                # as localstack-snapshot: a JSON object in a string is compared
                # as the object (a VPC endpoint's PolicyDocument)
                out[k] = _normalize(_json_object(v))
            elif _EPOCH_KEY.search(k) and isinstance(v, int) and not isinstance(v, bool) and len(str(v)) in (10, 13):
                # LocalStack writes an epoch (seconds or milliseconds) under a
                # time key as "timestamp" (CloudWatch Logs' creationTime)
                out[k] = "timestamp"
            else:
                out[k] = _normalize(v)
        return out
    if isinstance(obj, (list, tuple)):
        return [_normalize(v) for v in obj]
    if isinstance(obj, (datetime.datetime, datetime.date)):
        return "<datetime>"
    if isinstance(obj, bytes):
        return obj.decode("utf-8", "replace")
    if isinstance(obj, (str, int, float, bool)) or obj is None:
        return obj
    return str(obj)


_DATE_MARKS = ("<datetime>", "datetime", "<timestamp>", "timestamp")


def _diff(expected, actual, path="$"):
    out = []
    if isinstance(expected, dict) and isinstance(actual, dict):
        for k in expected:
            if k not in actual:
                out.append(f"{path}.{k}: missing (AWS: {json.dumps(expected[k])[:200]})")
            else:
                out.extend(_diff(expected[k], actual[k], f"{path}.{k}"))
        for k in actual:
            if k not in expected:
                out.append(f"{path}.{k}: not in AWS's response (got {json.dumps(actual[k])[:200]})")
    elif isinstance(expected, list) and isinstance(actual, list):
        if len(expected) != len(actual):
            out.append(f"{path}: {len(actual)} items, AWS {len(expected)}")
        for i, (e, a) in enumerate(zip(expected, actual)):
            out.extend(_diff(e, a, f"{path}[{i}]"))
    elif expected in _DATE_MARKS and actual in _DATE_MARKS:
        pass  # recordings of different years spell a date differently
    elif expected != actual or type(expected) is not type(actual):
        out.append(f"{path}: {json.dumps(actual)[:200]} != AWS {json.dumps(expected)[:200]}")
    return out


class SnapshotSession:
    """LocalStack's `snapshot` fixture, approximated (see the module doc)."""

    def __init__(self, file_path, scope_key, account_id, region):
        self.file_path, self.scope_key = file_path, scope_key
        self.transform = TransformerUtility()
        self._transformers = []  # (priority, seq, transformer)
        self.observed = {}
        self.recorded = None
        self.recorded_date = None
        if os.path.exists(file_path):
            with open(file_path) as f:
                entry = json.load(f).get(scope_key)
            if entry is not None:
                self.recorded = entry.get("recorded-content", {})
                with contextlib.suppress(ValueError, TypeError):
                    self.recorded_date = datetime.datetime.strptime(
                        entry.get("recorded-date", ""), "%d-%m-%Y, %H:%M:%S"
                    )
        self._defaults = []
        if account_id:
            self._defaults.append(RegexTransformer(re.compile(re.escape(account_id)), "1" * 12))
        recorded_text = json.dumps(self.recorded) if self.recorded is not None else ""
        if "arn:aws:" in recorded_text and "arn:<partition>:" not in recorded_text:
            # a recording made before LocalStack replaced the partition
            # (test_logs.py::test_logstream, 2022; test_iam.py::test_server_certificate,
            # 2024-03): its ARNs keep arn:aws:, and so do ours
            pass
        else:
            self._defaults.append(RegexTransformer(re.compile(r"arn:aws(-[a-z]+(-[a-z]+)*)?:"), "arn:<partition>:"))
        if region:
            self._defaults.append(RegexTransformer(re.compile(re.escape(region)), "<region>"))
        # a value that is a UUID (a stack event's EventId): "<uuid:N>"
        self._defaults.append(KeyValueBasedTransformer(lambda k, v: v if isinstance(v, str) and _UUID.fullmatch(v) else None, "uuid"))

    def add_transformer(self, transformer, *, priority=0):
        if isinstance(transformer, (list, tuple)):
            for t in transformer:
                self.add_transformer(t, priority=priority)
            return
        self._transformers.append((priority, len(self._transformers), transformer))

    def add_transformers_list(self, transformer_list, *, priority=0):
        for t in transformer_list:
            self.add_transformer(t, priority=priority)

    def match(self, key, obj):
        if key in self.observed:
            raise Exception(f"snapshot key {key!r} used twice in {self.scope_key}")
        if isinstance(obj, pytest.ExceptionInfo):
            # as LocalStack's snapshot records a pytest.raises: its repr,
            # "<ExceptionInfo Error('message') tblen=N>"
            obj = repr(obj)
        self.observed[key] = copy.deepcopy(obj)

    def transformed(self):
        state = _normalize(self.observed)
        aliases = {}
        if self.recorded_date is not None and self.recorded_date < datetime.datetime(2023, 7, 1):
            # LocalStack's cloudformation_api() named a change set's name
            # "change-set-id" in recordings up to June 2023 (test_empty_changeset,
            # test_nested_conditions), "change-set-name" from November 2023 on
            aliases["change-set-name"] = "change-set-id"
        ctx = TransformContext(aliases)
        ctx.recorded_text = json.dumps(self.recorded) if self.recorded is not None else ""
        ordered = [t for _, _, t in sorted(self._transformers, key=lambda x: (x[0], x[1]))]
        for t in ordered + self._defaults:
            state = t.transform(state, ctx) if hasattr(t, "transform") else t(state)
        text = json.dumps(state)
        for fn in ctx.serialized:
            text = fn(text)
        return json.loads(text)

    def verify(self, skip_paths=()):
        if not self.observed:
            return
        if self.recorded is None:
            raise AssertionError(f"no recorded AWS snapshot for {self.scope_key} in {self.file_path}")
        actual = _without_tblen(self.transformed())
        expected = _without_tblen(copy.deepcopy(self.recorded))
        _delete_paths(actual, skip_paths)
        _delete_paths(expected, skip_paths)
        problems = []
        for key in expected:
            if key not in actual:
                problems.append(f"{key}: not matched by the test run (AWS recorded it)")
                continue
            problems.extend(_diff(expected[key], actual[key], f"$.{key}"))
        for key in actual:
            if key not in expected:
                problems.append(f"{key}: matched, but AWS has no recording of it")
        if problems:
            raise AssertionError(
                "snapshot differs from AWS's recorded response:\n  " + "\n  ".join(problems)
            )


# --------------------------------------------------------------------------
# Fixtures


class ClientSet:
    """aws_client.ec2, .sts, .cloudformation, .lambda_, .cognito_idp ...:
    boto3 clients on the endpoint, created on first use."""

    def __init__(self, session, region, config=None, endpoint=None):
        self._session, self._region, self._config = session, region, config
        self._endpoint = endpoint or ENDPOINT
        self._clients = {}

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        service = name.rstrip("_").replace("_", "-")
        if service not in self._clients:
            self._clients[service] = self._session.client(
                service, region_name=self._region, endpoint_url=self._endpoint, config=self._config
            )
            if service == "cloudformation":
                self._clients[service].meta.events.register(
                    "before-parameter-build.cloudformation", _aws_s3_urls
                )
        return self._clients[service]


def _boto_session(access_key=None, secret_key=None, token=None):
    import boto3

    return boto3.Session(
        aws_access_key_id=access_key or ACCESS_KEY,
        aws_secret_access_key=secret_key or SECRET_KEY,
        aws_session_token=token,
    )


@pytest.fixture(scope="session")
def aws_session():
    return _boto_session()


@pytest.fixture(scope="session")
def aws_client(aws_session):
    # LocalStack's test clients skip botocore's parameter validation, so
    # the server answers invalid input as AWS did when the snapshot was taken.
    from botocore.config import Config

    return ClientSet(aws_session, REGION, Config(parameter_validation=False))


@pytest.fixture(scope="session")
def aws_client_no_retry(aws_session):
    from botocore.config import Config

    return ClientSet(aws_session, REGION, Config(retries={"max_attempts": 1}))


@pytest.fixture(scope="session")
def aws_client_factory():
    def factory(
        region_name=None,
        aws_access_key_id=None,
        aws_secret_access_key=None,
        aws_session_token=None,
        config=None,
        endpoint_url=None,
        **kwargs,
    ):
        s = _boto_session(aws_access_key_id, aws_secret_access_key, aws_session_token)
        return ClientSet(s, region_name or REGION, config, endpoint_url)

    return factory


@pytest.fixture(scope="session")
def region_name():
    return REGION


@pytest.fixture(scope="session")
def region():
    """LocalStack's older name of region_name (route53/test_route53.py uses it)."""
    return REGION


@pytest.fixture(scope="session")
def secondary_region_name():
    return SECONDARY_REGION


@pytest.fixture(scope="session")
def account_id(aws_client):
    return aws_client.sts.get_caller_identity()["Account"]


@pytest.fixture(scope="session")
def partition():
    return "aws"


@pytest.fixture
def cleanups():
    fns = []
    yield fns
    for fn in reversed(fns):
        try:
            fn()
        except Exception as e:  # noqa: BLE001 - best effort, as LocalStack's
            LOG.debug("cleanup failed: %s", e)


def _snapshot_file(item):
    return os.path.splitext(str(item.fspath))[0] + ".snapshot.json"


def _scope_key(item):
    """The test's key in the snapshot file: its node id from the repository
    root (tests/aws/...)."""
    path = str(item.fspath).replace(os.sep, "/")
    i = path.rfind("/tests/aws/")
    rel = path[i + 1 :] if i >= 0 else item.nodeid.split("::")[0]
    return rel + "::" + "::".join(item.nodeid.split("::")[1:])


@pytest.fixture
def snapshot(request, aws_client):
    try:
        acct = aws_client.sts.get_caller_identity()["Account"]
    except Exception:  # noqa: BLE001 - STS not served: no account replacement
        acct = None
    return SnapshotSession(_snapshot_file(request.node), _scope_key(request.node), acct, REGION)


@pytest.fixture
def ec2_create_security_group(aws_client):
    created = []

    def factory(ports=None, ip_protocol="tcp", **kwargs):
        kwargs.setdefault("GroupName", f"sg-{_short_uid()}")
        allowed = ("Description", "GroupName", "VpcId", "TagSpecifications", "DryRun")
        sg = aws_client.ec2.create_security_group(**{k: v for k, v in kwargs.items() if k in allowed})
        created.append(sg["GroupId"])
        if ports:
            aws_client.ec2.authorize_security_group_ingress(
                GroupId=sg["GroupId"],
                IpPermissions=[
                    {"IpProtocol": ip_protocol, "FromPort": p, "ToPort": p, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}
                    for p in ports
                ],
            )
        return sg

    yield factory
    for gid in created:
        with contextlib.suppress(Exception):
            aws_client.ec2.delete_security_group(GroupId=gid)


@pytest.fixture
def s3_create_bucket(aws_client):
    buckets = []

    def factory(**kwargs):
        kwargs.setdefault("Bucket", f"test-bucket-{_short_uid()}")
        aws_client.s3.create_bucket(**kwargs)
        buckets.append(kwargs["Bucket"])
        return kwargs["Bucket"]

    yield factory
    for b in buckets:
        with contextlib.suppress(Exception):
            aws_client.s3.delete_bucket(Bucket=b)


@pytest.fixture
def s3_bucket(s3_create_bucket):
    return s3_create_bucket()


@pytest.fixture
def create_parameter(aws_client):
    """create_parameter(**PutParameter arguments): PutParameter's answer; the
    parameter is deleted after the test."""
    names = []

    def factory(**kwargs):
        out = aws_client.ssm.put_parameter(**kwargs)
        names.append(kwargs["Name"])
        return out

    yield factory
    for n in names:
        with contextlib.suppress(Exception):
            aws_client.ssm.delete_parameter(Name=n)


@pytest.fixture
def events_create_event_bus(aws_client):
    """events_create_event_bus(**CreateEventBus arguments): CreateEventBus's
    answer; the bus (and the rules left on it) deleted after the test."""
    names = []

    def factory(**kwargs):
        out = aws_client.events.create_event_bus(**kwargs)
        names.append(kwargs["Name"])
        return out

    yield factory
    for n in names:
        with contextlib.suppress(Exception):
            for rule in aws_client.events.list_rules(EventBusName=n).get("Rules", []):
                aws_client.events.delete_rule(Name=rule["Name"], EventBusName=n, Force=True)
            aws_client.events.delete_event_bus(Name=n)


@pytest.fixture
def events_put_rule(aws_client):
    """events_put_rule(**PutRule arguments): PutRule's answer; the rule (its
    targets first) deleted after the test."""
    rules = []

    def factory(**kwargs):
        out = aws_client.events.put_rule(**kwargs)
        rules.append((kwargs["Name"], kwargs.get("EventBusName", "default")))
        return out

    yield factory
    for name, bus in rules:
        with contextlib.suppress(Exception):
            ids = [t["Id"] for t in aws_client.events.list_targets_by_rule(Rule=name, EventBusName=bus).get("Targets", [])]
            if ids:
                aws_client.events.remove_targets(Rule=name, EventBusName=bus, Ids=ids, Force=True)
            aws_client.events.delete_rule(Name=name, EventBusName=bus, Force=True)


@pytest.fixture
def create_secret(aws_client):
    """create_secret(**CreateSecret arguments), deleted after the test."""
    arns = []

    def factory(**kwargs):
        out = aws_client.secretsmanager.create_secret(**kwargs)
        arns.append(out["ARN"])
        return out

    yield factory
    for a in arns:
        with contextlib.suppress(Exception):
            aws_client.secretsmanager.delete_secret(SecretId=a, ForceDeleteWithoutRecovery=True)


@pytest.fixture
def route53_hosted_zone(aws_client):
    """route53_hosted_zone(**CreateHostedZone arguments): a public hosted
    zone (Name www.<uid>.com. and a CallerReference unless given); returns
    CreateHostedZone's answer. Emptied of its records and deleted after the
    test."""
    zones = []

    def factory(**kwargs):
        kwargs.setdefault("Name", f"www.{_short_uid()}.com.")
        kwargs.setdefault("CallerReference", f"ref-{_short_uid()}")
        out = aws_client.route53.create_hosted_zone(**kwargs)
        zones.append(out["HostedZone"]["Id"])
        return out

    yield factory
    for z in zones:
        with contextlib.suppress(Exception):
            sets = aws_client.route53.list_resource_record_sets(HostedZoneId=z)["ResourceRecordSets"]
            changes = [
                {"Action": "DELETE", "ResourceRecordSet": rs}
                for rs in sets
                if rs["Type"] not in ("NS", "SOA")
            ]
            if changes:
                aws_client.route53.change_resource_record_sets(
                    HostedZoneId=z, ChangeBatch={"Changes": changes}
                )
        with contextlib.suppress(Exception):
            aws_client.route53.delete_hosted_zone(Id=z)


@pytest.fixture
def hosted_zone(route53_hosted_zone):
    """hosted_zone(**CreateHostedZone arguments): as route53_hosted_zone."""
    return route53_hosted_zone


@pytest.fixture
def create_role(aws_client):
    """create_role(**CreateRole arguments): a role, deleted (with its
    policies) after the test."""
    created = []

    def factory(iam_client=None, **kwargs):
        kwargs.setdefault("RoleName", f"role-{_short_uid()}")
        iam = iam_client or aws_client.iam
        out = iam.create_role(**kwargs)
        created.append((iam, out["Role"]["RoleName"]))
        return out

    yield factory
    for iam, name in reversed(created):
        with contextlib.suppress(Exception):
            for p in iam.list_attached_role_policies(RoleName=name).get("AttachedPolicies", []):
                iam.detach_role_policy(RoleName=name, PolicyArn=p["PolicyArn"])
        with contextlib.suppress(Exception):
            for p in iam.list_role_policies(RoleName=name).get("PolicyNames", []):
                iam.delete_role_policy(RoleName=name, PolicyName=p)
        with contextlib.suppress(Exception):
            iam.delete_role(RoleName=name)


@pytest.fixture
def acm_request_certificate(aws_client_factory):
    """acm_request_certificate(**RequestCertificate arguments, region_name=None):
    the answer; DomainName defaults to test-domain-<uid>.localhost.localstack.cloud
    as LocalStack's fixture; the certificates are deleted after the test."""
    created = []

    def factory(**kwargs):
        kwargs.setdefault("DomainName", f"test-domain-{_short_uid()}.localhost.localstack.cloud")
        acm = aws_client_factory(region_name=kwargs.pop("region_name", None)).acm
        out = acm.request_certificate(**kwargs)
        created.append((acm, out["CertificateArn"]))
        return out

    yield factory
    for acm, arn in created:
        with contextlib.suppress(Exception):
            acm.delete_certificate(CertificateArn=arn)


@pytest.fixture
def create_instance_profile(aws_client):
    """create_instance_profile(**CreateInstanceProfile arguments): the
    answer; the profile (its roles removed first) deleted after the test."""
    created = []

    def factory(**kwargs):
        out = aws_client.iam.create_instance_profile(**kwargs)
        created.append(out["InstanceProfile"]["InstanceProfileName"])
        return out

    yield factory
    iam = aws_client.iam
    for name in reversed(created):
        with contextlib.suppress(Exception):
            for r in iam.get_instance_profile(InstanceProfileName=name)["InstanceProfile"]["Roles"]:
                iam.remove_role_from_instance_profile(InstanceProfileName=name, RoleName=r["RoleName"])
        with contextlib.suppress(Exception):
            iam.delete_instance_profile(InstanceProfileName=name)


@pytest.fixture
def create_policy(aws_client):
    """create_policy(**CreatePolicy arguments): the answer; the policy
    (its other versions first) deleted after the test."""
    created = []

    def factory(iam_client=None, **kwargs):
        iam = iam_client or aws_client.iam
        out = iam.create_policy(**kwargs)
        created.append((iam, out["Policy"]["Arn"]))
        return out

    yield factory
    for iam, arn in reversed(created):
        with contextlib.suppress(Exception):
            for v in iam.list_policy_versions(PolicyArn=arn)["Versions"]:
                if not v["IsDefaultVersion"]:
                    iam.delete_policy_version(PolicyArn=arn, VersionId=v["VersionId"])
        with contextlib.suppress(Exception):
            iam.delete_policy(PolicyArn=arn)


@pytest.fixture
def kms_create_key(aws_client):
    """kms_create_key(**CreateKey arguments): the KeyMetadata (KMS: a
    service ecsnet does not emulate, so this fails there)."""

    def factory(**kwargs):
        return aws_client.kms.create_key(**kwargs)["KeyMetadata"]

    return factory


@pytest.fixture
def wait_and_assume_role(aws_client):
    """wait_and_assume_role(role_arn, session_name, **AssumeRole arguments):
    the Credentials of the first AssumeRole that succeeds."""

    def assume(role_arn, session_name=None, **kwargs):
        session_name = session_name or f"session-{_short_uid()}"
        return _retry(
            lambda: aws_client.sts.assume_role(RoleArn=role_arn, RoleSessionName=session_name, **kwargs)[
                "Credentials"
            ],
            retries=3,
            sleep=1,
        )

    return assume


class DeployResult(types.SimpleNamespace):
    pass


class StackDeployError(Exception):
    """A stack that did not reach CREATE_COMPLETE/UPDATE_COMPLETE, as
    LocalStack's deploy_cfn_template raises it: `describe_result` and
    `events` (DescribeStackEvents' StackEvents, newest first)."""

    def __init__(self, describe_result, events):
        self.describe_result = describe_result
        self.events = events
        lines = [
            f"{e.get('LogicalResourceId')} {e.get('ResourceStatus')} {e.get('ResourceStatusReason', '')}"
            for e in reversed(events)
        ]
        super().__init__(
            f"stack {describe_result.get('StackName')}: {describe_result.get('StackStatus')}\n"
            + "\n".join(lines)
        )


@pytest.fixture
def deploy_cfn_template(aws_client):
    """Deploys a template through a change set, as LocalStack's fixture of
    that name does, and deletes the stacks after the test."""
    stacks = []

    def deploy(
        *,
        is_update=False,
        stack_name=None,
        change_set_name=None,
        template=None,
        template_path=None,
        template_mapping=None,
        parameters=None,
        role_arn=None,
        max_wait=None,
        delay_between_polls=None,
        custom_aws_client=None,
        raw_parameters=None,
    ):
        client = (custom_aws_client or aws_client).cloudformation
        if template_path is not None:
            with open(template_path) as f:
                template = f.read()
        if template_mapping:
            import jinja2

            template = jinja2.Template(template).render(**template_mapping)
        stack_name = stack_name or f"stack-{_short_uid()}"
        change_set_name = change_set_name or f"change-set-{_short_uid()}"
        params = raw_parameters or [
            {"ParameterKey": k, "ParameterValue": v} for k, v in (parameters or {}).items()
        ]
        kwargs = dict(
            StackName=stack_name,
            ChangeSetName=change_set_name,
            TemplateBody=template,
            Capabilities=["CAPABILITY_AUTO_EXPAND", "CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"],
            ChangeSetType="UPDATE" if is_update else "CREATE",
            Parameters=params,
        )
        if role_arn:
            kwargs["RoleARN"] = role_arn
        cs = client.create_change_set(**kwargs)
        delay = delay_between_polls or 1
        attempts = int((max_wait or 600) / delay)
        waiter_cfg = {"Delay": delay, "MaxAttempts": attempts}
        client.get_waiter("change_set_create_complete").wait(
            ChangeSetName=cs["Id"], StackName=cs["StackId"], WaiterConfig=waiter_cfg
        )
        client.execute_change_set(ChangeSetName=cs["Id"], StackName=cs["StackId"])

        def destroy():
            client.delete_stack(StackName=cs["StackId"])
            client.get_waiter("stack_delete_complete").wait(StackName=cs["StackId"], WaiterConfig=waiter_cfg)

        if not is_update:
            stacks.append(destroy)
        waiter = "stack_update_complete" if is_update else "stack_create_complete"
        try:
            client.get_waiter(waiter).wait(StackName=cs["StackId"], WaiterConfig=waiter_cfg)
        except botocore.exceptions.WaiterError:
            # as LocalStack's fixture: a stack that did not deploy raises
            # StackDeployError with its description and events
            desc = client.describe_stacks(StackName=cs["StackId"])["Stacks"][0]
            events = client.describe_stack_events(StackName=cs["StackId"])["StackEvents"]
            raise StackDeployError(desc, events) from None
        desc = client.describe_stacks(StackName=cs["StackId"])["Stacks"][0]
        outputs = {o["OutputKey"]: o["OutputValue"] for o in desc.get("Outputs", [])}
        return DeployResult(
            change_set_id=cs["Id"],
            stack_id=cs["StackId"],
            stack_name=stack_name,
            change_set_name=change_set_name,
            outputs=outputs,
            destroy=destroy,
        )

    yield deploy
    for destroy in reversed(stacks):
        with contextlib.suppress(Exception):
            destroy()


# --------------------------------------------------------------------------
# Hooks: imports, selection, snapshot verification, the summary


sys.meta_path.insert(0, _FakeFinder())


@pytest.fixture(autouse=True)
def _person_steps(request, monkeypatch):
    _CURRENT_TEST["nodeid"] = request.node.nodeid
    if _is_aws_cloud():
        import builtins

        monkeypatch.setattr(builtins, "input", _operator_input)
    yield
    _CURRENT_TEST["nodeid"] = ""


def pytest_addoption(parser):
    g = parser.getgroup("localstack-suite")
    g.addoption("--ls-all", action="store_true", help="also run tests not marked markers.aws.validated")
    g.addoption("--ls-no-snapshot", action="store_true", help="do not compare snapshots with AWS's recordings")
    g.addoption(
        "--ls-unskip",
        action="store_true",
        help="also run the AWS-validated tests LocalStack marks skip/skipif (its own gaps, e.g. "
        "'not supported yet' or skipif(not is_aws_cloud()))",
    )


def pytest_configure(config):
    for m in AWS_MARKERS:
        config.addinivalue_line("markers", f"aws_{m}: LocalStack's markers.aws.{m}")
    config.addinivalue_line("markers", "skip_snapshot_verify(paths, condition): snapshot paths not compared")


def _aws_status(item):
    for m in item.iter_markers():
        if m.name.startswith("aws_"):
            return m.name[4:]
    return "none"


def pytest_collection_modifyitems(config, items):
    keep, drop = [], []
    for item in items:
        (keep if config.getoption("--ls-all") or _aws_status(item) == "validated" else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep
    if config.getoption("--ls-unskip"):
        for item in items:
            if _aws_status(item) == "validated":
                # the test's own skip and its class's or module's
                # (`pytestmark = pytest.mark.skip`, test_iam_instance_profiles)
                for node in item.listchain():
                    node.own_markers[:] = [m for m in node.own_markers if m.name not in ("skip", "skipif")]


def _skip_paths(item):
    """(skip everything?, [paths]) from markers.snapshot.skip_snapshot_verify."""
    paths, skip_all = [], False
    for m in item.iter_markers("skip_snapshot_verify"):
        cond = m.kwargs.get("condition")
        if cond is not None and not (cond() if callable(cond) else cond):
            continue
        if m.kwargs.get("paths"):
            paths.extend(m.kwargs["paths"])
        else:
            skip_all = True
    return skip_all, paths


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    outcome = yield
    if outcome.excinfo is not None or item.config.getoption("--ls-no-snapshot"):
        return
    snap = getattr(item, "funcargs", {}).get("snapshot")
    if isinstance(snap, SnapshotSession):
        skip_all, paths = _skip_paths(item)
        if not skip_all:
            snap.verify(paths)


_RESULTS = {}  # node id -> passed, failed, error or skipped


def pytest_runtest_logreport(report):
    results = _RESULTS
    prev = results.get(report.nodeid, "passed")
    if report.failed:
        results[report.nodeid] = "failed" if report.when == "call" else "error"
    elif report.skipped and prev == "passed":
        results[report.nodeid] = "skipped"
    else:
        results.setdefault(report.nodeid, "passed")


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    results = _RESULTS
    counts = {}
    for v in results.values():
        counts[v] = counts.get(v, 0) + 1
    tr = terminalreporter
    tr.section("LocalStack's AWS-validated tests against " + ENDPOINT)
    tr.write_line(
        f"{len(results)} run: "
        + ", ".join(f"{counts.get(k, 0)} {k}" for k in ("passed", "failed", "error", "skipped"))
    )
    for nodeid, v in sorted(results.items()):
        if v != "passed":
            tr.write_line(f"  {v:7} {nodeid}")
    out = os.environ.get("LS_RESULTS")
    if out:
        with open(out, "w") as f:
            json.dump(results, f, indent=1, sort_keys=True)
