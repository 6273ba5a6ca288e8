// Elasticsearch as a StatefulSet (single node per stack): credentials Secret, kernel setting, volume, log retention (ILM).
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import type { ComputeResources } from '../config';
import { mebibytes } from '../quantity';
import {
  PRIVILEGED_INIT_ANNOTATION,
  checksum,
  hardened,
  labelsFor,
  persistentClaim,
  podSecurity,
  resourcesOf,
  selectorFor,
} from './workload';

export const ELASTICSEARCH_NAME = 'elasticsearch';
export const ELASTICSEARCH_PORT = 9200;
export const CREDENTIALS_PASSWORD_KEY = 'password';
/** Data streams the app's logs go to; the ILM policy below deletes them after the logs retention. */
export const LOG_INDEX_PATTERN = 'logs-digital-twin-*';
const ES_HOME = '/usr/share/elasticsearch';
const WEB_IDENTITY_TOKEN = '/var/run/secrets/eks.amazonaws.com/serviceaccount/token';

export interface SnapshotArchive {
  bucket: pulumi.Output<string>;
  roleArn: pulumi.Output<string>;
  snapshotRetentionDays: number;
}

export interface ElasticsearchArgs {
  namespace: string;
  mode: 'in-cluster' | 'external';
  /** Required for external mode; in-cluster mode serves its own. */
  externalUrl?: string;
  username: string;
  password: pulumi.Output<string>;
  image: string;
  initImage: string;
  curlImage: string;
  resources: ComputeResources;
  storageSize: string;
  storageClassName?: string;
  logRetentionDays: number;
  /** Production: snapshots to S3 through IRSA. */
  archive?: SnapshotArchive;
}

/** ILM policy for the app's log data streams: roll daily, delete after the retention. */
export function logsIlmPolicy(retentionDays: number): object {
  return {
    policy: {
      phases: {
        hot: { actions: { rollover: { max_age: '1d', max_primary_shard_size: '50gb' } } },
        delete: { min_age: `${retentionDays}d`, actions: { delete: {} } },
      },
    },
  };
}

export function logsIndexTemplate(): object {
  return {
    index_patterns: [LOG_INDEX_PATTERN],
    data_stream: {},
    priority: 500,
    template: {
      settings: { 'index.lifecycle.name': 'digital-twin-logs' },
      mappings: { properties: { '@timestamp': { type: 'date' } } },
    },
  };
}

/** The script the retention CronJob runs: idempotent PUTs, so a not-yet-ready cluster is simply retried next run. */
const RETENTION_SCRIPT = `set -eu
put() {
  printf 'user = "%s:%s"\\n' "$ES_USERNAME" "$ES_PASSWORD" | curl --fail-with-body -sS -K - -X PUT \\
    -H 'Content-Type: application/json' --data-binary "@/retention/$2" "$ES_URL$1"
  echo
}
put /_ilm/policy/digital-twin-logs logs-ilm.json
put /_index_template/digital-twin-logs logs-template.json
if [ -f /retention/snapshot-repository.json ]; then
  put /_snapshot/s3-snapshots snapshot-repository.json
  put /_slm/policy/nightly-snapshots snapshot-policy.json
fi
`;

export class Elasticsearch extends pulumi.ComponentResource {
  readonly url: string;
  readonly credentialsSecretName: pulumi.Output<string>;

