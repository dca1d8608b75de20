import { z } from 'zod';
import type { Db } from '../db/connection.js';
import {
  deleteScheduleRow,
  getSchedule,
  insertSchedule,
  insertScheduleUpdate,
  listSchedules,
  listScheduleUpdates,
  replaceScheduleComponents,
  scheduleComponents,
  updateScheduleRow,
  type ScheduleFields,
  type ScheduleRow,
  type ScheduleUpdateRow,
} from '../db/schedules.js';
import { changedFields } from './audit.js';
import { componentStatus, requireComponent } from './components.js';
import { CairnError, notFound } from './errors.js';
import { renderMarkdown } from './markdown.js';
import { defineOperation, type OperationContext } from './operation.js';
import { applyPatch } from './patch.js';
import { code, id, line, listQuery, markdown, resolveTime, time, type Page, type TimeInput } from './schemas.js';
import { loadSettings } from './settings.js';
import { recordEvent } from './notifications/events.js';

/** Scheduled maintenance: 0 upcoming, 1 in progress, 2 complete. */
export const SCHEDULE_STATUS = { 0: 'Upcoming', 1: 'In Progress', 2: 'Complete' } as const;
export const scheduleStatus = code([0, 1, 2] as const);

export interface Schedule extends ScheduleRow {
  /** Affected components: id → status during the maintenance. */
  readonly components: Record<string, number>;
  readonly updates: ScheduleUpdateRow[];
}

/** Cachet sends affected components as a map of id → status; at most 100 of them. */
const affectedComponents = z
  .record(z.string().regex(/^[1-9]\d{0,15}$/, 'keys must be component ids'), componentStatus)
  .refine((m) => Object.keys(m).length <= 100, 'at most 100 components');

export function requireSchedule(db: Db, scheduleId: number): Schedule {
  const row = getSchedule(db, scheduleId);
  if (!row) throw notFound('Schedule', scheduleId);
  return { ...row, components: scheduleComponents(db, scheduleId), updates: listScheduleUpdates(db, scheduleId) };
}

function checkComponents(db: Db, components: Record<string, number>): void {
  for (const componentId of Object.keys(components)) {
    try {
      requireComponent(db, Number(componentId));
    } catch {
      throw new CairnError('invalid_input', `components.${componentId}: component ${componentId} does not exist`, `components.${componentId}`);
    }
  }
}

const MAINTENANCE_EVENT = { 0: 'maintenance.scheduled', 1: 'maintenance.started', 2: 'maintenance.completed' } as const;

/** Tells subscribers and hooks that maintenance was announced, started or completed (on a status change, or when created). */
function announceSchedule(ctx: OperationContext, schedule: Schedule, previousStatus: number | null, text: { message: string; messageHtml: string } = schedule): void {
  if (schedule.status === previousStatus) return;
  const status = schedule.status as keyof typeof SCHEDULE_STATUS;
  const payload = { title: schedule.name, status: SCHEDULE_STATUS[status], markdown: text.message, html: text.messageHtml, path: `/schedules/${schedule.id}`, subject: { type: 'schedule', id: schedule.id } } as const;
  recordEvent(ctx, MAINTENANCE_EVENT[status], payload, Object.keys(schedule.components).map(Number));
}

function checkTimes(scheduledAt: number, completedAt: number | null): void {
  if (completedAt !== null && completedAt < scheduledAt) {
    throw new CairnError('invalid_input', 'completedAt: must not be before scheduledAt', 'completedAt');
  }
}

const scheduleShape = {
  name: line(255),
  message: markdown(20_000),
  status: scheduleStatus,
  scheduledAt: time,
  completedAt: time.nullable(),
  components: affectedComponents,
};

export const listSchedulesOp = defineOperation({
  name: 'schedule.list',
  requires: 'maintenance.read',
  readOnly: true,
  input: listQuery(['id', 'name', 'status', 'scheduledAt'], 'scheduledAt', { status: scheduleStatus.optional() }),
  run(ctx, q): Page<Schedule> {
    const { rows, total } = listSchedules(ctx.db, q, q.sort, q.order, q.perPage, (q.page - 1) * q.perPage);
    return { items: rows.map((r) => requireSchedule(ctx.db, r.id)), total, page: q.page, perPage: q.perPage };
  },
});

export const getScheduleOp = defineOperation({
  name: 'schedule.get',
  requires: 'maintenance.read',
  readOnly: true,
  input: z.strictObject({ id }),
  run: (ctx, { id: scheduleId }) => requireSchedule(ctx.db, scheduleId),
});

