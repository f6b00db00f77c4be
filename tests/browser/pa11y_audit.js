// Runs pa11y (its HTML_CodeSniffer and axe runners) over pages of a running TaskSync in Debian's
// Chromium, and prints what it finds as JSON: {"<page name>": [{type, runner, code, message,
// selector, context}, ...]}, errors only unless the job's `types` asks for warnings or notices too. Each page opens in a fresh browser context whose localStorage holds
// the given entries before the client starts (a session, a language), and is audited once every
// `ready` selector shows. tests/browser/test_pa11y.py sends the job on stdin:
// {"chromium": path, "args": [...], "timeout": ms, "types": ["error"], "pages": [{name, url, storage, ready}]}.

import pa11y from 'pa11y';
import puppeteer from 'puppeteer-core';

const VIEWPORT = { width: 1280, height: 900 };

async function readJob() {
	const chunks = [];
	for await (const chunk of process.stdin) chunks.push(chunk);
	return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

/** The issues pa11y finds on one page, and any script error the page itself raised. */
async function audit(browser, { url, storage = {}, ready = [] }, { timeout, types = ['error'] }) {
	const context = await browser.createBrowserContext();
	try {
		const page = await context.newPage();
		const pageErrors = [];
		page.on('pageerror', (error) => pageErrors.push({ type: 'error', runner: 'page', code: 'pageerror', message: String(error) }));
		await page.setViewport(VIEWPORT);
		await page.evaluateOnNewDocument((entries) => {
			for (const [key, value] of Object.entries(entries)) window.localStorage.setItem(key, value);
		}, storage);
		// At most two requests open: a board holds its room's event stream and the bell's for good.
		await page.goto(url, { waitUntil: 'networkidle2', timeout });
		for (const selector of ready) await page.waitForSelector(selector, { visible: true, timeout });
		const results = await pa11y(url, {
			browser,
			page,
			ignoreUrl: true,
			includeWarnings: types.includes('warning'),
			includeNotices: types.includes('notice'),
			runners: ['htmlcs', 'axe'],
			standard: 'WCAG2AA',
			viewport: VIEWPORT,
			timeout,
		});
		const issues = results.issues
			.filter((issue) => types.includes(issue.type))
			.map(({ type, runner, code, message, selector, context: html }) => ({ type, runner, code, message, selector, context: html }));
		return [...issues, ...pageErrors];
	} finally {
		await context.close();
	}
}

const job = await readJob();
const browser = await puppeteer.launch({
	executablePath: job.chromium,
	headless: true,
	args: job.args,
	timeout: job.timeout,
});
try {
	const found = {};
	for (const page of job.pages) found[page.name] = await audit(browser, page, job);
	process.stdout.write(`${JSON.stringify(found, null, 2)}\n`);
} finally {
	await browser.close();
}