  constructor(name: string, args: ElasticsearchArgs, opts?: pulumi.ComponentResourceOptions) {
    super('digital-twin-observability:index:Elasticsearch', name, {}, opts);
    const labels = labelsFor(ELASTICSEARCH_NAME, 'search');
    const selector = selectorFor(ELASTICSEARCH_NAME);
    const ns = args.namespace;

    const credentials = new k8s.core.v1.Secret(
      `${name}-credentials`,
      {
        metadata: { name: `${ELASTICSEARCH_NAME}-credentials`, namespace: ns, labels },
        type: 'Opaque',
        stringData: pulumi.secret(args.password.apply((p) => ({ [CREDENTIALS_PASSWORD_KEY]: p }))),
      },
      { parent: this },
    );
    this.credentialsSecretName = credentials.metadata.name;
    const passwordRef = { secretKeyRef: { name: credentials.metadata.name, key: CREDENTIALS_PASSWORD_KEY } };

    if (args.mode === 'in-cluster') {
      this.url = `http://${ELASTICSEARCH_NAME}.${ns}.svc.cluster.local:${ELASTICSEARCH_PORT}`;
      this.inCluster(name, args, labels, selector, passwordRef);
    } else {
      this.url = args.externalUrl as string;
    }

    const retentionFiles: Record<string, string> = {
      'retention.sh': RETENTION_SCRIPT,
      'logs-ilm.json': JSON.stringify(logsIlmPolicy(args.logRetentionDays), null, 2),
      'logs-template.json': JSON.stringify(logsIndexTemplate(), null, 2),
    };
    const retentionData = args.archive
      ? args.archive.bucket.apply((bucket) => ({
          ...retentionFiles,
          'snapshot-repository.json': JSON.stringify({ type: 's3', settings: { bucket, base_path: 'snapshots' } }, null, 2),
          'snapshot-policy.json': JSON.stringify(
            {
              schedule: '0 30 1 * * ?',
              name: '<nightly-{now/d}>',
              repository: 's3-snapshots',
              config: { indices: ['*'], include_global_state: true },
              retention: { expire_after: `${args.archive?.snapshotRetentionDays}d`, min_count: 5, max_count: 100 },
            },
            null,
            2,
          ),
        }))
      : pulumi.output(retentionFiles);
    const retentionConfig = new k8s.core.v1.ConfigMap(
      `${name}-retention`,
      { metadata: { name: `${ELASTICSEARCH_NAME}-retention`, namespace: ns, labels }, data: retentionData },
      { parent: this },
    );
    new k8s.batch.v1.CronJob(
      `${name}-retention`,
      {
        metadata: { name: `${ELASTICSEARCH_NAME}-retention`, namespace: ns, labels },
        spec: {
          schedule: '17 * * * *',
          concurrencyPolicy: 'Forbid',
          successfulJobsHistoryLimit: 1,
          failedJobsHistoryLimit: 3,
          jobTemplate: {
            spec: {
              backoffLimit: 2,
              activeDeadlineSeconds: 300,
              template: {
                metadata: { labels: labelsFor(`${ELASTICSEARCH_NAME}-retention`, 'search') },
                spec: {
                  restartPolicy: 'OnFailure',
                  automountServiceAccountToken: false,
                  securityContext: podSecurity(100),
                  containers: [
                    hardened({
                      name: 'apply-retention',
                      image: args.curlImage,
                      command: ['/bin/sh', '/retention/retention.sh'],
                      env: [
                        { name: 'ES_URL', value: this.url },
                        { name: 'ES_USERNAME', value: args.username },
                        { name: 'ES_PASSWORD', valueFrom: passwordRef },
                      ],
                      resources: resourcesOf({ requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '100m', memory: '64Mi' } }),
                      volumeMounts: [{ name: 'retention', mountPath: '/retention', readOnly: true }],
                    }),
                  ],
                  volumes: [{ name: 'retention', configMap: { name: retentionConfig.metadata.name } }],
                },
              },
            },
          },
        },
      },
      { parent: this },
    );

