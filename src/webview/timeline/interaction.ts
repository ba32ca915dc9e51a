// Turns mouse, wheel and keyboard input on the timeline canvas into commands. Wheel zooms
// around the pointer, dragging pans, a click without a drag activates what is under it;
// the keyboard does all of it too (see KEY_HELP).

export interface TimelineCommands {
  zoom(factor: number, anchorX: number | null): void;
  pan(pixels: number): void;
  showAll(): void;
  hover(x: number, y: number): void;
  leave(): void;
  activateAt(x: number, y: number): void;
  moveLane(step: number): void;
  moveEvent(step: number): void;
  activateSelection(): void;
  /** Shows or folds the thread lanes of the chosen process. */
  toggleThreads(): void;
}

export const KEY_HELP = 'Keys: ← → pan, + − zoom, 0 whole run, ↑ ↓ choose a process or thread, N / P next or previous event, Enter go to its source line, T show or fold the chosen process\'s threads.';

/** Movement below this many pixels between press and release is a click, not a drag. */
const CLICK_SLOP_PX = 4;
const KEY_PAN_SHARE = 0.1;
const KEY_ZOOM = 1.5;

export function bindInteraction(canvas: HTMLCanvasElement, commands: TimelineCommands): void {
  const local = (event: MouseEvent): { x: number; y: number } => {
    const bounds = canvas.getBoundingClientRect();
    return { x: event.clientX - bounds.left, y: event.clientY - bounds.top };
  };

  canvas.addEventListener(
    'wheel',
    (event) => {
      event.preventDefault();
      const { x } = local(event);
      // Horizontal wheels and trackpad swipes pan; vertical ones zoom.
      if (Math.abs(event.deltaX) > Math.abs(event.deltaY)) commands.pan(event.deltaX);
      else commands.zoom(Math.exp(-event.deltaY * 0.002), x);
    },
    { passive: false },
  );

  let drag: { pointer: number; lastX: number; travelled: number } | null = null;
  canvas.addEventListener('pointerdown', (event) => {
    if (event.button !== 0) return;
    canvas.setPointerCapture(event.pointerId);
    drag = { pointer: event.pointerId, lastX: event.clientX, travelled: 0 };
  });
  canvas.addEventListener('pointermove', (event) => {
    if (drag && drag.pointer === event.pointerId) {
      const dx = event.clientX - drag.lastX;
      drag.lastX = event.clientX;
      drag.travelled += Math.abs(dx);
      if (drag.travelled >= CLICK_SLOP_PX) commands.pan(-dx);
      return;
    }
    const { x, y } = local(event);
    commands.hover(x, y);
  });
  canvas.addEventListener('pointerup', (event) => {
    if (!drag || drag.pointer !== event.pointerId) return;
    const wasClick = drag.travelled < CLICK_SLOP_PX;
    drag = null;
    canvas.releasePointerCapture(event.pointerId);
    if (wasClick) {
      const { x, y } = local(event);
      commands.activateAt(x, y);
    }
  });
  canvas.addEventListener('pointerleave', () => {
    if (!drag) commands.leave();
  });

  canvas.addEventListener('keydown', (event) => {
    const pan = canvas.clientWidth * KEY_PAN_SHARE;
    const handled = ((): boolean => {
      switch (event.key) {
        case 'ArrowLeft': commands.pan(-pan); return true;
        case 'ArrowRight': commands.pan(pan); return true;
        case '+': case '=': commands.zoom(KEY_ZOOM, null); return true;
        case '-': case '_': commands.zoom(1 / KEY_ZOOM, null); return true;
        case '0': case 'Home': commands.showAll(); return true;
        case 'ArrowUp': commands.moveLane(-1); return true;
        case 'ArrowDown': commands.moveLane(1); return true;
        case 'n': case 'N': commands.moveEvent(1); return true;
        case 'p': case 'P': commands.moveEvent(-1); return true;
        case 'Enter': commands.activateSelection(); return true;
        case 't': case 'T': commands.toggleThreads(); return true;
        default: return false;
      }
    })();
    if (handled) event.preventDefault();
  });
}
