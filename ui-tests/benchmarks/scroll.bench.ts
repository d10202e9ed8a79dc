/**
 * Browser benchmark (not a test: nothing is asserted but that the scroll reached the end):
 * search `big:*` (the large sample, `make rucio-seed-large`) in the sidebar, scroll the results
 * from the first row to the last, loading every page on the way, and report the longest frame
 * (requestAnimationFrame deltas and long tasks) and the growth of the JS heap (CDP
 * Performance.getMetrics, each read after a garbage collection), with when the longest frame and
 * each long task came (how many results were loaded by then) and what the five longest frames
 * spent their time on (the Long Animation Frames API), and, from a trace of the scroll, the wall
 * and CPU time of the renderer main thread's tasks, V8's major collections of the page's heap
 * and which frames over 50 ms came during one (BENCH_TRACE=file keeps a detailed trace
 * instead). The figures are written to benchmarks/results/browser.json; `make bench` adds them
 * to the table of benchmarks/limits.py.
 * Run by `make bench` through playwright.bench.config.js, never by `make test`.
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  expect,
  galata,
  IJupyterLabPageFixture,
  test
} from '@jupyterlab/galata';
import { CDPSession, Locator } from '@playwright/test';

import { openPanel, saveUserpass, search } from '../tests/helpers/rucio';

const OUT = path.resolve(
  __dirname,
  '..',
  '..',
  'benchmarks',
  'results',
  'browser.json'
);
const MB = 1024 * 1024;
/**
 * The first page's size (pageSize in the settings; BENCH_PAGE_SIZE, default 100 as in the
 * settings): each next page is twice the one before, up to 1,000 (src/explore/search.ts).
 */
const PAGE_SIZE = Number(process.env.BENCH_PAGE_SIZE || 100);
/** Views scrolled per frame: a fast drag of the scroll bar. */
const VIEWS_PER_FRAME = 2;

/**
 * The settings of the scroll, stored on the server through its settings API (as the Settings
 * Editor stores them): galata's defaults for tests (fonts, no news) and the page size.
 */
const SETTINGS: Record<string, Record<string, unknown>> = {
  ...galata.DEFAULT_SETTINGS,
  'jupyterlab-rucio:plugin': { pageSize: PAGE_SIZE }
};

// The page talks to the server itself, as a user's browser does. galata's mocks (settings,
// state, config, user, and its trackers of kernels, sessions and terminals) answer requests
// from the test runner, and with any of them on, Playwright holds every request the page makes
// (each page of results too) until the runner's node process lets it go. A trace of the
// kernel's scheduler showed the page's main thread waiting for a core while that process ran.
test.use({
  mockConfig: false,
  mockSettings: false,
  mockState: false,
  mockUser: false
});
// Playwright reads a fixture's dependencies from its first argument's pattern: none here.
/* eslint-disable no-empty-pattern */
const benchmark = test.extend<Record<never, never>>({
  kernels: async ({}, use) => use(null),
  sessions: async ({}, use) => use(null),
  terminals: async ({}, use) => use(null)
});
/* eslint-enable no-empty-pattern */

/** The fields of a PerformanceLongAnimationFrameTiming that the benchmark reports. */
interface ILongFrame extends PerformanceEntry {
  blockingDuration: number;
  renderStart: number;
  styleAndLayoutStart: number;
  scripts?: {
    duration: number;
    invoker: string;
    sourceURL?: string;
    sourceFunctionName?: string;
  }[];
}

/** A long task seen by the page: its duration, when it began (ms into the scroll), results. */
interface ILongTask {
  ms: number;
  at: number;
  rows: string;
}

/** One task of the renderer's main thread in a Chrome trace: wall and CPU time. */
interface ITask {
  wall: number;
  cpu: number;
}

/** What the benchmark reads in its trace of the scroll. */
interface ITraceSummary {
  /** The tasks of the renderer's main thread. */
  tasks: ITask[];
  /** V8's major collections of the page's heap (marking and sweeping), in ms of the trace. */
  majorGcs: { start: number; end: number; cpu: number }[];
  /** The frames over 50 ms (the page marks each), in ms of the trace. */
  longFrames: { start: number; end: number }[];
}

/** Mark of a frame over 50 ms (User Timing), named with its length: the trace places it. */
const LONG_FRAME_MARK = 'jp-Rucio-bench-long-frame';
/** Tasks of the renderer's worker threads that are V8's major collection. */
const MAJOR_GC_TASK = /ConcurrentMarking|Sweeper|CppgcPlatformAdapter/;
/** A pause longer than this between two such tasks separates two collections. */
const GC_GAP_MS = 300;

