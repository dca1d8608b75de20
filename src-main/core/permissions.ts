/** The named permissions. Every core operation declares exactly one of these (or 'public'). */
export const PERMISSIONS = [
  'components.read',
  'components.write',
  'incidents.read',
  'incidents.write',
  'incidents.publish',
  'incidents.approve',
  'maintenance.read',
  'maintenance.write',
  'metrics.read',
  'metrics.write',
  'subscribers.read',
  'subscribers.write',
  'users.read',
  'users.manage',
  'apikeys.manage',
  'audit.read',
  'audit.review',
  'settings.manage',
  /** Notification providers, which events notify, and the delivery outbox. */
  'notifications.manage',
] as const;

export type Permission = (typeof PERMISSIONS)[number];

/** An operation anyone may call, e.g. reading the public projection. Declared, never implied. */
export const PUBLIC = 'public' as const;
/**
 * An operation a signed-in user performs on their own account (sign out, change password, enrol
 * 2FA). It needs no permission, only a live session in one of the stages the operation allows.
 */
export const SELF = 'self' as const;
/** Any one of several permissions, e.g. an access review by users.manage or audit.review. */
export interface AnyOf {
  readonly anyOf: readonly Permission[];
}
export type Requirement = Permission | typeof PUBLIC | typeof SELF | AnyOf;

export function describeRequirement(requirement: Requirement): string {
  if (typeof requirement === 'object') return requirement.anyOf.join(' or ');
  return requirement;
}

export const ALL_PERMISSIONS: ReadonlySet<Permission> = new Set(PERMISSIONS);

export function isPermission(value: string): value is Permission {
  return (PERMISSIONS as readonly string[]).includes(value);
}
