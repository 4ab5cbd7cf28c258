/**
 * `npm run screenshots`: starts Yardstick with the development LMS and its demo data on a temporary
 * embedded database, opens the main pages in Chromium inside the LMS frame at 1280 and 390 px wide, and
 * saves them under docs/screenshots/<page>-<width>.png; then stops the browser, the server and its
 * database and removes the temporary data directory.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Frame, Locator, Page } from 'playwright-core';
import { launchChromium } from '../test/support/browser.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(root, 'docs/screenshots');
const WIDTHS = [1280, 390];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Starts `npm start`'s server and resolves once the demo data is ready. */
async function startYardstick(
  dataDir: string,
  port: number,
): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.DATABASE_URL; // always the temporary embedded database
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: root,
    env: {
      ...env,
      NODE_ENV: 'development',
      PORT: String(port),
      PUBLIC_URL: `http://localhost:${port}`,
      YARDSTICK_DATA_DIR: path.join(dataDir, 'postgres'),
      YARDSTICK_EMBEDDED_DB_PORT: '0',
      LOG_PRETTY: 'false',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no demo data after 5 minutes:\n${out}`)), 300_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('demo data ready')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited with ${code}:\n${out}`));
    });
  });
  return { child, url: `http://localhost:${port}`, output: () => out };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** The development LMS page with `person` launched into the first link of Forklift Safety 101. */
async function launchAs(browser: Browser, url: string, width: number, person: string) {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  const lms = await context.newPage();
  await lms.goto(`${url}/dev-lms`);
  const course = lms.locator('section.panel', { hasText: 'Forklift Safety 101' }).first();
  await course.locator(`a[data-person="${person}"]`).first().click();
  const frame = lms.frameLocator('iframe[name="tool"]');
  await frame.locator('main h1').first().waitFor({ timeout: 60_000 });
  const tool = lms.frame({ name: 'tool' })!;
  return { lms, frame: tool, close: () => context.close() };
}

/** Opens `address` inside the tool's frame (the launch cookie goes with it) and waits for its heading. */
async function openInFrame(frame: Frame, address: string): Promise<void> {
  await frame.goto(new URL(address, frame.url()).href);
  await frame.locator('main h1').first().waitFor({ timeout: 60_000 });
}

const section = (frame: Frame, heading: RegExp): Locator =>
  frame.locator('main section', { has: frame.locator('h2', { hasText: heading }) }).first();

/**
 * Saves the page's viewport, or one section of the framed tool scrolled to the top of the viewport
 * (clipped to the viewport: a section taller than 900 px shows its first 900 px).
 */
async function shoot(page: Page, name: string, width: number, part?: Locator): Promise<void> {
  const file = path.join(OUT, `${name}-${width}.png`);
  let clip: { x: number; y: number; width: number; height: number } | undefined;
  if (part) {
    // The LMS page's frame as tall as the window, at its top; then the section at the frame's top.
    const frameBox = page.locator('iframe[name="tool"]');
    await frameBox.evaluate((el, h) => {
      (el as HTMLElement).style.height = `${h}px`;
      el.scrollIntoView({ block: 'start' });
    }, page.viewportSize()!.height);
    await part.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    const box = await part.boundingBox();
    const outer = await frameBox.boundingBox();
    if (!box || !outer) throw new Error(`${name}: the section is not on the page`);
    const x = Math.max(box.x, outer.x);
    const y = Math.max(box.y, outer.y);
    clip = {
      x,
      y,
      width: Math.min(box.x + box.width, outer.x + outer.width) - x,
      height: Math.min(box.y + box.height, outer.y + outer.height) - y,
    };
  }
  await page.screenshot({ path: file, animations: 'disabled', ...(clip ? { clip } : {}) });
  process.stdout.write(`  ${path.relative(root, file)}\n`);
}

/** The right answers of the demo module "Load limits" (src/dev/demo/demo-modules.ts). */
const RIGHT_CHOICES = [
  'input[name="a.plate"][value="plate"]',
  'input[name="a.centre"][value="false"]',
  'input[name="a.reduce"][value="attachment"]',
  'input[name="a.reduce"][value="long-centre"]',
].join(', ');

