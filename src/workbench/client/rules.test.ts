import { describe, expect, it } from 'vitest';
import { requestSchema } from '../../models/index.ts';
import { disabledFields, rulesOf } from './rules.ts';
import type { RequestSchema } from './schema.ts';

const schema = requestSchema() as unknown as RequestSchema;

describe('cross-field rules read from the schema', () => {
  it('finds every rule the schema states', () => {
    expect(rulesOf(schema)).toEqual([
      { kind: 'exclusive', when: 'auto_controls', other: 'edit_strength' },
      { kind: 'needs-enum', when: 'hdr', field: 'resolution', allowed: ['720p', '1080p'] },
      { kind: 'needs-true', when: 'exr_export', field: 'hdr' },
    ]);
  });

  it('disables HDR below 720p or without access, and EXR without HDR', () => {
    expect([...disabledFields(schema, { resolution: '540p' }, true).keys()].sort()).toEqual(['exr_export', 'hdr']);
    expect([...disabledFields(schema, { resolution: '720p', hdr: true }, true).keys()]).toEqual([]);
    const noAccess = disabledFields(schema, { resolution: '1080p', hdr: true, exr_export: true }, false);
    expect(noAccess.get('hdr')).toMatch(/no HDR access/);
    expect(noAccess.get('exr_export')).toMatch(/Needs HDR/);
  });

  it('makes auto_controls and edit_strength exclusive both ways', () => {
    const base = { resolution: '720p', hdr: true };
    expect(disabledFields(schema, { ...base, auto_controls: true }, true).has('edit_strength')).toBe(true);
    expect(disabledFields(schema, { ...base, edit_strength: 'flex_1' }, true).has('auto_controls')).toBe(true);
    expect(disabledFields(schema, { ...base, edit_strength: '' }, true).size).toBe(0);
  });
});