export const createSchedule = defineOperation({
  name: 'schedule.create',
  requires: 'maintenance.write',
  input: z.strictObject({
    ...scheduleShape,
    message: scheduleShape.message.default(''),
    status: scheduleShape.status.default(0),
    completedAt: scheduleShape.completedAt.default(null),
    components: scheduleShape.components.default({}),
    notify: z.unknown().optional(),
  }),
  run(ctx, input): Schedule {
    checkComponents(ctx.db, input.components);
    const tz = loadSettings(ctx.db).timezone;
    const fields: ScheduleFields = {
      name: input.name,
      message: input.message,
      messageHtml: renderMarkdown(input.message),
      status: input.status,
      scheduledAt: resolveTime(input.scheduledAt, tz),
      completedAt: input.completedAt === null ? null : resolveTime(input.completedAt, tz),
    };
    checkTimes(fields.scheduledAt, fields.completedAt);
    const scheduleId = insertSchedule(ctx.db, fields, ctx.now);
    replaceScheduleComponents(ctx.db, scheduleId, input.components);
    ctx.audit({ action: 'schedule.create', targetType: 'schedule', targetId: scheduleId, details: { name: fields.name, scheduledAt: fields.scheduledAt } });
    const created = requireSchedule(ctx.db, scheduleId);
    announceSchedule(ctx, created, null);
    return created;
  },
});

export const updateSchedule = defineOperation({
  name: 'schedule.update',
  requires: 'maintenance.write',
  input: z.strictObject({
    id,
    name: scheduleShape.name.optional(),
    message: scheduleShape.message.optional(),
    status: scheduleShape.status.optional(),
    scheduledAt: scheduleShape.scheduledAt.optional(),
    completedAt: scheduleShape.completedAt.optional(),
    components: scheduleShape.components.optional(),
    notify: z.unknown().optional(),
  }),
  run(ctx, { id: scheduleId, scheduledAt, completedAt, components, notify: _notify, ...patch }): Schedule {
    const before = requireSchedule(ctx.db, scheduleId);
    if (components) checkComponents(ctx.db, components);
    const tz = loadSettings(ctx.db).timezone;
    const at = (t: TimeInput | null | undefined, fallback: number | null) => (t === undefined ? fallback : t === null ? null : resolveTime(t, tz));
    const fields: ScheduleFields = {
      ...applyPatch(before, patch),
      messageHtml: patch.message === undefined ? before.messageHtml : renderMarkdown(patch.message),
      scheduledAt: at(scheduledAt, before.scheduledAt) ?? before.scheduledAt,
      completedAt: at(completedAt, before.completedAt),
    };
    checkTimes(fields.scheduledAt, fields.completedAt);
    updateScheduleRow(ctx.db, scheduleId, fields, ctx.now);
    if (components) replaceScheduleComponents(ctx.db, scheduleId, components);
    const after = requireSchedule(ctx.db, scheduleId);
    ctx.audit({
      action: 'schedule.update',
      targetType: 'schedule',
      targetId: scheduleId,
      details: changedFields(before, after, ['name', 'message', 'status', 'scheduledAt', 'completedAt', 'components']),
    });
    announceSchedule(ctx, after, before.status);
    return after;
  },
});

export const deleteSchedule = defineOperation({
  name: 'schedule.delete',
  requires: 'maintenance.write',
  input: z.strictObject({ id }),
  run(ctx, { id: scheduleId }): { id: number } {
    const before = requireSchedule(ctx.db, scheduleId);
    deleteScheduleRow(ctx.db, scheduleId);
    ctx.audit({ action: 'schedule.delete', targetType: 'schedule', targetId: scheduleId, details: { name: before.name } });
    return { id: scheduleId };
  },
});

/** An update on the maintenance timeline; the schedule takes its status (and completes at 2). */
export const createScheduleUpdate = defineOperation({
  name: 'scheduleUpdate.create',
  requires: 'maintenance.write',
  input: z.strictObject({ scheduleId: id, status: scheduleStatus, message: markdown(20_000).refine((m) => m.trim() !== '', 'must not be empty') }),
  run(ctx, input): Schedule {
    const before = requireSchedule(ctx.db, input.scheduleId);
    const updateId = insertScheduleUpdate(ctx.db, { ...input, messageHtml: renderMarkdown(input.message) }, ctx.now);
    const completedAt = input.status === 2 ? (before.completedAt ?? ctx.now) : before.completedAt;
    updateScheduleRow(ctx.db, before.id, { ...before, status: input.status, completedAt }, ctx.now);
    ctx.audit({ action: 'scheduleUpdate.create', targetType: 'schedule', targetId: before.id, details: { updateId, status: [before.status, input.status] } });
    const after = requireSchedule(ctx.db, before.id);
    announceSchedule(ctx, after, before.status, { message: input.message, messageHtml: renderMarkdown(input.message) });
    return after;
  },
});
