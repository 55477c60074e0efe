/**
 * Admission: plugins that see every write after decoding and before storage, mutating ones
 * first, then validating ones, as kube-apiserver's admission chain. The chain is a table
 * (chain.ts); each plugin is one file beside this one.
 */
import type { KubeObject } from '../../api/object.js';
import type { ResourceType } from '../../api/registry.js';
import type { UserInfo } from '../authn/interfaces.js';

export type AdmissionOperation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';

export interface AdmissionAttributes {
  operation: AdmissionOperation;
  resource: ResourceType;
  subresource: string | undefined;
  namespace: string | undefined;
  name: string;
  /** The object to be stored (create, update); mutating plugins may change it. */
  object: KubeObject | undefined;
  /** The stored object (update, delete). */
  oldObject: KubeObject | undefined;
  user: UserInfo;
  dryRun: boolean;
}

export interface AdmissionPlugin {
  readonly name: string;
  /** Mutating phase: may change attrs.object; throws a StatusError to refuse. */
  admit?(attrs: AdmissionAttributes): void | Promise<void>;
  /** Validating phase: may not change anything; throws a StatusError to refuse. */
  validate?(attrs: AdmissionAttributes): void | Promise<void>;
}

/** Runs every plugin's admit, then every plugin's validate, in table order. */
export class AdmissionChain {
  constructor(private readonly plugins: readonly AdmissionPlugin[]) {}

  async admit(attrs: AdmissionAttributes): Promise<void> {
    for (const plugin of this.plugins) if (plugin.admit) await plugin.admit(attrs);
  }

  async validate(attrs: AdmissionAttributes): Promise<void> {
    for (const plugin of this.plugins) if (plugin.validate) await plugin.validate(attrs);
  }
}
