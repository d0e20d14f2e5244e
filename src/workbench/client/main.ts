/**
 * The Workbench page: wires the key, the model picker, the schema form, the live
 * estimate, runs with progress and cancel, the result, the API tab and the history.
 */
import './styles.css';
import type { EstimateInterpretation } from '../../engines/index.ts';
import { renderApiTab } from './api-tab.ts';
import { ApiError, createApi, type Api } from './api.ts';
import { byId, formatUsd, show } from './dom.ts';
import { loadHistory } from './history.ts';
import { keyframeStrip, type Keyframe, type KeyframeStrip } from './keyframe-strip.ts';
import { showLookPreview } from './look-preview.ts';
import { setupKeyPanel } from './key-panel.ts';
import { showResult } from './result-view.ts';
import { cancelGeneration, runGeneration, type Progress, type Row } from './run.ts';
import type { ModelObject } from './schema.ts';
import { buildSchemaForm, type SchemaForm } from './schema-form.ts';
import type { Mode } from './snippets.ts';
import { setupTabs } from './tabs.ts';

const ESTIMATE_DELAY_MS = 300;

// The key panel asks the API lazily, so the two can refer to each other.
const keys = setupKeyPanel(() => api, (info) => form?.applyRules(info?.hdr_access));
const api: Api = createApi(() => keys.key());

let models: ModelObject[] = [];
let model: ModelObject | undefined;
let form: SchemaForm | undefined;
let strip: KeyframeStrip | undefined;
let estimateSeq = 0;
let estimateTimer: ReturnType<typeof setTimeout> | undefined;

const modelSelect = byId<HTMLSelectElement>('model-select');
const requestForm = byId<HTMLFormElement>('request-form');
const formError = byId('form-error');
const estimate = byId('estimate');
const understood = byId('understood');
const runButton = byId<HTMLButtonElement>('run');
const cancelButton = byId<HTMLButtonElement>('cancel');

/**
 * Where the one run the page allows stands: idle; submitted with no generation id yet
 * (a sync call learns it from the events); running with an id (cancel possible); or
 * cancelling. Only `setRunning` changes it, and it sets both buttons from it.
 */
type RunState = { phase: 'idle' } | { phase: 'submitted' } | { phase: 'running' | 'cancelling'; id: string };
let running: RunState = { phase: 'idle' };

function setRunning(state: RunState): void {
  running = state;
  runButton.disabled = state.phase !== 'idle';
  cancelButton.disabled = state.phase !== 'running';
}
const result = byId('result');
const tabs = setupTabs(byId('tab-result').parentElement!, (id) => {
  if (id === 'tab-api') renderApi();
  if (id === 'tab-history') refreshHistory();
});

const mode = (): Mode => (requestForm.querySelector<HTMLInputElement>('input[name=mode]:checked')?.value ?? 'sync') as Mode;
/** The request fields: the form's, and the keyframe strip's list. */
const requestValues = (): Record<string, unknown> => ({ ...form?.values(), ...strip?.values() });
const requestBody = (): Record<string, unknown> => ({ model: model?.id, ...requestValues() });

function problem(text: string | undefined): void {
  formError.textContent = text ?? '';
  show(formError, Boolean(text));
}

function renderApi(): void {
  if (tabs.current() !== 'tab-api' || !model || !form) return;
  renderApiTab(byId('view-api'), { baseUrl: location.origin, model: model.id, request: requestValues(), mode: mode() });
}

function refreshHistory(): void {
  const view = byId('view-history');
  loadHistory(view, api, pickHistory).catch((err: unknown) => {
    view.textContent = err instanceof Error ? err.message : String(err);
  });
}

/** Problems the browser can see before asking the server: required fields left empty. */
function missingRequired(): { field: string; message: string }[] {
  const values = form?.values() ?? {};
  return (model?.json_request_schema.required ?? [])
    .filter((name) => values[name] === undefined)
    .map((name) => ({ field: name, message: `${model?.json_request_schema.properties[name]?.title ?? name} is required` }));
}

function scheduleEstimate(): void {
  clearTimeout(estimateTimer);
  estimateTimer = setTimeout(() => void updateEstimate(), ESTIMATE_DELAY_MS);
}

async function updateEstimate(): Promise<void> {
  const seq = ++estimateSeq;
  if (!keys.key() || missingRequired().length > 0) showLookPreview(understood, undefined);
  if (!keys.key()) {
    estimate.textContent = 'Enter an API key to see the price.';
    return;
  }
  if (missingRequired().length > 0) {
    estimate.textContent = 'Fill in the required fields (*) to see the price.';
    return;
  }
  try {
    const answer = await api.json<{ total_cost: number; warnings?: string[]; interpretation?: EstimateInterpretation }>('POST', '/api/ai/estimate', requestBody());
    if (seq !== estimateSeq) return;
    form?.clearErrors();
    showLookPreview(understood, answer.interpretation);
    const warnings = answer.warnings?.length ? ` · ${answer.warnings.join(' ')}` : '';
    estimate.textContent = `Estimated cost: ${formatUsd(answer.total_cost)}${warnings}`;
  } catch (err) {
    if (seq !== estimateSeq) return;
    showLookPreview(understood, undefined);
    if (err instanceof ApiError && err.fields.length) {
      form?.showErrors(err.fields);
      estimate.textContent = 'Fix the highlighted fields to see the price.';
    } else {
      estimate.textContent = err instanceof Error ? err.message : String(err);
    }
  }
}

