// Grafana: Prometheus, Jaeger and Elasticsearch datasources plus the generated dashboards, provisioned or through the API.
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import * as grafana from '@pulumiverse/grafana';
import yaml from 'js-yaml';
import type { ComputeResources } from '../config';
import type { RenderedFile } from '../../slo/generate';
import { tlsIngress } from './ingress';
import { checksum, hardened, labelsFor, podSecurity, resourcesOf, selectorFor } from './workload';

export const GRAFANA_NAME = 'grafana';
export const GRAFANA_PORT = 3000;
/** Datasource uids the generated dashboards refer to. */
export const DATASOURCE_UIDS = { prometheus: 'prometheus', jaeger: 'jaeger', elasticsearch: 'elasticsearch' } as const;
const DASHBOARDS_DIR = '/var/lib/grafana-dashboards';
/** A ConfigMap holds at most 1 MiB; leave room for metadata. */
const CONFIGMAP_BUDGET = 900 * 1024;

export interface DatasourceTargets {
  prometheusUrl: pulumi.Input<string>;
  jaegerQueryUrl: string;
  elasticsearchUrl: string;
  elasticsearchUsername: string;
  logIndexPattern: string;
}

interface GrafanaCommonArgs {
  namespace: string;
  /** `grafana/dashboards/*.json` exactly as `slo render` writes them. */
  dashboardFiles: RenderedFile[];
  datasources: DatasourceTargets;
}

export interface ProvisionedGrafanaArgs extends GrafanaCommonArgs {
  mode: 'provisioning';
  image: string;
  resources: ComputeResources;
  adminPassword: pulumi.Output<string>;
  elasticsearchCredentialsSecret: pulumi.Input<string>;
  elasticsearchPasswordKey: string;
  domain?: string;
  ingressClassName: string;
}

export interface ApiGrafanaArgs extends GrafanaCommonArgs {
  mode: 'api';
  apiUrl: string;
  auth: pulumi.Output<string>;
  elasticsearchPassword: pulumi.Output<string>;
}

export type GrafanaArgs = ProvisionedGrafanaArgs | ApiGrafanaArgs;

