// Zoom and pan state for a diagram viewport. The math is pure (tested in node); `attachZoom`
// wires it to pointer, wheel and keyboard events.

export interface ZoomState {
  scale: number;
  x: number;
  y: number;
}

export const MIN_SCALE = 0.1;
export const MAX_SCALE = 10;
export const IDENTITY: ZoomState = { scale: 1, x: 0, y: 0 };

/** Zooms by `factor` keeping the point (cx, cy) of the viewport fixed under the cursor. */
export function zoomAt(s: ZoomState, factor: number, cx: number, cy: number): ZoomState {
  const scale = Math.min(MAX_SCALE, Math.max(MIN_SCALE, s.scale * factor));
  const k = scale / s.scale;
  return { scale, x: cx - (cx - s.x) * k, y: cy - (cy - s.y) * k };
}

export function panBy(s: ZoomState, dx: number, dy: number): ZoomState {
  return { ...s, x: s.x + dx, y: s.y + dy };
}

export function toTransform(s: ZoomState): string {
  return `translate(${round(s.x)}px, ${round(s.y)}px) scale(${round(s.scale, 4)})`;
}

function round(v: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

export interface ZoomController {
  get(): ZoomState;
  set(s: ZoomState): void;
  zoom(factor: number): void;
  reset(): void;
  dispose(): void;
}

/** How far an arrow key pans (Shift: a larger step), in CSS pixels. */
export const PAN_STEP = 40;
export const PAN_STEP_LARGE = 200;

/** The pan an arrow key asks for: the view moves that way, so the drawing moves the other way. */
export function keyPan(key: string, shift: boolean): { dx: number; dy: number } | undefined {
  const d = shift ? PAN_STEP_LARGE : PAN_STEP;
  switch (key) {
    case 'ArrowLeft':
      return { dx: d, dy: 0 };
    case 'ArrowRight':
      return { dx: -d, dy: 0 };
    case 'ArrowUp':
      return { dx: 0, dy: d };
    case 'ArrowDown':
      return { dx: 0, dy: -d };
    default:
      return undefined;
  }
}

/** Ctrl/Cmd + wheel zooms at the cursor, drag and arrow keys pan, +/-/0 keys zoom and reset when focused. */
export function attachZoom(viewport: HTMLElement, content: HTMLElement, onChange?: (s: ZoomState) => void): ZoomController {
  let state = IDENTITY;
  const apply = (s: ZoomState) => {
    state = s;
    content.style.transform = toTransform(s);
    viewport.classList.toggle('sdnb-zoomed', s.scale !== 1 || s.x !== 0 || s.y !== 0);
    onChange?.(s);
  };
  const center = () => ({ cx: viewport.clientWidth / 2, cy: viewport.clientHeight / 2 });
  const onWheel = (e: WheelEvent) => {
    if (!e.ctrlKey && !e.metaKey) return;
    e.preventDefault();
    const r = viewport.getBoundingClientRect();
    apply(zoomAt(state, Math.exp(-e.deltaY / 300), e.clientX - r.left, e.clientY - r.top));
  };
  let drag: { x: number; y: number; id: number } | undefined;
  const onDown = (e: PointerEvent) => {
    if (e.button !== 0) return;
    drag = { x: e.clientX, y: e.clientY, id: e.pointerId };
    viewport.setPointerCapture?.(e.pointerId);
    viewport.classList.add('sdnb-panning');
  };
  const onMove = (e: PointerEvent) => {
    if (!drag || drag.id !== e.pointerId) return;
    apply(panBy(state, e.clientX - drag.x, e.clientY - drag.y));
    drag = { ...drag, x: e.clientX, y: e.clientY };
  };
  const onUp = () => {
    drag = undefined;
    viewport.classList.remove('sdnb-panning');
  };
  const onKey = (e: KeyboardEvent) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const { cx, cy } = center();
    const pan = keyPan(e.key, e.shiftKey);
    if (pan) apply(panBy(state, pan.dx, pan.dy));
    else if (e.key === '+' || e.key === '=') apply(zoomAt(state, 1.25, cx, cy));
    else if (e.key === '-') apply(zoomAt(state, 0.8, cx, cy));
    else if (e.key === '0') apply(IDENTITY);
    else return;
    e.preventDefault();
  };
  viewport.addEventListener('wheel', onWheel, { passive: false });
  viewport.addEventListener('pointerdown', onDown);
  viewport.addEventListener('pointermove', onMove);
  viewport.addEventListener('pointerup', onUp);
  viewport.addEventListener('pointercancel', onUp);
  viewport.addEventListener('keydown', onKey);
  return {
    get: () => state,
    set: apply,
    zoom(factor) {
      const { cx, cy } = center();
      apply(zoomAt(state, factor, cx, cy));
    },
    reset: () => apply(IDENTITY),
    dispose() {
      viewport.removeEventListener('wheel', onWheel);
      viewport.removeEventListener('pointerdown', onDown);
      viewport.removeEventListener('pointermove', onMove);
      viewport.removeEventListener('pointerup', onUp);
      viewport.removeEventListener('pointercancel', onUp);
      viewport.removeEventListener('keydown', onKey);
    },
  };
}
