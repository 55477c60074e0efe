/** Names the server makes up: generateName suffixes, as Kubernetes' SimpleNameGenerator does. */
import { randomInt } from 'node:crypto';

// Consonants and digits only, so that generated names never spell words.
const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
const SUFFIX_LENGTH = 5;
const MAX_NAME_LENGTH = 63;

/** `generateName` plus five random characters, the base cut so the whole fits 63 characters. */
export function generateName(base: string): string {
  const room = MAX_NAME_LENGTH - SUFFIX_LENGTH;
  let suffix = '';
  for (let i = 0; i < SUFFIX_LENGTH; i++) suffix += ALPHABET[randomInt(ALPHABET.length)];
  return (base.length > room ? base.slice(0, room) : base) + suffix;
}
