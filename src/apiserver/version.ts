/**
 * What /version reports. kts implements the Kubernetes 1.32 API, so it says 1.32 (kubectl
 * warns when client and server are more than one minor version apart); gitVersion marks kts.
 */
export const KUBERNETES_VERSION = { major: '1', minor: '32', patch: '0' };

export const VERSION_INFO = {
  major: KUBERNETES_VERSION.major,
  minor: KUBERNETES_VERSION.minor,
  gitVersion: `v${KUBERNETES_VERSION.major}.${KUBERNETES_VERSION.minor}.${KUBERNETES_VERSION.patch}+kts`,
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2026-11-22T00:00:00Z',
  goVersion: `node${process.versions.node}`,
  compiler: 'tsc',
  platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
};
