// The DOM helpers the dossier modules use are the core's (core.js, loaded in every page's head):
// one way to build elements, format a day and download a file across all tools.

export const h = (tag, attrs, ...children) => self.SC.h(tag, attrs, ...children);

// YYYY-MM-DD in the reader's own time zone.
export const isoDay = (d) => self.SC.fmt.isoDay(d);

export const download = (blob, name) => self.SC.download(blob, name);
