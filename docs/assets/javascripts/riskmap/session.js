// 风险一张图, the editing session: the document, what is selected, the tool in hand, and the
// undo/redo history. Every change goes through `change` (or `remember`, for a drag that has
// already moved things), which records the step, autosaves and redraws. Undo and redo restore
// a snapshot the same way, so whatever can be done can be undone: adding, moving and deleting
// elements, vertex edits, label moves, names and notes, the title block, the base picture,
// an import and "清空整张图".
import * as H from "./history.js";
import { emptyDoc, findElement } from "./model.js";

export function createSession({ day, redraw, save, storeImage }) {
  const state = { doc: emptyDoc(day), selected: null, vertex: null, tool: "", draft: [] };
  let history = H.emptyHistory();
  let typing = null; // the text field being typed into: its keystrokes make one step

  const snap = () => H.snapshot(state.doc, state.selected);

  // Restores a snapshot; the picture is stored again when the step changed it.
  function restore(step) {
    const imageChanged = step.snapshot.image !== state.doc.image;
    history = step.history;
    state.doc = H.fromSnapshot(step.snapshot, state.doc);
    state.selected = findElement(state.doc, step.snapshot.selected) ? step.snapshot.selected : null;
    state.vertex = null;
    typing = null;
    if (imageChanged) storeImage(state.doc.image ? state.doc.image.href : null);
    save();
    return step.label;
  }

  return {
    state,
    // `edit(doc)` changes the document in place; returning false means it refused (nothing recorded).
    // `focus` (or a function giving it) says what gets the keyboard focus after the redraw;
    // `typingKey` merges the steps of one text field's keystrokes into one.
    change(label, edit, { focus, typingKey } = {}) {
      const before = snap();
      if (edit(state.doc) === false) return false;
      if (H.sameSnapshot(before, snap())) return true;
      if (!typingKey || typingKey !== typing) history = H.record(history, before, label);
      typing = typingKey || null;
      save();
      redraw(typeof focus === "function" ? focus() : focus);
      return true;
    },
    snapshot: snap,
    // A change already made (a drag): `before` is the snapshot from when it began.
    remember(before, label) {
      if (H.sameSnapshot(before, snap())) return;
      history = H.record(history, before, label);
      typing = null;
      save();
    },
    // The points of a shape being added count as steps too: undo takes back the last one.
    undo() {
      if (state.tool && state.draft.length) { state.draft.pop(); return "上一个位置"; }
      const step = H.undo(history, snap());
      return step ? restore(step) : null;
    },
    redo() {
      const step = H.redo(history, snap());
      return step ? restore(step) : null;
    },
    canUndo: () => H.canUndo(history) || !!(state.tool && state.draft.length),
    canRedo: () => H.canRedo(history),
    undoLabel: () => (state.tool && state.draft.length ? "上一个位置" : H.undoLabel(history)),
    redoLabel: () => H.redoLabel(history),
    stopTyping() { typing = null; },
    // Loading a saved map starts a new history: undo never goes back past a reload.
    reset(doc) { state.doc = doc; state.selected = null; state.vertex = null; history = H.emptyHistory(); typing = null; },
  };
}