    this.registerOutputs({ url: this.url, credentialsSecretName: this.credentialsSecretName });
  }

  private inCluster(
    name: string,
    args: ElasticsearchArgs,
    labels: Record<string, string>,
    selector: Record<string, string>,
    passwordRef: k8s.types.input.core.v1.EnvVarSource,
  ): void {
    const ns = args.namespace;
    const serviceAccount = new k8s.core.v1.ServiceAccount(
      name,
      {
        metadata: {
          name: ELASTICSEARCH_NAME,
          namespace: ns,
          labels,
          // IRSA: the EKS webhook injects a web identity token for this role into the pods.
          annotations: args.archive ? { 'eks.amazonaws.com/role-arn': args.archive.roleArn } : {},
        },
      },
      { parent: this },
    );
    const service = new k8s.core.v1.Service(
      name,
      {
        metadata: { name: ELASTICSEARCH_NAME, namespace: ns, labels },
        spec: { selector, ports: [{ name: 'http', port: ELASTICSEARCH_PORT, targetPort: 'http' }] },
      },
      { parent: this },
    );
    const headless = new k8s.core.v1.Service(
      `${name}-nodes`,
      {
        metadata: { name: `${ELASTICSEARCH_NAME}-nodes`, namespace: ns, labels },
        spec: { clusterIP: 'None', selector, ports: [{ name: 'transport', port: 9300, targetPort: 'transport' }] },
      },
      { parent: this },
    );

    const heap = Math.max(256, Math.floor(mebibytes(args.resources.limits.memory) / 2));
    // The ES image writes its keystore into config/ at start: copy config to a writable volume so the root stays read-only.
    const prepareConfig = [
      `cp -a ${ES_HOME}/config/. /mnt/config/`,
      ...(args.archive
        ? [`mkdir -p /mnt/config/repository-s3`, `ln -sf ${WEB_IDENTITY_TOKEN} /mnt/config/repository-s3/aws-web-identity-token-file`]
        : []),
    ].join(' && ');
    const settings: Record<string, string> = {
      'cluster.name': `digital-twin-${ns}`,
      'discovery.type': 'single-node',
      'xpack.security.enabled': 'true',
      // Plain HTTP inside the namespace; nothing outside the cluster reaches this Service.
      'xpack.security.http.ssl.enabled': 'false',
      'xpack.security.transport.ssl.enabled': 'false',
      ES_JAVA_OPTS: `-Xms${heap}m -Xmx${heap}m`,
      ES_TMPDIR: '/tmp',
    };

    new k8s.apps.v1.StatefulSet(
      name,
      {
        metadata: { name: ELASTICSEARCH_NAME, namespace: ns, labels },
        spec: {
          serviceName: headless.metadata.name,
          replicas: 1,
          selector: { matchLabels: selector },
          podManagementPolicy: 'Parallel',
          template: {
            metadata: {
              labels,
              annotations: {
                [PRIVILEGED_INIT_ANNOTATION]: 'max-map-count',
                'digital-twin-observability/config-checksum': checksum(JSON.stringify(settings), prepareConfig),
              },
            },
            spec: {
              serviceAccountName: serviceAccount.metadata.name,
              securityContext: podSecurity(1000),
              initContainers: [
                {
                  // vm.max_map_count is a node-wide kernel setting: no pod sysctl can set it, only a privileged container.
                  name: 'max-map-count',
                  image: args.initImage,
                  command: ['sysctl', '-w', 'vm.max_map_count=262144'],
                  securityContext: { privileged: true, runAsUser: 0, runAsNonRoot: false },
                  resources: resourcesOf({ requests: { cpu: '10m', memory: '8Mi' }, limits: { cpu: '50m', memory: '16Mi' } }),
                },
                hardened({
                  name: 'prepare-config',
                  image: args.image,
                  command: ['/bin/sh', '-c', prepareConfig],
                  resources: resourcesOf({ requests: { cpu: '10m', memory: '32Mi' }, limits: { cpu: '100m', memory: '64Mi' } }),
                  volumeMounts: [{ name: 'config', mountPath: '/mnt/config' }],
                }),
              ],
              containers: [
                hardened({
                  name: 'elasticsearch',
                  image: args.image,
                  env: [
                    ...Object.entries(settings).map(([k, value]) => ({ name: k, value })),
                    { name: 'ELASTIC_PASSWORD', valueFrom: passwordRef },
                  ],
                  ports: [
                    { name: 'http', containerPort: ELASTICSEARCH_PORT },
                    { name: 'transport', containerPort: 9300 },
                  ],
                  resources: resourcesOf(args.resources),
                  startupProbe: { tcpSocket: { port: 'http' }, periodSeconds: 10, failureThreshold: 30 },
                  livenessProbe: { tcpSocket: { port: 'http' }, periodSeconds: 20, failureThreshold: 3 },
                  readinessProbe: {
                    // Authenticated health check; the password comes from the container's env, never from the pod spec.
                    exec: {
                      command: [
                        '/bin/sh',
                        '-c',
                        `curl -sf -u "elastic:$ELASTIC_PASSWORD" "http://127.0.0.1:${ELASTICSEARCH_PORT}/_cluster/health?wait_for_status=yellow&timeout=2s" >/dev/null`,
                      ],
                    },
                    periodSeconds: 10,
                    timeoutSeconds: 5,
                  },
                  volumeMounts: [
                    { name: 'data', mountPath: `${ES_HOME}/data` },
                    { name: 'config', mountPath: `${ES_HOME}/config` },
                    { name: 'logs', mountPath: `${ES_HOME}/logs` },
                    { name: 'tmp', mountPath: '/tmp' },
                  ],
                }),
              ],
              volumes: [
                { name: 'config', emptyDir: {} },
                { name: 'logs', emptyDir: {} },
                { name: 'tmp', emptyDir: {} },
              ],
            },
          },
          volumeClaimTemplates: [persistentClaim('data', args.storageSize, args.storageClassName)],
        },
      },
      { parent: this, dependsOn: [service] },
    );
  }
}
