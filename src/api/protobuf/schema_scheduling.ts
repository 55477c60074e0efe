/** scheduling.k8s.io/v1 in the text form of schema.ts: PriorityClass (k8s.io/api/scheduling/v1). */
import type { GroupSchema } from './schema.js';

export const SCHEDULING: GroupSchema = {
  PriorityClass:
    '1 metadata meta.ObjectMeta; 2 value int32; 3 globalDefault ?bool; 4 description ?string; 5 preemptionPolicy *string',
};
