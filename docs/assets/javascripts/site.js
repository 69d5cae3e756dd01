// Site-wide behaviour. Material's instant navigation runs this file once per full load, so every
// page feature subscribes to `document$`, which fires on every page, however it was reached.
