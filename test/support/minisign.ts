import { createHash, createPublicKey, verify } from 'node:crypto';

/**
 * Verifies a Tauri updater signature the way the updater does (minisign, via the `minisign-verify`
 * crate): the `signature` field and the public key are base64 of minisign's text files; the
 * signature is Ed25519 over the BLAKE2b-512 hash of the file (algorithm `ED`), and the global
 * signature covers the signature plus the trusted comment.
 */
export function verifyTauriSignature(publicKeyBase64: string, signatureBase64: string, file: Buffer): { trustedComment: string } {
  const keyLines = Buffer.from(publicKeyBase64, 'base64').toString('utf8').trim().split('\n');
  const key = Buffer.from(keyLines[1] ?? '', 'base64');
  if (key.length !== 42 || key.subarray(0, 2).toString() !== 'Ed') throw new Error('not a minisign Ed25519 public key');
  const publicKey = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: key.subarray(10).toString('base64url') }, format: 'jwk' });

  const lines = Buffer.from(signatureBase64, 'base64').toString('utf8').trim().split('\n');
  const signatureLine = Buffer.from(lines[1] ?? '', 'base64');
  const trustedComment = (lines[2] ?? '').replace(/^trusted comment: /, '');
  const globalSignature = Buffer.from(lines[3] ?? '', 'base64');
  if (signatureLine.length !== 74) throw new Error('malformed signature line');
  const algorithm = signatureLine.subarray(0, 2).toString();
  if (!signatureLine.subarray(2, 10).equals(key.subarray(2, 10))) throw new Error('signed with another key');
  const signature = signatureLine.subarray(10);

  const message = algorithm === 'ED' ? createHash('blake2b512').update(file).digest() : file;
  if (!verify(null, message, publicKey, signature)) throw new Error('signature does not match the file');
  if (!verify(null, Buffer.concat([signature, Buffer.from(trustedComment)]), publicKey, globalSignature)) {
    throw new Error('trusted comment signature does not match');
  }
  return { trustedComment };
}
