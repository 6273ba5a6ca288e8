// Deploy-time settings the generators need besides the spec: where secrets live, endpoints, links.
export type Environment = 'local' | 'staging' | 'production';

export interface SmtpSettings {
  smarthost: string;
  from: string;
  requireTls: boolean;
  username?: string;
}

export interface StackConfig {
  environment: Environment;
  /** Rule group evaluation interval for the short windows. */
  evaluationInterval: string;
  alertmanager: {
    /** Folder where receiver secrets are mounted as files (Kubernetes Secret volume, or a local folder). */
    secretsDir: string;
    /** PagerDuty Events API v2 URL; only overridden to point at a local sink. */
    pagerdutyUrl?: string;
    smtp: SmtpSettings;
    /** The app's alert intake (`POST /alerts/webhook`); Alertmanager sends every alert there. */
    webhookUrl?: string;
  };
  links: { runbookBaseUrl?: string; grafanaUrl?: string };
}

/** Embedded defaults: what `slo render` uses when no stack is named. */
export const defaultStackConfig: StackConfig = {
  environment: 'local',
  evaluationInterval: '30s',
  alertmanager: {
    secretsDir: '/etc/alertmanager/secrets',
    smtp: { smarthost: 'smtp.example.com:587', from: 'alertmanager@example.com', requireTls: true },
    webhookUrl: 'http://digital-twin-mcp:8080/alerts/webhook',
  },
  links: {},
};

/** Names of the files under `secretsDir` the generated Alertmanager config reads. */
export const ALERTMANAGER_SECRET_FILES = {
  pagerdutyRoutingKey: 'pagerduty-routing-key',
  slackWebhookUrl: 'slack-webhook-url',
  smtpPassword: 'smtp-password',
  webhookToken: 'alert-webhook-token',
} as const;
