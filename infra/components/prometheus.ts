// Prometheus: the generated rule files, Kubernetes pod discovery for the app, RBAC, retention and a volume.
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import yaml from 'js-yaml';
import type { ComputeResources } from '../config';
import type { RenderedFile } from '../../slo/generate';
import { checksum, hardened, labelsFor, persistentClaim, podSecurity, resourcesOf, selectorFor } from './workload';

export const PROMETHEUS_NAME = 'prometheus';
export const PROMETHEUS_PORT = 9090;
const RULES_DIR = '/etc/prometheus/rules';

export interface PrometheusArgs {
  namespace: string;
  image: string;
  resources: ComputeResources;
  storageSize: string;
  storageClassName?: string;
  retention: string;
  evaluationInterval: string;
  environment: string;
  /** The rendered rule files (`prometheus/rules/*.rules.yaml`) exactly as `slo render` writes them. */
  ruleFiles: RenderedFile[];
  /** Pods of this app name are scraped, on the port and path their prometheus.io annotations give. */
  appName: string;
  alertmanagerTarget: string;
}

/** ConfigMap key for a rendered rule file: its base name (ConfigMap keys cannot hold slashes). */
export function ruleKey(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** prometheus.yml: discovery limited to the stack's namespace, keeping only annotated pods of the app. */
export function prometheusConfig(args: Pick<PrometheusArgs, 'namespace' | 'evaluationInterval' | 'environment' | 'appName' | 'alertmanagerTarget'>): string {
  const doc = {
    global: {
      scrape_interval: '15s',
      evaluation_interval: args.evaluationInterval,
      external_labels: { environment: args.environment },
    },
    rule_files: [`${RULES_DIR}/*.yaml`],
    alerting: { alertmanagers: [{ static_configs: [{ targets: [args.alertmanagerTarget] }] }] },
    scrape_configs: [
      {
        job_name: args.appName,
        kubernetes_sd_configs: [{ role: 'pod', namespaces: { names: [args.namespace] } }],
        relabel_configs: [
          { source_labels: ['__meta_kubernetes_pod_label_app_kubernetes_io_name'], regex: args.appName, action: 'keep' },
          { source_labels: ['__meta_kubernetes_pod_annotation_prometheus_io_scrape'], regex: 'true', action: 'keep' },
          { source_labels: ['__meta_kubernetes_pod_annotation_prometheus_io_path'], regex: '(.+)', target_label: '__metrics_path__' },
          {
            source_labels: ['__address__', '__meta_kubernetes_pod_annotation_prometheus_io_port'],
            regex: '([^:]+)(?::\\d+)?;(\\d+)',
            replacement: '$1:$2',
            target_label: '__address__',
          },
          { source_labels: ['__meta_kubernetes_namespace'], target_label: 'namespace' },
          { source_labels: ['__meta_kubernetes_pod_name'], target_label: 'pod' },
        ],
      },
      { job_name: 'prometheus', static_configs: [{ targets: [`localhost:${PROMETHEUS_PORT}`] }] },
      { job_name: 'alertmanager', static_configs: [{ targets: [args.alertmanagerTarget] }] },
    ],
  };
  return yaml.dump(doc, { lineWidth: -1, noRefs: true });
}

export class Prometheus extends pulumi.ComponentResource {
  readonly url: pulumi.Output<string>;
  readonly rulesConfigMap: k8s.core.v1.ConfigMap;

  constructor(name: string, args: PrometheusArgs, opts?: pulumi.ComponentResourceOptions) {
    super('digital-twin-observability:index:Prometheus', name, {}, opts);
    const labels = labelsFor(PROMETHEUS_NAME, 'metrics');
    const selector = selectorFor(PROMETHEUS_NAME);
    const ns = args.namespace;

    const serviceAccount = new k8s.core.v1.ServiceAccount(
      name,
      { metadata: { name: PROMETHEUS_NAME, namespace: ns, labels } },
      { parent: this },
    );
    // A ClusterRole bound by a RoleBinding: discovery rights exist only inside this namespace.
    const role = new k8s.rbac.v1.ClusterRole(
      name,
      {
        metadata: { name: `${PROMETHEUS_NAME}-${ns}-discovery`, labels },
        rules: [{ apiGroups: [''], resources: ['pods', 'services', 'endpoints'], verbs: ['get', 'list', 'watch'] }],
      },
      { parent: this },
    );
    new k8s.rbac.v1.RoleBinding(
      name,
      {
        metadata: { name: `${PROMETHEUS_NAME}-discovery`, namespace: ns, labels },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role.metadata.name },
        subjects: [{ kind: 'ServiceAccount', name: serviceAccount.metadata.name, namespace: ns }],
      },
      { parent: this },
    );

    const configText = prometheusConfig(args);
    const config = new k8s.core.v1.ConfigMap(
      `${name}-config`,
      { metadata: { name: `${PROMETHEUS_NAME}-config`, namespace: ns, labels }, data: { 'prometheus.yml': configText } },
      { parent: this },
    );
    const rules = Object.fromEntries(args.ruleFiles.map((f) => [ruleKey(f.path), f.content]));
    this.rulesConfigMap = new k8s.core.v1.ConfigMap(
      `${name}-rules`,
      { metadata: { name: `${PROMETHEUS_NAME}-rules`, namespace: ns, labels }, data: rules },
      { parent: this },
    );

    const service = new k8s.core.v1.Service(
      name,
      {
        metadata: { name: PROMETHEUS_NAME, namespace: ns, labels },
        spec: { clusterIP: 'None', selector, ports: [{ name: 'http', port: PROMETHEUS_PORT, targetPort: 'http' }] },
      },
      { parent: this },
    );

    new k8s.apps.v1.StatefulSet(
      name,
      {
        metadata: { name: PROMETHEUS_NAME, namespace: ns, labels },
        spec: {
          serviceName: service.metadata.name,
          replicas: 1,
          selector: { matchLabels: selector },
          updateStrategy: { type: 'RollingUpdate' },
          template: {
            metadata: {
              labels,
              annotations: { 'digital-twin-observability/config-checksum': checksum(configText, ...args.ruleFiles.map((f) => f.content)) },
            },
            spec: {
              serviceAccountName: serviceAccount.metadata.name,
              securityContext: podSecurity(65534),
              containers: [
                hardened({
                  name: 'prometheus',
                  image: args.image,
                  args: [
                    '--config.file=/etc/prometheus/prometheus.yml',
                    '--storage.tsdb.path=/prometheus',
                    `--storage.tsdb.retention.time=${args.retention}`,
                  ],
                  ports: [{ name: 'http', containerPort: PROMETHEUS_PORT }],
                  resources: resourcesOf(args.resources),
                  livenessProbe: { httpGet: { path: '/-/healthy', port: 'http' }, periodSeconds: 15, failureThreshold: 4 },
                  readinessProbe: { httpGet: { path: '/-/ready', port: 'http' }, periodSeconds: 5, failureThreshold: 3 },
                  volumeMounts: [
                    { name: 'config', mountPath: '/etc/prometheus/prometheus.yml', subPath: 'prometheus.yml', readOnly: true },
                    { name: 'rules', mountPath: RULES_DIR, readOnly: true },
                    { name: 'data', mountPath: '/prometheus' },
                  ],
                }),
              ],
              volumes: [
                { name: 'config', configMap: { name: config.metadata.name } },
                { name: 'rules', configMap: { name: this.rulesConfigMap.metadata.name } },
              ],
            },
          },
          volumeClaimTemplates: [persistentClaim('data', args.storageSize, args.storageClassName)],
        },
      },
      { parent: this },
    );

    this.url = pulumi.interpolate`http://${service.metadata.name}.${ns}.svc.cluster.local:${PROMETHEUS_PORT}`;
    this.registerOutputs({ url: this.url });
  }
}
