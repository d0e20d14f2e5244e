/**
 * A blind panel viewer's answers, in the line format of panel-prompts.ts:
 * `<clip> <tile>: <name> | <0, 1 or 2> | faces: <yes, partly, no, none> | darks: <yes, partly, no>`.
 */
import { PANEL_NAMES } from './panel-prompts.ts';

export interface Answer {
  clip: string;
  tile: number;
  /** The look the viewer named, as a style id (`noir`, `oil_painting`). */
  name: string;
  rating: number;
  faces: string;
  darks: string;
}

/** The look a panel name stands for (`film noir` → `noir`, `sepia / vintage` → `sepia`). */
export function lookOf(name: string): string {
  const n = name.trim().toLowerCase();
  const aliases: Record<string, string> = {
    'film noir': 'noir', 'dreamy / soft focus': 'dreamy', 'neon / cyberpunk': 'neon', 'sepia / vintage': 'sepia',
    'vhs / glitch': 'vhs', 'oil painting': 'oil_painting', 'pencil sketch': 'pencil_sketch', 'pixel art': 'pixel_art',
    'pop art': 'pop_art', 'ink comic': 'ink_comic',
  };
  const known = PANEL_NAMES.find((p) => p === n || p.split(' / ')[0] === n);
  return aliases[known ?? n] ?? (known ?? n).replace(/ /g, '_');
}

/** Every answer line in a viewer's text; other lines are ignored. */
export function parseAnswers(text: string): Answer[] {
  const line = /^\W*([\w-]+)\s+(\d+)\s*:\s*([^|]+)\|\s*([0-2])\s*\|\s*faces:\s*(\w+)\s*\|\s*darks:\s*(\w+)/i;
  return text.split('\n').flatMap((l) => {
    const m = line.exec(l.replace(/`/g, ''));
    return m ? [{ clip: m[1]!, tile: Number(m[2]), name: lookOf(m[3]!), rating: Number(m[4]), faces: m[5]!.toLowerCase(), darks: m[6]!.toLowerCase() }] : [];
  });
}
