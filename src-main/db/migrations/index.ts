import { initial } from './0001_initial.js';
import { identity } from './0002_identity.js';
import { apiKeys } from './0003_api_keys.js';
import { incidentTemplates } from './0004_incident_templates.js';
import { auditChain } from './0005_audit_chain.js';
import { twoPersonRule } from './0006_two_person_rule.js';
import { auditRetention } from './0007_audit_retention.js';
import { securityAlerts } from './0008_security_alerts.js';
import { siteLogo } from './0009_site_logo.js';
import { notifications } from './0010_notifications.js';
import { publicVersion } from './0011_public_version.js';
import type { Migration } from './types.js';

/** Append-only. The runner refuses a database whose applied migrations differ from these. */
export const MIGRATIONS: readonly Migration[] = [initial, identity, apiKeys, incidentTemplates, auditChain, twoPersonRule, auditRetention, securityAlerts, siteLogo, notifications, publicVersion];
