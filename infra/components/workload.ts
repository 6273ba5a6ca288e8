// The pod hardening every workload shares: labels, non-root read-only containers, resources, config checksums.
import { createHash } from 'node:crypto';
import type * as k8s from '@pulumi/kubernetes';
import type { ComputeResources } from '../config';

type Container = k8s.types.input.core.v1.Container;
type PodSecurityContext = k8s.types.input.core.v1.PodSecurityContext;
type SecurityContext = k8s.types.input.core.v1.SecurityContext;

export const PART_OF = 'digital-twin-observability';

/** Annotation naming the init containers allowed to run privileged (the policy pack reads it). */
export const PRIVILEGED_INIT_ANNOTATION = 'digital-twin-observability/privileged-init';

export function labelsFor(name: string, component: string): Record<string, string> {
  return {
    'app.kubernetes.io/name': name,
    'app.kubernetes.io/component': component,
    'app.kubernetes.io/part-of': PART_OF,
    'app.kubernetes.io/managed-by': 'pulumi',
  };
}

/** The selector subset of `labelsFor`: stable across label additions, since selectors are immutable. */
export function selectorFor(name: string): Record<string, string> {
  return { 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': PART_OF };
}

export function podSecurity(uid: number): PodSecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: uid,
    runAsGroup: uid,
    fsGroup: uid,
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

export const containerSecurity: SecurityContext = {
  runAsNonRoot: true,
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ['ALL'] },
};

export function resourcesOf(r: ComputeResources): k8s.types.input.core.v1.ResourceRequirements {
  return {
    requests: { cpu: r.requests.cpu, memory: r.requests.memory },
    limits: { cpu: r.limits.cpu, memory: r.limits.memory },
  };
}

/** A hash of non-secret config content: changing a ConfigMap rolls the pods that read it at start. */
export function checksum(...contents: string[]): string {
  const hash = createHash('sha256');
  for (const c of contents) hash.update(c).update('\0');
  return hash.digest('hex');
}

export function hardened(container: Container): Container {
  return { ...container, securityContext: { ...containerSecurity, ...(container.securityContext as object | undefined) } };
}

export function persistentClaim(name: string, size: string, className: string | undefined): k8s.types.input.core.v1.PersistentVolumeClaim {
  return {
    metadata: { name },
    spec: {
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: size } },
      ...(className ? { storageClassName: className } : {}),
    },
  };
}
