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
] as const;

export type Permission = (typeof PERMISSIONS)[number];

/** An operation anyone may call, e.g. reading the public projection. Declared, never implied. */
export const PUBLIC = 'public' as const;
export type Requirement = Permission | typeof PUBLIC;

export const ALL_PERMISSIONS: ReadonlySet<Permission> = new Set(PERMISSIONS);

export function isPermission(value: string): value is Permission {
  return (PERMISSIONS as readonly string[]).includes(value);
}
