// The README's screenshots, cropped from what the e2e tiers save in test-results/ (run
// `npm run test:e2e` and `npm run test:e2e-web` first), into media/readme/. Cropped in Chromium;
// the .vsix does not ship them (the Marketplace page loads them from the repository).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { launchChromium } from './browser.mjs';

// [from test-results/, to media/readme/, crop x, y, width, height] in the screenshot's pixels.
const SHOTS = [
  ['e2e-run-all.png', 'run-all.png', 348, 40, 1252, 790],
  ['e2e-light-gateway.png', 'gateway-verdict.png', 348, 115, 1252, 600],
  ['e2e-dark-kafka.png', 'kafka-verdict-dark.png', 348, 115, 1252, 520],
  ['e2e-web-failures.png', 'failures-announced.png', 340, 40, 1060, 780],
];

mkdirSync('media/readme', { recursive: true });
const browser = await launchChromium();
try {
  const page = await browser.newPage();
  for (const [from, to, x, y, w, h] of SHOTS) {
    const b64 = readFileSync(`test-results/${from}`).toString('base64');
    const png = await page.evaluate(
      async ({ b64, x, y, w, h }) => {
        const img = new Image();
        img.src = `data:image/png;base64,${b64}`;
        await img.decode();
        const canvas = document.createElement('canvas');
        canvas.width = w;
        canvas.height = h;
        canvas.getContext('2d').drawImage(img, x, y, w, h, 0, 0, w, h);
        return canvas.toDataURL('image/png').split(',')[1];
      },
      { b64, x, y, w, h },
    );
    writeFileSync(`media/readme/${to}`, Buffer.from(png, 'base64'));
    console.log(`media/readme/${to}: ${w}×${h}`);
  }
} finally {
  await browser.close();
}
