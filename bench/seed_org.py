#!/usr/bin/env python3
"""Seed a moto server with an AWS Organization for wasec's organization tests
and benchmark.

usage: seed_org.py ENDPOINT MEMBERS [--findings]

Creates an organization in the management account (123456789012) with two
OUs (Production, Sandbox) and MEMBERS member accounts spread over them. In
every member account, reached through the OrganizationAccountAccessRole
that Organizations creates, it makes a few weak resources and their
compliant twins in us-east-1:
  - an IAM user with a console password and no MFA, and one with MFA
  - a public and a private S3 bucket
  - a security group open to the world on SSH and one closed
With --findings it enables AWS Security Hub CSPM in the management account
and imports control findings for every member (S3.8 failed for the public
bucket and passed for the private one, EC2.19 failed for the open group,
IAM.5 failed for the user without MFA), as a delegated administrator
would see them.

Prints one JSON object: {"management", "ous": {name: id}, "accounts": [..],
"by_ou": {name: [..]}}. Runs with the boto3 that moto installs into .venv/.
"""
import json
import sys

import boto3

MANAGEMENT = "123456789012"
REGION = "us-east-1"
ROLE = "OrganizationAccountAccessRole"


def client(endpoint, service, creds=None):
    kw = dict(region_name=REGION, endpoint_url=endpoint)
    if creds:
        kw.update(
            aws_access_key_id=creds["AccessKeyId"],
            aws_secret_access_key=creds["SecretAccessKey"],
            aws_session_token=creds["SessionToken"],
        )
    else:
        kw.update(aws_access_key_id="testing", aws_secret_access_key="testing")
    return boto3.client(service, **kw)


def organization(endpoint, members):
    org = client(endpoint, "organizations")
    org.create_organization(FeatureSet="ALL")
    root = org.list_roots()["Roots"][0]["Id"]
    ous = {
        name: org.create_organizational_unit(ParentId=root, Name=name)["OrganizationalUnit"]["Id"]
        for name in ("Production", "Sandbox")
    }
    by_ou = {name: [] for name in ous}
    accounts = []
    for i in range(members):
        status = org.create_account(Email=f"member{i}@example.com", AccountName=f"member-{i:03d}")
        account = status["CreateAccountStatus"]["AccountId"]
        name = "Production" if i % 2 == 0 else "Sandbox"
        org.move_account(AccountId=account, SourceParentId=root, DestinationParentId=ous[name])
        by_ou[name].append(account)
        accounts.append(account)
    return ous, by_ou, accounts


def assume(endpoint, account):
    sts = client(endpoint, "sts")
    arn = f"arn:aws:iam::{account}:role/{ROLE}"
    return sts.assume_role(RoleArn=arn, RoleSessionName="wasec-seed")["Credentials"]


def resources(endpoint, account, creds):
    iam = client(endpoint, "iam", creds)
    for user, mfa in (("no-mfa", False), ("with-mfa", True)):
        iam.create_user(UserName=user)
        iam.create_login_profile(UserName=user, Password="Secret-Passw0rd!")
        if mfa:
            serial = iam.create_virtual_mfa_device(VirtualMFADeviceName=user)["VirtualMFADevice"]["SerialNumber"]
            iam.enable_mfa_device(UserName=user, SerialNumber=serial, AuthenticationCode1="123456", AuthenticationCode2="654321")
    s3 = client(endpoint, "s3", creds)
    public, private = f"public-{account}", f"private-{account}"
    for name in (public, private):
        s3.create_bucket(Bucket=name)
    s3.put_bucket_policy(
        Bucket=public,
        Policy=json.dumps({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{public}/*"}],
        }),
    )
    s3.put_public_access_block(
        Bucket=private,
        PublicAccessBlockConfiguration={k: True for k in ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets")},
    )
    ec2 = client(endpoint, "ec2", creds)
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    open_sg = ec2.create_security_group(GroupName="open-ssh", Description="open", VpcId=vpc)["GroupId"]
    ec2.authorize_security_group_ingress(
        GroupId=open_sg,
        IpPermissions=[{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}],
    )
    ec2.create_security_group(GroupName="closed", Description="closed", VpcId=vpc)
    return {"public_bucket": public, "private_bucket": private, "open_sg": open_sg}


def finding(account, control, status, resource_type, resource_id, title):
    now = "2026-11-20T09:00:00Z"
    return {
        "SchemaVersion": "2018-10-08",
        "Id": f"arn:aws:securityhub:{REGION}:{account}:security-control/{control}/finding/{resource_id}",
        "ProductArn": f"arn:aws:securityhub:{REGION}::product/aws/securityhub",
        "GeneratorId": f"security-control/{control}",
        "AwsAccountId": account,
        "Region": REGION,
        "Types": ["Software and Configuration Checks/Industry and Regulatory Standards"],
        "CreatedAt": now,
        "UpdatedAt": now,
        "Severity": {"Label": "HIGH" if status == "FAILED" else "INFORMATIONAL"},
        "Title": title,
        "Description": title,
        "Resources": [{"Type": resource_type, "Id": resource_id, "Region": REGION}],
        "Compliance": {"Status": status, "SecurityControlId": control},
        "RecordState": "ACTIVE",
        "Workflow": {"Status": "NEW"},
        "ProductFields": {"ControlId": control},
    }


def findings(account, made):
    bucket = lambda name: f"arn:aws:s3:::{name}"
    return [
        finding(account, "S3.8", "FAILED", "AwsS3Bucket", bucket(made["public_bucket"]), "S3 general purpose buckets should block public access"),
        finding(account, "S3.8", "PASSED", "AwsS3Bucket", bucket(made["private_bucket"]), "S3 general purpose buckets should block public access"),
        finding(account, "EC2.19", "FAILED", "AwsEc2SecurityGroup", f"arn:aws:ec2:{REGION}:{account}:security-group/{made['open_sg']}", "Security groups should not allow unrestricted access to ports with high risk"),
        finding(account, "IAM.5", "FAILED", "AwsIamUser", f"arn:aws:iam::{account}:user/no-mfa", "MFA should be enabled for all IAM users that have a console password"),
    ]


def main():
    endpoint, members = sys.argv[1], int(sys.argv[2])
    with_findings = "--findings" in sys.argv[3:]
    ous, by_ou, accounts = organization(endpoint, members)
    hub = client(endpoint, "securityhub")
    if with_findings:
        hub.enable_security_hub()
    batch = []
    for account in accounts:
        made = resources(endpoint, account, assume(endpoint, account))
        if with_findings:
            batch.extend(findings(account, made))
            if len(batch) >= 90:
                hub.batch_import_findings(Findings=batch)
                batch = []
    if batch:
        hub.batch_import_findings(Findings=batch)
    print(json.dumps({"management": MANAGEMENT, "ous": ous, "accounts": accounts, "by_ou": by_ou}))


if __name__ == "__main__":
    main()
