import { TableDomainError } from './errors.js';

// Continuation values travel in headers, which carry Latin-1 only; keys may
// hold any character, so they go out base64url-encoded.

export function encodeContinuation(value: string): string {
  return Buffer.from(value, 'utf8').toString('base64url');
}

export function decodeContinuation(name: string, token: string): string {
  if (!/^[A-Za-z0-9_-]*$/.test(token)) throw new TableDomainError('InvalidInput', `The continuation token ${name} is not valid.`);
  return Buffer.from(token, 'base64url').toString('utf8');
}
