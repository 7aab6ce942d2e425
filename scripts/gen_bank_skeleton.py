#!/usr/bin/env python3
"""One-off helper: build the question bank skeleton from ../shared/reference.

Ids, titles, risks and WA Tool choice ids are facts copied from the reference;
all prose (guidance in English and Japanese) is written by hand afterwards.
Kept in the repo so the provenance of the ids is reproducible.
"""
import re, sys, yaml, os

REF = sys.argv[1] if len(sys.argv) > 1 else "../shared/reference"
OUT = sys.argv[2] if len(sys.argv) > 2 else "questions"

pillar = yaml.safe_load(open(os.path.join(REF, "security-pillar.yaml")))
md = open(os.path.join(REF, "evidence-checks.md")).read().splitlines()

bp_rows, check_rows = {}, {}
for line in md:
    if not line.startswith("| "):
        continue
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    if re.match(r"SEC\d\d-BP\d\d$", cells[0]) and len(cells) >= 6:
        bp_rows[cells[0]] = cells
    m = re.match(r"`([a-z0-9_]+\.[a-z0-9_]+)`$", cells[0])
    if m and len(cells) >= 9:
        check_rows[m.group(1)] = cells

def automation(text):
    t = text.lower()
    if t.startswith("automatable"): return "automatable"
    if t.startswith("partial"): return "partial"
    return "process"

def ids(cell, pattern):
    out = []
    for part in re.split(r"[,;]", cell):
        part = part.strip()
        if "unverified" in part or "family" in part or "NIST" in part:
            continue
        for tok in re.findall(pattern, part):
            if tok not in out:
                out.append(tok)
    return out

SERVICE = {
    "iam": "AWS IAM", "organizations": "AWS Organizations", "account": "AWS Account Management",
    "securityhub": "AWS Security Hub", "config": "AWS Config", "guardduty": "Amazon GuardDuty",
    "ec2": "Amazon EC2", "s3": "Amazon S3", "s3control": "Amazon S3", "kms": "AWS KMS",
    "cloudtrail": "AWS CloudTrail", "secretsmanager": "AWS Secrets Manager", "lambda": "AWS Lambda",
    "rds": "Amazon RDS", "elbv2": "Elastic Load Balancing", "elb": "Elastic Load Balancing",
    "acm": "AWS Certificate Manager", "cloudfront": "Amazon CloudFront", "wafv2": "AWS WAF",
    "backup": "AWS Backup", "ecr": "Amazon ECR", "logs": "Amazon CloudWatch Logs",
    "cloudwatch": "Amazon CloudWatch", "accessanalyzer": "IAM Access Analyzer",
    "inspector2": "Amazon Inspector", "macie2": "Amazon Macie", "sso-admin": "AWS IAM Identity Center",
    "ssm": "AWS Systems Manager", "ecs": "Amazon ECS", "codebuild": "AWS CodeBuild",
    "cloudformation": "AWS CloudFormation", "controltower": "AWS Control Tower",
    "network-firewall": "AWS Network Firewall", "shield": "AWS Shield", "fms": "AWS Firewall Manager",
    "route53resolver": "Amazon Route 53 Resolver", "route53": "Amazon Route 53", "events": "Amazon EventBridge",
    "detective": "Amazon Detective", "securitylake": "Amazon Security Lake", "dynamodb": "Amazon DynamoDB",
    "efs": "Amazon EFS", "elasticfilesystem": "Amazon EFS", "sns": "Amazon SNS", "sqs": "Amazon SQS",
    "ram": "AWS RAM", "eks": "Amazon EKS", "codepipeline": "AWS CodePipeline", "signer": "AWS Signer",
    "codeartifact": "AWS CodeArtifact", "fis": "AWS Fault Injection Service", "ssm-incidents": "AWS Systems Manager Incident Manager",
    "ssm-contacts": "AWS Systems Manager Incident Manager", "athena": "Amazon Athena", "glue": "AWS Glue",
    "opensearch": "Amazon OpenSearch Service", "redshift": "Amazon Redshift", "apigateway": "Amazon API Gateway",
    "tag": "AWS Resource Groups Tagging API", "support": "AWS Support", "wellarchitected": "AWS Well-Architected Tool",
    "auditmanager": "AWS Audit Manager", "rolesanywhere": "IAM Roles Anywhere", "sts": "AWS STS",
    "dlm": "Amazon Data Lifecycle Manager", "trustedadvisor": "AWS Trusted Advisor",
}

def services_for(checks):
    out = []
    for c in checks:
        row = check_rows.get(c)
        if not row: continue
        for prefix in re.findall(r"([a-z0-9-]+):[A-Z]", row[3]):
            name = SERVICE.get(prefix)
            if name and name not in out:
                out.append(name)
    return out

def q(s):
    return '"' + s.replace('\\', '\\\\').replace('"', '\\"') + '"'

os.makedirs(OUT, exist_ok=True)
for question in pillar["questions"]:
    qid = question["id"]
    lines = [
        f"# {qid}: one question of the Security pillar. Ids, titles and risk levels are",
        "# framework identifiers; guidance is wasec's own wording.",
        f"id: {qid}",
        f"wa_question_id: {question['wa_question_id']}",
        f"none_of_these_choice_id: {question['none_of_these_choice_id']}",
        f"none_of_these_confidence: {'low' if 'UNVERIFIED' in question['none_of_these_evidence'] else 'high'}",
        "area:",
        f"  en: {q(question['area'])}",
        "  ja: \"\"",
        "title:",
        f"  en: {q(question['title'])}",
        "  ja: \"\"",
        "best_practices:",
    ]
    for bp in question["best_practices"]:
        row = bp_rows[bp["id"]]
        checks = re.findall(r"`([a-z0-9_]+\.[a-z0-9_]+)`", row[5])
        fsbp, cis = [], []
        for c in checks:
            r = check_rows.get(c)
            if not r: continue
            for x in ids(r[5], r"\b([A-Za-z0-9]+\.\d+)\b"):
                if x not in fsbp: fsbp.append(x)
            for x in ids(r[6], r"\b(\d+\.\d+(?:\.\d+)?)\b"):
                if x not in cis: cis.append(x)
        lines += [
            f"  - id: {bp['id']}",
            "    title:",
            f"      en: {q(bp['title'])}",
            "      ja: \"\"",
            "    url:",
            f"      en: {q(bp['source'])}",
            f"      ja: {q(bp['source'].replace('docs.aws.amazon.com/', 'docs.aws.amazon.com/ja_jp/', 1))}",
            f"    risk: {bp['risk']}",
            f"    wa_choice_id: {bp['wa_choice_id']}",
            f"    wa_choice_id_confidence: {bp['wa_choice_id_confidence']}",
            f"    automation: {automation(row[4])}",
            "    good:",
            "      en: \"\"",
            "      ja: \"\"",
            "    improve:",
            "      en: []",
            "      ja: []",
            f"    services: [{', '.join(q(s) for s in services_for(checks))}]",
            f"    checks: [{', '.join(checks)}]",
            "    mappings:",
            f"      security_hub: [{', '.join(q(x) for x in fsbp)}]",
            f"      cis_v3: [{', '.join(q(x) for x in cis)}]",
            "      cyber_trust: []",
        ]
    path = os.path.join(OUT, qid.lower() + ".yaml")
    open(path, "w").write("\n".join(lines) + "\n")
    print(path, len(question["best_practices"]))
