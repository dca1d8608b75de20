import { z } from 'zod';
import { deleteTemplateRow, findTemplateBySlug, getTemplate, insertTemplate, listTemplates, updateTemplateRow, type TemplateRow } from '../db/templates.js';
import type { Db } from '../db/connection.js';
import { changedFields } from './audit.js';
import { CairnError, notFound } from './errors.js';
import { defineOperation } from './operation.js';
import { applyPatch } from './patch.js';
import { id, int, line, markdown, optionalLine, type Page } from './schemas.js';

export type { TemplateRow as IncidentTemplate };

/**
 * Incident templates: Markdown with `{{ name }}` placeholders and nothing else. A placeholder is
 * replaced by the plain value given for it; there are no expressions, filters, includes, loops or
 * code, so `{{ 7*7 }}`, `{% include %}` or `{{ x|upper }}` stay literal text (Cachet evaluated its
 * templates with Twig: CVE-2023-43661). The result is then rendered and sanitized like any message.
 */

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]{0,63})\s*\}\}/g;

/** The values a client gives for placeholders: short plain text or numbers. */
export const templateVars = z
  .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, 'names are letters, digits and _'), z.union([optionalLine(1000), z.number().finite()]))
  .refine((v) => Object.keys(v).length <= 50, 'at most 50 variables');

export function renderTemplate(template: string, vars: Readonly<Record<string, string | number>>): string {
  return template.replace(PLACEHOLDER, (_match, name: string) => {
    if (!Object.hasOwn(vars, name)) throw new CairnError('invalid_input', `vars.${name}: is missing (the template uses {{ ${name} }})`, `vars.${name}`);
    return String(vars[name]);
  });
}

export const templateSlug = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(100, 'must be at most 100 characters')
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be lower-case letters, digits and dashes, e.g. database-degraded');

export function requireTemplateBySlug(db: Db, slug: string): TemplateRow {
  const t = findTemplateBySlug(db, slug);
  if (!t) throw new CairnError('invalid_input', `template: no template is called ${slug}`, 'template');
  return t;
}

function requireTemplate(db: Db, templateId: number): TemplateRow {
  const t = getTemplate(db, templateId);
  if (!t) throw notFound('Incident template', templateId);
  return t;
}

function requireFreeSlug(db: Db, slug: string, ownId?: number): void {
  const taken = findTemplateBySlug(db, slug);
  if (taken && taken.id !== ownId) throw new CairnError('conflict', `A template is already called ${slug}`);
}

const templateText = markdown(20_000).refine((t) => t.trim() !== '', 'must not be empty');

export const listTemplatesOp = defineOperation({
  name: 'template.list',
  requires: 'incidents.read',
  readOnly: true,
  input: z.strictObject({ page: int(1, 1_000_000).default(1), perPage: int(1, 100).default(20) }),
  run(ctx, q): Page<TemplateRow> {
    const { rows, total } = listTemplates(ctx.db, q.perPage, (q.page - 1) * q.perPage);
    return { items: rows, total, page: q.page, perPage: q.perPage };
  },
});

export const getTemplateOp = defineOperation({
  name: 'template.get',
  requires: 'incidents.read',
  readOnly: true,
  input: z.strictObject({ id }),
  run: (ctx, { id: templateId }) => requireTemplate(ctx.db, templateId),
});

export const createTemplate = defineOperation({
  name: 'template.create',
  requires: 'incidents.write',
  input: z.strictObject({ name: line(255), slug: templateSlug, template: templateText }),
  run(ctx, input): TemplateRow {
    requireFreeSlug(ctx.db, input.slug);
    const templateId = insertTemplate(ctx.db, input, ctx.now);
    ctx.audit({ action: 'template.create', targetType: 'template', targetId: templateId, details: { name: input.name, slug: input.slug } });
    return requireTemplate(ctx.db, templateId);
  },
});

export const updateTemplate = defineOperation({
  name: 'template.update',
  requires: 'incidents.write',
  input: z.strictObject({ id, name: line(255).optional(), slug: templateSlug.optional(), template: templateText.optional() }),
  run(ctx, { id: templateId, ...patch }): TemplateRow {
    const before = requireTemplate(ctx.db, templateId);
    const after = applyPatch(before, patch);
    requireFreeSlug(ctx.db, after.slug, templateId);
    updateTemplateRow(ctx.db, templateId, after, ctx.now);
    ctx.audit({ action: 'template.update', targetType: 'template', targetId: templateId, details: changedFields(before, after, ['name', 'slug', 'template']) });
    return requireTemplate(ctx.db, templateId);
  },
});

export const deleteTemplate = defineOperation({
  name: 'template.delete',
  requires: 'incidents.write',
  input: z.strictObject({ id }),
  run(ctx, { id: templateId }): { id: number } {
    const before = requireTemplate(ctx.db, templateId);
    deleteTemplateRow(ctx.db, templateId);
    ctx.audit({ action: 'template.delete', targetType: 'template', targetId: templateId, details: { name: before.name, slug: before.slug } });
    return { id: templateId };
  },
});

export const TEMPLATE_OPERATIONS = [listTemplatesOp, getTemplateOp, createTemplate, updateTemplate, deleteTemplate] as const;
