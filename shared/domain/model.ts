import type { Arch, Target } from './platform.js';

/** An application registered by an account. */
export interface App {
  id: string;
  name: string;
  ownerId: string;
  slug?: string;
  createdAt: string;
}

/** One published version of an app. */
export interface Release {
  id: string;
  appId: string;
  version: string;
  notes: string;
  signature?: string;
  pubDate: string;
  createdAt: string;
}

export type ArtifactStatus = 'pending' | 'ready' | 'rejected';

/** One binary of a release for one target/arch; offered only once `ready`. */
export interface Artifact {
  appId: string;
  releaseId: string;
  target: Target;
  arch: Arch;
  objectKey: string;
  declaredSize: number;
  declaredSha256?: string;
  signature?: string;
  status: ArtifactStatus;
  size?: number;
  sha256?: string;
  objectVersionId?: string;
  rejectedReason?: string;
  createdAt: string;
  readyAt?: string;
}
