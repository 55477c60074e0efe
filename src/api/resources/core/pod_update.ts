/**
 * ValidatePodUpdate's rule: a pod's spec is fixed once created, except container images,
 * activeDeadlineSeconds (set, or lowered), added tolerations, removed scheduling gates, and a
 * negative grace period raised to 1. Anything else is Forbidden with Kubernetes' message.
 */
import type { PodSpec, Toleration } from 'kubernetes-types/core/v1.js';
import { FieldPath, type FieldError } from '../../errors.js';
import { deepCopy } from '../../object.js';
import { forbidden, invalidValue, jsonEqual, required } from '../../validation/field.js';
import { inclusiveRangeError } from '../../validation/messages.js';

export const POD_UPDATE_FORBIDDEN =
  'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,' +
  '`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),' +
  '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

const MAX_INT32 = 2147483647;

function sameToleration(a: Toleration, b: Toleration): boolean {
  return a.key === b.key && (a.operator ?? 'Equal') === (b.operator ?? 'Equal') && (a.value ?? '') === (b.value ?? '') && (a.effect ?? '') === (b.effect ?? '');
}

/** validateOnlyAddedTolerations: every old toleration stays (its tolerationSeconds may shrink). */
function validateOnlyAddedTolerations(next: Toleration[], old: Toleration[], path: FieldPath): FieldError[] {
  for (const o of old) {
    const match = next.find((n) => sameToleration(n, o));
    if (!match) return [forbidden(path, 'existing toleration can not be modified except its tolerationSeconds')];
    if (o.tolerationSeconds !== undefined && (match.tolerationSeconds === undefined || match.tolerationSeconds > o.tolerationSeconds)) {
      // Kubernetes allows only lowering tolerationSeconds of an existing NoExecute toleration.
      if (match.tolerationSeconds !== o.tolerationSeconds) return [forbidden(path, 'existing toleration can not be modified except its tolerationSeconds')];
    }
  }
  return [];
}

/** The checks of a pod's spec on update (metadata is validateObjectMetaUpdate's). */
export function validatePodSpecUpdate(next: PodSpec | undefined, old: PodSpec | undefined): FieldError[] {
  const spec = FieldPath.root('spec');
  const n = next ?? { containers: [] };
  const o = old ?? { containers: [] };
  const errs: FieldError[] = [];

  for (const list of ['containers', 'initContainers'] as const) {
    const nl = n[list] ?? [];
    const ol = o[list] ?? [];
    if (nl.length !== ol.length) {
      errs.push(forbidden(spec.child(list), 'pod updates may not add or remove containers'));
      continue;
    }
    nl.forEach((c, i) => {
      if (!c.image) errs.push(required(spec.child(list).index(i).child('image')));
    });
  }
  if (errs.length > 0) return errs;

  if (n.activeDeadlineSeconds !== undefined) {
    const value = n.activeDeadlineSeconds;
    if (value < 0 || value > MAX_INT32) {
      return [invalidValue(spec.child('activeDeadlineSeconds'), value, inclusiveRangeError(0, MAX_INT32))];
    }
    if (o.activeDeadlineSeconds !== undefined && o.activeDeadlineSeconds < value) {
      return [invalidValue(spec.child('activeDeadlineSeconds'), value, 'must be less than or equal to previous value')];
    }
  } else if (o.activeDeadlineSeconds !== undefined) {
    errs.push(invalidValue(spec.child('activeDeadlineSeconds'), null, 'must not update from a positive integer to nil value'));
  }
  errs.push(...validateOnlyAddedTolerations(n.tolerations ?? [], o.tolerations ?? [], spec.child('tolerations')));

  // Set the fields that may change to their old values; what differs then is forbidden.
  const munged = deepCopy(n);
  for (const list of ['containers', 'initContainers'] as const) {
    (munged[list] ?? []).forEach((c, i) => {
      c.image = o[list]?.[i]?.image ?? c.image;
    });
  }
  munged.activeDeadlineSeconds = o.activeDeadlineSeconds;
  munged.tolerations = o.tolerations;
  const gatesRemoved = (n.schedulingGates ?? []).every((g) => (o.schedulingGates ?? []).some((og) => og.name === g.name));
  if (gatesRemoved) munged.schedulingGates = o.schedulingGates;
  if ((o.terminationGracePeriodSeconds ?? 0) < 0 && n.terminationGracePeriodSeconds === 1) {
    munged.terminationGracePeriodSeconds = o.terminationGracePeriodSeconds;
  }
  if (!jsonEqual(munged, o)) errs.push(forbidden(spec, POD_UPDATE_FORBIDDEN));
  return errs;
}
