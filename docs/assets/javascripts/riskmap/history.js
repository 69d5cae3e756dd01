// 风险一张图, undo and redo. Pure: the history is a value ({past, future}) and each function
// returns a new one, so it is unit-tested in Node without a page.
//
// A step is a snapshot of the document taken before a change, with the change's name ("移动顶点").
// Snapshots copy meta and elements (small) and keep the base picture by reference: a picture is
// replaced, never changed in place, so 100 steps never hold 100 copies of a large image.
// History lives in memory only: after a reload the map is the autosaved one and undo starts empty.

export const LIMIT = 100;

export function emptyHistory() {
  return { past: [], future: [] };
}

export function snapshot(doc, selected) {
  return {
    meta: { ...doc.meta },
    image: doc.image,
    elements: JSON.parse(JSON.stringify(doc.elements)),
    selected: selected || null,
  };
}

// The document a snapshot describes (a fresh copy, so editing it never changes the history).
export function fromSnapshot(snap, base) {
  return { ...base, meta: { ...snap.meta }, image: snap.image, elements: JSON.parse(JSON.stringify(snap.elements)) };
}

export function sameSnapshot(a, b) {
  return a.image === b.image && JSON.stringify([a.meta, a.elements]) === JSON.stringify([b.meta, b.elements]);
}

// After a change: `before` becomes the newest undo step and nothing is left to redo.
export function record(history, before, label) {
  return { past: history.past.concat([{ snapshot: before, label }]).slice(-LIMIT), future: [] };
}

// Undo: returns {history, snapshot, label} with `current` kept for redo, or null at the start.
export function undo(history, current) {
  const step = history.past[history.past.length - 1];
  if (!step) return null;
  return {
    history: { past: history.past.slice(0, -1), future: history.future.concat([{ snapshot: current, label: step.label }]) },
    snapshot: step.snapshot,
    label: step.label,
  };
}

export function redo(history, current) {
  const step = history.future[history.future.length - 1];
  if (!step) return null;
  return {
    history: { past: history.past.concat([{ snapshot: current, label: step.label }]), future: history.future.slice(0, -1) },
    snapshot: step.snapshot,
    label: step.label,
  };
}

export const canUndo = (history) => history.past.length > 0;
export const canRedo = (history) => history.future.length > 0;
export const undoLabel = (history) => (history.past.length ? history.past[history.past.length - 1].label : "");
export const redoLabel = (history) => (history.future.length ? history.future[history.future.length - 1].label : "");
