// Alertmanager configuration from the specs' routing: one route per receiver, secrets read from files.
import type { Receiver, Spec } from '../schema';
import { ALERTMANAGER_SECRET_FILES, type StackConfig } from '../stack';
import { BURN_ALERT } from '../rules/names';

type Matchers = string[];

export interface AmRoute {
  receiver?: string;
  matchers?: Matchers;
  group_by?: string[];
  group_wait?: string;
  group_interval?: string;
  repeat_interval?: string;
  continue?: boolean;
  routes?: AmRoute[];
}

export interface AmReceiver {
  name: string;
  pagerduty_configs?: Array<Record<string, unknown>>;
  slack_configs?: Array<Record<string, unknown>>;
  email_configs?: Array<Record<string, unknown>>;
  webhook_configs?: Array<Record<string, unknown>>;
}

export interface AlertmanagerConfig {
  global: Record<string, unknown>;
  route: AmRoute;
  receivers: AmReceiver[];
  inhibit_rules: Array<{ source_matchers: Matchers; target_matchers: Matchers; equal: string[] }>;
  templates?: string[];
}

export const APP_WEBHOOK_RECEIVER = 'app-alert-intake';
export const NULL_RECEIVER = 'blackhole';

const REPEAT_DEFAULTS: Record<string, string> = { critical: '1h', warning: '4h', info: '12h' };

function secretFile(stack: StackConfig, name: string): string {
  return `${stack.alertmanager.secretsDir.replace(/\/$/, '')}/${name}`;
}

/** A receiver's name says where it delivers: `pagerduty`, `slack-alerts-critical`, `email-oncall-at-example-com`. */
export function receiverName(r: Receiver): string {
  if (r.pagerduty) return r.pagerduty.service ? `pagerduty-${slug(r.pagerduty.service)}` : 'pagerduty';
  if (r.slack) return `slack-${slug(r.slack.channel)}`;
  if (r.email) return `email-${slug(r.email.to.replace('@', ' at '))}`;
  throw new Error('receiver without an integration');
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

const SUMMARY = '{{ .CommonAnnotations.summary }}';
const TITLE = '[{{ .Status | toUpper }}{{ if eq .Status "firing" }}:{{ .Alerts.Firing | len }}{{ end }}] {{ .CommonLabels.alertname }} {{ .CommonLabels.service }} {{ .CommonLabels.slo }}';
const TEXT = '{{ range .Alerts }}*{{ .Annotations.summary }}*\n{{ .Annotations.description }}\nRunbook: {{ .Annotations.runbook_url }}\nDashboard: {{ .Annotations.dashboard_url }}\n{{ end }}';

function receiverConfig(r: Receiver, stack: StackConfig): AmReceiver {
  const name = receiverName(r);
  if (r.pagerduty) {
    return {
      name,
      pagerduty_configs: [{
        routing_key_file: secretFile(stack, ALERTMANAGER_SECRET_FILES.pagerdutyRoutingKey),
        ...(stack.alertmanager.pagerdutyUrl ? { url: stack.alertmanager.pagerdutyUrl } : {}),
        send_resolved: true,
        severity: '{{ if eq .CommonLabels.severity "warning" }}warning{{ else }}critical{{ end }}',
        description: TITLE,
        details: { summary: SUMMARY, runbook_url: '{{ .CommonAnnotations.runbook_url }}', dashboard_url: '{{ .CommonAnnotations.dashboard_url }}' },
      }],
    };
  }
  if (r.slack) {
    return {
      name,
      slack_configs: [{
        api_url_file: secretFile(stack, ALERTMANAGER_SECRET_FILES.slackWebhookUrl),
        channel: r.slack.channel,
        send_resolved: true,
        title: TITLE,
        text: TEXT,
      }],
    };
  }
  const smtp = stack.alertmanager.smtp;
  return {
    name,
    email_configs: [{
      to: r.email!.to,
      send_resolved: true,
      ...(smtp.username ? { auth_username: smtp.username, auth_password_file: secretFile(stack, ALERTMANAGER_SECRET_FILES.smtpPassword) } : {}),
      headers: { Subject: TITLE },
    }],
  };
}

/**
 * The routing tree: the app's alert intake sees every alert first (the seed's "always log"), then each
 * severity fans out to its receivers, one child route per receiver with `continue` so all are notified.
 * With several specs, severity routes also match on `service`.
 */
export function alertmanagerConfig(specs: readonly Spec[], stack: StackConfig): AlertmanagerConfig {
  const receivers = new Map<string, AmReceiver>();
  const routes: AmRoute[] = [];
  if (stack.alertmanager.webhookUrl) {
    receivers.set(APP_WEBHOOK_RECEIVER, {
      name: APP_WEBHOOK_RECEIVER,
      webhook_configs: [{
        url: stack.alertmanager.webhookUrl,
        send_resolved: true,
        http_config: { authorization: { type: 'Bearer', credentials_file: secretFile(stack, ALERTMANAGER_SECRET_FILES.webhookToken) } },
      }],
    });
    routes.push({ receiver: APP_WEBHOOK_RECEIVER, continue: true, group_wait: '10s' });
  }
  const perService = specs.length > 1;
  for (const spec of specs) {
    for (const route of spec.routing) {
      const children: AmRoute[] = route.receivers.map((r) => {
        const rc = receiverConfig(r, stack);
        receivers.set(rc.name, rc);
        return { receiver: rc.name, continue: true };
      });
      routes.push({
        matchers: [`severity="${route.severity}"`, ...(perService ? [`service="${spec.service}"`] : [])],
        ...(route.groupWait ? { group_wait: route.groupWait } : {}),
        ...(route.groupInterval ? { group_interval: route.groupInterval } : {}),
        repeat_interval: route.repeatInterval ?? REPEAT_DEFAULTS[route.severity],
        routes: children,
      });
    }
  }
  receivers.set(NULL_RECEIVER, { name: NULL_RECEIVER });
  const smtp = stack.alertmanager.smtp;
  return {
    global: {
      resolve_timeout: '5m',
      smtp_smarthost: smtp.smarthost,
      smtp_from: smtp.from,
      smtp_require_tls: smtp.requireTls,
    },
    route: {
      receiver: NULL_RECEIVER,
      group_by: ['alertname', 'service', 'slo'],
      group_wait: '30s',
      group_interval: '5m',
      repeat_interval: '4h',
      routes,
    },
    receivers: [...receivers.values()],
    inhibit_rules: [
      {
        // A page already says the budget is burning; the slower ticket for the same SLO adds nothing.
        source_matchers: [`alertname="${BURN_ALERT}"`, 'severity="critical"'],
        target_matchers: [`alertname="${BURN_ALERT}"`, 'severity="warning"'],
        equal: ['service', 'slo'],
      },
    ],
  };
}
