#!/usr/bin/env python3
"""Seed a moto server with an AWS account for wasec's e2e test and benchmark.

usage: seed_moto.py ENDPOINT small|bench [SCALE]

small: a handful of secure and insecure resources in us-east-1 (e2e test).
bench: a realistic account over 3 regions; SCALE (default 20) sizes it. At
       scale 20, about 650 resources: 120 IAM users, 100 buckets, 60
       security groups, 40 instances with volumes, 40 KMS keys, 30 secrets,
       6 load balancers, 6 RDS instances, and (added with issue 12) 12 Lambda
       functions, 30 log groups and 20 EBS snapshots, and per region classic
       load balancers, SNS topics, SQS queues, DynamoDB tables, EFS file
       systems, EKS clusters and API Gateway REST APIs. Weak resources sit
       beside compliant twins (every 5th bucket is public, every other
       instance allows IMDSv1, every 3rd volume is unencrypted ...).
Runs with the boto3 that moto installs into .venv/.
"""
import io
import zipfile
import json
import sys

import boto3

ENDPOINT, SCENARIO = sys.argv[1], sys.argv[2]
SCALE = int(sys.argv[3]) if len(sys.argv) > 3 else 20
ACCOUNT = "123456789012"
REGIONS = ["us-east-1", "eu-west-1", "ap-northeast-1"]


