/** policy/v1 in the text form of schema.ts: PodDisruptionBudget and Eviction (k8s.io/api/policy/v1). */
import type { GroupSchema } from './schema.js';

export const POLICY: GroupSchema = {
  PodDisruptionBudget: '1 metadata meta.ObjectMeta; 2 spec PodDisruptionBudgetSpec; 3 status PodDisruptionBudgetStatus',
  PodDisruptionBudgetSpec:
    '1 minAvailable *IntOrString; 2 selector *meta.LabelSelector; 3 maxUnavailable *IntOrString;' +
    ' 4 unhealthyPodEvictionPolicy *string',
  PodDisruptionBudgetStatus:
    '1 observedGeneration ?int64; 2 disruptedPods ?map[string]Time; 3 disruptionsAllowed int32; 4 currentHealthy int32;' +
    ' 5 desiredHealthy int32; 6 expectedPods int32; 7 conditions ?[]meta.Condition',
  Eviction: '1 metadata meta.ObjectMeta; 2 deleteOptions *meta.DeleteOptions',
};
