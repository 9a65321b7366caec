// The map tap and the phone's position need the page's script; the form works without it.
export const csr = true;
