import { listAuditEntries } from './audit.js';
import * as components from './components.js';
import * as incidents from './incidents.js';
import * as metrics from './metrics.js';
import type { Operation } from './operation.js';
import { getPublicStatus } from './public-view.js';
import * as schedules from './schedules.js';
import * as settings from './settings.js';
import * as subscribers from './subscribers.js';

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
  metrics.updateMetricPoint,
  metrics.deleteMetricPoint,
  subscribers.listSubscribersOp,
  subscribers.getSubscriberOp,
  subscribers.createSubscriber,
  subscribers.updateSubscriptions,
  subscribers.deleteSubscriber,
  subscribers.deleteSubscription,
  settings.getSettings,
  settings.updateSettings,
  listAuditEntries,
  getPublicStatus,
] as const;

export const OPERATIONS: ReadonlyMap<string, Operation> = new Map(all.map((op) => [op.name, op as Operation]));
