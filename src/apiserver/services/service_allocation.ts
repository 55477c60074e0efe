/**
 * ClusterIPs and NodePorts of Services, as kube-apiserver's service REST storage allocates
 * them: from the service CIDR (default 10.96.0.0/12) and the NodePort range (30000-32767),
 * requested values honoured when free and in range, never one value twice, released when the
 * Service goes or stops needing it. Runs as the services RegistryStore's hooks.
 */
import { invalid, type FieldError } from '../../api/errors.js';
import type { KubeObject } from '../../api/object.js';
import type { StoreHooks, Undo } from '../registry_store.js';
import { AlreadyAllocated, Ipv4Range, NotInRange, RangeAllocator, RangeFull } from './range_allocator.js';

export interface ServiceAllocationOptions {
  serviceCIDR: string;
  nodePortRange: { base: number; size: number };
}

export const DEFAULT_SERVICE_CIDR = '10.96.0.0/12';
export const DEFAULT_NODE_PORT_RANGE = { base: 30000, size: 2768 };

interface ServicePort {
  name?: string;
  port?: number;
  protocol?: string;
  nodePort?: number;
}

interface ServiceSpec {
  type?: string;
  clusterIP?: string;
  clusterIPs?: string[];
  ports?: ServicePort[];
}

const SERVICE_KIND = { group: '', kind: 'Service' };

function specOf(obj: KubeObject): ServiceSpec {
  return (obj.spec ?? {});
}

function needsClusterIP(spec: ServiceSpec): boolean {
  return spec.type !== 'ExternalName' && spec.clusterIP !== 'None';
}

function needsNodePorts(spec: ServiceSpec): boolean {
  return spec.type === 'NodePort' || spec.type === 'LoadBalancer';
}

export class ServiceAllocation implements StoreHooks {
  private readonly ips: Ipv4Range;
  private readonly ipAllocator: RangeAllocator;
  private readonly portAllocator: RangeAllocator;
  private readonly ports: { base: number; size: number };

  constructor(options: ServiceAllocationOptions) {
    this.ips = new Ipv4Range(options.serviceCIDR);
    this.ipAllocator = new RangeAllocator(this.ips.size, this.ips.reserved());
    this.ports = options.nodePortRange;
    this.portAllocator = new RangeAllocator(this.ports.size);
  }

  /** The n-th address of the service CIDR (1: the `kubernetes` Service's). */
  addressAt(offset: number): string {
    return this.ips.addressAt(offset);
  }

  /** Marks what existing Services hold (at start, from the watch cache). */
  restore(services: readonly KubeObject[]): void {
    for (const svc of services) {
      const spec = specOf(svc);
      for (const ip of spec.clusterIPs ?? (spec.clusterIP ? [spec.clusterIP] : [])) {
        const offset = this.ips.offsetOf(ip);
        if (offset !== undefined) this.ipAllocator.restore(offset);
      }
      for (const port of spec.ports ?? []) if (port.nodePort) this.portAllocator.restore(port.nodePort - this.ports.base);
    }
  }

  beforeCreate(obj: KubeObject): Undo {
    const spec = specOf(obj);
    const undos: Undo[] = [];
    const errors: FieldError[] = [];
    try {
      if (needsClusterIP(spec)) this.allocateClusterIP(obj, spec, undos, errors);
      if (needsNodePorts(spec)) this.allocateNodePorts(spec, undefined, undos, errors);
    } finally {
      if (errors.length > 0) undos.forEach((u) => u());
    }
    if (errors.length > 0) throw invalid(SERVICE_KIND, obj.metadata.name ?? '', errors);
    return () => undos.forEach((u) => u());
  }

  beforeUpdate(obj: KubeObject, old: KubeObject): Undo {
    const spec = specOf(obj);
    const oldSpec = specOf(old);
    const undos: Undo[] = [];
    const errors: FieldError[] = [];
    // An update that leaves clusterIP out keeps the allocated one, as Kubernetes does.
    if (needsClusterIP(spec) && !spec.clusterIP && oldSpec.clusterIP && oldSpec.clusterIP !== 'None') {
      spec.clusterIP = oldSpec.clusterIP;
      spec.clusterIPs = oldSpec.clusterIPs ?? [oldSpec.clusterIP];
    }
    if (needsClusterIP(spec) && !spec.clusterIP) this.allocateClusterIP(obj, spec, undos, errors);
    if (needsNodePorts(spec)) this.allocateNodePorts(spec, oldSpec, undos, errors);
    else for (const port of spec.ports ?? []) delete port.nodePort;
    if (errors.length > 0) {
      undos.forEach((u) => u());
      throw invalid(SERVICE_KIND, obj.metadata.name ?? '', errors);
    }
    // What the old Service held and the new one does not is released once the write succeeds;
    // the undo of a failed write gives back only what this update took.
    this.releaseDropped(oldSpec, spec);
    return () => {
      undos.forEach((u) => u());
      this.restore([old]);
    };
  }

