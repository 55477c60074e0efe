/**
 * Writes a file so that readers see the old content or the new, never a part, and so that a
 * secret is never readable by others even for a moment: the data goes to a temporary file
 * created with the final mode, which is then renamed over the target.
 */
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

/** Mode for private keys and credentials (kubeconfig, tokens). */
export const PRIVATE_FILE_MODE = 0o600;
/** Mode for certificates, which are public. */
export const PUBLIC_FILE_MODE = 0o644;

/** Replaces `file` with `data` atomically, with permission bits `mode`. The directory must exist. */
export async function writeFileAtomic(file: string, data: string, mode: number): Promise<void> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${crypto.randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await fs.open(tmp, 'wx', mode);
    try {
      await handle.writeFile(data);
      // open() applies the umask; chmod makes the mode exact.
      await handle.chmod(mode);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(tmp, file);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
}
