#!/usr/bin/env python3
"""A second client for wasec's WA Tool double: boto3.

boto3 builds every request from AWS's own service model (botocore's
wellarchitected/2020-03-31/service-2.json) and, unless told otherwise,
validates every parameter against it before sending. This script starts
the standalone double (`wa-tool-double`), drives each operation wasec uses
through boto3, and checks every response the double sends against the
same model: member names, types, required members, enums, lengths and
list sizes, and the members each error shape requires. Then it checks the
behaviour the model and the API reference describe (idempotency tokens,
name uniqueness, regions, paging, milestones, lens upgrade, retries).

    scripts/wa_double_boto3.py --double target/debug/wa-tool-double
    scripts/wa_double_boto3.py --endpoint http://127.0.0.1:8931   # already running

Exit status 0 when every check passed; the failures are listed otherwise.
"""

import argparse
import json
import re
import subprocess
import sys
import urllib.request

import boto3
import botocore.config
from botocore.exceptions import ClientError, ParamValidationError

REGION = "ap-northeast-1"
PAGE = 4  # the double runs with --page-size 4: every listing pages
problems = []


def check(cond, what):
    if not cond:
        problems.append(what)
        print(f"FAIL {what}")
    return cond


# ---- response validation against the service model -----------------------

def validate(value, shape, path, out):
    """Append to `out` every way `value` departs from `shape`."""
    if value is None:
        out.append(f"{path}: null (the service leaves absent members out)")
        return
    kind = shape.type_name
    if kind == "structure":
        if not isinstance(value, dict):
            out.append(f"{path}: expected an object")
            return
        members = shape.members
        for key, v in value.items():
            if key not in members:
                out.append(f"{path}.{key}: not a member of {shape.name}")
            else:
                validate(v, members[key], f"{path}.{key}", out)
        for req in shape.required_members:
            if req not in value:
                out.append(f"{path}: required member {req} missing")
    elif kind == "list":
        if not isinstance(value, list):
            out.append(f"{path}: expected a list")
            return
        check_range(len(value), shape, path, "items", out)
        for i, v in enumerate(value):
            validate(v, shape.member, f"{path}[{i}]", out)
    elif kind == "map":
        if not isinstance(value, dict):
            out.append(f"{path}: expected a map")
            return
        check_range(len(value), shape, path, "entries", out)
        for k, v in value.items():
            validate(k, shape.key, f"{path}<key>", out)
            validate(v, shape.value, f"{path}[{k}]", out)
    elif kind == "string":
        if not isinstance(value, str):
            out.append(f"{path}: expected a string")
            return
        if shape.enum and value not in shape.enum:
            out.append(f"{path}: {value!r} not in {shape.enum}")
        check_range(len(value.encode("utf-16-le")) // 2, shape, path, "characters", out)
        pattern = shape.metadata.get("pattern")
        if pattern and "\\p" not in pattern and not re.fullmatch(pattern, value):
            out.append(f"{path}: {value!r} does not match {pattern}")
    elif kind in ("integer", "long"):
        if not isinstance(value, int) or isinstance(value, bool):
            out.append(f"{path}: expected an integer")
        else:
            check_range(value, shape, path, "", out)
    elif kind == "boolean":
        if not isinstance(value, bool):
            out.append(f"{path}: expected a boolean")
    elif kind == "timestamp":
        if not isinstance(value, (int, float, str)) or isinstance(value, bool):
            out.append(f"{path}: expected a timestamp")
    elif kind in ("double", "float"):
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            out.append(f"{path}: expected a number")


def check_range(n, shape, path, unit, out):
    lo, hi = shape.metadata.get("min"), shape.metadata.get("max")
    if lo is not None and n < lo:
        out.append(f"{path}: {n} {unit} is below the minimum {lo}")
    if hi is not None and n > hi:
        out.append(f"{path}: {n} {unit} is above the maximum {hi}")


validated = {"responses": 0}


def on_before_parse(operation_model, response_dict, **_):
    """Check the raw body of every response against the model."""
    status = response_dict["status_code"]
    body = response_dict["body"] or b"{}"
    data = json.loads(body)
    out = []
    name = operation_model.name
    if status < 300:
        if operation_model.output_shape is not None:
            validate(data, operation_model.output_shape, name, out)
    else:
        code = response_dict["headers"].get("x-amzn-errortype", "").split(":")[0]
        shapes = {s.name: s for s in operation_model.error_shapes}
        if code not in shapes:
            out.append(f"{name}: error {code} is not an error of this operation in the model")
        else:
            data = {k: v for k, v in data.items() if k != "__type"}
            validate(data, shapes[code], f"{name}!{code}", out)
            want = shapes[code].metadata.get("error", {}).get("httpStatusCode")
            if want and want != status:
                out.append(f"{name}!{code}: HTTP {status}, the model says {want}")
    validated["responses"] += 1
    for p in out:
        check(False, f"response shape: {p}")


def validator_self_test():
    """The validator must catch what it is there to catch."""
    model = boto3.session.Session().client("wellarchitected", region_name=REGION).meta.service_model
    out = []
    bad = {"Workload": {"WorkloadId": "xyz", "Bogus": 1, "Environment": "STAGING", "RiskCounts": {"HIGH": "2"},
                        "NextToken": None, "Lenses": "wellarchitected"}}
    validate(bad, model.operation_model("GetWorkload").output_shape, "self-test", out)
    expected = ["WorkloadId", "Bogus", "Environment", "RiskCounts[HIGH]", "NextToken", "Lenses"]
    for word in expected:
        check(any(word in p for p in out), f"the validator catches {word}: {out}")


# ---- helpers ---------------------------------------------------------------

def client(endpoint, region=REGION, validation=True):
    cfg = botocore.config.Config(
        parameter_validation=validation,
        retries={"max_attempts": 8, "mode": "standard"},
    )
    c = boto3.client(
        "wellarchitected",
        endpoint_url=endpoint,
        region_name=region,
        aws_access_key_id="test",
        aws_secret_access_key="test",
        config=cfg,
    )
    c.meta.events.register("before-parse.wellarchitected", on_before_parse)
    return c


def admin(endpoint, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(endpoint + path, data=data, method=method)
    req.add_header("content-type", "application/json")
    with urllib.request.urlopen(req) as r:
        return json.loads(r.read() or b"{}")


def error_of(fn, **kw):
    try:
        fn(**kw)
    except ClientError as e:
        return e.response
    return None


def new_workload(c, name, token, **extra):
    params = dict(
        WorkloadName=name,
        Description="Checked by boto3",
        Environment="PRODUCTION",
        ReviewOwner="owner@example.com",
        Lenses=["wellarchitected"],
        AwsRegions=[REGION],
        ClientRequestToken=token,
    )
    params.update(extra)
    return c.create_workload(**params)


def all_pages(call, key, **kw):
    items, pages, token = [], 0, None
    while True:
        resp = call(**kw, **({"NextToken": token} if token else {}))
        items += resp[key]
        pages += 1
        token = resp.get("NextToken")
        if not token:
            return items, pages


# ---- scenario --------------------------------------------------------------

def workloads(c, ep):
    ids = [new_workload(c, f"boto3 shop {n}", f"tok-{n}")["WorkloadId"] for n in range(5)]
    check(all(re.fullmatch("[0-9a-f]{32}", i) for i in ids), "workload ids are 32 hex digits")
    again = new_workload(c, "boto3 shop 0", "tok-0")["WorkloadId"]
    check(again == ids[0], "same token, same parameters: the first result")
    e = error_of(new_workload, c=c, name="boto3 shop 0", token="tok-0", Description="Other values")
    check(e and e["Error"]["Code"] == "ConflictException", "same token, other parameters: ConflictException")
    e = error_of(new_workload, c=c, name="BOTO3  Shop 1", token="tok-x")
    check(e and e["Error"]["Code"] == "ConflictException", "names are unique ignoring case and spaces")
    summaries, pages = all_pages(c.list_workloads, "WorkloadSummaries", WorkloadNamePrefix="boto3", MaxResults=2)
    check(len(summaries) == 5 and pages == 3, f"ListWorkloads pages: {len(summaries)} in {pages} pages")
    w = c.get_workload(WorkloadId=ids[0])["Workload"]
    check(w["Owner"] == "123456789012" and w["Lenses"] == ["wellarchitected"], "GetWorkload owner and lenses")
    c.update_workload(WorkloadId=ids[0], Description="Updated by boto3", AccountIds=["111122223333"])
    w = c.get_workload(WorkloadId=ids[0])["Workload"]
    check(w["Description"] == "Updated by boto3" and w["AccountIds"] == ["111122223333"], "UpdateWorkload")
    e = error_of(c.get_workload, WorkloadId="f" * 32)
    check(e and e["Error"]["Code"] == "ResourceNotFoundException" and e.get("ResourceType") == "WORKLOAD",
          "404 names the resource type")
    other = client(ep, "eu-west-1")
    e = error_of(other.get_workload, WorkloadId=ids[0])
    check(e and e["Error"]["Code"] == "ResourceNotFoundException", "workloads are regional")
    return ids[0]


def answers(c, ep, wid):
    qs, pages = all_pages(c.list_answers, "AnswerSummaries", WorkloadId=wid, LensAlias="wellarchitected",
                          PillarId="security", MaxResults=50)
    check(len(qs) == 11 and pages == 3, f"ListAnswers: {len(qs)} questions in {pages} pages of {PAGE}")
    q = next(x for x in qs if x["QuestionId"] == "identities")
    ids = [ch["ChoiceId"] for ch in q["Choices"]]
    check("sec_identities_no" in ids, "the question lists its 'none of these' choice")
    a = c.update_answer(
        WorkloadId=wid, LensAlias="wellarchitected", QuestionId="identities",
        SelectedChoices=[ids[0]],
        ChoiceUpdates={ids[0]: {"Status": "SELECTED", "Notes": "via boto3"},
                       ids[1]: {"Status": "NOT_APPLICABLE", "Reason": "OUT_OF_SCOPE"}},
        Notes="question notes",
    )["Answer"]
    check(a["SelectedChoices"] == [ids[0]] and a["Risk"] in ("HIGH", "MEDIUM", "NONE"), "UpdateAnswer result")
    got = c.get_answer(WorkloadId=wid, LensAlias="wellarchitected", QuestionId="identities")["Answer"]
    notes = {x["ChoiceId"]: x.get("Notes") for x in got["ChoiceAnswers"]}
    check(notes.get(ids[0]) == "via boto3" and got["Notes"] == "question notes", "GetAnswer reads the notes back")
    # A console edit behind the client's back.
    admin(ep, "PATCH", f"/_double/workloads/{wid}/answers/identities", {"Notes": "edited in the console"})
    got = c.get_answer(WorkloadId=wid, LensAlias="wellarchitected", QuestionId="identities")["Answer"]
    check(got["Notes"] == "edited in the console" and got["SelectedChoices"] == [ids[0]], "console edit")
    # boto3 refuses what its validator checks (required members, types,
    # minimum lengths) before sending; the double refuses it too when a
    # client does not check.
    try:
        c.create_milestone(WorkloadId=wid, MilestoneName="ab", ClientRequestToken="short")
        check(False, "boto3 checks the minimum MilestoneName length")
    except ParamValidationError:
        pass
    raw = client(ep, validation=False)
    e = error_of(raw.create_milestone, WorkloadId=wid, MilestoneName="ab", ClientRequestToken="short")
    check(e and e["Error"]["Code"] == "ValidationException", "double: MilestoneName under 3 characters")
    # botocore does not check maximum lengths: the double must.
    e = error_of(c.update_answer, WorkloadId=wid, LensAlias="wellarchitected", QuestionId="identities",
                 Notes="x" * 2085)
    check(e and e["Error"]["Code"] == "ValidationException" and e.get("Fields"), "double: Notes over 2084")
    e = error_of(raw.list_answers, WorkloadId=wid, LensAlias="wellarchitected", MaxResults=51)
    check(e and e["Error"]["Code"] == "ValidationException", "double: MaxResults over 50")
    e = error_of(c.update_answer, WorkloadId=wid, LensAlias="wellarchitected", QuestionId="identities",
                 SelectedChoices=["sec_not_a_choice"])
    check(e and e["Error"]["Code"] == "ValidationException", "double: unknown choice id")
    imp = c.list_lens_review_improvements(WorkloadId=wid, LensAlias="wellarchitected", PillarId="security")
    risky = [x for x in imp["ImprovementSummaries"] if x["Risk"] in ("HIGH", "MEDIUM")]
    check(risky and all(x.get("ImprovementPlanUrl") for x in risky), "ListLensReviewImprovements")


def milestones_and_lens(c, ep, wid):
    n = c.create_milestone(WorkloadId=wid, MilestoneName="boto3 baseline", ClientRequestToken="m1")
    check(n["MilestoneNumber"] == 1, "CreateMilestone numbers from 1")
    e = error_of(c.create_milestone, WorkloadId=wid, MilestoneName="boto3 baseline", ClientRequestToken="m2")
    check(e and e["Error"]["Code"] == "ConflictException", "milestone names are unique per workload")
    lr = c.get_lens_review(WorkloadId=wid, LensAlias="wellarchitected")["LensReview"]
    check(lr["LensStatus"] == "CURRENT", "a new workload is on the current lens")
    admin(ep, "PUT", f"/_double/workloads/{wid}/lens", {
        "LensVersion": "2023-10-03", "LensStatus": "NOT_CURRENT",
        "ExtraChoices": {"protect-compute": [{"ChoiceId": "sec_protect_compute_reduce_surface",
                                              "Title": "Reduce attack surface"}]},
    })
    lr = c.get_lens_review(WorkloadId=wid, LensAlias="wellarchitected")["LensReview"]
    check(lr["LensStatus"] == "NOT_CURRENT" and lr["LensVersion"] == "2023-10-03", "NOT_CURRENT lens")
    c.update_answer(WorkloadId=wid, LensAlias="wellarchitected", QuestionId="protect-compute",
                    SelectedChoices=["sec_protect_compute_reduce_surface"])
    c.upgrade_lens_review(WorkloadId=wid, LensAlias="wellarchitected", MilestoneName="before upgrade",
                          ClientRequestToken="u1")
    lr = c.get_lens_review(WorkloadId=wid, LensAlias="wellarchitected")["LensReview"]
    check(lr["LensStatus"] == "CURRENT", "UpgradeLensReview moves to the current lens")
    got = c.get_answer(WorkloadId=wid, LensAlias="wellarchitected", QuestionId="protect-compute")["Answer"]
    check(got["SelectedChoices"] == [], "the retired choice is gone after the upgrade")
    old = c.get_answer(WorkloadId=wid, LensAlias="wellarchitected", QuestionId="protect-compute",
                       MilestoneNumber=2)["Answer"]
    check(old["SelectedChoices"] == ["sec_protect_compute_reduce_surface"], "the upgrade milestone keeps it")
    e = error_of(c.upgrade_lens_review, WorkloadId=wid, LensAlias="wellarchitected", MilestoneName="again")
    check(e and e["Error"]["Code"] == "ValidationException", "upgrading a current lens is refused")
    ms, pages = all_pages(c.list_milestones, "MilestoneSummaries", WorkloadId=wid, MaxResults=50)
    check([m["MilestoneName"] for m in ms] == ["boto3 baseline", "before upgrade"], "ListMilestones")
    e = error_of(c.get_answer, WorkloadId=wid, LensAlias="wellarchitected", QuestionId="identities",
                 MilestoneNumber=9)
    check(e and e.get("ResourceType") == "MILESTONE", "404 for a missing milestone names it")


def retries(c, ep, wid):
    before = admin(ep, "GET", "/_double/calls").get("GetWorkload", 0)
    admin(ep, "POST", "/_double/faults", {"Operation": "GetWorkload", "Status": 429, "Times": 2})
    admin(ep, "POST", "/_double/faults", {"Operation": "GetWorkload", "Status": 500, "Times": 1})
    c.get_workload(WorkloadId=wid)
    after = admin(ep, "GET", "/_double/calls")["GetWorkload"]
    check(after - before == 4, f"boto3 retried throttling and 5xx ({after - before} attempts)")
    admin(ep, "DELETE", "/_double/faults")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--double", help="path of the wa-tool-double binary to start")
    ap.add_argument("--endpoint", help="a double already running")
    args = ap.parse_args()
    proc = None
    if args.endpoint:
        ep = args.endpoint
        admin(ep, "PUT", "/_double/config", {"PageSize": PAGE})
    else:
        proc = subprocess.Popen([args.double, "--port", "0", "--page-size", str(PAGE), "--exit-on-stdin-close"],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        ep = proc.stdout.readline().strip()
    print(f"double at {ep}; boto3 {boto3.__version__}")
    validator_self_test()
    try:
        c = client(ep)
        wid = workloads(c, ep)
        answers(c, ep, wid)
        milestones_and_lens(c, ep, wid)
        retries(c, ep, wid)
    finally:
        if proc:
            proc.stdin.close()
            proc.wait(timeout=10)
    check(validated["responses"] > 30, f"responses checked against the model: {validated['responses']}")
    if problems:
        print(f"{len(problems)} problem(s)")
        return 1
    print(f"ok: {validated['responses']} responses matched the service model")
    return 0


if __name__ == "__main__":
    sys.exit(main())