def client(service, region="us-east-1"):
    return boto3.client(
        service,
        region_name=region,
        endpoint_url=ENDPOINT,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess"
PUBLIC = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::%s/*"}]}
TLS = {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": ["arn:aws:s3:::%s", "arn:aws:s3:::%s/*"], "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}


def bucket(s3, name, secure, region="us-east-1"):
    kw = {} if region == "us-east-1" else {"CreateBucketConfiguration": {"LocationConstraint": region}}
    s3.create_bucket(Bucket=name, **kw)
    if secure:
        s3.put_bucket_policy(Bucket=name, Policy=json.dumps(TLS).replace("%s", name))
        s3.put_bucket_encryption(Bucket=name, ServerSideEncryptionConfiguration={"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}}]})
        s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
        s3.put_bucket_ownership_controls(Bucket=name, OwnershipControls={"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]})
    else:
        s3.put_bucket_policy(Bucket=name, Policy=json.dumps(PUBLIC).replace("%s", name))


def default_vpc(ec2):
    return [v for v in ec2.describe_vpcs()["Vpcs"] if v.get("IsDefault")][0]["VpcId"]


def small():
    iam = client("iam")
    iam.create_user(UserName="alice")
    iam.create_login_profile(UserName="alice", Password="Passw0rd!Passw0rd!")
    iam.attach_user_policy(UserName="alice", PolicyArn=ADMIN)
    iam.create_access_key(UserName="alice")
    iam.update_account_password_policy(MinimumPasswordLength=14, PasswordReusePrevention=24, RequireSymbols=True, RequireNumbers=True, RequireUppercaseCharacters=True, RequireLowercaseCharacters=True)
    s3 = client("s3")
    bucket(s3, "public-site", secure=False)
    bucket(s3, "audit-logs", secure=True)
    ec2 = client("ec2")
    sg = ec2.create_security_group(GroupName="ssh-open", Description="ssh", VpcId=default_vpc(ec2))["GroupId"]
    ec2.authorize_security_group_ingress(GroupId=sg, IpPermissions=[{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
    ec2.enable_ebs_encryption_by_default()
    ec2.create_volume(AvailabilityZone="us-east-1a", Size=8, Encrypted=True)
    client("organizations").create_organization(FeatureSet="ALL")
    client("account").put_alternate_contact(AlternateContactType="SECURITY", EmailAddress="sec@example.com", Name="Sec", PhoneNumber="+81-3-0000-0000", Title="CSIRT")


def lambda_zip():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("f.py", "def h(e, c):\n    return 1\n")
    return buf.getvalue()


def bench():
    iam = client("iam")
    iam.create_group(GroupName="developers")
    for i in range(n(120)):
        name = f"user{i:03d}"
        iam.create_user(UserName=name)
        iam.add_user_to_group(GroupName="developers", UserName=name)
        if i % 3 == 0:
            iam.create_login_profile(UserName=name, Password="Passw0rd!Passw0rd!")
        if i % 4 == 0:
            iam.create_access_key(UserName=name)
    iam.attach_user_policy(UserName="user000", PolicyArn=ADMIN)
    for i in range(n(10)):
        iam.create_role(RoleName=f"app-role-{i}", AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}))
        iam.create_instance_profile(InstanceProfileName=f"app-profile-{i}")
    s3 = client("s3")
    for i in range(n(100)):
        bucket(s3, f"bench-bucket-{i:03d}", secure=(i % 5 != 0), region=REGIONS[i % 3])
    for r in REGIONS:
        ec2 = client("ec2", r)
        vpc = default_vpc(ec2)
        for i in range(n(20)):
            sg = ec2.create_security_group(GroupName=f"sg-{i}", Description="bench", VpcId=vpc)["GroupId"]
            port = 22 if i == 0 else 443
            ec2.authorize_security_group_ingress(GroupId=sg, IpPermissions=[{"IpProtocol": "tcp", "FromPort": port, "ToPort": port, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
        count = n(14 if r == "us-east-1" else 13)
        az = r + "a"
        for i in range(count):
            ec2.run_instances(ImageId="ami-12c6146b", MinCount=1, MaxCount=1, MetadataOptions={"HttpTokens": "required" if i % 2 else "optional"})
            ec2.create_volume(AvailabilityZone=az, Size=8, Encrypted=bool(i % 3))
        kms = client("kms", r)
        for i in range(n(14 if r == "us-east-1" else 13)):
            k = kms.create_key(Description=f"bench {i}")["KeyMetadata"]["KeyId"]
            if i % 2:
                kms.enable_key_rotation(KeyId=k)
        sm = client("secretsmanager", r)
        for i in range(n(10)):
            sm.create_secret(Name=f"bench/{i}", SecretString="x")
        elb = client("elbv2", r)
        subnets = [s["SubnetId"] for s in ec2.describe_subnets()["Subnets"]][:2]
        for i in range(n(2)):
            elb.create_load_balancer(Name=f"bench-lb-{i}", Subnets=subnets)
        rds = client("rds", r)
        for i in range(n(2)):
            rds.create_db_instance(DBInstanceIdentifier=f"bench-db-{i}", DBInstanceClass="db.t3.micro", Engine="postgres", MasterUsername="admin", MasterUserPassword="Passw0rd!Passw0rd!", AllocatedStorage=20, StorageEncrypted=bool(i))
        if NEW_KINDS:
            new_kinds(r, ec2, subnets)
            more_services(r)


# Resource kinds the issue-12 checks read. Off for a like-for-like run
# against the pre-issue-12 state: WASEC_BENCH_CLASSIC=1.
NEW_KINDS = __import__("os").environ.get("WASEC_BENCH_CLASSIC") != "1"


def new_kinds(r, ec2, subnets):
    iam = client("iam")
    role = f"arn:aws:iam::{ACCOUNT}:role/app-role-0"
    lam = client("lambda", r)
    code = lambda_zip()
    for i in range(n(4)):
        vpc = {"SubnetIds": subnets[:1], "SecurityGroupIds": []} if i % 2 else {}
        lam.create_function(FunctionName=f"bench-fn-{i}", Runtime="python3.12" if i % 3 else "python3.8", Role=role, Handler="f.h", Code={"ZipFile": code}, VpcConfig=vpc, Environment={"Variables": {"TABLE_NAME": "orders"}})
    logs = client("logs", r)
    for i in range(n(10)):
        logs.create_log_group(logGroupName=f"/bench/app-{i}")
        if i % 2:
            logs.put_retention_policy(logGroupName=f"/bench/app-{i}", retentionInDays=365)
    for v in ec2.describe_volumes()["Volumes"][: n(7)]:
        ec2.create_snapshot(VolumeId=v["VolumeId"])


def n(k):
    return max(1, k * SCALE // 20)


OPEN = {"Version": "2012-10-17", "Statement": [{"Sid": "Anyone", "Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}]}


def more_services(r):
    """Services read through their own SDK crates: weak resources beside
    compliant twins of each kind per region."""
    key = client("kms", r).create_key(Description="team key")["KeyMetadata"]["Arn"]
    elb = client("elb", r)
    cert = f"arn:aws:iam::{ACCOUNT}:server-certificate/web"
    for name, listeners, policy in [
        ("clb-weak", [("HTTP", 80), ("HTTPS", 443)], "ELBSecurityPolicy-2016-08"),
        ("clb-strong", [("HTTPS", 443)], "ELBSecurityPolicy-TLS-1-2-2017-01"),
    ]:
        elb.create_load_balancer(LoadBalancerName=name, AvailabilityZones=[r + "a"], Listeners=[
            {"Protocol": p, "LoadBalancerPort": port, "InstanceProtocol": "HTTP", "InstancePort": 80, **({"SSLCertificateId": cert} if p == "HTTPS" else {})}
            for p, port in listeners])
        elb.create_load_balancer_policy(LoadBalancerName=name, PolicyName="tls", PolicyTypeName="SSLNegotiationPolicyType",
                                        PolicyAttributes=[{"AttributeName": "Reference-Security-Policy", "AttributeValue": policy}])
        elb.set_load_balancer_policies_of_listener(LoadBalancerName=name, LoadBalancerPort=443, PolicyNames=["tls"])
    elb.modify_load_balancer_attributes(LoadBalancerName="clb-strong", LoadBalancerAttributes={"AccessLog": {"Enabled": True, "S3BucketName": "elb-logs"}})
    sns = client("sns", r)
    for i in range(n(2)):
        weak = sns.create_topic(Name=f"topic-weak-{i}")["TopicArn"]
        sns.set_topic_attributes(TopicArn=weak, AttributeName="Policy", AttributeValue=json.dumps(OPEN))
        sns.create_topic(Name=f"topic-strong-{i}", Attributes={"KmsMasterKeyId": key})
    sqs = client("sqs", r)
    for i in range(n(2)):
        sqs.create_queue(QueueName=f"queue-weak-{i}", Attributes={"SqsManagedSseEnabled": "false", "Policy": json.dumps(OPEN)})
        sqs.create_queue(QueueName=f"queue-strong-{i}", Attributes={"KmsMasterKeyId": key})
    ddb = client("dynamodb", r)
    table = {"BillingMode": "PAY_PER_REQUEST", "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}], "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}]}
    for i in range(n(2)):
        ddb.create_table(TableName=f"orders-{i}", **table)
        ddb.create_table(TableName=f"ledger-{i}", DeletionProtectionEnabled=True, SSESpecification={"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": key}, **table)
        ddb.update_continuous_backups(TableName=f"ledger-{i}", PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True})
    efs = client("efs", r)
    weak = efs.create_file_system(CreationToken="weak", Encrypted=False)["FileSystemId"]
    efs.put_file_system_policy(FileSystemId=weak, Policy=json.dumps(OPEN))
    efs.create_file_system(CreationToken="strong", Encrypted=True)
    eks = client("eks", r)
    role = f"arn:aws:iam::{ACCOUNT}:role/eks"
    logs = lambda on: {"clusterLogging": [{"types": ["api", "audit", "authenticator"], "enabled": on}]}
    eks.create_cluster(name="eks-weak", version="1.27", roleArn=role, logging=logs(False),
                       resourcesVpcConfig={"subnetIds": ["subnet-1"], "endpointPublicAccess": True, "publicAccessCidrs": ["0.0.0.0/0"]})
    eks.create_cluster(name="eks-strong", version="1.30", roleArn=role, logging=logs(True),
                       resourcesVpcConfig={"subnetIds": ["subnet-1"], "endpointPublicAccess": False, "endpointPrivateAccess": True},
                       encryptionConfig=[{"resources": ["secrets"], "provider": {"keyArn": key}}])
    apigw = client("apigateway", r)
    for name, auth, kind in [("shop-weak", "NONE", "HTTP"), ("shop-strong", "AWS_IAM", "MOCK")]:
        api = apigw.create_rest_api(name=name, endpointConfiguration={"types": ["REGIONAL"]})["id"]
        root = apigw.get_resources(restApiId=api)["items"][0]["id"]
        items = apigw.create_resource(restApiId=api, parentId=root, pathPart="items")["id"]
        apigw.put_method(restApiId=api, resourceId=items, httpMethod="GET", authorizationType=auth)
        extra = {"integrationHttpMethod": "GET", "uri": "https://backend.example.com/items"} if kind == "HTTP" else {}
        apigw.put_integration(restApiId=api, resourceId=items, httpMethod="GET", type=kind, **extra)
        deployment = apigw.create_deployment(restApiId=api)["id"]
        apigw.create_stage(restApiId=api, stageName="prod", deploymentId=deployment)
        if name == "shop-strong":
            apigw.update_stage(restApiId=api, stageName="prod", patchOperations=[
                {"op": "replace", "path": "/accessLogSettings/destinationArn", "value": f"arn:aws:logs:{r}:{ACCOUNT}:log-group:api-access"},
                {"op": "replace", "path": "/*/*/logging/loglevel", "value": "ERROR"}])
    apigw.create_domain_name(domainName=f"old.{r}.example.com", securityPolicy="TLS_1_0", regionalCertificateArn=f"arn:aws:acm:{r}:{ACCOUNT}:certificate/old")
    apigw.create_domain_name(domainName=f"new.{r}.example.com", securityPolicy="TLS_1_2", regionalCertificateArn=f"arn:aws:acm:{r}:{ACCOUNT}:certificate/new")


{"small": small, "bench": bench}[SCENARIO]()
