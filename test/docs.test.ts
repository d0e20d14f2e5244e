/**
 * The documentation holds together: the README stays short and links every page of
 * docs/, every relative link (and its #anchor) in the README and docs/ leads somewhere,
 * and every variable the server reads is in docs/configuration.md.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');
const docs = readdirSync(join(ROOT, 'docs')).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`);
const pages = ['README.md', ...docs];

/** Markdown links and images outside code: [text](target). */
function links(markdown: string): string[] {
  const prose = markdown.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  return [...prose.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!);
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as dashes. */
function anchors(markdown: string): Set<string> {
  const headings = markdown.replace(/```[\s\S]*?```/g, '').matchAll(/^#{1,6} (.+)$/gm);
  return new Set([...headings].map((m) => m[1]!.trim().toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, '').replace(/ /g, '-')));
}

describe('documentation', () => {
  it('keeps the README short enough to read in ten minutes', () => {
    expect(read('README.md').split('\n').length).toBeLessThanOrEqual(300);
  });

  it('links every page of docs/ from the README', () => {
    const linked = new Set(links(read('README.md')).map((target) => target.split('#')[0]));
    expect(docs.filter((page) => !linked.has(page))).toEqual([]);
  });

  it('has no relative link to a missing file or heading', () => {
    const broken: string[] = [];
    for (const page of pages) {
      for (const target of links(read(page))) {
        if (/^[a-z]+:/i.test(target)) continue;
        const [file, anchor] = target.split('#') as [string, string | undefined];
        const path = file === '' ? join(ROOT, page) : resolve(dirname(join(ROOT, page)), file);
        if (!existsSync(path)) broken.push(`${page} → ${target}`);
        else if (anchor && path.endsWith('.md') && !anchors(readFileSync(path, 'utf8')).has(anchor)) {
          broken.push(`${page} → ${target} (no heading "${anchor}" in ${relative(ROOT, path)})`);
        }
      }
    }
    expect(broken).toEqual([]);
  });

  it('lists every variable the server reads in docs/configuration.md', () => {
    const names = new Set(read('src/config.ts').match(/\b(?:RETAKE|FAL|LUMA|AWS)_[A-Z0-9_]+\b/g));
    const page = read('docs/configuration.md');
    expect([...names].filter((name) => !name.endsWith('_') && !page.includes(name))).toEqual([]);
  });
});