/** A learner answers every step right (first options elsewhere), skips the survey and sees the results. */
async function finishModule(frame: Frame): Promise<void> {
  for (let i = 0; i < 12; i++) {
    if (await frame.getByRole('heading', { name: 'Your results' }).count()) return;
    const skip = frame.getByRole('button', { name: /Skip the survey/ });
    let submit = skip;
    if (!(await skip.count())) {
      const form = frame.locator('form[action$="/steps"]').first();
      for (const group of await form.locator('fieldset.question').all()) {
        const right = group.locator(RIGHT_CHOICES);
        if (await right.count()) for (const box of await right.all()) await box.check();
        else await group.locator('input[type=radio], input[type=checkbox]').first().check();
      }
      for (const input of await form.locator('input[type=text]').all())
        await input.fill((await input.getAttribute('name')) === 'a.shape' ? 'triangle' : '18');
      submit = form.locator('button[type=submit]');
    }
    await Promise.all([frame.waitForNavigation(), submit.click()]);
  }
  throw new Error(`the module did not reach its results page: ${await frame.locator('main').innerText()}`);
}

async function shootAll(browser: Browser, url: string, width: number): Promise<void> {
  const instructor = await launchAs(browser, url, width, 'ines');
  const f = instructor.frame;
  await f.locator('main section').nth(2).waitFor();
  await shoot(instructor.lms, 'course-report-top', width, f.locator('body'));
  await shoot(instructor.lms, 'course-report-learners', width, section(f, /^Learners/));
  const items = section(f, /question|item/i);
  if (await items.count()) await shoot(instructor.lms, 'course-report-item-analysis', width, items);
  else {
    await openInFrame(f, new URL(f.url()).pathname + '/quality');
    await shoot(instructor.lms, 'course-report-item-analysis', width, f.locator('body'));
  }
  await instructor.close();

  const admin = await launchAs(browser, url, width, 'ada');
  await shoot(admin.lms, 'admin-home', width, admin.frame.locator('body'));
  await openInFrame(admin.frame, '/admin/programs');
  const program = await admin.frame
    .locator('main a[href^="/admin/programs/"]')
    .evaluateAll((links) =>
      links.map((a) => a.getAttribute('href')!).find((h) => /^\/admin\/programs\/[0-9a-f-]{36}$/.test(h)),
    );
  if (program) {
    await openInFrame(admin.frame, program);
    await shoot(admin.lms, 'program-verdict', width, admin.frame.locator('body'));
    await openInFrame(admin.frame, `${program}/board`);
    await shoot(admin.lms, 'board-summary', width, admin.frame.locator('body'));
  }
  await admin.close();

  const learner = await launchAs(browser, url, width, width === 1280 ? 'ana' : 'ben');
  await finishModule(learner.frame);
  await shoot(learner.lms, 'learner-results', width, learner.frame.locator('body'));
  await learner.close();
}

/**
 * The server's own timing (pino-http responseTime) of the first course reports after the start, from
 * its JSON log: the first one is the instructor's launch landing on Forklift Safety 101's report.
 */
function firstReportTimes(log: string): string {
  const times = log
    .split('\n')
    .filter(
      (line) => /"url":"\/courses\/[0-9a-f-]{36}\/report"/.test(line) && line.includes('"responseTime"'),
    )
    .map((line) => (JSON.parse(line) as { responseTime: number }).responseTime);
  return times.length
    ? `first course report after the start: ${times[0]} ms on the server (next: ${times.slice(1, 4).join(', ') || 'none'} ms)`
    : 'no course report request in the server log';
}

async function main(): Promise<void> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'yardstick-screenshots-'));
  // The embedded PostgreSQL runs as 'postgres' when this runs as root: it must enter the folder.
  await chmod(dataDir, 0o711);
  await mkdir(OUT, { recursive: true });
  const port = await freePort();
  process.stdout.write(`starting Yardstick on port ${port} with demo data (data in ${dataDir})\n`);
  const { child, url, output } = await startYardstick(dataDir, port);
  let browser: Browser | undefined;
  try {
    browser = await launchChromium();
    for (const width of WIDTHS) {
      process.stdout.write(`${width} px:\n`);
      await shootAll(browser, url, width);
    }
    process.stdout.write(`${firstReportTimes(output())}\n`);
  } finally {
    await browser?.close();
    await stop(child);
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`screenshots: ${(err as Error)?.stack ?? String(err)}\n`);
  process.exit(1);
});
