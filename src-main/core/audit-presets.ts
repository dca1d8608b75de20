/** Saved filters for the review screens and `cairn audit list --preset`. */
export const AUDIT_PRESETS = {
  'role-changes': { actions: ['user.create', 'user.setRoles', 'user.disable', 'user.enable', 'role.create', 'role.update', 'role.delete', 'review.record'] },
  'api-key-events': { actions: ['apikey.create', 'apikey.rotate', 'apikey.revoke', 'apikey.authenticate'] },
  'failed-sign-ins': { actions: ['auth.signIn', 'auth.verifySecondFactor', 'auth.reauthenticate'], outcome: 'failed' },
  'incident-publications': { actions: ['incident.create', 'incident.publish', 'incident.update', 'incident.delete', 'incidentUpdate.create', 'incidentUpdate.update', 'incidentUpdate.delete'] },
  'security-settings': { actions: ['security.update', 'settings.update', 'account.twoFactor.disable', 'user.resetTwoFactor', 'user.resetPassword'] },
} as const satisfies Record<string, { actions: readonly string[]; outcome?: 'failed' }>;
export type AuditPreset = keyof typeof AUDIT_PRESETS;
