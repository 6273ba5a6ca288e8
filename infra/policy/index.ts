// The policy pack `pulumi preview --policy-pack infra/policy` runs: limits, probes, non-root, no plain-text secrets.
import { PolicyPack } from '@pulumi/policy';
import { policies } from './policies';

new PolicyPack('digital-twin-observability', { enforcementLevel: 'mandatory', policies });
