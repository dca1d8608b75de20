import { listAuditEntries } from './audit.js';
import * as components from './components.js';
import * as account from './identity/account.js';
import * as apiKeys from './identity/api-keys.js';
import * as auth from './identity/auth.js';
import * as policy from './identity/policy.js';
import * as review from './identity/review.js';
import * as roles from './identity/roles.js';
import * as users from './identity/users.js';
import * as incidents from './incidents.js';
import * as metrics from './metrics.js';
import type { AnyOperation } from './operation.js';
import { getPublicMetricSeries } from './public-metrics.js';
import { getPublicStatus } from './public-view.js';
import * as schedules from './schedules.js';
import * as settings from './settings.js';
import * as subscribers from './subscribers.js';
import { ALERT_OPERATIONS } from './alerts.js';
import { APPROVAL_OPERATIONS } from './approvals.js';
import { AUDIT_LOG_OPERATIONS } from './audit-log.js';
import { getPosture, recordServerStart } from './posture.js';
import { TEMPLATE_OPERATIONS } from './templates.js';
import { VISIBLE_READS } from './visible-reads.js';
import { NOTIFICATION_OPERATIONS } from './notifications/registry.js';
import { SETUP_OPERATIONS } from './identity/setup.js';

/**
 * Every operation the core offers, by name. Doors look operations up here; a test checks that
 * each one declares a permission and that names are unique.
 */
const all = [
  components.listComponentsOp,
  components.getComponentOp,
  components.createComponent,
  components.updateComponent,
  components.deleteComponent,
  components.listGroupsOp,
  components.getGroupOp,
  components.createGroup,
  components.updateGroup,
  components.deleteGroup,
  incidents.listIncidentsOp,
  incidents.getIncidentOp,
  incidents.createIncident,
  incidents.updateIncident,
  incidents.publishIncident,
  incidents.deleteIncident,
  incidents.listIncidentUpdatesOp,
  incidents.getIncidentUpdateOp,
  incidents.createIncidentUpdate,
  incidents.updateIncidentUpdate,
  incidents.deleteIncidentUpdate,
  incidents.previewMessage,
  schedules.listSchedulesOp,
  schedules.getScheduleOp,
  schedules.createSchedule,
  schedules.updateSchedule,
  schedules.deleteSchedule,
  schedules.createScheduleUpdate,
  metrics.listMetricsOp,
  metrics.getMetricOp,
  metrics.createMetric,
  metrics.updateMetric,
  metrics.deleteMetric,
  metrics.listMetricPointsOp,
  metrics.addMetricPointOp,
  metrics.addMetricPointsOp,
  metrics.updateMetricPoint,
  metrics.deleteMetricPoint,
  subscribers.listSubscribersOp,
  subscribers.getSubscriberOp,
  subscribers.createSubscriber,
  subscribers.updateSubscriptions,
  subscribers.deleteSubscriber,
  subscribers.deleteSubscription,
  subscribers.exportSubscribers,
  settings.getSiteInfo,
  settings.getSettings,
  settings.updateSettings,
  settings.setLogo,
  settings.removeLogo,
  settings.getPublicLogo,
  listAuditEntries,
  getPublicStatus,
  getPublicMetricSeries,
  auth.signIn,
  auth.verifySecondFactor,
  auth.reauthenticate,
  auth.signOut,
  account.getAccount,
  account.changePassword,
  account.beginTwoFactor,
  account.confirmTwoFactor,
  account.disableTwoFactor,
  account.regenerateRecoveryCodes,
  users.listUsersOp,
  users.getUserOp,
  users.createUser,
  users.updateUserOp,
  users.setUserRolesOp,
  users.disableUserOp,
  users.enableUserOp,
  users.endUserSessionsOp,
  users.resetTwoFactorOp,
  users.resetPasswordOp,
  users.confirmUserTwoFactorOp,
  roles.listRolesOp,
  roles.createRole,
  roles.updateRoleOp,
  roles.deleteRoleOp,
  policy.getSecurityPolicy,
  policy.updateSecurityPolicy,
  review.reviewStatus,
  review.recordReview,
  apiKeys.createApiKey,
  apiKeys.listApiKeysOp,
  apiKeys.rotateApiKey,
  apiKeys.revokeApiKey,
  ...VISIBLE_READS,
  ...TEMPLATE_OPERATIONS,
  ...AUDIT_LOG_OPERATIONS,
  getPosture,
  recordServerStart,
  ...APPROVAL_OPERATIONS,
  ...ALERT_OPERATIONS,
  ...NOTIFICATION_OPERATIONS,
  ...SETUP_OPERATIONS,
] as const;

export const OPERATIONS: ReadonlyMap<string, AnyOperation> = new Map(all.map((op) => [op.name, op as AnyOperation]));
