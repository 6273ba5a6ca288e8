// Alertmanager: the generated routing config in a ConfigMap, receiver secrets as files from a Secret.
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import type { ComputeResources } from '../config';
import { checksum, hardened, labelsFor, persistentClaim, podSecurity, resourcesOf, selectorFor } from './workload';

export const ALERTMANAGER_NAME = 'alertmanager';
export const ALERTMANAGER_PORT = 9093;
const CONFIG_DIR = '/etc/alertmanager/config';

export interface AlertmanagerArgs {
  namespace: string;
  image: string;
  resources: ComputeResources;
  storageSize: string;
  storageClassName?: string;
  /** `alertmanager/alertmanager.yml` exactly as `slo render` writes it. */
  configYaml: string;
  /** Where the generated config expects the receiver secret files (StackConfig.alertmanager.secretsDir). */
  secretsDir: string;
  /** File name (ALERTMANAGER_SECRET_FILES) -> secret value. */
  secretFiles: Record<string, pulumi.Output<string>>;
}

export class Alertmanager extends pulumi.ComponentResource {
  readonly target: string;
  readonly configMap: k8s.core.v1.ConfigMap;

  constructor(name: string, args: AlertmanagerArgs, opts?: pulumi.ComponentResourceOptions) {
    super('digital-twin-observability:index:Alertmanager', name, {}, opts);
    const labels = labelsFor(ALERTMANAGER_NAME, 'alerting');
    const selector = selectorFor(ALERTMANAGER_NAME);
    const ns = args.namespace;

    this.configMap = new k8s.core.v1.ConfigMap(
      `${name}-config`,
      { metadata: { name: `${ALERTMANAGER_NAME}-config`, namespace: ns, labels }, data: { 'alertmanager.yml': args.configYaml } },
      { parent: this },
    );
    const fileNames = Object.keys(args.secretFiles).sort();
    const secret = new k8s.core.v1.Secret(
      `${name}-receivers`,
      {
        metadata: { name: `${ALERTMANAGER_NAME}-receivers`, namespace: ns, labels },
        type: 'Opaque',
        stringData: pulumi.secret(pulumi.all(args.secretFiles).apply((v) => v as Record<string, string>)),
      },
      { parent: this },
    );

    const service = new k8s.core.v1.Service(
      name,
      {
        metadata: { name: ALERTMANAGER_NAME, namespace: ns, labels },
        spec: { clusterIP: 'None', selector, ports: [{ name: 'http', port: ALERTMANAGER_PORT, targetPort: 'http' }] },
      },
      { parent: this },
    );

    new k8s.apps.v1.StatefulSet(
      name,
      {
        metadata: { name: ALERTMANAGER_NAME, namespace: ns, labels },
        spec: {
          serviceName: service.metadata.name,
          replicas: 1,
          selector: { matchLabels: selector },
          template: {
            metadata: {
              labels,
              annotations: { 'digital-twin-observability/config-checksum': checksum(args.configYaml, ...fileNames) },
            },
            spec: {
              securityContext: podSecurity(65534),
              automountServiceAccountToken: false,
              containers: [
                hardened({
                  name: 'alertmanager',
                  image: args.image,
                  args: [
                    `--config.file=${CONFIG_DIR}/alertmanager.yml`,
                    '--storage.path=/alertmanager',
                    // One replica: gossip clustering off, so no peer port is opened.
                    '--cluster.listen-address=',
                  ],
                  ports: [{ name: 'http', containerPort: ALERTMANAGER_PORT }],
                  resources: resourcesOf(args.resources),
                  livenessProbe: { httpGet: { path: '/-/healthy', port: 'http' }, periodSeconds: 15 },
                  readinessProbe: { httpGet: { path: '/-/ready', port: 'http' }, periodSeconds: 5 },
                  volumeMounts: [
                    { name: 'config', mountPath: CONFIG_DIR, readOnly: true },
                    { name: 'receivers', mountPath: args.secretsDir, readOnly: true },
                    { name: 'data', mountPath: '/alertmanager' },
                  ],
                }),
              ],
              volumes: [
                { name: 'config', configMap: { name: this.configMap.metadata.name } },
                { name: 'receivers', secret: { secretName: secret.metadata.name, defaultMode: 0o440 } },
              ],
            },
          },
          volumeClaimTemplates: [persistentClaim('data', args.storageSize, args.storageClassName)],
        },
      },
      { parent: this },
    );

    this.target = `${ALERTMANAGER_NAME}.${ns}.svc.cluster.local:${ALERTMANAGER_PORT}`;
    this.registerOutputs({ target: this.target });
  }
}
