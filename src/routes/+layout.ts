// Public pages need no client code: they are plain HTML and forms, fast on slow networks.
export const csr = false;