/** ConfigMap key for a rendered dashboard: its file name. */
export function dashboardKey(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Provisioning file for the datasources; the Elasticsearch password is an env reference Grafana expands at start. */
export function datasourcesProvisioning(urls: { prometheus: string; jaeger: string; elasticsearch: string }, t: DatasourceTargets): string {
  return yaml.dump(
    {
      apiVersion: 1,
      datasources: [
        {
          name: 'Prometheus',
          uid: DATASOURCE_UIDS.prometheus,
          type: 'prometheus',
          access: 'proxy',
          url: urls.prometheus,
          isDefault: true,
          editable: false,
          jsonData: { timeInterval: '15s' },
        },
        { name: 'Jaeger', uid: DATASOURCE_UIDS.jaeger, type: 'jaeger', access: 'proxy', url: urls.jaeger, editable: false },
        {
          name: 'Elasticsearch',
          uid: DATASOURCE_UIDS.elasticsearch,
          type: 'elasticsearch',
          access: 'proxy',
          url: urls.elasticsearch,
          basicAuth: true,
          basicAuthUser: t.elasticsearchUsername,
          editable: false,
          jsonData: { index: t.logIndexPattern, timeField: '@timestamp' },
          secureJsonData: { basicAuthPassword: '$ELASTICSEARCH_PASSWORD' },
        },
      ],
    },
    { lineWidth: -1, noRefs: true },
  );
}

export const DASHBOARD_PROVIDER = yaml.dump({
  apiVersion: 1,
  providers: [
    {
      name: 'slo',
      folder: 'SLO',
      type: 'file',
      disableDeletion: true,
      allowUiUpdates: false,
      options: { path: DASHBOARDS_DIR, foldersFromFilesStructure: false },
    },
  ],
});

export class Grafana extends pulumi.ComponentResource {
  readonly mode: 'provisioning' | 'api';

  constructor(name: string, args: GrafanaArgs, opts?: pulumi.ComponentResourceOptions) {
    super('digital-twin-observability:index:Grafana', name, {}, opts);
    this.mode = args.mode;
    if (args.mode === 'api') this.throughApi(name, args);
    else this.provisioned(name, args);
    this.registerOutputs({ mode: this.mode });
  }

  private throughApi(name: string, args: ApiGrafanaArgs): void {
    const provider = new grafana.Provider(name, { url: args.apiUrl, auth: args.auth }, { parent: this });
    const childOpts = { parent: this, provider };
    const ds = args.datasources;
    new grafana.oss.DataSource(
      `${name}-prometheus`,
      {
        name: 'Prometheus',
        uid: DATASOURCE_UIDS.prometheus,
        type: 'prometheus',
        url: ds.prometheusUrl,
        isDefault: true,
        jsonDataEncoded: JSON.stringify({ timeInterval: '15s' }),
      },
      childOpts,
    );
    new grafana.oss.DataSource(`${name}-jaeger`, { name: 'Jaeger', uid: DATASOURCE_UIDS.jaeger, type: 'jaeger', url: ds.jaegerQueryUrl }, childOpts);
    new grafana.oss.DataSource(
      `${name}-elasticsearch`,
      {
        name: 'Elasticsearch',
        uid: DATASOURCE_UIDS.elasticsearch,
        type: 'elasticsearch',
        url: ds.elasticsearchUrl,
        basicAuthEnabled: true,
        basicAuthUsername: ds.elasticsearchUsername,
        jsonDataEncoded: JSON.stringify({ index: ds.logIndexPattern, timeField: '@timestamp' }),
        secureJsonDataEncoded: pulumi.secret(args.elasticsearchPassword.apply((p) => JSON.stringify({ basicAuthPassword: p }))),
      },
      childOpts,
    );
    const folder = new grafana.oss.Folder(`${name}-slo`, { title: 'SLO', uid: 'slo' }, childOpts);
    for (const file of args.dashboardFiles) {
      new grafana.oss.Dashboard(
        `${name}-${dashboardKey(file.path).replace(/\.json$/, '')}`,
        { configJson: file.content, folder: folder.uid, overwrite: true, message: 'Rendered from the SLO spec by Pulumi' },
        childOpts,
      );
    }
  }

  private provisioned(name: string, args: ProvisionedGrafanaArgs): void {
    const labels = labelsFor(GRAFANA_NAME, 'dashboards');
    const selector = selectorFor(GRAFANA_NAME);
    const ns = args.namespace;
    const dashboards = Object.fromEntries(args.dashboardFiles.map((f) => [dashboardKey(f.path), f.content]));
    const size = Object.values(dashboards).reduce((n, c) => n + Buffer.byteLength(c), 0);
    if (size > CONFIGMAP_BUDGET) {
      throw new pulumi.RunError(`grafana: the rendered dashboards take ${size} bytes, more than one ConfigMap holds; use grafana.mode api`);
    }

    const admin = new k8s.core.v1.Secret(
      `${name}-admin`,
      {
        metadata: { name: `${GRAFANA_NAME}-admin`, namespace: ns, labels },
        type: 'Opaque',
        stringData: pulumi.secret(args.adminPassword.apply((p) => ({ 'admin-password': p }))),
      },
      { parent: this },
    );
    const datasourceText = pulumi
      .all([args.datasources.prometheusUrl])
      .apply(([prometheus]) =>
        datasourcesProvisioning({ prometheus, jaeger: args.datasources.jaegerQueryUrl, elasticsearch: args.datasources.elasticsearchUrl }, args.datasources),
      );
    const datasources = new k8s.core.v1.ConfigMap(
      `${name}-datasources`,
      { metadata: { name: `${GRAFANA_NAME}-datasources`, namespace: ns, labels }, data: { 'datasources.yaml': datasourceText } },
      { parent: this },
    );
    const provider = new k8s.core.v1.ConfigMap(
      `${name}-dashboard-provider`,
      { metadata: { name: `${GRAFANA_NAME}-dashboard-provider`, namespace: ns, labels }, data: { 'dashboards.yaml': DASHBOARD_PROVIDER } },
      { parent: this },
    );
    const dashboardMap = new k8s.core.v1.ConfigMap(
      `${name}-dashboards`,
      { metadata: { name: `${GRAFANA_NAME}-dashboards`, namespace: ns, labels }, data: dashboards },
      { parent: this },
    );

    const rootUrl = args.domain ? `https://${args.domain}/` : `http://localhost:${GRAFANA_PORT}/`;
    const env: k8s.types.input.core.v1.EnvVar[] = [
      { name: 'GF_SERVER_ROOT_URL', value: rootUrl },
      { name: 'GF_SECURITY_ADMIN_USER', value: 'admin' },
      { name: 'GF_SECURITY_ADMIN_PASSWORD', valueFrom: { secretKeyRef: { name: admin.metadata.name, key: 'admin-password' } } },
      { name: 'GF_USERS_ALLOW_SIGN_UP', value: 'false' },
      { name: 'GF_ANALYTICS_REPORTING_ENABLED', value: 'false' },
      { name: 'GF_ANALYTICS_CHECK_FOR_UPDATES', value: 'false' },
      { name: 'GF_PATHS_DATA', value: '/var/lib/grafana' },
      { name: 'GF_PATHS_LOGS', value: '/var/log/grafana' },
      {
        name: 'ELASTICSEARCH_PASSWORD',
        valueFrom: { secretKeyRef: { name: args.elasticsearchCredentialsSecret, key: args.elasticsearchPasswordKey } },
      },
    ];
    new k8s.apps.v1.Deployment(
      name,
      {
        metadata: { name: GRAFANA_NAME, namespace: ns, labels },
        spec: {
          // Stateless: everything it shows comes from the provisioning files, so a restart loses nothing.
          replicas: 1,
          selector: { matchLabels: selector },
          strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
          template: {
            metadata: {
              labels,
              annotations: {
                'digital-twin-observability/config-checksum': checksum(DASHBOARD_PROVIDER, ...args.dashboardFiles.map((f) => f.content)),
              },
            },
            spec: {
              securityContext: podSecurity(472),
              automountServiceAccountToken: false,
              containers: [
                hardened({
                  name: 'grafana',
                  image: args.image,
                  env,
                  ports: [{ name: 'http', containerPort: GRAFANA_PORT }],
                  resources: resourcesOf(args.resources),
                  livenessProbe: { httpGet: { path: '/api/health', port: 'http' }, periodSeconds: 15, failureThreshold: 4 },
                  readinessProbe: { httpGet: { path: '/api/health', port: 'http' }, periodSeconds: 5 },
                  volumeMounts: [
                    { name: 'datasources', mountPath: '/etc/grafana/provisioning/datasources', readOnly: true },
                    { name: 'dashboard-provider', mountPath: '/etc/grafana/provisioning/dashboards', readOnly: true },
                    { name: 'dashboards', mountPath: DASHBOARDS_DIR, readOnly: true },
                    { name: 'data', mountPath: '/var/lib/grafana' },
                    { name: 'logs', mountPath: '/var/log/grafana' },
                    { name: 'tmp', mountPath: '/tmp' },
                  ],
                }),
              ],
              volumes: [
                { name: 'datasources', configMap: { name: datasources.metadata.name } },
                { name: 'dashboard-provider', configMap: { name: provider.metadata.name } },
                { name: 'dashboards', configMap: { name: dashboardMap.metadata.name } },
                { name: 'data', emptyDir: {} },
                { name: 'logs', emptyDir: {} },
                { name: 'tmp', emptyDir: {} },
              ],
            },
          },
        },
      },
      { parent: this },
    );
    new k8s.core.v1.Service(
      name,
      {
        metadata: { name: GRAFANA_NAME, namespace: ns, labels },
        spec: { selector, ports: [{ name: 'http', port: GRAFANA_PORT, targetPort: 'http' }] },
      },
      { parent: this },
    );
    if (args.domain) {
      tlsIngress(name, { service: GRAFANA_NAME, namespace: ns, labels, host: args.domain, ingressClassName: args.ingressClassName }, this);
    }
  }
}