/**
 * Reads a Chrome trace of the scroll: the renderer main thread's tasks (wall `dur`, CPU `tdur`,
 * in ms), V8's major collections in the renderer (its marking and sweeping tasks on worker
 * threads, grouped), and the frames over 50 ms that the page marked.
 */
function readTrace(file: string): ITraceSummary {
  const trace = JSON.parse(fs.readFileSync(file, 'utf-8'));
  const events: {
    ph: string;
    name: string;
    pid: number;
    tid: number;
    ts: number;
    dur?: number;
    tdur?: number;
    args?: { name?: string; src_func?: string };
  }[] = Array.isArray(trace) ? trace : trace.traceEvents;
  const mains = new Set(
    events
      .filter(
        e =>
          e.ph === 'M' &&
          e.name === 'thread_name' &&
          e.args?.name === 'CrRendererMain'
      )
      .map(e => `${e.pid}:${e.tid}`)
  );
  const renderers = new Set([...mains].map(key => key.split(':')[0]));
  const ms = (us: number | undefined) => Math.round((us ?? 0) / 100) / 10;
  const tasks = events
    .filter(
      e =>
        e.ph === 'X' &&
        (e.name === 'ThreadControllerImpl::RunTask' || e.name === 'RunTask') &&
        mains.has(`${e.pid}:${e.tid}`)
    )
    .map(e => ({ wall: ms(e.dur), cpu: ms(e.tdur) }));
  const majorGcs: ITraceSummary['majorGcs'] = [];
  events
    .filter(
      e =>
        e.ph === 'X' &&
        renderers.has(String(e.pid)) &&
        MAJOR_GC_TASK.test(e.args?.src_func ?? '')
    )
    .sort((a, b) => a.ts - b.ts)
    .forEach(e => {
      const start = e.ts / 1000;
      const end = start + (e.dur ?? 0) / 1000;
      const last = majorGcs[majorGcs.length - 1];
      if (last && start - last.end < GC_GAP_MS) {
        last.end = Math.max(last.end, end);
        last.cpu += (e.tdur ?? 0) / 1000;
      } else {
        majorGcs.push({ start, end, cpu: (e.tdur ?? 0) / 1000 });
      }
    });
  const longFrames = events
    .filter(e => e.name.startsWith(`${LONG_FRAME_MARK} `))
    .map(e => {
      const end = e.ts / 1000;
      return { start: end - Number(e.name.split(' ')[1]), end };
    })
    // A mark may be in the trace twice (its begin and end phases).
    .filter(
      (frame, index, all) =>
        all.findIndex(other => other.end === frame.end) === index
    );
  return { tasks, majorGcs, longFrames };
}

/** The page's metrics (CDP Performance.getMetrics), after a garbage collection if `collect`. */
async function metrics(
  cdp: CDPSession,
  collect = true
): Promise<Record<string, number>> {
  if (collect) {
    await cdp.send('HeapProfiler.collectGarbage');
  }
  const { metrics } = await cdp.send('Performance.getMetrics');
  return Object.fromEntries(metrics.map(m => [m.name, m.value]));
}

/**
 * The sidebar opened on a freshly loaded JupyterLab, with the sections below Explore folded:
 * the results get the sidebar's height, as for a user who scrolls through them.
 */
async function openExplore(page: IJupyterLabPageFixture): Promise<Locator> {
  const rucio = await openPanel(page);
  for (const name of ['Notebook', 'Uploads']) {
    const title = rucio.locator('.lm-AccordionPanel-title', { hasText: name });
    if ((await title.getAttribute('aria-expanded')) === 'true') {
      await title.click();
    }
    await expect(title).toHaveAttribute('aria-expanded', 'false');
  }
  return rucio;
}

/**
 * Stores `settings` on the server; returns what was stored before, to put back afterwards.
 */
async function storeSettings(
  page: IJupyterLabPageFixture,
  settings: Record<string, Record<string, unknown> | string>
): Promise<Record<string, string>> {
  const before: Record<string, string> = {};
  for (const [id, value] of Object.entries(settings)) {
    const url = `lab/api/settings/${id}`;
    const current = await page.request.get(url);
    expect(current.status()).toBe(200);
    before[id] = (await current.json()).raw ?? '{}';
    const raw = typeof value === 'string' ? value : JSON.stringify(value);
    const reply = await page.request.put(url, { data: { raw } });
    expect(reply.status()).toBe(204);
  }
  return before;
}

benchmark('scroll big:* end to end', async ({ page }) => {
  test.setTimeout(30 * 60 * 1000);
  const stored = await storeSettings(page, SETTINGS);
  try {
    await scrollToEnd(page);
  } finally {
    await storeSettings(page, stored);
  }
});

