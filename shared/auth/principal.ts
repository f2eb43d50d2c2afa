/** The authenticated caller, as the access token describes them. */
export interface Principal {
  /** Cognito `sub`: the stable account id that owns apps. */
  readonly userId: string;
  readonly username: string;
  readonly groups: readonly string[];
}

export const ADMINS_GROUP = 'admins';
