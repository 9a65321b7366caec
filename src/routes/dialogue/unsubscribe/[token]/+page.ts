// A link from a mail: plain HTML, a form that works without JavaScript.
export const csr = false;
