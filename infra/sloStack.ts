// The core's StackConfig for a Pulumi stack: the one place the deployed topology meets `generate()`.
import type { StackSettings } from './config';
import { APP_NAME, APP_PORT } from './topology';
import { defaultStackConfig, type StackConfig } from '../slo/stack';

/** Where the Alertmanager pod finds the receiver secret files (the Secret's mount path). */
export const ALERTMANAGER_SECRETS_DIR = '/etc/alertmanager/secrets';

export function sloStackConfig(s: StackSettings): StackConfig {
  return {
    environment: s.environment,
    evaluationInterval: s.evaluationInterval,
    alertmanager: {
      secretsDir: ALERTMANAGER_SECRETS_DIR,
      // Without email receivers the SMTP block is inert; the embedded default keeps the rendered file valid.
      smtp: s.smtp ?? defaultStackConfig.alertmanager.smtp,
      webhookUrl: `http://${APP_NAME}.${s.namespace}.svc.cluster.local:${APP_PORT}/alerts/webhook`,
    },
    links: {
      ...(s.links.runbookBaseUrl ? { runbookBaseUrl: s.links.runbookBaseUrl } : {}),
      ...(s.domains.grafana ? { grafanaUrl: `https://${s.domains.grafana}` } : {}),
    },
  };
}
