/**
 * The API key: kept in the browser's local storage, checked against `GET /api/keys/me`
 * so the page can say at once whether it works and whether it has HDR access.
 */
import { ApiError, keyProblem, type Api } from './api.ts';
import { byId, formatUsd } from './dom.ts';

const STORAGE = 'retake.apiKey';

export interface KeyInfo {
  name: string;
  hdr_access: boolean;
  budget_usd: number | null;
  spent_usd?: number;
}

export interface KeyPanel {
  /** The key in use ('' when none). */
  key(): string;
  /** Check the key again; resolves with what it may do (undefined: none or refused). */
  check(): Promise<KeyInfo | undefined>;
}

function stored(): string {
  try {
    return localStorage.getItem(STORAGE) ?? '';
  } catch {
    return '';
  }
}

/**
 * Wire the key form.
 * @param onKey called after every check with the key's abilities (or undefined)
 */
export function setupKeyPanel(getApi: () => Api, onKey: (info: KeyInfo | undefined) => void): KeyPanel {
  const form = byId<HTMLFormElement>('key-form');
  const input = byId<HTMLInputElement>('key-input');
  const status = byId('key-status');
  let current = stored();
  input.value = current;

  const say = (text: string, problem: boolean) => {
    status.textContent = text;
    status.classList.toggle('problem', problem);
  };

  const check = async (): Promise<KeyInfo | undefined> => {
    if (!current) {
      say(keyProblem(false), true);
      onKey(undefined);
      return undefined;
    }
    try {
      const info = await getApi().json<KeyInfo>('GET', '/api/keys/me');
      const budget = info.budget_usd === null ? 'no budget limit' : `budget ${formatUsd(info.budget_usd)}, spent ${formatUsd(info.spent_usd ?? 0)}`;
      say(`Key "${info.name}" · HDR access: ${info.hdr_access ? 'yes' : 'no'} · ${budget}`, false);
      onKey(info);
      return info;
    } catch (err) {
      say(err instanceof ApiError ? err.message : String(err), true);
      onKey(undefined);
      return undefined;
    }
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    current = input.value.trim();
    try {
      localStorage.setItem(STORAGE, current);
    } catch {
      // Storage may be disabled (private mode); the key still works for this page.
    }
    void check();
  });
  byId('key-forget').addEventListener('click', () => {
    current = '';
    input.value = '';
    try {
      localStorage.removeItem(STORAGE);
    } catch {
      // Nothing stored.
    }
    void check();
  });

  return { key: () => current, check };
}