  afterDelete(obj: KubeObject): void {
    this.releaseDropped(specOf(obj), {});
  }

  private allocateClusterIP(obj: KubeObject, spec: ServiceSpec, undos: Undo[], errors: FieldError[]): void {
    const requested = spec.clusterIP || spec.clusterIPs?.[0];
    const field = 'spec.clusterIPs[0]';
    if (requested) {
      const offset = this.ips.offsetOf(requested);
      try {
        if (offset === undefined) throw new NotInRange();
        this.ipAllocator.allocate(offset);
        undos.push(() => this.ipAllocator.release(offset));
      } catch (err) {
        const why =
          err instanceof NotInRange
            ? `provided IP is not in the valid range. The range of valid IPs is ${this.ips.cidr}`
            : 'provided IP is already allocated';
        errors.push({ type: 'Invalid', field, value: requested, detail: `failed to allocate IP ${requested}: ${why}` });
      }
    } else {
      try {
        const offset = this.ipAllocator.allocateNext();
        undos.push(() => this.ipAllocator.release(offset));
        spec.clusterIP = this.ips.addressAt(offset);
      } catch (err) {
        if (!(err instanceof RangeFull)) throw err;
        errors.push({ type: 'Invalid', field, value: '', detail: 'failed to allocate IP: range is full' });
        return;
      }
    }
    spec.clusterIPs = [spec.clusterIP ?? (requested as string)];
    spec.clusterIP = spec.clusterIPs[0];
    obj.spec = spec;
  }

  private allocateNodePorts(spec: ServiceSpec, oldSpec: ServiceSpec | undefined, undos: Undo[], errors: FieldError[]): void {
    const held = new Set((oldSpec?.ports ?? []).map((p) => p.nodePort).filter((p): p is number => !!p));
    (spec.ports ?? []).forEach((port, i) => {
      const field = `spec.ports[${i}].nodePort`;
      if (!port.nodePort) {
        // Keep the port an unchanged Service port already had.
        const previous = oldSpec?.ports?.find((p) => p.port === port.port && (p.protocol ?? 'TCP') === (port.protocol ?? 'TCP'));
        if (previous?.nodePort) {
          port.nodePort = previous.nodePort;
          return;
        }
        try {
          const offset = this.portAllocator.allocateNext();
          undos.push(() => this.portAllocator.release(offset));
          port.nodePort = this.ports.base + offset;
        } catch (err) {
          if (!(err instanceof RangeFull)) throw err;
          errors.push({ type: 'Invalid', field, value: 0, detail: 'failed to allocate a nodePort: range is full' });
        }
        return;
      }
      if (held.has(port.nodePort)) return;
      const offset = port.nodePort - this.ports.base;
      try {
        this.portAllocator.allocate(offset);
        undos.push(() => this.portAllocator.release(offset));
      } catch (err) {
        if (!(err instanceof NotInRange) && !(err instanceof AlreadyAllocated)) throw err;
        const why =
          err instanceof NotInRange
            ? `provided port is not in the valid range. The range of valid ports is ${this.ports.base}-${this.ports.base + this.ports.size - 1}`
            : 'provided port is already allocated';
        errors.push({ type: 'Invalid', field, value: port.nodePort, detail: why });
      }
    });
  }

  /** Releases what `old` held that `now` does not. */
  private releaseDropped(old: ServiceSpec, now: ServiceSpec): void {
    const keepIPs = new Set(now.clusterIPs ?? (now.clusterIP ? [now.clusterIP] : []));
    for (const ip of old.clusterIPs ?? (old.clusterIP ? [old.clusterIP] : [])) {
      if (keepIPs.has(ip)) continue;
      const offset = this.ips.offsetOf(ip);
      if (offset !== undefined) this.ipAllocator.release(offset);
    }
    const keepPorts = new Set((now.ports ?? []).map((p) => p.nodePort));
    for (const port of old.ports ?? []) {
      if (port.nodePort && !keepPorts.has(port.nodePort)) this.portAllocator.release(port.nodePort - this.ports.base);
    }
  }
}
