/**
 * Tries authenticators in order, as k8s.io/apiserver's union authenticator: the first user
 * found wins, and the group system:authenticated is added to it. When none finds a user, errors
 * from any of them make the request fail with 401 Unauthorized (the errors become the cause,
 * for the log); without errors the request simply carries no credentials (undefined), and the
 * server decides whether that is allowed.
 */
import type { IncomingMessage } from 'node:http';
import { StatusError, unauthorized } from '../../api/errors.js';
import { ALL_AUTHENTICATED, type Authenticator, type UserInfo } from './interfaces.js';

export class UnionAuthenticator implements Authenticator {
  readonly #authenticators: readonly Authenticator[];

  constructor(authenticators: readonly Authenticator[]) {
    this.#authenticators = [...authenticators];
  }

  async authenticate(req: IncomingMessage): Promise<UserInfo | undefined> {
    const errors: unknown[] = [];
    for (const authenticator of this.#authenticators) {
      try {
        const user = await authenticator.authenticate(req);
        if (user) return withAuthenticatedGroup(user);
      } catch (err) {
        errors.push(err);
      }
    }
    if (errors.length === 0) return undefined;
    // The client sees kube-apiserver's plain 401; why it failed stays in the cause.
    throw new StatusError(unauthorized().status, { cause: errors.length === 1 ? errors[0] : new AggregateError(errors) });
  }
}

function withAuthenticatedGroup(user: UserInfo): UserInfo {
  if (user.groups.includes(ALL_AUTHENTICATED)) return user;
  return { ...user, groups: [...user.groups, ALL_AUTHENTICATED] };
}
