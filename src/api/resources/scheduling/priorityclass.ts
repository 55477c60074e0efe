/**
 * scheduling.k8s.io/v1 PriorityClass: a named pod priority. The value and preemption policy
 * never change; the `system-` names belong to the server's own classes (created at bootstrap,
 * not here) and user values stay at most one billion.
 */
import type { PriorityClass } from 'kubernetes-types/scheduling/v1.js';
import { FieldPath, type FieldError } from '../../errors.js';
import type { KubeObject } from '../../object.js';
import type { ResourceType } from '../../registry.js';
import { forbidden, notSupported, validateImmutableField } from '../../validation/field.js';
import { ageColumn } from '../columns.js';

type PriorityClassObject = PriorityClass & KubeObject;

/** scheduling.HighestUserDefinablePriority. */
export const HIGHEST_USER_DEFINABLE_PRIORITY = 1_000_000_000;
const SYSTEM_PREFIX = 'system-';
/** The system classes and their fixed values (scheduling.SystemPriorityClasses). */
export const SYSTEM_PRIORITY_CLASSES: Readonly<Record<string, number>> = {
  'system-node-critical': 2_000_001_000,
  'system-cluster-critical': 2_000_000_000,
};
const PREEMPTION_POLICIES = ['Never', 'PreemptLowerPriority'];

/** IsKnownSystemPriorityClass: the problem with a `system-` class, if any. */
function systemClassProblem(pc: PriorityClass): string | undefined {
  const name = pc.metadata?.name ?? '';
  const value = SYSTEM_PRIORITY_CLASSES[name];
  if (value === undefined) return `${name} is not a known system priority class`;
  if (pc.value !== value) return `value of ${name} PriorityClass must be ${value}`;
  if (pc.globalDefault) return `globalDefault of ${name} PriorityClass must be false`;
  return undefined;
}

/** ValidatePriorityClass. */
export function validatePriorityClass(pc: PriorityClass): FieldError[] {
  const errs: FieldError[] = [];
  if ((pc.metadata?.name ?? '').startsWith(SYSTEM_PREFIX)) {
    const problem = systemClassProblem(pc);
    if (problem) errs.push(forbidden(FieldPath.root('metadata').child('name'), `priority class names with '${SYSTEM_PREFIX}' prefix are reserved for system use only. error: ${problem}`));
  } else if (pc.value > HIGHEST_USER_DEFINABLE_PRIORITY) {
    errs.push(forbidden(FieldPath.root('value'), `maximum allowed value of a user defined priority is ${HIGHEST_USER_DEFINABLE_PRIORITY}`));
  }
  const policy = pc.preemptionPolicy;
  if (policy !== undefined && !PREEMPTION_POLICIES.includes(policy)) errs.push(notSupported(FieldPath.root('preemptionPolicy'), policy, PREEMPTION_POLICIES));
  return errs;
}

/** ValidatePriorityClassUpdate: value and preemptionPolicy are fixed. */
export function validatePriorityClassUpdate(pc: PriorityClass, old: PriorityClass): FieldError[] {
  const errs: FieldError[] = [];
  if (pc.value !== old.value) errs.push(forbidden(FieldPath.root('value'), 'may not be changed in an update.'));
  errs.push(...validateImmutableField(pc.preemptionPolicy, old.preemptionPolicy, FieldPath.root('preemptionPolicy')));
  return errs;
}

export const priorityClasses: ResourceType<PriorityClassObject> = {
  group: 'scheduling.k8s.io',
  version: 'v1',
  kind: 'PriorityClass',
  resource: 'priorityclasses',
  singular: 'priorityclass',
  namespaced: false,
  shortNames: ['pc'],
  strategy: {
    defaults(pc) {
      pc.preemptionPolicy ??= 'PreemptLowerPriority';
    },
    validate: validatePriorityClass,
    validateUpdate: validatePriorityClassUpdate,
  },
  table: [
    {
      name: 'Value',
      type: 'integer',
      description: 'value represents the integer value of this priority class. This is the actual priority that pods receive when they have the name of this class in their pod spec.',
      cell: (pc) => pc.value ?? 0,
    },
    {
      name: 'Global-Default',
      type: 'boolean',
      description: 'globalDefault specifies whether this PriorityClass should be considered as the default priority for pods that do not have any priority class. Only one PriorityClass can be marked as `globalDefault`. However, if more than one PriorityClasses exists with their `globalDefault` field set to true, the smallest value of such global default PriorityClasses will be used as the default priority.',
      cell: (pc) => pc.globalDefault ?? false,
    },
    ageColumn,
    {
      name: 'PreemptionPolicy',
      type: 'string',
      description: 'preemptionPolicy is the Policy for preempting pods with lower priority. One of Never, PreemptLowerPriority. Defaults to PreemptLowerPriority if unset.',
      cell: (pc) => pc.preemptionPolicy ?? '',
    },
  ],
};
