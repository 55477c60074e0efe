/**
 * policy/v1 PodDisruptionBudget: how many pods of a set may be down at once for voluntary
 * disruptions. ValidatePodDisruptionBudgetSpec's essentials and printPodDisruptionBudget.
 */
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1.js';
import { FieldPath, type FieldError } from '../../errors.js';
import { validateLabelSelector } from '../../labels.js';
import type { KubeObject } from '../../object.js';
import type { ResourceType } from '../../registry.js';
import { invalidValue, notSupported } from '../../validation/field.js';
import { validateNotMoreThan100Percent, validatePositiveIntOrPercent } from '../../validation/int_or_string.js';
import { ageColumn } from '../columns.js';
import { setStatus } from '../status.js';

type PodDisruptionBudgetObject = PodDisruptionBudget & KubeObject;

const SPEC = FieldPath.root('spec');
const EVICTION_POLICIES = ['AlwaysAllow', 'IfHealthyBudget'];

/** ValidatePodDisruptionBudgetSpec's essentials. */
export function validatePodDisruptionBudget(pdb: PodDisruptionBudget): FieldError[] {
  const spec = pdb.spec ?? {};
  const errs: FieldError[] = [];
  if (spec.minAvailable !== undefined && spec.maxUnavailable !== undefined) {
    errs.push(invalidValue(SPEC.child('minAvailable'), spec.minAvailable, 'minAvailable and maxUnavailable cannot be both set'));
  }
  for (const f of ['minAvailable', 'maxUnavailable'] as const) {
    const value = spec[f];
    if (value === undefined) continue;
    errs.push(...validatePositiveIntOrPercent(value, SPEC.child(f)));
    errs.push(...validateNotMoreThan100Percent(value, SPEC.child(f)));
  }
  errs.push(...validateLabelSelector(spec.selector, SPEC.child('selector')));
  const policy = spec.unhealthyPodEvictionPolicy;
  if (policy !== undefined && !EVICTION_POLICIES.includes(policy)) {
    errs.push(notSupported(SPEC.child('unhealthyPodEvictionPolicy'), policy, EVICTION_POLICIES));
  }
  return errs;
}

/** IntOrString.String(), `N/A` when unset. */
const intOrString = (v: number | string | undefined): string => (v === undefined ? 'N/A' : String(v));

export const podDisruptionBudgets: ResourceType<PodDisruptionBudgetObject> = {
  group: 'policy',
  version: 'v1',
  kind: 'PodDisruptionBudget',
  resource: 'poddisruptionbudgets',
  singular: 'poddisruptionbudget',
  namespaced: true,
  shortNames: ['pdb'],
  tracksGeneration: true,
  subresources: { status: true },
  strategy: {
    prepareForCreate(pdb) {
      // The counters have no omitempty: a new budget shows them as zero.
      setStatus(pdb, { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 });
    },
    validate: validatePodDisruptionBudget,
  },
  table: [
    { name: 'Min Available', type: 'string', description: 'The minimum number of pods that must be available.', cell: (p) => intOrString(p.spec?.minAvailable) },
    { name: 'Max Unavailable', type: 'string', description: 'The maximum number of pods that may be unavailable.', cell: (p) => intOrString(p.spec?.maxUnavailable) },
    { name: 'Allowed Disruptions', type: 'integer', description: 'Calculated number of pods that may be disrupted at this time.', cell: (p) => p.status?.disruptionsAllowed ?? 0 },
    ageColumn,
  ],
};