function onFormChange(): void {
  problem(undefined);
  scheduleEstimate();
  renderApi();
}

function selectModel(id: string, carry: Record<string, unknown> = requestValues()): void {
  const next = models.find((m) => m.id === id);
  if (!next) {
    problem(`Model not found: ${id}`);
    return;
  }
  model = next;
  modelSelect.value = id;
  byId('model-summary').textContent = next.summary;
  const url = new URL(location.href);
  url.searchParams.set('model', id);
  history.replaceState(null, '', url);
  form = buildSchemaForm(next.json_request_schema, (file) => api.upload(file), onFormChange);
  byId('form-fields').replaceChildren(form.element);
  // The strip sits under the source player (the input_video preview), when the model takes keyframes.
  strip = next.json_request_schema.properties.keyframes
    ? keyframeStrip(() => form?.element.querySelector<HTMLVideoElement>('[data-field=input_video] video') ?? undefined, (file) => api.upload(file), onFormChange)
    : undefined;
  if (strip) form.element.querySelector('[data-field=input_video]')?.after(strip.element);
  strip?.set(Array.isArray(carry.keyframes) ? (carry.keyframes as Keyframe[]) : []);
  form.setValues(carry);
  void keys.check();
}

function pickHistory(row: Row): void {
  selectModel(row.model_name, row);
  showResult(result, row);
  tabs.select('tab-result');
  byId<HTMLInputElement>('f-prompt').focus();
}

function describe(p: Progress): string {
  const parts = [p.stage ?? p.status];
  if (typeof p.progress === 'number') parts.push(`${Math.round(p.progress * 100)}%`);
  if (typeof p.eta_s === 'number' && p.eta_s > 0) parts.push(`about ${Math.ceil(p.eta_s)} s left`);
  return parts.join(' · ');
}

function setProgress(p: Progress): void {
  const bar = byId<HTMLProgressElement>('progress-bar');
  if (typeof p.progress === 'number') bar.value = Math.round(p.progress * 100);
  else bar.removeAttribute('value');
  byId('progress-text').textContent = describe(p);
}

async function run(): Promise<void> {
  if (!model || !form || running.phase !== 'idle') return;
  problem(undefined);
  form.clearErrors();
  const missing = missingRequired();
  if (!keys.key()) return problem((await keys.check(), 'Enter an API key first (top of the page).'));
  if (missing.length) {
    form.showErrors(missing);
    return;
  }
  tabs.select('tab-result');
  setRunning({ phase: 'submitted' });
  show(byId('progress'), true);
  result.replaceChildren();
  setProgress({ status: 'submitting', progress: 0 });
  try {
    const row = await runGeneration(api, mode(), requestBody(), {
      started(id) {
        // A late answer after the run ended must not re-enable cancel.
        if (running.phase === 'submitted') setRunning({ phase: 'running', id });
      },
      progress: setProgress,
    });
    setProgress({ status: row.status, stage: row.status, progress: row.status === 'succeeded' ? 1 : row.progress });
    showResult(result, row);
  } catch (err) {
    if (err instanceof ApiError && err.fields.length) {
      const unplaced = form.showErrors(err.fields);
      problem(unplaced.length ? unplaced.map((p) => p.message).join('; ') : 'The server refused some fields; see the messages beside them.');
    } else {
      problem(err instanceof Error ? err.message : String(err));
    }
    show(byId('progress'), false);
    // The first field with a message may be scrolled out of view: take the user there.
    if (err instanceof ApiError && err.fields.length) form.focusFirstError();
  } finally {
    setRunning({ phase: 'idle' });
  }
}

requestForm.addEventListener('submit', (event) => {
  event.preventDefault();
  void run();
});
requestForm.addEventListener('change', (event) => {
  if ((event.target as HTMLInputElement).name === 'mode') renderApi();
});
cancelButton.addEventListener('click', () => {
  if (running.phase !== 'running') return;
  const { id } = running;
  setRunning({ phase: 'cancelling', id });
  byId('progress-text').textContent = 'cancelling…';
  cancelGeneration(api, id).catch((err: unknown) => problem(err instanceof Error ? err.message : String(err)));
});
modelSelect.addEventListener('change', () => selectModel(modelSelect.value));

async function start(): Promise<void> {
  try {
    models = (await api.json<{ data: ModelObject[] }>('GET', '/api/ai/models')).data;
  } catch (err) {
    problem(err instanceof Error ? err.message : String(err));
    return;
  }
  modelSelect.replaceChildren(...models.map((m) => new Option(m.display_name, m.id)));
  const wanted = new URLSearchParams(location.search).get('model');
  selectModel(wanted && models.some((m) => m.id === wanted) ? wanted : models[0]!.id, {});
  if (wanted && !models.some((m) => m.id === wanted)) problem(`Model not found: ${wanted}`);
}

void start();
