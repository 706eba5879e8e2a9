// Renders media/icon.svg (the source) to media/icon.png, the 128×128 icon the Marketplace requires
// (it takes no SVG), in Chromium: `node scripts/icon.mjs` after editing the SVG.
import { readFileSync } from 'node:fs';
import { launchChromium } from './browser.mjs';

const SIZE = 128;
const svg = readFileSync('media/icon.svg', 'utf8');
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: SIZE, height: SIZE }, deviceScaleFactor: 1 });
  await page.setContent(`<!DOCTYPE html><body style="margin:0">${svg}</body>`);
  await page.locator('svg').screenshot({ path: 'media/icon.png', omitBackground: true });
} finally {
  await browser.close();
}
