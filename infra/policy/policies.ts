// The policy pack's rules, separate from the pack so tests can call each validateResource directly.
import type { ReportViolation, ResourceValidationArgs, ResourceValidationPolicy } from '@pulumi/policy';
import { PRIVILEGED_INIT_ANNOTATION } from '../components/workload';

/* Props arrive as plain JSON from the engine: typed loosely at this third-party boundary. */
type Json = Record<string, unknown>;

interface Container {
  name?: string;
  resources?: { limits?: Json; requests?: Json };
  livenessProbe?: unknown;
  readinessProbe?: unknown;
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number; privileged?: boolean; allowPrivilegeEscalation?: boolean };
  env?: Array<{ name?: string; value?: unknown; valueFrom?: unknown }>;
}

interface PodSpec {
  containers?: Container[];
  initContainers?: Container[];
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number };
}

interface Workload {
  kind: string;
  /** Long-running workloads need probes; Jobs run to completion and have none. */
  longRunning: boolean;
  pod: PodSpec;
  podAnnotations: Record<string, string>;
}

function get(obj: unknown, ...path: string[]): unknown {
  let cur = obj;
  for (const key of path) {
    if (!cur || typeof cur !== 'object') return undefined;
    cur = (cur as Json)[key];
  }
  return cur;
}

/** The pod template of any Kubernetes workload type, or undefined for other resources. */
export function workloadOf(type: string, props: Json): Workload | undefined {
  const kind = type.slice(type.lastIndexOf(':') + 1);
  if (!type.startsWith('kubernetes:')) return undefined;
  let template: unknown;
  let longRunning = true;
  switch (kind) {
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'ReplicaSet':
      template = get(props, 'spec', 'template');
      break;
    case 'Job':
      template = get(props, 'spec', 'template');
      longRunning = false;
      break;
    case 'CronJob':
      template = get(props, 'spec', 'jobTemplate', 'spec', 'template');
      longRunning = false;
      break;
    case 'Pod':
      template = { metadata: props.metadata, spec: props.spec };
      break;
    default:
      return undefined;
  }
  const pod = (get(template, 'spec') ?? {}) as PodSpec;
  const podAnnotations = (get(template, 'metadata', 'annotations') ?? {}) as Record<string, string>;
  return { kind, longRunning, pod, podAnnotations };
}

function eachWorkload(check: (w: Workload, report: ReportViolation) => void) {
  return (args: ResourceValidationArgs, report: ReportViolation): void => {
    const w = workloadOf(args.type, args.props);
    if (w) check(w, report);
  };
}

function allContainers(pod: PodSpec): Array<{ c: Container; init: boolean }> {
  return [
    ...(pod.initContainers ?? []).map((c) => ({ c, init: true })),
    ...(pod.containers ?? []).map((c) => ({ c, init: false })),
  ];
}

export const requireLimits: ResourceValidationPolicy = {
  name: 'containers-have-requests-and-limits',
  description: 'Every container declares CPU and memory requests and limits, so the scheduler and the OOM killer behave predictably.',
  enforcementLevel: 'mandatory',
  validateResource: eachWorkload((w, report) => {
    for (const { c } of allContainers(w.pod)) {
      for (const kind of ['requests', 'limits'] as const) {
        for (const res of ['cpu', 'memory']) {
          if (c.resources?.[kind]?.[res] === undefined) report(`${w.kind} container "${c.name}" has no ${kind}.${res}`);
        }
      }
    }
  }),
};

export const requireProbes: ResourceValidationPolicy = {
  name: 'containers-have-probes',
  description: 'Every long-running container has liveness and readiness probes.',
  enforcementLevel: 'mandatory',
  validateResource: eachWorkload((w, report) => {
    if (!w.longRunning) return;
    for (const c of w.pod.containers ?? []) {
      if (!c.livenessProbe) report(`${w.kind} container "${c.name}" has no livenessProbe`);
      if (!c.readinessProbe) report(`${w.kind} container "${c.name}" has no readinessProbe`);
    }
  }),
};

