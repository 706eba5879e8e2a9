// Authentication and authorisation per route: RFC 9110 (401 carries WWW-Authenticate), RFC 6750
// (`invalid_token` -> 401, `insufficient_scope` -> 403).
import { Profile } from './schema';

export type AuthType = 'none' | 'api_key' | 'jwt';

export interface Credential {
  apiKey?: string;
  jwt?: { scopes: string[]; valid: boolean };
}

export interface AuthOutcome {
  status: 0 | 401 | 403;
  /** Response headers (WWW-Authenticate on 401 and 403). */
  headers: Record<string, string>;
  reason: string;
}

/**
 * Decides a request's auth status. `keys` maps each known API key to its scopes. Status 0 = allowed.
 * AWS API Gateway answers a missing or unknown API key with 403 `{"message":"Forbidden"}` and no
 * challenge; every other profile with 401 and `WWW-Authenticate`.
 */
export function authenticate(
  type: AuthType,
  scopes: readonly string[],
  cred: Credential,
  keys: ReadonlyMap<string, readonly string[]>,
  profile: Profile,
  realm = 'gateway',
): AuthOutcome {
  if (type === 'none') return { status: 0, headers: {}, reason: 'no auth' };
  const need = scopes.join(' ');
  if (type === 'api_key') {
    const challenge = { 'WWW-Authenticate': `ApiKey realm="${realm}"` };
    if (cred.apiKey === undefined)
      return profile === 'aws'
        ? { status: 403, headers: {}, reason: 'missing API key' }
        : { status: 401, headers: challenge, reason: 'missing API key' };
    const held = keys.get(cred.apiKey);
    if (!held)
      return profile === 'aws'
        ? { status: 403, headers: {}, reason: 'invalid API key' }
        : { status: 401, headers: challenge, reason: 'invalid API key' };
    if (!scopes.every((s) => held.includes(s))) return { status: 403, headers: {}, reason: `missing scope ${need}` };
    return { status: 0, headers: {}, reason: 'API key' };
  }
  if (!cred.jwt) return { status: 401, headers: { 'WWW-Authenticate': `Bearer realm="${realm}"` }, reason: 'missing bearer token' };
  if (!cred.jwt.valid)
    return { status: 401, headers: { 'WWW-Authenticate': `Bearer realm="${realm}", error="invalid_token"` }, reason: 'invalid token' };
  if (!scopes.every((s) => cred.jwt!.scopes.includes(s)))
    return {
      status: 403,
      headers: { 'WWW-Authenticate': `Bearer realm="${realm}", error="insufficient_scope", scope="${need}"` },
      reason: `missing scope ${need}`,
    };
  return { status: 0, headers: {}, reason: 'JWT' };
}
