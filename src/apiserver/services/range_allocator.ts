/**
 * Allocation of values from a fixed range (Service ClusterIPs from the service CIDR,
 * NodePorts from 30000-32767), as kube-apiserver's bitmap allocators. The set of allocated
 * values is rebuilt from the Services at start and changed synchronously on every allocation,
 * so two concurrent creates in this process never get the same value.
 */
import { randomInt } from 'node:crypto';

export class RangeFull extends Error {}
export class NotInRange extends Error {}
export class AlreadyAllocated extends Error {}

export class RangeAllocator {
  private readonly used = new Set<number>();

  /** Values are offsets 0..size-1 into the range; `reserved` offsets are never handed out. */
  constructor(
    readonly size: number,
    private readonly reserved: ReadonlySet<number> = new Set(),
  ) {}

  get allocatedCount(): number {
    return this.used.size;
  }

  has(offset: number): boolean {
    return this.used.has(offset);
  }

  /** Takes a specific offset; throws NotInRange or AlreadyAllocated. */
  allocate(offset: number): void {
    if (!Number.isInteger(offset) || offset < 0 || offset >= this.size) throw new NotInRange();
    if (this.used.has(offset)) throw new AlreadyAllocated();
    this.used.add(offset);
  }

  /** Marks an offset taken without checks (rebuilding from stored objects). */
  restore(offset: number): void {
    if (offset >= 0 && offset < this.size) this.used.add(offset);
  }

  /** Takes a free offset, chosen at random as Kubernetes does; throws RangeFull. */
  allocateNext(): number {
    const free = this.size - this.used.size - this.reserved.size;
    if (free <= 0) throw new RangeFull();
    // Random probes find a free value fast while the range is sparse; then scan from a random start.
    for (let i = 0; i < 32; i++) {
      const candidate = randomInt(this.size);
      if (!this.used.has(candidate) && !this.reserved.has(candidate)) {
        this.used.add(candidate);
        return candidate;
      }
    }
    const start = randomInt(this.size);
    for (let i = 0; i < this.size; i++) {
      const candidate = (start + i) % this.size;
      if (!this.used.has(candidate) && !this.reserved.has(candidate)) {
        this.used.add(candidate);
        return candidate;
      }
    }
    throw new RangeFull();
  }

  release(offset: number): void {
    this.used.delete(offset);
  }
}

/** An IPv4 CIDR such as 10.96.0.0/12, as offsets: the network and broadcast addresses are reserved. */
export class Ipv4Range {
  readonly base: number;
  readonly size: number;

  constructor(readonly cidr: string) {
    const match = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(cidr);
    if (!match) throw new Error(`service CIDR ${cidr} is not an IPv4 CIDR`);
    const octets = match.slice(1, 5).map(Number);
    const bits = Number(match[5]);
    if (octets.some((o) => o > 255) || bits < 8 || bits > 30) throw new Error(`service CIDR ${cidr} is not a usable IPv4 CIDR (/8 to /30)`);
    const ip = octets.reduce((acc, o) => acc * 256 + o, 0);
    this.size = 2 ** (32 - bits);
    this.base = ip - (ip % this.size);
  }

  /** The offset of an address in the range, or undefined when it is outside. */
  offsetOf(ip: string): number | undefined {
    const match = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(ip);
    if (!match) return undefined;
    const octets = match.slice(1, 5).map(Number);
    if (octets.some((o) => o > 255)) return undefined;
    const value = octets.reduce((acc, o) => acc * 256 + o, 0);
    const offset = value - this.base;
    return offset >= 0 && offset < this.size ? offset : undefined;
  }

  addressAt(offset: number): string {
    const value = this.base + offset;
    return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
  }

  /** Offsets that are never allocated: the network and the broadcast address. */
  reserved(): Set<number> {
    return new Set([0, this.size - 1]);
  }
}
