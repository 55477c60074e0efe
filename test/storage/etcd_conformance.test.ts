/** The storage conformance suite on the etcd backend, against a real etcd started for it. */
import { EtcdStore } from '../../src/storage/etcd.js';
import { startEtcd, type EtcdProcess } from '../support/etcd_process.js';
import { runStoreConformance } from './conformance.js';

let etcd: EtcdProcess | undefined;

runStoreConformance('etcd', {
  open: async ({ maxWatchBuffer }) => {
    etcd = await startEtcd();
    return EtcdStore.open({ endpoints: [etcd.endpoint], maxWatchBuffer });
  },
  cleanup: () => etcd?.stop() ?? Promise.resolve(),
});
