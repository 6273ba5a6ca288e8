// Production archive on AWS: an encrypted, versioned, private S3 bucket and the IRSA role Elasticsearch writes it with.
import * as pulumi from '@pulumi/pulumi';
import * as iam from '@pulumi/aws/iam';
import * as s3 from '@pulumi/aws/s3';

export const SNAPSHOT_PREFIX = 'snapshots/';
export const LOG_ARCHIVE_PREFIX = 'log-archives/';

export interface AwsArchiveArgs {
  /** IAM OIDC provider of the EKS cluster: arn:aws:iam::<account>:oidc-provider/<issuer host/path>. */
  oidcProviderArn: string;
  namespace: string;
  serviceAccount: string;
  snapshotRetentionDays: number;
  logArchiveGlacierAfterDays: number;
  logArchiveRetentionDays: number;
  tags: Record<string, string>;
}

/** The issuer (host/path) of an OIDC provider ARN: the prefix of the condition keys in the trust policy. */
export function oidcIssuerOf(providerArn: string): string {
  const marker = ':oidc-provider/';
  const at = providerArn.indexOf(marker);
  if (at < 0) throw new Error(`not an OIDC provider ARN: ${providerArn}`);
  return providerArn.slice(at + marker.length);
}

/** Trust policy: only this namespace's service account, through the cluster's OIDC provider, may assume the role. */
export function trustPolicy(providerArn: string, namespace: string, serviceAccount: string): string {
  const issuer = oidcIssuerOf(providerArn);
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Federated: providerArn },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: {
            [`${issuer}:sub`]: `system:serviceaccount:${namespace}:${serviceAccount}`,
            [`${issuer}:aud`]: 'sts.amazonaws.com',
          },
        },
      },
    ],
  });
}

/** Least privilege: list the two prefixes, read/write/delete objects under them; nothing else in the account. */
export function bucketAccessPolicy(bucketArn: string): string {
  const prefixes = [SNAPSHOT_PREFIX, LOG_ARCHIVE_PREFIX];
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        // These two actions carry no s3:prefix key, so a prefix condition would silently deny them.
        Sid: 'LocateBucket',
        Effect: 'Allow',
        Action: ['s3:GetBucketLocation', 's3:ListBucketMultipartUploads'],
        Resource: bucketArn,
      },
      {
        Sid: 'ListArchivePrefixes',
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: bucketArn,
        Condition: { StringLike: { 's3:prefix': prefixes.flatMap((p) => [p, `${p}*`]) } },
      },
      {
        Sid: 'ReadWriteArchiveObjects',
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
        Resource: prefixes.map((p) => `${bucketArn}/${p}*`),
      },
    ],
  });
}

export class AwsArchive extends pulumi.ComponentResource {
  readonly bucketName: pulumi.Output<string>;
  readonly roleArn: pulumi.Output<string>;

  constructor(name: string, args: AwsArchiveArgs, opts?: pulumi.ComponentResourceOptions) {
    super('digital-twin-observability:index:AwsArchive', name, {}, opts);
    const parent = { parent: this };

    const bucket = new s3.Bucket(name, { forceDestroy: false, tags: args.tags }, { ...parent, protect: true });
    new s3.BucketOwnershipControls(name, { bucket: bucket.id, rule: { objectOwnership: 'BucketOwnerEnforced' } }, parent);
    new s3.BucketPublicAccessBlock(
      name,
      { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
      parent,
    );
    new s3.BucketServerSideEncryptionConfiguration(
      name,
      { bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms' }, bucketKeyEnabled: true }] },
      parent,
    );
    const versioning = new s3.BucketVersioning(name, { bucket: bucket.id, versioningConfiguration: { status: 'Enabled' } }, parent);
    new s3.BucketLifecycleConfiguration(
      name,
      {
        bucket: bucket.id,
        rules: [
          {
            // Snapshot blobs are shared between snapshots: current objects are expired by Elasticsearch's own SLM
            // retention, never by S3. S3 only cleans up what versioning keeps after Elasticsearch deletes.
            id: 'snapshots',
            status: 'Enabled',
            filter: { prefix: SNAPSHOT_PREFIX },
            noncurrentVersionExpiration: { noncurrentDays: args.snapshotRetentionDays },
            abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
          },
          {
            id: 'log-archives',
            status: 'Enabled',
            filter: { prefix: LOG_ARCHIVE_PREFIX },
            transitions: [{ days: args.logArchiveGlacierAfterDays, storageClass: 'GLACIER_IR' }],
            expiration: { days: args.logArchiveRetentionDays },
            noncurrentVersionExpiration: { noncurrentDays: 30 },
            abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
          },
        ],
      },
      { ...parent, dependsOn: [versioning] },
    );
    new s3.BucketPolicy(
      name,
      {
        bucket: bucket.id,
        policy: bucket.arn.apply((arn) =>
          JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              {
                Sid: 'DenyInsecureTransport',
                Effect: 'Deny',
                Principal: '*',
                Action: 's3:*',
                Resource: [arn, `${arn}/*`],
                Condition: { Bool: { 'aws:SecureTransport': 'false' } },
              },
            ],
          }),
        ),
      },
      parent,
    );

    const role = new iam.Role(
      name,
      {
        description: `Elasticsearch in ${args.namespace} writes snapshots and log archives to the archive bucket`,
        assumeRolePolicy: trustPolicy(args.oidcProviderArn, args.namespace, args.serviceAccount),
        maxSessionDuration: 3600,
        tags: args.tags,
      },
      parent,
    );
    new iam.RolePolicy(name, { role: role.id, policy: bucket.arn.apply(bucketAccessPolicy) }, parent);

    this.bucketName = bucket.bucket;
    this.roleArn = role.arn;
    this.registerOutputs({ bucketName: this.bucketName, roleArn: this.roleArn });
  }
}
