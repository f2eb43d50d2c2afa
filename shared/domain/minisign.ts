import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import { Invalid } from './errors.js';

/**
 * Tauri updater signatures (minisign, as the updater checks them with the `minisign-verify`
 * crate). The app's public key and each `.sig` are base64 of minisign's text files. A signature
 * line is Ed25519 over the BLAKE2b-512 hash of the file (algorithm `ED`, what `tauri signer` makes)
 * or over the file itself (`Ed`); the global signature covers the signature plus the trusted
 * comment, where new signers put `version:`.
 */
export interface MinisignKey {
  keyId: Buffer;
  publicKey: KeyObject;
}

function lines(base64: string): string[] {
  return Buffer.from(base64.trim(), 'base64').toString('utf8').replace(/\r/g, '').trim().split('\n');
}

/** Parses a Tauri updater public key (the base64 `.key.pub` text); 400 when it is not one. */
export function parseMinisignKey(base64: string): MinisignKey {
  const key = Buffer.from(lines(base64)[1] ?? '', 'base64');
  if (key.length !== 42 || key.subarray(0, 2).toString() !== 'Ed') {
    throw new Invalid('tauri_pubkey must be the base64 text of a minisign public key (the .key.pub of `tauri signer generate`)');
  }
  const publicKey = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: key.subarray(10).toString('base64url') }, format: 'jwk' });
  return { keyId: key.subarray(2, 10), publicKey };
}

/**
 * Why a signature does not verify for a file, or undefined when it does. Takes the file's
 * BLAKE2b-512 digest (ingest computes it in its one pass) rather than the bytes.
 */
export function minisignProblem(
  key: MinisignKey,
  signatureBase64: string,
  blake2b512: Buffer,
  expectedVersion: string,
): string | undefined {
  const text = lines(signatureBase64);
  const signatureLine = Buffer.from(text[1] ?? '', 'base64');
  const trustedComment = (text[2] ?? '').replace(/^trusted comment: /, '');
  const globalSignature = Buffer.from(text[3] ?? '', 'base64');
  if (signatureLine.length !== 74 || globalSignature.length !== 64) return 'the signature is not a minisign signature';
  const algorithm = signatureLine.subarray(0, 2).toString();
  if (algorithm !== 'ED')
    return `the signature uses algorithm ${JSON.stringify(algorithm)}; tauri signer makes prehashed ("ED") signatures`;
  if (!signatureLine.subarray(2, 10).equals(key.keyId)) return "the file was signed with another key than the app's updater key";
  const signature = signatureLine.subarray(10);
  if (!verify(null, blake2b512, key.publicKey, signature)) return 'the signature does not match the file';
  if (!verify(null, Buffer.concat([signature, Buffer.from(trustedComment)]), key.publicKey, globalSignature)) {
    return 'the trusted comment is not signed by the key';
  }
  const signedVersion = /(?:^|\t)version:([^\t]*)/.exec(trustedComment)?.[1];
  if (signedVersion !== undefined && signedVersion !== expectedVersion) {
    return `the signature is for version ${signedVersion}, the release is ${expectedVersion}`;
  }
  return undefined;
}