async function scrollToEnd(page: IJupyterLabPageFixture): Promise<void> {
  await saveUserpass(page);
  await openExplore(page);
  // galata's page fixture wraps Playwright's page; CDP wants the page itself (the session
  // stays with the tab when it loads again).
  const tab = page.context().pages()[0];
  const cdp = await page.context().newCDPSession(tab);
  await cdp.send('Performance.enable');
  const before = await metrics(cdp);
  // The heap is read after a forced collection, which shrinks V8's limits so that its next
  // collection would come within the first half second of the scroll. The scroll runs on
  // JupyterLab loaded again instead, whose collections come as in a user's browser; the heap
  // before is that of the same page in the same state.
  const rucio = await openExplore(page);
  // Main-thread time is counted from here (no collection).
  const start = await metrics(cdp, false);
  await search(rucio, 'big:*');
  // The first page has the page size set above.
  await expect(rucio.locator('.jp-Rucio-result-count')).toHaveText(
    `${PAGE_SIZE.toLocaleString('en')}+ results`
  );
  const list = rucio.locator('.jp-Rucio-VirtualList').first();
  const viewHeight = await list.evaluate(el => el.clientHeight);
  expect(viewHeight).toBeGreaterThan(300);
  // A trace of the main thread's tasks (the `toplevel` category costs little): a frame's
  // wall time may be the renderer waiting for a CPU that the servers on the same machine have,
  // and each task's CPU time tells that apart from work. BENCH_TRACE=file keeps a detailed
  // trace of the scroll instead (layout, paint, scripts: slower).
  const detailed = process.env.BENCH_TRACE;
  const tracePath = detailed ?? test.info().outputPath('trace.json');
  const browser = page.context().browser()!;
  await browser.startTracing(tab, {
    path: tracePath,
    categories: detailed
      ? [
          'toplevel',
          'devtools.timeline',
          'disabled-by-default-devtools.timeline',
          'v8',
          'v8.gc',
          'blink.user_timing'
        ]
      : ['toplevel', 'blink.user_timing']
  });
  const started = Date.now();
  // Scrolls by VIEWS_PER_FRAME views per frame, driven from the page itself (as a user's wheel or scroll
  // bar would), waiting at the bottom while the next page loads, until the last row is shown.
  const scroll = await list.evaluate(
    (el: HTMLElement, [views, mark]: [number, string]) =>
      new Promise<{
        frames: number;
        longestFrame: number;
        over50: number;
        longTasks: ILongTask[];
        maxRows: number;
        scrollHeight: number;
        longFrames: Record<string, unknown>[];
        longestAt: string;
      }>(resolve => {
        const count = () =>
          document.querySelector('.jp-Rucio-result-count')?.textContent ?? '';
        const t0 = performance.now();
        // Each long task: how long, when, and how many results were loaded by then.
        const longTasks: ILongTask[] = [];
        const observer = new PerformanceObserver(entries => {
          for (const entry of entries.getEntries()) {
            longTasks.push({
              ms: entry.duration,
              at: entry.startTime - t0,
              rows: count()
            });
          }
        });
        observer.observe({ entryTypes: ['longtask'] });
        // What the long frames spent their time on (the Long Animation Frames API): scripts by
        // where they came from, and the style and layout of the frame.
        const longFrames: Record<string, unknown>[] = [];
        const frameObserver = new PerformanceObserver(entries => {
          for (const entry of entries.getEntries() as ILongFrame[]) {
            const end = entry.startTime + entry.duration;
            longFrames.push({
              duration: Math.round(entry.duration),
              blocking: Math.round(entry.blockingDuration),
              render_ms: Math.round(
                entry.renderStart ? end - entry.renderStart : 0
              ),
              style_layout_ms: Math.round(
                entry.styleAndLayoutStart ? end - entry.styleAndLayoutStart : 0
              ),
              rows: count(),
              scripts: (entry.scripts ?? []).map(script => ({
                ms: Math.round(script.duration),
                invoker: script.invoker,
                source: `${(script.sourceURL ?? '').split('/').pop()}:${script.sourceFunctionName ?? ''}`
              }))
            });
          }
        });
        try {
          frameObserver.observe({
            type: 'long-animation-frame',
            buffered: false
          });
        } catch {
          // A browser without the API reports no breakdown.
        }
        let last = t0;
        let longestAt = '';
        let frames = 0;
        let longestFrame = 0;
        let over50 = 0;
        let maxRows = 0;
        const step = (now: number) => {
          const delta = now - last;
          last = now;
          frames += 1;
          if (frames > 1) {
            if (delta > longestFrame) {
              longestAt = `${Math.round(now - t0)} ms (${count()})`;
            }
            longestFrame = Math.max(longestFrame, delta);
            if (delta > 50) {
              over50 += 1;
              performance.mark(`${mark} ${delta}`);
            }
          }
          maxRows = Math.max(
            maxRows,
            el.querySelectorAll('.jp-Rucio-row').length
          );
          const bottom = el.scrollHeight - el.clientHeight;
          // The end: the bottom of the list, and a count without "+" (no more pages).
          if (el.scrollTop >= bottom - 1 && /^[^+]*results?$/.test(count())) {
            observer.disconnect();
            frameObserver.disconnect();
            resolve({
              longestAt,
              longFrames,
              frames,
              longestFrame,
              over50,
              longTasks,
              maxRows,
              scrollHeight: el.scrollHeight
            });
            return;
          }
          el.scrollTop = Math.min(
            bottom,
            el.scrollTop + views * el.clientHeight
          );
          requestAnimationFrame(step);
        };
        requestAnimationFrame(step);
      }),
    [VIEWS_PER_FRAME, LONG_FRAME_MARK] as [number, string]
  );
  const seconds = (Date.now() - started) / 1000;
  await browser.stopTracing();
  const { tasks, majorGcs, longFrames } = readTrace(tracePath);
  const longestTask = tasks.reduce(
    (longest, task) => (task.wall > longest.wall ? task : longest),
    { wall: 0, cpu: 0 }
  );
  const summary = await rucio.locator('.jp-Rucio-result-count').textContent();
  const rows = Number((summary ?? '').replace(/[^0-9]/g, ''));
  expect(rows).toBeGreaterThan(100000);
  const after = await metrics(cdp);
  const result = {
    when: new Date().toISOString(),
    rows,
    page_size: PAGE_SIZE,
    views_per_frame: VIEWS_PER_FRAME,
    seconds,
    frames: scroll.frames,
    longest_frame_ms: scroll.longestFrame,
    frames_over_50ms: scroll.over50,
    long_tasks: scroll.longTasks.length,
    longest_task_ms: Math.max(0, ...scroll.longTasks.map(task => task.ms)),
    longest_frame_at: scroll.longestAt,
    long_tasks_at: scroll.longTasks.map(
      task =>
        `${Math.round(task.ms)} ms at ${Math.round(task.at)} ms (${task.rows})`
    ),
    // The renderer's main-thread tasks during the scroll (from the trace): the longest by wall
    // time with its CPU time, and the most CPU time any one task took.
    main_thread_tasks: tasks.length,
    longest_task_wall_ms: longestTask.wall,
    longest_task_cpu_ms: longestTask.cpu,
    max_task_cpu_ms: Math.max(0, ...tasks.map(task => task.cpu)),
    tasks_over_50ms_wall: tasks.filter(task => task.wall > 50).length,
    tasks_over_50ms_cpu: tasks.filter(task => task.cpu > 50).length,
    // V8's major collections of the page's heap during the scroll (their marking and sweeping
    // on the renderer's worker threads, CPU time of the longest), and how many of the frames
    // over 50 ms came while one ran.
    major_gcs: majorGcs.length,
    major_gc_max_cpu_ms: Math.round(Math.max(0, ...majorGcs.map(gc => gc.cpu))),
    frames_over_50ms_in_major_gc: longFrames.filter(frame =>
      majorGcs.some(gc => gc.start < frame.end && frame.start < gc.end)
    ).length,
    // The five longest frames, with what they spent their time on.
    longest_frames: [...scroll.longFrames]
      .sort((a, b) => (b.duration as number) - (a.duration as number))
      .slice(0, 5),
    rendered_rows_max: scroll.maxRows,
    view_height_px: viewHeight,
    scroll_height_px: scroll.scrollHeight,
    heap_before_mb: before.JSHeapUsedSize / MB,
    heap_after_mb: after.JSHeapUsedSize / MB,
    heap_growth_mb: (after.JSHeapUsedSize - before.JSHeapUsedSize) / MB,
    dom_nodes_before: before.Nodes,
    dom_nodes_after: after.Nodes,
    // Main-thread time of the search and the scroll, by kind (CDP Performance.getMetrics).
    ...Object.fromEntries(
      ['Task', 'Script', 'Layout', 'RecalcStyle'].map(kind => [
        `${kind.toLowerCase()}_seconds`,
        after[`${kind}Duration`] - start[`${kind}Duration`]
      ])
    )
  };
  fs.mkdirSync(path.dirname(OUT), { recursive: true });
  fs.writeFileSync(OUT, JSON.stringify(result, null, 1) + '\n');
  test
    .info()
    .annotations.push({ type: 'figures', description: JSON.stringify(result) });
}