export const requireNonRoot: ResourceValidationPolicy = {
  name: 'containers-run-as-non-root',
  description:
    `Every container runs as non-root without privilege escalation. An init container may run privileged only when the pod ` +
    `names it in the ${PRIVILEGED_INIT_ANNOTATION} annotation (e.g. Elasticsearch's vm.max_map_count).`,
  enforcementLevel: 'mandatory',
  validateResource: eachWorkload((w, report) => {
    const exempt = new Set((w.podAnnotations[PRIVILEGED_INIT_ANNOTATION] ?? '').split(',').map((s) => s.trim()).filter(Boolean));
    const podNonRoot = w.pod.securityContext?.runAsNonRoot === true && w.pod.securityContext?.runAsUser !== 0;
    for (const { c, init } of allContainers(w.pod)) {
      if (init && c.name && exempt.has(c.name)) continue;
      const sc = c.securityContext ?? {};
      const nonRoot = sc.runAsNonRoot === true || (sc.runAsNonRoot === undefined && podNonRoot);
      if (!nonRoot || sc.runAsUser === 0) report(`${w.kind} container "${c.name}" may run as root: set runAsNonRoot: true`);
      if (sc.privileged) report(`${w.kind} container "${c.name}" is privileged`);
      if (sc.allowPrivilegeEscalation !== false) report(`${w.kind} container "${c.name}" must set allowPrivilegeEscalation: false`);
    }
  }),
};

/** Env names that announce a secret. */
const SECRET_NAME = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|DSN|PRIVATE_KEY|CREDENTIALS?|DATABASE_URL|REDIS_URL|ROUTING_KEY|WEBHOOK_URL)$/i;

/** Values that look like a credential whatever their name. */
const SECRET_VALUE: Array<[RegExp, string]> = [
  [/[a-z][a-z0-9+.-]*:\/\/[^\s:@/]+:[^\s@/]+@/i, 'a URL with a password in it'],
  [/[a-z][a-z0-9+.-]*:\/\/[0-9a-f]{16,}@[^\s/]*sentry/i, 'a Sentry DSN'],
  [/hooks\.slack\.com\/services\/[A-Za-z0-9/]+/, 'a Slack webhook URL'],
  [/\bgsk_[A-Za-z0-9]{8,}/, 'a Groq API key'],
  [/\bAKIA[0-9A-Z]{16}\b/, 'an AWS access key id'],
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, 'a private key'],
];

export function secretLike(value: string): string | undefined {
  for (const [pattern, what] of SECRET_VALUE) if (pattern.test(value)) return what;
  return undefined;
}

export const noPlaintextSecrets: ResourceValidationPolicy = {
  name: 'no-plaintext-secrets',
  description: 'Secrets live in Kubernetes Secrets: no container env value or ConfigMap entry holds one in clear.',
  enforcementLevel: 'mandatory',
  validateResource: (args, report) => {
    const kind = args.type.slice(args.type.lastIndexOf(':') + 1);
    if (args.type.startsWith('kubernetes:') && kind === 'ConfigMap') {
      for (const [key, value] of Object.entries((args.props.data ?? {}) as Record<string, unknown>)) {
        if (typeof value !== 'string') continue;
        const what = secretLike(value);
        if (what) report(`ConfigMap key "${key}" holds ${what}; put it in a Secret`);
      }
      return;
    }
    const w = workloadOf(args.type, args.props);
    if (!w) return;
    for (const { c } of allContainers(w.pod)) {
      for (const e of c.env ?? []) {
        if (typeof e.value !== 'string' || e.value === '') continue;
        if (e.name && SECRET_NAME.test(e.name)) {
          report(`${w.kind} container "${c.name}" sets ${e.name} in clear; use valueFrom.secretKeyRef`);
          continue;
        }
        const what = secretLike(e.value);
        if (what) report(`${w.kind} container "${c.name}" env ${e.name} holds ${what}; use valueFrom.secretKeyRef`);
      }
    }
  },
};

export const policies: ResourceValidationPolicy[] = [requireLimits, requireProbes, requireNonRoot, noPlaintextSecrets];
